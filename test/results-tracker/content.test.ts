import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import {
  CivicError,
  MemoryAdapter,
  describeError,
  setLocale,
  type CivicErrorKind,
  type ParticipationAdapter,
  type ProjectOrigin,
} from '@civic-widgets/core';
import type { CivicResultsTracker } from '@civic-widgets/results-tracker';
import { RestAdapter } from '@civic-widgets/core';
import { money, originsSummary } from '../../packages/results-tracker/src/wording.js';
import { trackerSeed } from '../../stories/fixtures/tracker.js';
import { json } from '../support/rest.js';
import { $, $$, PROJECT_IDS, TRACKER_IDS, VISITOR_ID, focused, ids, mountTracker, newPageOutbox, openButton, settled, text, townAdapter, until } from './helpers.js';

const WAIT = { timeout: 4000 };
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
const pwned = () => (window as { __pwned?: number }).__pwned;

/** Every attribute of the widget's DOM, sub-elements' shadow roots included. */
function attributes(root: ParentNode): Attr[] {
  return [...root.querySelectorAll('*')].flatMap((element) => [...element.attributes, ...(element.shadowRoot ? attributes(element.shadowRoot) : [])]);
}

describe('<civic-results-tracker> with hostile content', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    delete (window as { __pwned?: number }).__pwned;
  });

  it('keeps council HTML inert and every other text as text: no script runs, no event handler, no javascript: link', async () => {
    const seed = trackerSeed();
    const at = new Date().toISOString();
    const adapter = new MemoryAdapter({
      participant: { id: VISITOR_ID },
      seed: {
        ...seed,
        trackers: seed.trackers.map((tracker) => ({ ...tracker, description: `<p>Ours</p>${HOSTILE}` })),
        projects: [
          ...seed.projects,
          {
            id: 'evil',
            trackerId: TRACKER_IDS.town,
            title: HOSTILE,
            summary: HOSTILE,
            status: 'in-progress',
            progress: 50,
            district: HOSTILE,
            category: HOSTILE,
            imageUrl: 'javascript:alert(1)',
            imageAlt: HOSTILE,
            origins: [{ kind: 'idea', id: 'evil-idea', title: HOSTILE, count: 2, url: 'javascript:window.__pwned=1' }],
            updates: [
              {
                id: 'evil-update',
                at,
                title: HOSTILE,
                body: `<p onclick="window.__pwned=1" style="color:red">Council text</p>${HOSTILE}<a href="javascript:window.__pwned=1">trap</a><a href="https://belvoir.example/ok" onmouseover="window.__pwned=1">fine</a><iframe src="https://evil.example"></iframe><svg onload="window.__pwned=1"></svg>`,
              },
            ],
            updatedAt: at,
          },
        ],
        contributions: [
          { participantId: VISITOR_ID, kind: 'idea', id: 'evil-idea', title: HOSTILE, at, status: 'rejected', answer: `<p>No</p>${HOSTILE}<a href="javascript:alert(1)">x</a>` },
        ],
      },
    });
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    expect(ids(el)[0]).to.equal('evil');
    expect(text($(el, '#project-evil'))).to.contain('<script>');
    expect(el.shadowRoot!.querySelector('#project-evil img')).to.be.null;

    openButton(el, 'evil').click();
    await until(el, '#detail-title');
    await waitUntil(() => text($(el, '[part~=update]')).includes('Council text'), 'the update never showed', WAIT);
    await waitUntil(() => text($(el, '.description')).includes('Ours'), 'the description never showed', WAIT);
    await aTimeout(100);
    expect(text($(el, '#detail-title'))).to.equal(HOSTILE);
    expect(text($(el, '[part~=origins] li'))).to.contain(HOSTILE);
    expect(el.shadowRoot!.querySelector('[part~=origins] a'), 'a javascript: origin is no link').to.be.null;
    expect($(el, '[part~=update] a[href="https://belvoir.example/ok"]').getAttribute('rel')).to.equal('noopener');

    $<HTMLButtonElement>(el, '#back').click();
    await el.updateComplete;
    $<HTMLButtonElement>(el, '#my-contributions').click();
    await until(el, '[part~=contribution]');
    await waitUntil(() => text($(el, '[part~=answer]')).includes('No'), 'the answer never showed', WAIT);
    await aTimeout(100);
    expect(text($(el, '[part~=contribution]'))).to.contain('<script>');

    for (const root of [el.shadowRoot!]) {
      expect(root.querySelectorAll('script, iframe, svg, img[src="x"]')).to.have.length(0);
      expect(attributes(root).filter((attribute) => /^on/i.test(attribute.name))).to.deep.equal([]);
      expect(attributes(root).filter((attribute) => /^\s*javascript:/i.test(attribute.value))).to.deep.equal([]);
    }
    expect(pwned()).to.be.undefined;
  });
});

