import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CivicError, type ParticipationAdapter } from '@civic-widgets/core';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { $, $$, BOX_IDS, UNKNOWN_BOX, action, mountBox, settled, text, townAdapter, until, write } from './helpers.js';
import { describeStates, type State } from '../support/states.js';

/** An adapter whose box reads fail as `kind`. */
function failingReads(kind: 'forbidden' | 'server'): ParticipationAdapter {
  const adapter = townAdapter();
  return { name: 'failing', ideas: { ...adapter.ideas, getBox: () => Promise.reject(new CivicError(kind, `Simulated ${kind}`)) } };
}

async function mountWith(adapter: ParticipationAdapter | undefined, box: string = BOX_IDS.town): Promise<CivicIdeaBox> {
  const el = await fixture<CivicIdeaBox>(html`<civic-idea-box box=${box} .adapter=${adapter}></civic-idea-box>`);
  return settled(el);
}

const states: State<CivicIdeaBox>[] = [
  {
    name: 'loading',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter({ latency: 60_000 }), { wait: false });
      expect($(el, '[role=status]').getAttribute('aria-busy')).to.equal('true');
      return el;
    },
  },
  {
    name: 'cards, with the support limit',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter());
      expect($$(el, '[part~=idea]')).to.have.length(12);
      expect($(el, '#limit')).to.exist;
      return el;
    },
  },
  {
    name: 'compact list',
    reach: () => mountBox(BOX_IDS.town, townAdapter(), { layout: 'list' }),
  },
  {
    name: 'detail with the council’s answer and the discussion',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter());
      action(el, 't1', 'open').click();
      await until(el, '#detail-title');
      expect($(el, '[part=answer]')).to.exist;
      $<HTMLButtonElement>(el, '#discuss').click();
      await until(el, 'civic-comment-thread');
      const thread = $(el, 'civic-comment-thread');
      await waitUntil(() => thread.shadowRoot?.querySelector('.thread, .error'), 'the discussion never loaded', { timeout: 4000 });
      return el;
    },
  },
  {
    name: 'report form open',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter());
      action(el, 't2', 'open').click();
      await until(el, '#detail-title');
      $<HTMLButtonElement>(el, '[data-action=report]').click();
      await until(el, 'civic-report-form');
      return el;
    },
  },
  {
    name: 'proposal form with errors, summary, preview and similar ideas',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter());
      $<HTMLButtonElement>(el, '#propose').click();
      await el.updateComplete;
      write(el, '#idea-title', 'Trees');
      write(el, '#idea-body', 'Plant trees on the market square');
      $<HTMLButtonElement>(el, 'form [aria-pressed]').click();
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '#error-summary');
      await until(el, '[part=similar]');
      expect($(el, '#idea-category').getAttribute('aria-invalid')).to.equal('true');
      return el;
    },
  },
  {
    name: 'limit reached',
    async reach() {
      const el = await mountBox(BOX_IDS.town, townAdapter());
      action(el, 't4', 'support').click();
      action(el, 't5', 'support').click();
      await waitUntil(() => $(el, '#limit').dataset.reached === 'true');
      return el;
    },
  },
  {
    name: 'pre-moderation: the author sees their pending idea',
    async reach() {
      const el = await mountBox(BOX_IDS.moderated, townAdapter());
      expect(text($(el, '#idea-l1'))).to.match(/awaiting moderation|attente de modération/);
      return el;
    },
  },
  {
    name: 'an idea kept offline',
    async reach() {
      const adapter = townAdapter();
      const el = await mountBox(BOX_IDS.moderated, adapter);
      adapter.online = false;
      $<HTMLButtonElement>(el, '#propose').click();
      await el.updateComplete;
      write(el, '#idea-title', 'Written offline');
      write(el, '#idea-body', 'An idea written on the bus, without network.');
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '.waiting [data-status=waiting]');
      return el;
    },
  },
  {
    name: 'empty',
    async reach() {
      const el = await mountBox(BOX_IDS.empty, townAdapter());
      expect(text(el)).to.match(/No ideas yet|Aucune idée/);
      return el;
    },
  },
  {
    name: 'closed (read-only)',
    async reach() {
      const el = await mountBox(BOX_IDS.closed, townAdapter());
      expect(el.shadowRoot!.querySelector('#propose')).to.be.null;
      expect(el.shadowRoot!.querySelector('[data-action=support]')).to.be.null;
      expect($(el, '[part=notice]')).to.exist;
      return el;
    },
  },
  {
    name: 'verification required',
    async reach() {
      const el = await mountBox(BOX_IDS.verified, townAdapter());
      expect(el.shadowRoot!.querySelector('#propose')).to.be.null;
      return el;
    },
  },
  {
    name: 'not found',
    async reach() {
      const el = await mountBox(UNKNOWN_BOX, townAdapter());
      expect($(el, '[part=error]')).to.exist;
      return el;
    },
  },
  { name: 'forbidden', reach: () => mountWith(failingReads('forbidden')) },
  {
    name: 'server error, with a retry',
    async reach() {
      const el = await mountWith(failingReads('server'));
      expect($(el, '[part=error] button')).to.exist;
      return el;
    },
  },
  {
    name: 'offline',
    async reach() {
      const adapter = townAdapter();
      adapter.online = false;
      return mountWith(adapter);
    },
  },
  {
    name: 'misconfigured (no adapter)',
    async reach() {
      const el = await mountWith(undefined);
      expect($(el, '[part=error] details')).to.exist;
      return el;
    },
  },
  {
    name: 'misconfigured (no ideas domain)',
    reach: () => mountWith({ name: 'polls only', polls: townAdapter().polls }),
  },
];

describeStates('civic-idea-box', states, {
  inFrench: (el) => {
    if ($$(el, '.box').length > 0) expect(text(el)).to.match(/idée|Idées/i);
  },
});
