import { expect, fixture, html } from '@open-wc/testing';
import { MemoryAdapter } from '@civic-widgets/core';
import type { CivicPoll } from '@civic-widgets/poll';
import { createTownSeed } from '../core/fixtures/polls.js';
import { $, $$, POLL_IDS, mountPoll, settled, townAdapter, until } from './helpers.js';
import { describeStates, type State } from '../support/states.js';

async function submit(el: CivicPoll): Promise<void> {
  $<HTMLButtonElement>(el, 'button[type=submit]').click();
  await el.updateComplete;
}

function chooseFirst(el: CivicPoll): void {
  $<HTMLInputElement>(el, 'input[type=radio], input[type=checkbox]').click();
}

const states: State<CivicPoll>[] = [
  {
    name: 'loading',
    async reach() {
      const el = await mountPoll(POLL_IDS.single, new MemoryAdapter({ seed: createTownSeed(), latency: 60_000 }), { wait: false });
      expect($(el, '[role=status]').getAttribute('aria-busy')).to.equal('true');
      return el;
    },
  },
  {
    name: 'not open yet',
    async reach() {
      const el = await mountPoll(POLL_IDS.upcoming, townAdapter());
      expect(el.shadowRoot!.querySelector('form')).to.be.null;
      expect($(el, '[part=dates] time').getAttribute('datetime')).to.be.a('string');
      return el;
    },
  },
  {
    name: 'open, single choice',
    reach: () => mountPoll(POLL_IDS.single, townAdapter()),
  },
  {
    name: 'open, multiple choice with "other" written and an invalid count',
    async reach() {
      const el = await mountPoll(POLL_IDS.multiple, townAdapter());
      for (const box of $$<HTMLInputElement>(el, 'input[type=checkbox]')) box.click();
      await submit(el);
      expect($(el, '#other-text')).to.exist;
      expect($(el, '#choices-error')).to.exist;
      return el;
    },
  },
  {
    name: 'open, "other" left empty',
    async reach() {
      const el = await mountPoll(POLL_IDS.multiple, townAdapter());
      $$<HTMLInputElement>(el, 'input[type=checkbox]').at(-1)!.click();
      await submit(el);
      expect($(el, '#other-text').getAttribute('aria-invalid')).to.equal('true');
      return el;
    },
  },
  {
    name: 'open, ranking',
    reach: () => mountPoll(POLL_IDS.ranking, townAdapter()),
  },
  {
    name: 'open, rating with a missing rating',
    async reach() {
      const el = await mountPoll(POLL_IDS.rating, townAdapter({ participant: { verification: 'verified' } }));
      await submit(el);
      expect($(el, '#ratings-error')).to.exist;
      return el;
    },
  },
  {
    name: 'submitting',
    async reach() {
      const el = await mountPoll(POLL_IDS.single, new MemoryAdapter({ seed: createTownSeed(), latency: 1500 }));
      chooseFirst(el);
      await submit(el);
      await until(el, '[data-status=sending]');
      return el;
    },
  },
  {
    name: 'voted, change allowed, results shown',
    async reach() {
      const el = await mountPoll(POLL_IDS.single, townAdapter());
      chooseFirst(el);
      await submit(el);
      await until(el, '#change');
      await until(el, 'civic-poll-results');
      return el;
    },
  },
  {
    name: 'voted, change not allowed, results hidden until closing',
    async reach() {
      const el = await mountPoll(POLL_IDS.ranking, townAdapter());
      await submit(el);
      await until(el, '#outcome');
      expect(el.shadowRoot!.querySelector('#change')).to.be.null;
      return el;
    },
  },
  {
    name: 'queued offline',
    async reach() {
      const adapter = townAdapter();
      const el = await mountPoll(POLL_IDS.single, adapter);
      adapter.online = false;
      chooseFirst(el);
      await submit(el);
      await until(el, '[data-status=waiting]');
      return el;
    },
  },
  {
    name: 'failed submission (retry or discard)',
    async reach() {
      const adapter = townAdapter();
      const el = await mountPoll(POLL_IDS.single, adapter);
      adapter.failNext('forbidden');
      chooseFirst(el);
      await submit(el);
      await until(el, '[data-status=failed]');
      return el;
    },
  },
  {
    name: 'closed, results published, table open',
    async reach() {
      const el = await mountPoll(POLL_IDS.closed, townAdapter());
      await until(el, 'civic-poll-results');
      const results = $(el, 'civic-poll-results');
      await (results as unknown as CivicPoll).updateComplete;
      results.shadowRoot!.querySelector('details')!.open = true;
      return el;
    },
  },
  {
    name: 'results offered before voting, then shown',
    async reach() {
      const el = await mountPoll(POLL_IDS.multiple, townAdapter());
      $<HTMLButtonElement>(el, '[aria-expanded]').click();
      await until(el, 'civic-poll-results');
      return el;
    },
  },
  {
    name: 'not found',
    async reach() {
      const el = await mountPoll('no-such-poll', townAdapter());
      expect($(el, '[part=error]')).to.exist;
      return el;
    },
  },
  {
    name: 'forbidden (verified residents only)',
    async reach() {
      const el = await mountPoll(POLL_IDS.rating, townAdapter());
      expect(el.shadowRoot!.querySelector('form')).to.be.null;
      return el;
    },
  },
  {
    name: 'misconfigured (no adapter)',
    async reach() {
      const el = await fixture<CivicPoll>(html`<civic-poll poll="x"></civic-poll>`);
      await settled(el);
      expect($(el, '[part=error]').getAttribute('role')).to.equal('alert');
      return el;
    },
  },
  {
    name: 'server error',
    async reach() {
      const adapter = townAdapter();
      adapter.failNext('server');
      const el = await mountPoll(POLL_IDS.single, adapter);
      expect($(el, '[part=error] button')).to.exist;
      return el;
    },
  },
];

describeStates('civic-poll', states, { title: 'designed and without axe violations' });
