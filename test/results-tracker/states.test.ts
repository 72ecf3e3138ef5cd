import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CivicError, type CivicErrorKind, type ParticipationAdapter, type TrackerDomain } from '@civic-widgets/core';
import type { CivicResultsTracker } from '@civic-widgets/results-tracker';
import { describeStates, type State } from '../support/states.js';
import { $, $$, NEWCOMER_ID, PROJECT_IDS, TRACKER_IDS, UNKNOWN_TRACKER, mountTracker, openButton, settled, text, townAdapter, until } from './helpers.js';

/** The town's adapter, but for one tracker call that fails as `kind`. */
function failing(method: keyof TrackerDomain, kind: CivicErrorKind): ParticipationAdapter {
  const adapter = townAdapter();
  return {
    name: 'failing',
    tracker: { ...adapter.tracker, [method]: () => Promise.reject(new CivicError(kind, `Simulated ${kind}`)) },
    comments: adapter.comments,
  };
}

async function mountWith(adapter: ParticipationAdapter | undefined, tracker: string = TRACKER_IDS.town): Promise<CivicResultsTracker> {
  const el = await fixture<CivicResultsTracker>(html`<civic-results-tracker tracker=${tracker} .adapter=${adapter}></civic-results-tracker>`);
  return settled(el);
}

const states: State<CivicResultsTracker>[] = [
  {
    name: 'loading',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter({ latency: 60_000 }), { wait: false });
      expect($(el, '[role=status]').getAttribute('aria-busy')).to.equal('true');
      return el;
    },
  },
  {
    name: 'projects with the overview chart',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter());
      expect($$(el, '[part~=project]')).to.have.length(12);
      expect($$(el, '[role=meter]')).to.have.length(12);
      expect($(el, '#overview-chart')).to.exist;
      return el;
    },
  },
  {
    name: 'overview as a table',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter());
      $<HTMLButtonElement>(el, '#as-table').click();
      await until(el, '#overview-table');
      return el;
    },
  },
  {
    name: 'with the feed link',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter(), { feedUrl: 'https://belvoir.example/projects.atom' });
      expect($(el, '[part~=follow] a').getAttribute('href')).to.equal('https://belvoir.example/projects.atom');
      return el;
    },
  },
  {
    name: 'a project with its origins, timeline and discussion',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter());
      openButton(el, PROJECT_IDS.quays).click();
      await until(el, '#detail-title');
      $<HTMLButtonElement>(el, '#discuss').click();
      await until(el, 'civic-comment-thread');
      const thread = $(el, 'civic-comment-thread');
      await waitUntil(() => thread.shadowRoot?.querySelector('.thread, .error'), 'the discussion never loaded', { timeout: 4000 });
      await waitUntil(() => el.shadowRoot!.querySelector('[part~=update] li'), 'the timeline never showed', { timeout: 4000 });
      return el;
    },
  },
  {
    name: 'a project of the council’s own initiative, without updates',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter(), { sort: 'budget' });
      openButton(el, PROJECT_IDS.hall).click();
      await until(el, '#detail-title');
      expect(el.shadowRoot!.querySelector('[part~=update]')).to.be.null;
      return el;
    },
  },
  {
    name: 'a project that could not be opened',
    async reach() {
      const el = await mountWith(failing('getProject', 'server'));
      openButton(el, PROJECT_IDS.quays).click();
      await until(el, `#project-${PROJECT_IDS.quays} [part=error]`);
      return el;
    },
  },
  {
    name: 'what became of my contributions',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter());
      $<HTMLButtonElement>(el, '#my-contributions').click();
      await until(el, '[part~=contribution]');
      await waitUntil(() => el.shadowRoot!.querySelector('[part~=answer] p + div p'), 'the answers never showed', { timeout: 4000 });
      return el;
    },
  },
  {
    name: 'no contributions yet',
    async reach() {
      const adapter = townAdapter();
      adapter.actAs({ id: NEWCOMER_ID });
      const el = await mountTracker(TRACKER_IDS.town, adapter);
      $<HTMLButtonElement>(el, '#my-contributions').click();
      await until(el, '#no-contributions');
      return el;
    },
  },
  {
    name: 'contributions that could not be loaded',
    async reach() {
      const el = await mountWith(failing('myContributions', 'timeout'));
      $<HTMLButtonElement>(el, '#my-contributions').click();
      await until(el, '[part~=contributions] [part=error]');
      expect($(el, '[part~=contributions] [part=error] button')).to.exist;
      return el;
    },
  },
  {
    name: 'no match',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.town, townAdapter());
      const search = $<HTMLInputElement>(el, '#search');
      search.value = 'zeppelin';
      search.dispatchEvent(new Event('input'));
      await until(el, '#empty');
      return el;
    },
  },
  {
    name: 'empty',
    async reach() {
      const el = await mountTracker(TRACKER_IDS.empty, townAdapter());
      expect(text($(el, '#empty'))).to.match(/not published any project|aucun projet/);
      return el;
    },
  },
  {
    name: 'not found',
    async reach() {
      const el = await mountTracker(UNKNOWN_TRACKER, townAdapter());
      expect($(el, '[part=error]')).to.exist;
      return el;
    },
  },
  { name: 'forbidden', reach: () => mountWith(failing('getTracker', 'forbidden')) },
  {
    name: 'server error, with a retry',
    async reach() {
      const el = await mountWith(failing('getTracker', 'server'));
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
    name: 'misconfigured (no tracker domain)',
    reach: () => mountWith({ name: 'comments only', comments: townAdapter().comments }),
  },
];

describeStates('civic-results-tracker', states, {
  inFrench: (el) => {
    // Errors in the citizen's words, whatever the state; the rest in French too.
    for (const error of $$(el, '[part=error] > p:first-child')) expect(text(error)).to.match(/vous|veuillez|module/i);
    if ($$(el, '[part=error]').length === 0) expect(text(el)).to.match(/projet|contribution/i);
  },
});
