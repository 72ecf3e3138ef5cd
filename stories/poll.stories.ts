import { html, nothing, type TemplateResult } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import {
  CivicError,
  MemoryAdapter,
  type Ballot,
  type CivicErrorKind,
  type ParticipationAdapter,
  type PollDomain,
} from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import { BELVOIR_POLLS, UNKNOWN_POLL, VISITOR_ID, belvoirSeed } from './fixtures/belvoir.js';
import { appearanceArgTypes, freshPage, headingLevelArgType, latencyArgType, visitorArgTypes } from './support.js';
import { CHARTERS, CHARTER_IDS, townMasthead } from './charters.js';

/** What goes wrong, to show each error and submission state. */
type Failure =
  | 'none'
  | 'load-server-error'
  | 'offline'
  | 'submit-slow'
  | 'submit-offline'
  | 'submit-refused';

interface PollArgs {
  poll: string;
  'heading-level': 2 | 3 | 4 | 5 | 6;
  theme: 'auto' | 'light' | 'dark';
  endpoint: string;
  adapter: 'memory' | 'none';
  participant: 'anonymous' | 'verified';
  voted: boolean;
  latency: number;
  failure: Failure;
}

/** A ballot of the visitor's for any poll of the seed, for the "already voted" states. */
function visitorBallot(pollId: string): Omit<Ballot, 'id' | 'castAt'> | undefined {
  const poll = belvoirSeed().polls?.find((candidate) => candidate.id === pollId);
  if (!poll) return undefined;
  const ids = poll.options.map((option) => option.id);
  switch (poll.type) {
    case 'single':
      return { pollId, choices: [ids[0]!] };
    case 'multiple':
      return { pollId, choices: ids.slice(0, 2) };
    case 'ranking':
      return { pollId, ranking: [ids[1]!, ids[0]!, ...ids.slice(2)] };
    case 'rating':
      return { pollId, ratings: Object.fromEntries(ids.map((id, index) => [id, 5 - (index % 3)])) };
  }
}

/** The adapter, unchanged but for ballots: they hang, or fail as `kind`. */
function withFailingBallots(adapter: MemoryAdapter, outcome: 'hang' | CivicErrorKind): ParticipationAdapter {
  const polls: PollDomain = {
    ...adapter.polls,
    castBallot: (_pollId, _ballot, options) =>
      new Promise((_resolve, reject) => {
        if (outcome !== 'hang') {
          setTimeout(() => reject(new CivicError(outcome, `Simulated ${outcome} failure`)), 400);
        }
        options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true });
      }),
  };
  return { name: adapter.name, session: adapter.session, polls, subscribe: adapter.subscribe.bind(adapter) };
}

/** A fresh backend for each render: stories never share votes. */
function createAdapter(args: PollArgs): ParticipationAdapter | undefined {
  if (args.adapter === 'none') return undefined;
  const ballot = args.voted ? visitorBallot(args.poll) : undefined;
  const adapter = new MemoryAdapter({
    seed: belvoirSeed({ visitorBallots: ballot ? [ballot] : [] }),
    participant: { id: VISITOR_ID, verification: args.participant },
    latency: args.latency,
  });
  switch (args.failure) {
    case 'load-server-error':
      adapter.failNext('server');
      return adapter;
    case 'offline':
      adapter.online = false;
      return adapter;
    case 'submit-slow':
      return withFailingBallots(adapter, 'hang');
    case 'submit-offline':
      return withFailingBallots(adapter, 'offline');
    case 'submit-refused':
      return withFailingBallots(adapter, 'unauthorised');
    case 'none':
      return adapter;
  }
}

function renderPoll(args: PollArgs): TemplateResult {
  return html`<civic-poll
    poll=${args.poll}
    heading-level=${args['heading-level']}
    theme=${args.theme}
    endpoint=${args.endpoint || nothing}
    .adapter=${createAdapter(args)}
  ></civic-poll>`;
}

/** The poll's shadow root, once its form is there. */
async function pollForm(canvas: HTMLElement): Promise<HTMLFormElement> {
  const poll = canvas.querySelector('civic-poll');
  let form: HTMLFormElement | null | undefined;
  await waitFor(
    () => {
      form = poll?.shadowRoot?.querySelector('form');
      if (!form) throw new Error('The poll has not shown its form yet');
    },
    { timeout: 5000 },
  );
  return form!;
}

