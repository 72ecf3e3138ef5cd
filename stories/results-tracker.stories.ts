import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MemoryAdapter, type CivicError, type ParticipationAdapter, type ProjectSort, type TrackerDomain } from '@civic-widgets/core';
import '@civic-widgets/results-tracker/define.js';
import type { CivicResultsTracker } from '@civic-widgets/results-tracker';
import { appearanceArgTypes, failLater, freshPage, headingLevelArgType, latencyArgType } from './support.js';
import { NEWCOMER_ID, PROJECT_IDS, TRACKER_IDS, UNKNOWN_TRACKER, VISITOR_ID, trackerSeed } from './fixtures/tracker.js';

/** What goes wrong, to show each error state. */
type Failure = 'none' | 'load-server-error' | 'forbidden' | 'offline' | 'project-refused' | 'contributions-timeout';

/** Where the story starts once the tracker has loaded, as a citizen would get there. */
type Start = 'browse' | 'table' | 'project' | 'discussion' | 'contributions' | 'no-match';

interface ResultsTrackerArgs {
  tracker: string;
  sort: ProjectSort;
  'page-size': number;
  'heading-level': 2 | 3 | 4 | 5 | 6;
  'feed-url': string;
  theme: 'auto' | 'light' | 'dark';
  endpoint: string;
  adapter: 'memory' | 'none';
  visitor: 'contributor' | 'newcomer';
  latency: number;
  failure: Failure;
  start: Start;
  /** The council posts updates while the story is open, to show live announcements. */
  council: boolean;
}

/** The adapter, unchanged but for one tracker call that fails as `kind`. */
function failing(adapter: MemoryAdapter, method: keyof TrackerDomain, kind: CivicError['kind']): ParticipationAdapter {
  return {
    name: adapter.name,
    session: adapter.session,
    tracker: { ...adapter.tracker, [method]: failLater(kind) },
    comments: adapter.comments,
    subscribe: adapter.subscribe.bind(adapter),
  };
}

/** The council updates the bicycle lanes twice, 1.5 s apart, and opens a new project. */
function councilActs(adapter: MemoryAdapter): void {
  const steps = [
    () => adapter.updateProject(PROJECT_IDS.quays, { body: '<p>The lane reaches the station square.</p>', progress: 75 }),
    () => adapter.updateProject(PROJECT_IDS.quays, { title: 'Almost there', body: '<p>Only the signs are left.</p>', progress: 90 }),
    () =>
      adapter.saveProject({
        id: 'new-park',
        trackerId: TRACKER_IDS.town,
        title: 'A new park by the river',
        summary: 'A park on the old factory site, voted this evening.',
        status: 'planned',
        progress: 0,
        budgetPlanned: 650_000,
        district: 'Les Rives',
        category: 'Nature and parks',
        updatedAt: new Date().toISOString(),
      }),
  ];
  let step = 0;
  const timer = setInterval(() => {
    const next = steps[step++];
    if (!next) return clearInterval(timer);
    next();
  }, 1500);
}

/** A fresh backend for each render: stories never share projects. */
function createAdapter(args: ResultsTrackerArgs): ParticipationAdapter | undefined {
  if (args.adapter === 'none') return undefined;
  const adapter = new MemoryAdapter({
    seed: trackerSeed(),
    participant: { id: args.visitor === 'newcomer' ? NEWCOMER_ID : VISITOR_ID },
    latency: args.start === 'browse' ? args.latency : 0,
  });
  if (args.council) councilActs(adapter);
  switch (args.failure) {
    case 'load-server-error':
      adapter.failNext('server');
      return adapter;
    case 'forbidden':
      return failing(adapter, 'getTracker', 'forbidden');
    case 'offline':
      adapter.online = false;
      return adapter;
    case 'project-refused':
      return failing(adapter, 'getProject', 'server');
    case 'contributions-timeout':
      return failing(adapter, 'myContributions', 'timeout');
    case 'none':
      return adapter;
  }
}