describe('<civic-results-tracker> origins in words', () => {
  const origin = (kind: ProjectOrigin['kind'], count: number): ProjectOrigin => ({ kind, id: `${kind}-${count}`, title: kind, count });

  afterEach(() => setLocale('en'));

  it('summarises origins with plurals, in English and in French', async () => {
    const cases: Array<[ProjectOrigin[], string, string]> = [
      [[origin('idea', 301), origin('idea', 87), origin('idea', 24)], 'Came from 3 ideas supported by 412 people.', 'Issu de 3 idées soutenues par 412 personnes.'],
      [[origin('idea', 1)], 'Came from 1 idea supported by 1 person.', 'Issu de 1 idée soutenue par 1 personne.'],
      [
        [origin('poll', 820), origin('comment-thread', 48)],
        'Came from 1 poll answered by 820 people and 1 discussion with 48 comments.',
        'Issu de 1 sondage ayant réuni 820 personnes et 1 discussion de 48 commentaires.',
      ],
      [
        [origin('map-report', 11), origin('map-report', 4), origin('idea', 0)],
        'Came from 1 idea and 2 map reports followed by 15 people.',
        'Issu de 1 idée et 2 signalements sur la carte suivis par 15 personnes.',
      ],
      [
        [origin('idea', 2), origin('poll', 1), origin('map-report', 1), origin('comment-thread', 1)],
        'Came from 1 idea supported by 2 people, 1 poll answered by 1 person, 1 map report followed by 1 person, and 1 discussion with 1 comment.',
        'Issu de 1 idée soutenue par 2 personnes, 1 sondage ayant réuni 1 personne, 1 signalement sur la carte suivi par 1 personne et 1 discussion de 1 commentaire.',
      ],
    ];
    expect(originsSummary([])).to.be.undefined;
    for (const [origins, english] of cases) expect(originsSummary(origins)).to.equal(english);
    await setLocale('fr');
    for (const [origins, , french] of cases) expect(originsSummary(origins)!.replace(/\u202f/g, ' ')).to.equal(french);
  });

  it('shows each project’s summary in the list and the French of it', async () => {
    newPageOutbox();
    const el = await mountTracker(TRACKER_IDS.town, townAdapter());
    const summary = (id: string) => text($(el, `#${CSS.escape(`project-${id}`)} [part~=origins]`));
    expect(summary(PROJECT_IDS.quays)).to.equal('Came from 3 ideas supported by 412 people.');
    expect(summary(PROJECT_IDS.library)).to.equal('Came from 1 poll answered by 820 people and 1 discussion with 48 comments.');
    expect(summary(PROJECT_IDS.crossing)).to.equal('Came from 2 map reports followed by 15 people.');
    await setLocale('fr');
    await el.updateComplete;
    expect(summary(PROJECT_IDS.quays)).to.equal('Issu de 3 idées soutenues par 412 personnes.');
    expect(summary(PROJECT_IDS.crossing)).to.equal('Issu de 2 signalements sur la carte suivis par 15 personnes.');
  });
});

