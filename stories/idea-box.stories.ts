import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MemoryAdapter, type CivicError, type IdeaDomain, type IdeaSort, type ParticipationAdapter } from '@civic-widgets/core';
import '@civic-widgets/idea-box/define.js';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { appearanceArgTypes, failLater, freshPage, headingLevelArgType, latencyArgType, neighboursAct, visitorArgTypes } from './support.js';
import { BOX_IDS, UNKNOWN_BOX, VISITOR_ID, ideaSeed } from './fixtures/ideas.js';

/** What goes wrong, to show each error and submission state. */
type Failure = 'none' | 'load-server-error' | 'forbidden' | 'offline' | 'propose-offline' | 'support-refused';

/** Where the story starts once the box has loaded. */
type Start = 'browse' | 'detail' | 'propose' | 'limit-reached';

interface IdeaBoxArgs {
  box: string;
  layout: 'cards' | 'list';
  sort: IdeaSort;
  'page-size': number;
  'heading-level': 2 | 3 | 4 | 5 | 6;
  'project-url': string;
  theme: 'auto' | 'light' | 'dark';
  endpoint: string;
  adapter: 'memory' | 'none';
  participant: 'anonymous' | 'verified';
  latency: number;
  failure: Failure;
  start: Start;
  /** Neighbours propose ideas while the story is open, to show the "new ideas" announcement. */
  neighbours: boolean;
}

/** The adapter, unchanged but for one kind of call that fails as `kind`. */
function failing(adapter: MemoryAdapter, method: keyof IdeaDomain, kind: CivicError['kind']): ParticipationAdapter {
  const ideas: IdeaDomain = {
    ...adapter.ideas,
    [method]: failLater(kind),
  };
  return { name: adapter.name, session: adapter.session, ideas, comments: adapter.comments, subscribe: adapter.subscribe.bind(adapter) };
}

/** A fresh backend for each render: stories never share ideas. */
function createAdapter(args: IdeaBoxArgs): ParticipationAdapter | undefined {
  if (args.adapter === 'none') return undefined;
  const adapter = new MemoryAdapter({
    seed: ideaSeed(),
    participant: { id: VISITOR_ID, verification: args.participant },
    latency: args.start === 'browse' ? args.latency : 0,
  });
  if (args.start === 'limit-reached') {
    // t3 is supported already: two more use the three supports of the town's box.
    for (const id of ['t4', 't5']) void adapter.ideas.support(id, { idempotencyKey: `story-${id}` });
  }
  if (args.neighbours) {
    neighboursAct(adapter, { id: VISITOR_ID, verification: args.participant }, 2, (n) =>
      adapter.ideas.propose(
        args.box,
        { title: `A neighbour’s idea number ${n}`, body: 'An idea proposed while the story is open.', categoryId: 'nature' },
        { idempotencyKey: `neighbour-${n}-${Date.now()}` },
      ),
    );
  }
  switch (args.failure) {
    case 'load-server-error':
      adapter.failNext('server');
      return adapter;
    case 'forbidden':
      return failing(adapter, 'getBox', 'forbidden');
    case 'offline':
      adapter.online = false;
      return adapter;
    case 'propose-offline':
      return failing(adapter, 'propose', 'offline');
    case 'support-refused':
      return failing(adapter, 'support', 'server');
    case 'none':
      return adapter;
  }
}