/** Chooses the first answer and votes, as a citizen would with the pointer. */
async function voteForFirstAnswer(canvas: HTMLElement): Promise<void> {
  const form = await pollForm(canvas);
  await userEvent.click(form.querySelector<HTMLInputElement>('input[type=radio], input[type=checkbox]')!);
  await userEvent.click(form.querySelector<HTMLButtonElement>('button[type=submit]')!);
}

async function expectStatus(canvas: HTMLElement, status: 'sending' | 'waiting' | 'failed'): Promise<void> {
  const root = canvas.querySelector('civic-poll')!.shadowRoot!;
  await waitFor(() => expect(root.querySelector(`[data-status="${status}"]`)).not.toBeNull(), { timeout: 5000 });
}

const meta = {
  title: 'Widgets/Poll',
  component: 'civic-poll',
  render: renderPoll,
  beforeEach: () => freshPage(),
  args: {
    poll: BELVOIR_POLLS.bikes,
    'heading-level': 2,
    theme: 'auto',
    endpoint: '',
    adapter: 'memory',
    participant: 'anonymous',
    voted: false,
    latency: 300,
    failure: 'none',
  },
  argTypes: {
    poll: {
      description: 'Id of the poll to show (attribute `poll`).',
      control: 'select',
      options: [...Object.values(BELVOIR_POLLS), UNKNOWN_POLL],
      table: { category: 'attributes' },
    },
    'heading-level': headingLevelArgType('Level of the poll title heading (attribute `heading-level`); the page owns the h1.'),
    ...appearanceArgTypes,
    ...visitorArgTypes,
    voted: {
      description: 'The visitor has already voted in this poll.',
      control: { type: 'inline-radio', labels: { false: 'not yet', true: 'already voted' } },
      options: [false, true],
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
          offline: 'Offline from the start',
          'submit-slow': 'Ballot never answered (sending)',
          'submit-offline': 'Connection lost when voting (waiting)',
          'submit-refused': 'Ballot refused: session expired (failed)',
        },
      },
      options: ['none', 'load-server-error', 'offline', 'submit-slow', 'submit-offline', 'submit-refused'],
      table: { category: 'story setup' },
    },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `<civic-poll>` on the in-browser MemoryAdapter, with the polls of Belvoir-sur-Loire. ' +
          'Use the toolbar to switch language (en/fr) and the host site’s charter.',
      },
    },
  },
} satisfies Meta<PollArgs>;

export default meta;
type Story = StoryObj<PollArgs>;

// ---------------------------------------------------------------- before voting

/** The adapter has not answered yet. */
export const Loading: Story = {
  args: { latency: 24 * 60 * 60 * 1000 },
};

/** Dates are shown relative ("opens in 4 days") and in full. */
export const NotOpenYet: Story = {
  name: 'Not open yet',
  args: { poll: BELVOIR_POLLS.upcoming },
};

/** Single choice, with an "Other" answer and a council description with a link. */
export const OpenSingleChoice: Story = {
  name: 'Open: single choice',
  args: { poll: BELVOIR_POLLS.bikes },
};

/** Multiple choice between 1 and 3 options plus "Other"; results can be seen before voting. */
export const OpenMultipleChoice: Story = {
  name: 'Open: multiple choice (1 to 3, other)',
  args: { poll: BELVOIR_POLLS.districts },
};

/** Ranking: reorder with the buttons, by keyboard or pointer. */
export const OpenRanking: Story = {
  name: 'Open: ranking',
  args: { poll: BELVOIR_POLLS.budget },
};

/** A Likert scale for each park. */
export const OpenRating: Story = {
  name: 'Open: rating (Likert scale)',
  args: { poll: BELVOIR_POLLS.parks },
};

/** A verified resident on a residents-only poll. */
export const OpenForVerifiedResidents: Story = {
  name: 'Open: verified residents only',
  args: { poll: BELVOIR_POLLS.residents, participant: 'verified' },
};

// ---------------------------------------------------------------- voting