describe('<civic-results-tracker> overview', () => {
  beforeEach(() => newPageOutbox());
  afterEach(() => setLocale('en'));

  for (const locale of ['en', 'fr']) {
    it(`shows in its table the values of its chart, which are the backend's totals (${locale})`, async () => {
      await setLocale(locale);
      const adapter = townAdapter();
      const el = await mountTracker(TRACKER_IDS.town, adapter);
      const overview = (await adapter.tracker.getTracker(TRACKER_IDS.town)).overview;
      const number = (value: string) => Number(value.replace(/\D/g, ''));
      const chart = $$(el, '#overview-chart .row').map((row) => ({
        status: row.dataset.status,
        label: text(row.querySelector('.label')!),
        projects: number(text(row.querySelector('[data-value=projects]')!)),
        budget: text(row.querySelector('[data-value=budget]')!),
      }));
      $<HTMLButtonElement>(el, '#as-table').click();
      await until(el, '#overview-table');
      const table = $$(el, '#overview-table tbody tr').map((row) => ({
        status: row.dataset.status,
        label: text(row.querySelector('th')!),
        projects: number(text(row.querySelector('[data-value=projects]')!)),
        planned: text(row.querySelector('[data-value=planned]')!),
        spent: text(row.querySelector('[data-value=spent]')!),
      }));
      expect(table.map((row) => row.status)).to.deep.equal(['planned', 'in-progress', 'done', 'cancelled']);
      expect(chart.map((row) => row.status)).to.deep.equal(table.map((row) => row.status));
      table.forEach((row, index) => {
        const drawn = chart[index]!;
        expect(drawn.label).to.equal(row.label);
        expect(drawn.projects).to.equal(row.projects);
        expect(drawn.budget).to.contain(row.planned).and.contain(row.spent);
        expect(row.projects).to.equal(overview[index]!.projects);
        expect(row.planned).to.equal(plain(money(overview[index]!.budgetPlanned, 'EUR')));
        expect(row.spent).to.equal(plain(money(overview[index]!.budgetSpent, 'EUR')));
      });
      const total = $$(el, '#overview-table tfoot td').map((cell) => text(cell));
      const sum = (pick: (row: (typeof overview)[number]) => number) => overview.reduce((all, row) => all + pick(row), 0);
      expect(total).to.deep.equal(['15', money(sum((row) => row.budgetPlanned), 'EUR'), money(sum((row) => row.budgetSpent), 'EUR')].map(plain));
      expect(chart.map((row) => row.label)).to.include(locale === 'fr' ? 'Réalisé' : 'Done');
    });
  }
});

describe('<civic-results-tracker> errors', () => {
  beforeEach(() => newPageOutbox());
  afterEach(() => setLocale('en'));

  const kinds: CivicErrorKind[] = ['network', 'offline', 'timeout', 'unauthorised', 'forbidden', 'not-found', 'rate-limited', 'server'];

  it('shows every kind of error in the citizen’s language, and tells the page', async () => {
    await setLocale('fr');
    for (const kind of kinds) {
      const adapter = townAdapter();
      const failing: ParticipationAdapter = { name: 'failing', tracker: { ...adapter.tracker, getTracker: () => Promise.reject(new CivicError(kind, `Simulated ${kind}`)) } };
      const heard: string[] = [];
      const el = await fixture<CivicResultsTracker>(html`<civic-results-tracker
        tracker=${TRACKER_IDS.town}
        .adapter=${failing}
        @civic-error=${(event: CustomEvent) => heard.push(`${event.detail.during}:${event.detail.error.kind}`)}
      ></civic-results-tracker>`);
      await settled(el);
      const shown = text($(el, '[part=error] p'));
      expect(shown).to.equal(plain(describeError({ kind })));
      expect(shown, kind).to.not.equal(await inEnglish(() => describeError({ kind })));
      expect(heard).to.deep.equal([`load:${kind}`]);
      expect(!!el.shadowRoot!.querySelector('[part=error] button'), kind).to.equal(new CivicError(kind, '').transient);
    }
  });

  it('loads again when a transient failure is retried', async () => {
    const adapter = townAdapter();
    adapter.failNext('server');
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    $<HTMLButtonElement>(el, '[part=error] button').click();
    await settled(el);
    await waitUntil(() => el.shadowRoot!.querySelector('.tracker'), 'never loaded again', WAIT);
    expect(ids(el)).to.have.length(12);
  });
});