/** Walks the tracker to where the story starts. */
async function goTo(el: CivicResultsTracker, start: Start): Promise<void> {
  // The element is defined once its chunk is in, and shows its content once its translations and data are: up to 10 s on a busy machine.
  await customElements.whenDefined(el.localName);
  for (let tries = 0; tries < 500 && !el.shadowRoot?.querySelector('.tracker'); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  const root = el.shadowRoot!;
  const click = (selector: string) => root.querySelector<HTMLElement>(selector)?.click();
  switch (start) {
    case 'table':
      return click('#as-table');
    case 'project':
    case 'discussion':
      click(`#project-${PROJECT_IDS.quays} [data-action=open]`);
      if (start === 'discussion') {
        await el.updateComplete;
        click('#discuss');
      }
      return;
    case 'contributions':
      return click('#my-contributions');
    case 'no-match': {
      const search = root.querySelector<HTMLInputElement>('#search');
      if (!search) return;
      search.value = 'zeppelin';
      search.dispatchEvent(new Event('input'));
      return;
    }
    case 'browse':
      return;
  }
}

function renderTracker(args: ResultsTrackerArgs): TemplateResult {
  return html`<civic-results-tracker
    tracker=${args.tracker}
    sort=${args.sort}
    page-size=${args['page-size']}
    heading-level=${args['heading-level']}
    feed-url=${args['feed-url'] || nothing}
    theme=${args.theme}
    endpoint=${args.endpoint || nothing}
    .adapter=${createAdapter(args)}
    ${ref((el) => el && args.start !== 'browse' && void goTo(el as CivicResultsTracker, args.start))}
  ></civic-results-tracker>`;
}

const meta = {
  title: 'Widgets/Results tracker',
  component: 'civic-results-tracker',
  render: renderTracker,
  beforeEach: () => freshPage({ clearStorage: true }),
  args: {
    tracker: TRACKER_IDS.town,
    sort: 'updated',
    'page-size': 12,
    'heading-level': 2,
    'feed-url': '',
    theme: 'auto',
    endpoint: '',
    adapter: 'memory',
    visitor: 'contributor',
    latency: 300,
    failure: 'none',
    start: 'browse',
    council: false,
  },
  argTypes: {
    tracker: {
      description: 'Id of the tracker (attribute `tracker`).',
      control: 'select',
      options: [...Object.values(TRACKER_IDS), UNKNOWN_TRACKER],
      table: { category: 'attributes' },
    },
    sort: {
      description: 'Initial order (attribute `sort`).',
      control: 'inline-radio',
      options: ['updated', 'title', 'status', 'budget', 'start'],
      table: { category: 'attributes', defaultValue: { summary: 'updated' } },
    },
    'page-size': {
      description: 'Projects per page (attribute `page-size`).',
      control: { type: 'number', min: 1, max: 50 },
      table: { category: 'attributes', defaultValue: { summary: '12' } },
    },
    'heading-level': headingLevelArgType('Level of the tracker heading (attribute `heading-level`); sections and projects take the next level.'),
    'feed-url': {
      description: 'Address of the Atom feed (attribute `feed-url`); by default the REST backend’s, none for other backends.',
      control: 'text',
      table: { category: 'attributes' },
    },
    ...appearanceArgTypes,
    adapter: {
      description: 'The `.adapter` property: the in-browser MemoryAdapter, or none (configuration error).',
      control: 'inline-radio',
      options: ['memory', 'none'],
      table: { category: 'story setup' },
    },
    visitor: {
      description: 'Who is looking: a resident with ideas, votes, reports and comments behind them, or a newcomer.',
      control: 'inline-radio',
      options: ['contributor', 'newcomer'],
      table: { category: 'story setup' },
    },
    latency: latencyArgType,
    failure: {
      description: 'What goes wrong.',
      control: {
        type: 'select',
        labels: {
          none: 'Nothing',
          'load-server-error': 'Server error while loading (once)',
          forbidden: 'Tracker forbidden to this visitor',
          offline: 'Offline from the start',
          'project-refused': 'Projects cannot be opened (server error)',
          'contributions-timeout': 'Contributions time out',
        },
      },
      options: ['none', 'load-server-error', 'forbidden', 'offline', 'project-refused', 'contributions-timeout'],
      table: { category: 'story setup' },
    },
    start: {
      description: 'Where the story starts: browsing, the overview as a table, a project, its discussion, the visitor’s contributions, or a search that matches nothing.',
      control: 'select',
      options: ['browse', 'table', 'project', 'discussion', 'contributions', 'no-match'],
      table: { category: 'story setup' },
    },
    council: {
      description: 'The council updates a project twice and opens a new one while the story is open (live announcements).',
      control: 'boolean',
      table: { category: 'story setup' },
    },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `<civic-results-tracker>` on the in-browser MemoryAdapter, with the projects of Belvoir-sur-Loire. ' +
          'Use the toolbar to switch language (en/fr) and the host site’s charter.',
      },
    },
  },
} satisfies Meta<ResultsTrackerArgs>;

export default meta;
type Story = StoryObj<ResultsTrackerArgs>;

/** The adapter has not answered yet. */
export const Loading: Story = { args: { latency: 600_000 } };

/** Projects with their status in the council's words, progress, budget, dates and origins; the overview as a chart; two pages. */
export const Projects: Story = {};

/** The overview as a table. */
export const OverviewTable: Story = { args: { start: 'table' } };

/** The largest budgets first. */
export const ByBudget: Story = { args: { sort: 'budget' } };

/** A project opened in place: its facts, where it came from, and its timeline of council updates. */
export const ProjectTimeline: Story = { args: { start: 'project' } };

/** A project's discussion, loaded when opened. */
export const ProjectDiscussion: Story = { args: { start: 'discussion' } };

/** "What became of my contributions?": every outcome, the council's answers, the projects they joined. */
export const MyContributions: Story = { args: { start: 'contributions' } };

/** Someone who has contributed nothing yet. */
export const NoContributions: Story = { args: { start: 'contributions', visitor: 'newcomer' } };

/** A search that matches nothing. */
export const NoMatch: Story = { args: { start: 'no-match' } };

/** A tracker without projects yet. */
export const Empty: Story = { args: { tracker: TRACKER_IDS.empty } };

/** The feed link and what it is for. */
export const WithFeed: Story = { args: { 'feed-url': 'https://participation.belvoir.example/api/v1/trackers/belvoir-projects/feed.atom' } };

/** The council updates projects while the visitor reads: announced politely, shown in place, new projects behind a button. */
export const LiveUpdates: Story = { args: { latency: 0, council: true } };

/** A project that cannot be opened. */
export const ProjectError: Story = { args: { failure: 'project-refused', start: 'project' } };

/** Contributions that time out, with a retry. */
export const ContributionsError: Story = { args: { failure: 'contributions-timeout', start: 'contributions' } };

export const NotFound: Story = { args: { tracker: UNKNOWN_TRACKER } };

export const Forbidden: Story = { args: { failure: 'forbidden' } };

export const ServerError: Story = { args: { failure: 'load-server-error' } };

export const Offline: Story = { args: { failure: 'offline' } };

/** No adapter anywhere: the webmaster is told what to set. */
export const Misconfigured: Story = { args: { adapter: 'none' } };