/** The ballot is on its way and the backend has not answered. */
export const Submitting: Story = {
  args: { poll: BELVOIR_POLLS.bikes, failure: 'submit-slow' },
  play: async ({ canvasElement }) => {
    await voteForFirstAnswer(canvasElement);
    await expectStatus(canvasElement, 'sending');
  },
};

/** Voted; the poll allows changing the ballot while it is open. Results are shown after voting. */
export const VotedChangeAllowed: Story = {
  name: 'Voted: change allowed',
  args: { poll: BELVOIR_POLLS.bikes, voted: true },
};

/** Voted in a poll whose ballots are final; results come when it closes. */
export const VotedFinal: Story = {
  name: 'Voted: final',
  args: { poll: BELVOIR_POLLS.budget, voted: true },
};

/** The connection dropped: the ballot waits on the device and is sent when it comes back. */
export const QueuedOffline: Story = {
  name: 'Queued offline',
  args: { poll: BELVOIR_POLLS.bikes, failure: 'submit-offline' },
  play: async ({ canvasElement }) => {
    await voteForFirstAnswer(canvasElement);
    await expectStatus(canvasElement, 'waiting');
  },
};

/** The backend refused the ballot: the citizen may try again or discard it. */
export const FailedSubmission: Story = {
  name: 'Failed submission',
  args: { poll: BELVOIR_POLLS.bikes, failure: 'submit-refused' },
  play: async ({ canvasElement }) => {
    await voteForFirstAnswer(canvasElement);
    await expectStatus(canvasElement, 'failed');
  },
};

// ---------------------------------------------------------------- after closing

/** Closed; its results are visible once closed. */
export const Closed: Story = {
  args: { poll: BELVOIR_POLLS.closed },
};

/** Closed, and the council has published the results. */
export const ResultsPublished: Story = {
  name: 'Results published',
  args: { poll: BELVOIR_POLLS.published },
};

/** Closed, results not published yet. */
export const ResultsHidden: Story = {
  name: 'Results hidden',
  args: { poll: BELVOIR_POLLS.pending },
};

// ---------------------------------------------------------------- errors

export const NotFound: Story = {
  name: 'Not found',
  args: { poll: UNKNOWN_POLL },
};

/** A residents-only poll seen by an anonymous visitor. */
export const Forbidden: Story = {
  args: { poll: BELVOIR_POLLS.residents, participant: 'anonymous' },
};

/** No adapter, no endpoint, no page configuration: a message for the webmaster. */
export const Misconfigured: Story = {
  args: { adapter: 'none' },
};

/** The server failed once; "Try again" loads the poll. */
export const ServerError: Story = {
  name: 'Server error',
  args: { failure: 'load-server-error' },
};

/** The device is offline from the start. */
export const Offline: Story = {
  args: { failure: 'offline' },
};

// ---------------------------------------------------------------- looks

/** The dark fallbacks, on a dark page (the charter tokens are not applied). */
export const DarkTheme: Story = {
  name: 'Dark theme',
  args: { poll: BELVOIR_POLLS.districts, theme: 'dark' },
};

/** The same poll in the three towns' charters, each read by `theme="auto"`. */
export const TownCharters: Story = {
  name: 'Town charters',
  args: { poll: BELVOIR_POLLS.districts, theme: 'auto' },
  parameters: { townPage: false, controls: { include: ['poll', 'heading-level', 'theme', 'voted', 'participant'] } },
  render: (args, context) => {
    const towns = html`<div class="town-gallery__towns">
      ${CHARTER_IDS.map(
        (id) => html`<section class=${`town town--${id}`} aria-label=${CHARTERS[id].town}>
          ${townMasthead(CHARTERS[id])}
          <div class="town__main">${renderPoll(args)}</div>
        </section>`,
      )}
    </div>`;
    // On a docs page, the page itself has the <main> and the h1.
    if (context.viewMode === 'docs') return html`<div class="town-gallery">${towns}</div>`;
    const title = context.globals.locale === 'fr' ? 'Le même sondage, trois chartes' : 'One poll, three town charters';
    return html`<main class="town-gallery"><h1>${title}</h1>${towns}</main>`;
  },
};
