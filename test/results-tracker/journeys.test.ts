import { expect, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, setLocale } from '@civic-widgets/core';
import { VISITOR_ID, trackerSeed } from '../../stories/fixtures/tracker.js';
import type { CivicProjectSelectedDetail } from '@civic-widgets/results-tracker';
import {
  $,
  $$,
  NEWCOMER_ID,
  PROJECT_IDS,
  TRACKER_IDS,
  activate,
  choose,
  focused,
  ids,
  mountTracker,
  newPageOutbox,
  openButton,
  press,
  tabUntil,
  text,
  townAdapter,
  typeText,
  until,
} from './helpers.js';

const WAIT = { timeout: 4000 };

/** An element inside a part of the widget. */
function inside<E extends Element = HTMLElement>(part: Element, selector: string): E {
  const found = part.querySelector<E>(selector);
  if (!found) throw new Error(`Nothing matches ${selector}`);
  return found;
}

describe('<civic-results-tracker> journeys with the keyboard', () => {
  let adapter: MemoryAdapter;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('filters by status, district and category, sorts, searches with the count announced, and shows more with focus on the first new project', async () => {
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    expect(ids(el)).to.have.length(12);
    expect(text($(el, '#count'))).to.equal('15 projects');

    const status = (await tabUntil(el, (e) => e.id === 'status')) as HTMLSelectElement;
    expect([...status.options].map((option) => option.textContent!.trim())).to.deep.equal([
      'All statuses',
      'Voted, not started',
      'Works under way',
      'Done',
      'Cancelled',
    ]);
    choose(status, 'done');
    await waitUntil(() => ids(el).length === 5, 'never filtered by status', WAIT);
    expect($$(el, '[part~=badge]').every((badge) => badge.textContent === 'Done')).to.be.true;
    expect(text($(el, '#announcement'))).to.equal('5 projects match.');
    expect(text($(el, '#count'))).to.equal('5 projects match.');
    choose(status, '');

    const district = (await tabUntil(el, (e) => e.id === 'district')) as HTMLSelectElement;
    choose(district, 'Centre');
    await waitUntil(() => ids(el).length === 5, 'never filtered by district', WAIT);
    const category = (await tabUntil(el, (e) => e.id === 'category')) as HTMLSelectElement;
    choose(category, 'Culture');
    await waitUntil(() => ids(el).length === 2, 'never filtered by district and category', WAIT);
    expect(ids(el)).to.have.members([PROJECT_IDS.library, 'project-13']);
    choose(district, '');
    choose(category, '');
    await waitUntil(() => ids(el).length === 12, 'filters never cleared', WAIT);

    const sort = $<HTMLSelectElement>(el, '#sort');
    sort.focus();
    choose(sort, 'budget');
    await waitUntil(() => ids(el)[0] === PROJECT_IDS.quays && ids(el)[1] === PROJECT_IDS.hall, 'never sorted by budget', WAIT);

    await activate(el, $(el, '#search'));
    await typeText('ecoles');
    await waitUntil(() => ids(el).join() === PROJECT_IDS.crossing, 'never searched without accents', WAIT);
    expect(text($(el, '#announcement'))).to.equal('1 project matches.');
    expect(focused(el)?.id).to.equal('search');
    for (let i = 0; i < 'ecoles'.length; i++) await press('Backspace');
    await waitUntil(() => ids(el).length === 12, 'search never cleared', WAIT);

    await activate(el, $(el, '#more'));
    await waitUntil(() => ids(el).length === 15, 'never showed more', WAIT);
    await el.updateComplete;
    expect(focused(el)?.id).to.equal(`project-${ids(el)[12]}`);
    expect(el.shadowRoot!.querySelector('#more')).to.be.null;
  });

  it('opens a project, reads its origins and timeline, opens its discussion, and goes back with focus restored', async () => {
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const selected: CivicProjectSelectedDetail[] = [];
    el.addEventListener('civic-project-selected', (event) => selected.push(event.detail));

    await activate(el, openButton(el, PROJECT_IDS.quays));
    await until(el, '#detail-title');
    expect(focused(el)?.id).to.equal('detail-title');
    expect(selected).to.deep.equal([{ trackerId: TRACKER_IDS.town, projectId: PROJECT_IDS.quays, from: 'list' }]);

    const meter = $(el, '[part=detail] [role=meter]');
    expect(meter.getAttribute('aria-valuenow')).to.equal('60');
    expect(meter.getAttribute('aria-valuetext')).to.equal('60% done');
    expect(text($(el, '#origins-summary'))).to.equal('Came from 3 ideas supported by 412 people.');
    expect($$(el, '[part~=origins] li')).to.have.length(3);
    expect($(el, '[part~=origins] a').getAttribute('href')).to.equal('https://belvoir.example/ideas/station');

    // The whole timeline, newest first, each update with what it changed.
    const updates = $$(el, '[part~=update]');
    expect(updates.map((update) => update.dataset.update)).to.deep.equal(['quays-u3', 'quays-u2', 'quays-u1']);
    expect(text(updates[0]!)).to.contain('Second section').and.contain('Progress: 60% done.');
    expect(text(updates[2]!)).to.contain('Status: Works under way. Progress: 10% done.');
    expect(inside(updates[0]!, 'time').getAttribute('datetime')).to.be.a('string');
    await waitUntil(() => updates[1]!.querySelector('li'), 'the council HTML never showed', WAIT);
    expect(text(updates[1]!)).to.contain('40 bike stands');

    await tabUntil(el, (e) => e.id === 'discuss');
    await press('Enter');
    await until(el, 'civic-comment-thread');
    const thread = $(el, 'civic-comment-thread');
    expect(thread.getAttribute('thread')).to.equal(`project:${PROJECT_IDS.quays}`);
    await waitUntil(() => thread.shadowRoot?.querySelector('.thread, .error, form'), 'the discussion never loaded', WAIT);
    expect($(el, '#discuss').getAttribute('aria-expanded')).to.equal('true');

    await activate(el, $(el, '#back'));
    expect(focused(el)).to.equal(openButton(el, PROJECT_IDS.quays));
    expect(ids(el)).to.have.length(12);
  });

  it('tells the citizen, in their language, which contributions moderation did not publish', async () => {
    const seed = trackerSeed();
    seed.contributions = [
      ...seed.contributions,
      { participantId: VISITOR_ID, kind: 'idea', id: 'idea-refused', title: 'An idea moderation refused', at: new Date().toISOString(), status: 'submitted', moderation: 'rejected' },
    ];
    const el = await mountTracker(TRACKER_IDS.town, new MemoryAdapter({ participant: { id: VISITOR_ID }, seed }));
    await activate(el, $(el, '#my-contributions'));
    await until(el, '[part~=contribution]');
    const first = $$(el, '[part~=contribution]')[0]!;
    expect(inside(first, '[part~=outcome]').dataset.outcome).to.equal('not-published');
    expect(text(first)).to.contain('An idea moderation refused').and.contain('It was not published after moderation: only you can see it.');
    try {
      await setLocale('fr');
      await el.updateComplete;
      expect(text(inside(first, '[part~=outcome]'))).to.equal('Cette contribution n’a pas été publiée après modération : vous seul la voyez.');
    } finally {
      await setLocale('en');
    }
  });

  it('shows what became of the citizen’s contributions, opens the project one joined, and comes back to them', async () => {
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const selected: string[] = [];
    el.addEventListener('civic-project-selected', (event) => selected.push(`${event.detail.from}:${event.detail.projectId}`));

    await tabUntil(el, (e) => e.id === 'my-contributions');
    await press('Enter');
    await until(el, '[part~=contribution]');
    expect(focused(el)?.id).to.equal('contributions-title');
    const fates = $$(el, '[part~=contribution]');
    expect(fates.map((fate) => inside(fate, '[part~=outcome]').dataset.outcome)).to.deep.equal([
      'awaiting',
      'rejected',
      'under-review',
      'done',
      'accepted',
      'duplicate',
      'in-project',
      'counted',
      'in-project',
      'not-published',
    ]);
    expect(text(fates[1]!)).to.contain('Your idea: No cars in the centre on Saturdays').and.contain('The council did not retain it.');
    await waitUntil(() => text(fates[1]!).includes('deliveries need the streets'), 'the council’s answer never showed', WAIT);
    expect(text(fates[3]!)).to.contain('Your map report').and.contain('The problem has been dealt with.');
    expect(text(fates[7]!)).to.contain('Your vote was counted in the results.');

    const last = fates[8]!;
    expect(text(last)).to.contain('It led to a project the council follows.').and.contain('Bicycle lanes on the quays');
    await activate(el, inside(last, '[data-action=open-project]'));
    await until(el, '#detail-title');
    expect(text($(el, '#detail-title'))).to.equal('Bicycle lanes on the quays');
    expect(focused(el)?.id).to.equal('detail-title');
    expect(text($(el, '#back'))).to.equal('Back to my contributions');
    expect(selected).to.deep.equal([`contributions:${PROJECT_IDS.quays}`]);

    await activate(el, $(el, '#back'));
    expect(focused(el)).to.equal($(el, '#fate-8 [data-action=open-project]'));
    await activate(el, $(el, '#back'));
    expect(focused(el)?.id).to.equal('my-contributions');
    expect(ids(el)).to.have.length(12);
  });

  it('tells someone who has contributed nothing what will show there', async () => {
    adapter.actAs({ id: NEWCOMER_ID });
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    await activate(el, $(el, '#my-contributions'));
    await until(el, '#no-contributions');
    expect(text($(el, '#no-contributions'))).to.contain('You have not contributed on this site yet');
    expect(el.shadowRoot!.querySelector('[part~=contribution]')).to.be.null;
    expect(focused(el)?.id).to.equal('contributions-title');
  });

  it('switches the overview to a table and back with aria-pressed', async () => {
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const toggle = $(el, '#as-table');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    await activate(el, toggle);
    expect($(el, '#as-table').getAttribute('aria-pressed')).to.equal('true');
    expect($(el, '#overview-table caption').textContent).to.equal('Projects and budgets by status');
    expect(el.shadowRoot!.querySelector('#overview-chart')).to.be.null;
    expect(focused(el)?.id).to.equal('as-table');
    await press('Space');
    await el.updateComplete;
    expect($(el, '#overview-chart')).to.exist;
  });
});
