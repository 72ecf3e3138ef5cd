import { html, nothing, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MemoryAdapter, type CivicError, type CommentDomain, type CommentSort, type ParticipationAdapter } from '@civic-widgets/core';
import '@civic-widgets/comment-thread/define.js';
import { appearanceArgTypes, failLater, freshPage, headingLevelArgType, latencyArgType, neighboursAct, visitorArgTypes } from './support.js';
import { THREAD_IDS, UNKNOWN_THREAD, VISITOR_ID, commentSeed } from './fixtures/comments.js';

/** What goes wrong, to show each error and submission state. */
type Failure = 'none' | 'load-server-error' | 'forbidden' | 'offline' | 'post-offline' | 'post-rate-limited';

interface ThreadArgs {
  thread: string;
  sort: CommentSort;
  'page-size': number;
  'heading-level': 2 | 3 | 4 | 5 | 6;
  theme: 'auto' | 'light' | 'dark';
  endpoint: string;
  adapter: 'memory' | 'none';
  participant: 'anonymous' | 'verified';
  latency: number;
  failure: Failure;
  /** Neighbours post while the story is open, to show the "new comments" announcement. */
  neighbours: boolean;
}

/** The adapter, unchanged but for one kind of call that fails as `kind`. */
function failing(adapter: MemoryAdapter, method: 'getThread' | 'post', kind: CivicError['kind']): ParticipationAdapter {
  const comments: CommentDomain = {
    ...adapter.comments,
    [method]: failLater(kind, { retryAfter: 30 }),
  };
  return { name: adapter.name, session: adapter.session, comments, subscribe: adapter.subscribe.bind(adapter) };
}

/** A fresh backend for each render: stories never share comments. */
function createAdapter(args: ThreadArgs): ParticipationAdapter | undefined {
  if (args.adapter === 'none') return undefined;
  const adapter = new MemoryAdapter({
    seed: commentSeed(),
    participant: { id: VISITOR_ID, verification: args.participant },
    latency: args.latency,
  });
  if (args.neighbours) {
    neighboursAct(adapter, { id: VISITOR_ID, verification: args.participant }, 3, (n) =>
      adapter.comments.post(args.thread, { body: `A neighbour’s comment number ${n}.`, stance: 'neutral' }, { idempotencyKey: `neighbour-${n}-${Date.now()}` }),
    );
  }
  switch (args.failure) {
    case 'load-server-error':
      adapter.failNext('server');
      return adapter;
    case 'forbidden':
      return failing(adapter, 'getThread', 'forbidden');
    case 'offline':
      adapter.online = false;
      return adapter;
    case 'post-offline':
      return failing(adapter, 'post', 'offline');
    case 'post-rate-limited':
      return failing(adapter, 'post', 'rate-limited');
    case 'none':
      return adapter;
  }
}

function renderThread(args: ThreadArgs): TemplateResult {
  return html`<civic-comment-thread
    thread=${args.thread}
    sort=${args.sort}
    page-size=${args['page-size']}
    heading-level=${args['heading-level']}
    theme=${args.theme}
    endpoint=${args.endpoint || nothing}
    .adapter=${createAdapter(args)}
  ></civic-comment-thread>`;
}

const meta = {
  title: 'Widgets/Comment thread',
  component: 'civic-comment-thread',
  render: renderThread,
  beforeEach: () => freshPage({ clearStorage: true }),
  args: {
    thread: THREAD_IDS.market,
    sort: 'oldest',
    'page-size': 20,
    'heading-level': 2,
    theme: 'auto',
    endpoint: '',
    adapter: 'memory',
    participant: 'anonymous',
    latency: 300,
    failure: 'none',
    neighbours: false,
  },
  argTypes: {
    thread: {
      description: 'Id of the thread (attribute `thread`), e.g. `idea:42`.',
      control: 'select',
      options: [...Object.values(THREAD_IDS), UNKNOWN_THREAD],
      table: { category: 'attributes' },
    },
    sort: {
      description: 'Initial order (attribute `sort`).',
      control: 'inline-radio',
      options: ['oldest', 'newest', 'most-supported'],
      table: { category: 'attributes', defaultValue: { summary: 'oldest' } },
    },
    'page-size': {
      description: 'Comments per page (attribute `page-size`).',
      control: { type: 'number', min: 1, max: 100 },
      table: { category: 'attributes', defaultValue: { summary: '20' } },
    },
    'heading-level': headingLevelArgType('Level of the thread heading (attribute `heading-level`); the page owns the h1.'),
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
          forbidden: 'Thread forbidden to this visitor',
          offline: 'Offline from the start',
          'post-offline': 'Connection lost when posting (waiting)',
          'post-rate-limited': 'Posting too fast (rate limited)',
        },
      },
      options: ['none', 'load-server-error', 'forbidden', 'offline', 'post-offline', 'post-rate-limited'],
      table: { category: 'story setup' },
    },
    neighbours: {
      description: 'Neighbours post three comments while the story is open (live announcement).',
      control: 'boolean',
      table: { category: 'story setup' },
    },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `<civic-comment-thread>` on the in-browser MemoryAdapter, with the discussions of Belvoir-sur-Loire. ' +
          'Use the toolbar to switch language (en/fr) and the host site’s charter.',
      },
    },
  },
} satisfies Meta<ThreadArgs>;

export default meta;
type Story = StoryObj<ThreadArgs>;

/** The adapter has not answered yet. */
export const Loading: Story = { args: { latency: 600_000 } };

/** A discussion that asks for a stance, two pages long, with replies and moderation placeholders. */
export const OpenWithStances: Story = {};

/** Most supported first. */
export const MostSupported: Story = { args: { sort: 'most-supported' } };

/** Pre-moderation: the visitor sees their own comment awaiting moderation. */
export const PreModeration: Story = { args: { thread: THREAD_IDS.library } };

/** No comments yet. */
export const Empty: Story = { args: { thread: THREAD_IDS.empty } };

/** Closed: read-only, with a notice. */
export const Closed: Story = { args: { thread: THREAD_IDS.closed } };

/** For verified residents; the visitor is anonymous. */
export const VerificationRequired: Story = { args: { thread: THREAD_IDS.verified } };

/** New comments arrive while reading: announced, never pushed under the reader. */
export const LiveArrivals: Story = { args: { thread: THREAD_IDS.empty, latency: 0, neighbours: true } };

/** Posting while the connection is lost: the comment is kept on the device. */
export const PostOffline: Story = { args: { thread: THREAD_IDS.library, failure: 'post-offline' } };

/** Posting too fast. */
export const RateLimited: Story = { args: { thread: THREAD_IDS.library, failure: 'post-rate-limited' } };

export const NotFound: Story = { args: { thread: UNKNOWN_THREAD } };

export const Forbidden: Story = { args: { failure: 'forbidden' } };

export const ServerError: Story = { args: { failure: 'load-server-error' } };

export const Offline: Story = { args: { failure: 'offline' } };

/** No adapter anywhere: the webmaster is told what to set. */
export const Misconfigured: Story = { args: { adapter: 'none' } };