/** Walks the box to where the story starts, as a citizen would. */
async function goTo(el: CivicIdeaBox, start: Start): Promise<void> {
  if (start === 'limit-reached') return;
  // The element is defined once its chunk is in, and shows its content once its translations and data are: up to 10 s on a busy machine.
  await customElements.whenDefined(el.localName);
  for (let tries = 0; tries < 500 && !el.shadowRoot?.querySelector('.box'); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  const root = el.shadowRoot!;
  if (start === 'detail') {
    root.querySelector<HTMLButtonElement>('#idea-t1 [data-action=open]')?.click();
    return;
  }
  root.querySelector<HTMLButtonElement>('#propose')?.click();
  await el.updateComplete;
  const title = root.querySelector<HTMLInputElement>('#idea-title');
  const body = root.querySelector<HTMLTextAreaElement>('#idea-body');
  if (!title || !body) return;
  title.value = 'Trees';
  title.dispatchEvent(new Event('input'));
  body.value = 'Plant **trees** along the market square.';
  body.dispatchEvent(new Event('input'));
}

function renderBox(args: IdeaBoxArgs): TemplateResult {
  return html`<civic-idea-box
    box=${args.box}
    layout=${args.layout}
    sort=${args.sort}
    page-size=${args['page-size']}
    heading-level=${args['heading-level']}
    project-url=${args['project-url'] || nothing}
    theme=${args.theme}
    endpoint=${args.endpoint || nothing}
    .adapter=${createAdapter(args)}
    ${ref((el) => el && args.start !== 'browse' && void goTo(el as CivicIdeaBox, args.start))}
  ></civic-idea-box>`;
}

const meta = {
  title: 'Widgets/Idea box',
  component: 'civic-idea-box',
  render: renderBox,
  beforeEach: () => freshPage({ clearStorage: true }),
  args: {
    box: BOX_IDS.town,
    layout: 'cards',
    sort: 'newest',
    'page-size': 12,
    'heading-level': 2,
    'project-url': '/projects/{id}',
    theme: 'auto',
    endpoint: '',
    adapter: 'memory',
    participant: 'anonymous',
    latency: 300,
    failure: 'none',
    start: 'browse',
    neighbours: false,
  },
  argTypes: {
    box: {
      description: 'Id of the idea box (attribute `box`).',
      control: 'select',
      options: [...Object.values(BOX_IDS), UNKNOWN_BOX],
      table: { category: 'attributes' },
    },
    layout: {
      description: 'Cards or a compact list (attribute `layout`).',
      control: 'inline-radio',
      options: ['cards', 'list'],
      table: { category: 'attributes', defaultValue: { summary: 'cards' } },
    },
    sort: {
      description: 'Initial order (attribute `sort`); `random` keeps one order for the page’s life.',
      control: 'inline-radio',
      options: ['newest', 'most-supported', 'most-discussed', 'random'],
      table: { category: 'attributes', defaultValue: { summary: 'newest' } },
    },
    'page-size': {
      description: 'Ideas per page (attribute `page-size`).',
      control: { type: 'number', min: 1, max: 50 },
      table: { category: 'attributes', defaultValue: { summary: '12' } },
    },
    'heading-level': headingLevelArgType('Level of the box heading (attribute `heading-level`); ideas take the next level.'),
    'project-url': {
      description: 'Address of a tracked project, `{id}` standing for its id (attribute `project-url`).',
      control: 'text',
      table: { category: 'attributes' },
    },
    ...appearanceArgTypes,
    ...visitorArgTypes,
    latency: latencyArgType,
    failure: {
      description: 'What goes wrong.',
      control: {
        type: 'select',
        labels: {
          none: 'Nothing',
          'load-server-error': 'Server error while loading (once)',
          forbidden: 'Box forbidden to this visitor',
          offline: 'Offline from the start',
          'propose-offline': 'Connection lost when proposing (waiting)',
          'support-refused': 'Supports refused (rolled back)',
        },
      },
      options: ['none', 'load-server-error', 'forbidden', 'offline', 'propose-offline', 'support-refused'],
      table: { category: 'story setup' },
    },
    start: {
      description: 'Where the story starts: browsing, an idea opened, the proposal form with similar ideas, or the support limit used.',
      control: 'inline-radio',
      options: ['browse', 'detail', 'propose', 'limit-reached'],
      table: { category: 'story setup' },
    },
    neighbours: {
      description: 'Neighbours propose two ideas while the story is open (live announcement).',
      control: 'boolean',
      table: { category: 'story setup' },
    },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `<civic-idea-box>` on the in-browser MemoryAdapter, with the idea boxes of Belvoir-sur-Loire. ' +
          'Use the toolbar to switch language (en/fr) and the host site’s charter.',
      },
    },
  },
} satisfies Meta<IdeaBoxArgs>;

export default meta;
type Story = StoryObj<IdeaBoxArgs>;

/** The adapter has not answered yet. */
export const Loading: Story = { args: { latency: 600_000 } };

/** Cards with categories, statuses, supports and the support limit; two pages. */
export const Cards: Story = {};

/** The compact list. */
export const CompactList: Story = { args: { layout: 'list' } };

/** Most supported first. */
export const MostSupported: Story = { args: { sort: 'most-supported' } };

/** An idea opened in place: the council's answer, the location, the project it became, the discussion button. */
export const IdeaDetail: Story = { args: { start: 'detail' } };

/** The proposal form, with similar ideas offered before sending. */
export const Proposing: Story = { args: { start: 'propose' } };

/** Every support of the box is used. */
export const LimitReached: Story = { args: { start: 'limit-reached' } };

/** Pre-moderation: the visitor sees their own idea awaiting moderation. */
export const PreModeration: Story = { args: { box: BOX_IDS.moderated } };

/** No ideas yet. */
export const Empty: Story = { args: { box: BOX_IDS.empty } };

/** Closed: read-only, with a notice. */
export const Closed: Story = { args: { box: BOX_IDS.closed } };

/** For verified residents; the visitor is anonymous. */
export const VerificationRequired: Story = { args: { box: BOX_IDS.verified } };

/** New ideas arrive while reading: announced, never pushed under the reader. */
export const LiveArrivals: Story = { args: { box: BOX_IDS.empty, latency: 0, neighbours: true } };

/** Proposing while the connection is lost: the idea is kept on the device. */
export const ProposeOffline: Story = { args: { box: BOX_IDS.moderated, failure: 'propose-offline' } };

/** Supports refused by the server: rolled back with a message. */
export const SupportRefused: Story = { args: { failure: 'support-refused' } };

export const NotFound: Story = { args: { box: UNKNOWN_BOX } };

export const Forbidden: Story = { args: { failure: 'forbidden' } };

export const ServerError: Story = { args: { failure: 'load-server-error' } };

export const Offline: Story = { args: { failure: 'offline' } };

/** No adapter anywhere: the webmaster is told what to set. */
export const Misconfigured: Story = { args: { adapter: 'none' } };