/** Text as text() reads it: white space, no-break spaces included, collapsed. */
function plain(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

async function inEnglish(read: () => string): Promise<string> {
  await setLocale('en');
  const english = read();
  await setLocale('fr');
  return english;
}

describe('<civic-results-tracker> resilience', () => {
  beforeEach(() => newPageOutbox());

  it('loads by itself when the connection comes back', async () => {
    const adapter = townAdapter();
    adapter.online = false;
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    expect(text($(el, '[part=error] p'))).to.equal(plain(describeError({ kind: 'offline' })));
    adapter.online = true;
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => el.shadowRoot!.querySelector('.tracker'), 'never loaded once online', WAIT);
    expect(ids(el)).to.have.length(12);
  });

  it('pages the contributions, with focus on the first of the next page', async () => {
    const seed = trackerSeed();
    const many = Array.from({ length: 25 }, (_, index) => ({
      participantId: VISITOR_ID,
      kind: 'idea' as const,
      id: `idea-many-${index}`,
      title: `Idea number ${index + 1}`,
      at: new Date(Date.now() - (index + 1) * 60_000).toISOString(),
      status: 'submitted' as const,
    }));
    const adapter = new MemoryAdapter({ participant: { id: VISITOR_ID }, seed: { ...seed, contributions: many } });
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    $<HTMLButtonElement>(el, '#my-contributions').click();
    await until(el, '[part~=contribution]');
    expect($$(el, '[part~=contribution]')).to.have.length(20);
    $<HTMLButtonElement>(el, '#more-contributions').click();
    await waitUntil(() => $$(el, '[part~=contribution]').length === 25, 'never showed more', WAIT);
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('fate-20');
    expect(text($(el, '#fate-20'))).to.contain('Idea number 21');
    expect(el.shadowRoot!.querySelector('#more-contributions')).to.be.null;
  });

  it('says why a project could not be opened, and opens it on a retry', async () => {
    const adapter = townAdapter();
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const heard: string[] = [];
    el.addEventListener('civic-error', (event) => heard.push(`${event.detail.during}:${event.detail.error.kind}`));
    adapter.failNext('timeout');
    openButton(el, PROJECT_IDS.library).click();
    await until(el, `#project-${PROJECT_IDS.library} [part=error]`);
    expect(text($(el, `#project-${PROJECT_IDS.library} [part=error] p`))).to.equal(plain(describeError({ kind: 'timeout' })));
    expect(heard).to.deep.equal(['project:timeout']);
    $<HTMLButtonElement>(el, `#project-${PROJECT_IDS.library} [part=error] button`).click();
    await until(el, '#detail-title');
    expect(text($(el, '#detail-title'))).to.equal('The library opens on Sundays');
  });
});

describe('<civic-results-tracker> live updates', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
  });

  it('shows a project’s update in place and announces it politely, without moving focus or scroll', async () => {
    const adapter = townAdapter();
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const search = $<HTMLInputElement>(el, '#search');
    search.focus();
    const scroll = window.scrollY;
    adapter.updateProject(PROJECT_IDS.quays, { body: '<p>The second section is nearly done.</p>', progress: 80 });
    const meter = () => $(el, `#project-${PROJECT_IDS.quays} [role=meter]`);
    await waitUntil(() => meter().getAttribute('aria-valuenow') === '80', 'the update never showed', WAIT);
    expect(meter().getAttribute('aria-valuetext')).to.equal('80% done');
    expect($(el, '#live').getAttribute('aria-live')).to.equal('polite');
    expect(text($(el, '#live'))).to.equal('Updated: Bicycle lanes on the quays — Works under way, 80% done.');
    expect(el.shadowRoot!.activeElement).to.equal(search);
    expect(window.scrollY).to.equal(scroll);
  });

  it('adds an update to the timeline being read', async () => {
    const adapter = townAdapter();
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    openButton(el, PROJECT_IDS.crossing).click();
    await until(el, '#detail-title');
    const title = $(el, '#detail-title');
    expect(focused(el)).to.equal(title);
    adapter.updateProject(PROJECT_IDS.crossing, { title: 'Works begin', body: '<p>The crossing is being built.</p>', status: 'in-progress', progress: 5 });
    await waitUntil(() => $$(el, '[part~=update]').length === 2, 'the timeline never grew', WAIT);
    expect(text($(el, '[part~=update]'))).to.contain('Works begin').and.contain('Status: Works under way. Progress: 5% done.');
    expect(text($(el, '[part=detail] [part~=badge]'))).to.equal('Works under way');
    expect(focused(el)).to.equal(title);
  });

  it('keeps new projects behind a button, announced, and updates the overview', async () => {
    const adapter = townAdapter();
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    const first = ids(el)[0];
    adapter.saveProject({
      id: 'new-park',
      trackerId: TRACKER_IDS.town,
      title: 'A new park by the river',
      summary: 'A park on the old factory site.',
      status: 'planned',
      progress: 0,
      updatedAt: new Date().toISOString(),
    });
    await until(el, '[part~=new-projects]');
    expect(text($(el, '[part~=new-projects]'))).to.equal('1 new project — show');
    expect(text($(el, '#live'))).to.equal('1 new project');
    expect(ids(el)[0]).to.equal(first);
    await waitUntil(() => text($(el, '#overview-chart [data-status=planned] [data-value=projects]')) === '5 projects', 'the overview never changed', WAIT);
    $<HTMLButtonElement>(el, '[part~=new-projects]').click();
    await el.updateComplete;
    expect(ids(el)[0]).to.equal('new-park');
    expect(focused(el)?.id).to.equal('project-new-park');
    expect(text($(el, '#count'))).to.equal('16 projects');
  });
});

describe('<civic-results-tracker> feed and events', () => {
  beforeEach(() => newPageOutbox());

  it('links to the feed set by feed-url, with what it is for, and shows none for a backend without one', async () => {
    const withFeed = await mountTracker(TRACKER_IDS.town, townAdapter(), { feedUrl: 'https://belvoir.example/projects.atom' });
    const link = $<HTMLAnchorElement>(withFeed, '[part~=follow] a');
    expect(link.getAttribute('href')).to.equal('https://belvoir.example/projects.atom');
    expect(link.getAttribute('type')).to.equal('application/atom+xml');
    expect(text($(withFeed, '[part~=follow]'))).to.contain('No account or email address needed.');
    const without = await mountTracker(TRACKER_IDS.town, townAdapter());
    expect(without.shadowRoot!.querySelector('[part~=follow]')).to.be.null;
  });

  it('links to the REST backend’s own feed when the widget builds its adapter from its endpoint', async () => {
    const endpoint = 'https://participation.belvoir.example/api/v1/';
    const tracker = await townAdapter().tracker.getTracker(TRACKER_IDS.town);
    const original = window.fetch;
    const asked: string[] = [];
    window.fetch = async (input: RequestInfo | URL) => {
      const url = String(input);
      asked.push(url);
      if (url.endsWith(`/trackers/${TRACKER_IDS.town}`)) return json(200, tracker);
      if (url.includes(`/trackers/${TRACKER_IDS.town}/projects`)) return json(200, { items: [], total: 0 });
      return json(404, {});
    };
    try {
      const el = await fixture<CivicResultsTracker>(html`<civic-results-tracker tracker=${TRACKER_IDS.town} endpoint=${endpoint}></civic-results-tracker>`);
      await settled(el);
      expect(asked, text(el)).to.include(`https://participation.belvoir.example/api/v1/trackers/${TRACKER_IDS.town}`);
      expect($(el, '[part~=follow] a').getAttribute('href')).to.equal(`https://participation.belvoir.example/api/v1/trackers/${TRACKER_IDS.town}/feed.atom`);
      el.setAttribute('feed-url', '/feeds/projects.atom');
      await el.updateComplete;
      expect($(el, '[part~=follow] a').getAttribute('href')).to.equal('/feeds/projects.atom');
      el.remove();
    } finally {
      window.fetch = original;
    }
  });

  it('links to the feed of a RestAdapter handed to it as a property', async () => {
    const tracker = await townAdapter().tracker.getTracker(TRACKER_IDS.town);
    const adapter = new RestAdapter({
      baseUrl: 'https://participation.belvoir.example/api/v1/',
      storage: null,
      fetch: async (input: RequestInfo | URL) => {
        const url = String(input);
        if (url.endsWith(`/trackers/${TRACKER_IDS.town}`)) return json(200, tracker);
        return json(200, { items: [], total: 0 });
      },
    });
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    expect($(el, '[part~=follow] a').getAttribute('href')).to.equal(`https://participation.belvoir.example/api/v1/trackers/${TRACKER_IDS.town}/feed.atom`);
  });

  it('fires nothing when properties change from code, nor while loading', async () => {
    const adapter = townAdapter();
    const heard: string[] = [];
    const el = await mountTracker(TRACKER_IDS.town, adapter);
    for (const name of ['civic-project-selected', 'civic-error']) el.addEventListener(name, (event) => heard.push(event.type));
    el.sort = 'title';
    el.pageSize = 3;
    el.tracker = TRACKER_IDS.empty;
    await waitUntil(() => text(el).includes('Projects for 2030'), 'never switched trackers', WAIT);
    el.tracker = TRACKER_IDS.town;
    await waitUntil(() => ids(el).length === 3, 'never switched back', WAIT);
    // Sorted by title, as set from code: "A covered market hall" first.
    expect(ids(el)).to.deep.equal(['project-12', PROJECT_IDS.fountain, 'project-9']);
    expect(heard).to.deep.equal([]);
  });
});
