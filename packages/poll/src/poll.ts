import { html, nothing, type LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  DraftController,
  LiveController,
  OutboxController,
  prepareCouncilHtml,
  plural,
  registerTranslations,
  renderSubmissionStatus,
  type Ballot,
  type BallotInput,
  type OutboxEntry,
  type Poll,
  type PollParticipation,
  type PollResults,
  type Session,
  heading,
  prepareFormatters,
  FocusController,
  ResourceController,
  type PollDomain,
  lazy,
} from '@civic-widgets/core';
// The polls routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/polls.js';
import { pollStyles } from './poll.styles.js';
import type { CivicPollRanking } from './poll-ranking.js';
import * as views from './views.js';
import type { BallotContext, Invalid } from './views.js';
import { bounds, boundsText, visibilityText } from './wording.js';

registerTranslations('poll', { fr: () => import('./locales/fr.js') });

/** The detail of `civic-vote`. */
export interface CivicVoteDetail {
  pollId: string;
  /** The ballot as recorded, once sent. */
  ballot?: Ballot;
  /** `waiting`: kept on the device (offline or failing) and sent automatically later. */
  status: 'sent' | 'waiting';
}

/** The detail of `civic-results-shown`. */
export interface CivicResultsShownDetail {
  pollId: string;
  results: PollResults;
}

/**
 * The sub-elements, each in its own chunk, loaded the first time a poll shows one: most polls
 * never show a ranking, and results often wait for a vote or a click.
 */
const partModules = {
  'civic-poll-ranking': lazy(() => import('./poll-ranking.js').then((module) => module.CivicPollRanking)),
  'civic-poll-results': lazy(() => import('./poll-results.js').then((module) => module.CivicPollResults)),
};
type PartTag = keyof typeof partModules;

/** Defines a sub-element once per page; a load that failed is tried again next time. */
function definePart(tag: PartTag): Promise<void> {
  return partModules[tag]().then((element) => {
    if (!customElements.get(tag)) customElements.define(tag, element);
  });
}

const BALLOT_KIND = 'poll.ballot';
/** Longest wait a timer can hold; further dates are picked up on the next load. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A poll of the council: single or multiple choice, ranking, or rating scale, with opening and
 * closing dates, results shown according to the poll's rules, and a plain statement of how one vote
 * per person is ensured. Ballots go through the outbox, so none is lost offline.
 *
 * @tagname civic-poll
 * @summary An accessible, embeddable poll for council websites.
 *
 * @fires {CustomEvent<CivicVoteDetail>} civic-vote - The citizen submitted a ballot: `{ pollId, ballot?, status: 'sent' | 'waiting' }`. A ballot first kept `waiting` fires again with `sent` once it is sent.
 * @fires {CustomEvent<CivicResultsShownDetail>} civic-results-shown - The citizen opened the results, or they appeared after voting: `{ pollId, results }`.
 * @fires {CustomEvent<CivicErrorDetail>} civic-error - An error is shown: `{ error, during: 'load' | 'submit' | 'results' }`.
 *
 * @csspart header - The title, description, dates and notice.
 * @csspart title - The poll's title (a heading at `heading-level`).
 * @csspart description - The council's description.
 * @csspart notice - Who may vote, how one vote per person is ensured, who sees what.
 * @csspart dates - Opening and closing dates.
 * @csspart form - The ballot form.
 * @csspart option - An option of the ballot, and a row of the results.
 * @csspart input - Radio buttons, checkboxes and the "other" text field.
 * @csspart other - The "other" answer field and its label.
 * @csspart button - Every button.
 * @csspart status - What became of the ballot (sending, sent, waiting, failed).
 * @csspart results - The results block.
 * @csspart bar - A results bar.
 * @csspart table - The results table alternative.
 * @csspart error - An error message.
 */
export class CivicPoll extends CivicElement {
  static override styles = [CivicElement.styles, pollStyles];

  private readonly adapterController = new AdapterController(this, 'polls', (adapter) => {
    if (adapter) this.requestUpdate();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  /** The poll, with the citizen's participation; read again when its id or backend changes. */
  private readonly resource = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.poll] as const,
    task: ([domain, id], signal) => this.read(domain!, id!, signal),
    onReset: () => this.reset(),
    onError: (error) => this.reportError(error, 'load'),
  });

  private readonly focusControl = new FocusController(this, '#outcome, form [type=submit], #title');

  private readonly outbox = new OutboxController<BallotInput>(this, {
    kind: BALLOT_KIND,
    target: () => this.poll || undefined,
    // The sender serves every poll on the page (the latest registered wins): use the entry's poll.
    send: (entry, options) =>
      this.adapterController.call((domain) => domain.castBallot(entry.target, entry.payload, options)),
  });

  private readonly otherDraft = new DraftController<string>(this, {
    key: () => (this.poll ? `poll:${this.poll}:other` : undefined),
  });

  protected readonly live = new LiveController<PollResults>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.results && this.poll ? `poll:${this.poll}:results` : undefined),
    onMessage: (message) => {
      if (message.payload.pollId === this.poll) this.results = message.payload;
    },
  });

  /** The poll's id. */
  @property({ reflect: true }) poll?: string;

  /** Level of the poll's title heading, 2–6: the page around it owns the h1. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  @state() private participation?: PollParticipation;
  @state() private session?: Session;
  /** A part of the poll (the ranking) that could not be fetched. */
  @state() private partError?: CivicError;
  @state() private results?: PollResults;
  @state() private resultsError?: CivicError;
  @state() private resultsOpen = false;
  @state() private editing = false;
  @state() private choices: string[] = [];
  @state() private otherChosen = false;
  @state() private order: string[] = [];
  @state() private ratings: Record<string, number> = {};
  @state() private invalid?: Invalid;
  /** The ballot was sent from this page just now: say thank you rather than "you voted". */
  @state() private thanked = false;

  private resultsTicket = 0;
  private boundaryTimer?: ReturnType<typeof setTimeout>;
  /** Sub-elements this poll is waiting for; `updateComplete` waits for them too. */
  private partLoads: Promise<void>[] = [];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.boundaryTimer);
  }

  private get data(): Poll | undefined {
    return this.resource.value;
  }

  /** Also waits for the sub-elements the poll shows to be loaded and rendered. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.partLoads.length > 0) {
      const loads = this.partLoads;
      this.partLoads = [];
      await Promise.all(loads);
      complete = (await super.getUpdateComplete()) && complete;
    }
    const parts = this.renderRoot.querySelectorAll<LitElement>('civic-poll-ranking, civic-poll-results');
    await Promise.all([...parts].map((part) => part.updateComplete));
    return complete;
  }

  /** Starts loading a sub-element the render needs; until it arrives, its tag stays empty. */
  private need(tag: PartTag, onError: (error: CivicError) => void): void {
    if (customElements.get(tag)) return;
    this.partLoads.push(
      definePart(tag).catch((cause: unknown) => onError(new CivicError('network', `<${tag}> could not be loaded`, { cause }))),
    );
  }

  protected override willUpdate(): void {
    this.followSubmissions();
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.participation = this.results = this.partError = this.resultsError = this.invalid = undefined;
    this.resultsOpen = this.editing = this.thanked = false;
    this.choices = [];
    this.otherChosen = false;
    this.ratings = {};
  }

  private retry(): void {
    this.partError = undefined;
    this.load();
  }

  /** Reads the poll again (its dates passed, a vote was refused): the resource's `run`. */
  private load(): void {
    void this.resource.run();
  }

  private async read(domain: PollDomain, id: string, signal: AbortSignal): Promise<Poll> {
    // What the outbox holds already (earlier on this page) is history, not news.
    this.outbox.markSeen();
    const answers = Promise.all([
      domain.get(id, { signal }),
      domain.participation(id, { signal }),
      // The session only refines the wording: the poll shows without it.
      this.adapterController.adapter?.session?.current({ signal }).catch(() => undefined),
    ]);
    prepareFormatters();
    const [data, participation, session] = await answers;
    // Its council text comes in the same render as the rest, not a moment later, pushing it down.
    if (data.description) await prepareCouncilHtml();
    signal.throwIfAborted();
    if (this.data?.id !== data.id) this.order = data.options.map((option) => option.id);
    // A ballot sent while this read was on its way is not in its answer; ballots are never taken back.
    participation.ballot ??= this.participation?.ballot;
    this.participation = participation;
    this.session = session;
    this.scheduleBoundary(data);
    if (participation.canSeeResults && (this.resultsOpen || this.ballot || !this.isOpen(data))) {
      void this.loadResults(false);
    } else if (!participation.canSeeResults) {
      this.results = undefined;
    }
    return data;
  }

  private async loadResults(byCitizen: boolean): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.poll;
    if (!domain || !id) return;
    const ticket = ++this.resultsTicket;
    this.resultsError = undefined;
    try {
      const results = await domain.results(id);
      if (ticket !== this.resultsTicket || id !== this.poll) return;
      this.results = results;
      if (byCitizen) this.emit('civic-results-shown', { pollId: id, results });
    } catch (thrown) {
      if (ticket !== this.resultsTicket) return;
      this.resultsError = CivicError.from(thrown);
      this.reportError(this.resultsError, 'results');
    }
  }

  /** Loads again when the poll opens or closes, so that the form appears or goes on time. */
  private scheduleBoundary(poll: Poll): void {
    clearTimeout(this.boundaryTimer);
    const now = Date.now();
    const next = [poll.opensAt, poll.closesAt, poll.resultsPublishedAt]
      .map((date) => (date ? Date.parse(date) - now : NaN))
      .filter((wait) => wait > 0 && wait < MAX_TIMER_MS)
      .sort((a, b) => a - b)[0];
    if (next !== undefined) this.boundaryTimer = setTimeout(() => this.load(), next + 1000);
  }


  // ------------------------------------------------------------------ state

  private get ballot(): Ballot | undefined {
    return this.participation?.ballot;
  }

  private isOpen(poll: Poll): boolean {
    const now = Date.now();
    return (!poll.opensAt || now >= Date.parse(poll.opensAt)) && (!poll.closesAt || now < Date.parse(poll.closesAt));
  }

  private get needsVerification(): boolean {
    return this.data?.requiredVerification === 'verified' && this.session?.verification !== 'verified';
  }

  /** The submission to tell the citizen about: one under way, waiting or refused. */
  private get pending(): OutboxEntry<BallotInput> | undefined {
    const latest = this.outbox.latest;
    return latest && latest.status !== 'sent' ? latest : undefined;
  }

  /** Acts once on each change of this poll's submissions: events, focus, the recorded ballot. */
  private followSubmissions(): void {
    const pollId = this.poll;
    if (!pollId) return;
    for (const { entry, before, nowWaiting } of this.outbox.changes()) {
      if (entry.status === 'sent') {
        const ballot = entry.result as Ballot;
        this.participation = { canSeeResults: this.participation?.canSeeResults ?? false, ballot };
        this.editing = false;
        this.thanked = true;
        this.invalid = undefined;
        if (this.matches(':focus-within') || before === 'sending') this.focusControl.after('#outcome');
        this.emit('civic-vote', { pollId, ballot, status: 'sent' });
        // Visibility may have changed with this ballot (after-voting).
        void this.refreshAfterVote();
      } else if (nowWaiting) {
        this.focusControl.after('#outcome');
        this.emit('civic-vote', { pollId, status: 'waiting' });
      } else if (entry.status === 'failed' && entry.lastError) {
        const error = new CivicError(entry.lastError.kind, entry.lastError.message, { fieldErrors: entry.lastError.fieldErrors });
        this.reportError(error, 'submit');
        // Already voted elsewhere, or the poll closed meanwhile: show where things stand.
        if (error.kind === 'conflict' || error.kind === 'closed') this.load();
      }
    }
  }

  private async refreshAfterVote(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.poll;
    if (!domain || !id) return;
    try {
      const participation = await domain.participation(id);
      if (id !== this.poll) return;
      this.participation = participation;
      if (participation.canSeeResults) await this.loadResults(true);
    } catch {
      // The ballot is recorded; the results will come with the next load.
    }
  }

  // ------------------------------------------------------------------ citizen actions

  private choose(id: string, checked: boolean): void {
    const single = this.data?.type === 'single';
    if (single) {
      this.choices = checked ? [id] : [];
      this.otherChosen = false;
    } else {
      this.choices = checked ? [...this.choices.filter((c) => c !== id), id] : this.choices.filter((c) => c !== id);
    }
    if (this.invalid?.field === 'choices') this.invalid = undefined;
  }

  private chooseOther(checked: boolean): void {
    if (this.data?.type === 'single') this.choices = [];
    this.otherChosen = checked;
    this.invalid = undefined;
  }

  private typeOther(event: Event): void {
    this.otherDraft.save((event.target as HTMLInputElement).value);
    if (this.invalid?.field === 'other') this.invalid = undefined;
    this.requestUpdate();
  }

  private rate(optionId: string, value: number): void {
    this.ratings = { ...this.ratings, [optionId]: value };
    if (this.invalid?.field === 'ratings' && this.missingRatings().length === 0) this.invalid = undefined;
  }

  private missingRatings(): string[] {
    return (this.data?.options ?? []).filter((option) => this.ratings[option.id] === undefined).map((o) => o.id);
  }

  /** The ballot from the form, or undefined after marking what needs fixing. */
  private ballotFromForm(poll: Poll): BallotInput | undefined {
    switch (poll.type) {
      case 'ranking':
        return { ranking: [...this.order] };
      case 'rating': {
        const missing = this.missingRatings().length;
        if (missing === 0) return { ratings: { ...this.ratings } };
        this.invalid = {
          field: 'ratings',
          message: plural(missing, {
            one: msg('Rate every item: one is missing.'),
            other: msg(str`Rate every item: ${missing} are missing.`),
          }),
        };
        return undefined;
      }
      default: {
        const count = this.choices.length + (this.otherChosen ? 1 : 0);
        const { min, max } = bounds(poll);
        if (count === 0 || count < min || count > max) {
          this.invalid = { field: 'choices', message: poll.type === 'single' ? msg('Choose an answer.') : `${boundsText(poll)}.` };
          return undefined;
        }
        const other = this.otherChosen ? (this.otherDraft.value ?? '').trim() : '';
        if (this.otherChosen && !other) {
          this.invalid = { field: 'other', message: msg('Write your answer, or untick "Other".') };
          return undefined;
        }
        return this.otherChosen ? { choices: [...this.choices], other } : { choices: [...this.choices] };
      }
    }
  }

  private submit(event: Event): void {
    event.preventDefault();
    const poll = this.data;
    // A second press while the first is on its way is ignored rather than sent twice.
    if (!poll || this.pending?.status === 'sending') return;
    const ballot = this.ballotFromForm(poll);
    if (!ballot) {
      this.focusControl.after(this.invalid?.field === 'other' ? '#other-text' : '[aria-invalid=true]');
      return;
    }
    this.invalid = undefined;
    // A refused submission is replaced by this one.
    for (const entry of this.outbox.entries) if (entry.status === 'failed') void this.outbox.discard(entry.id);
    const { entry } = this.outbox.submit(ballot);
    if (entry.status === 'waiting') {
      this.focusControl.after('#outcome');
      this.emit('civic-vote', { pollId: poll.id, status: 'waiting' });
    }
    // The outbox keeps the answer now, on the device too.
    this.otherDraft.clear();
    this.requestUpdate();
  }

  private changeVote(): void {
    const ballot = this.ballot;
    this.editing = true;
    this.thanked = false;
    this.choices = [...(ballot?.choices ?? [])];
    this.otherChosen = ballot?.other !== undefined;
    if (ballot?.other !== undefined && !this.otherDraft.value) this.otherDraft.save(ballot.other);
    if (ballot?.ranking) this.order = [...ballot.ranking];
    this.ratings = { ...(ballot?.ratings ?? {}) };
    this.focusControl.after('form input, civic-poll-ranking');
  }

  private keepVote(): void {
    this.editing = false;
    this.invalid = undefined;
    this.focusControl.after('#change');
  }

  private toggleResults(): void {
    this.resultsOpen = !this.resultsOpen;
    if (this.resultsOpen) void this.loadResults(true);
  }

  // ------------------------------------------------------------------ rendering

  private renderRanking(poll: Poll) {
    this.need('civic-poll-ranking', (error) => {
      this.partError = error;
      this.reportError(error, 'load');
    });
    return html`<fieldset aria-describedby="hint">
      <legend class="visually-hidden">${poll.title}</legend>
      <p id="hint" class="hint">${msg('Put the options in your order of preference: your first choice at the top.')}</p>
      <civic-poll-ranking
        exportparts="option, button"
        .options=${poll.options}
        .order=${this.order}
        @change=${(event: Event) => (this.order = [...(event.target as CivicPollRanking).order])}
      ></civic-poll-ranking>
    </fieldset>`;
  }

  private get ballotContext(): BallotContext {
    return {
      invalid: this.invalid,
      choices: this.choices,
      otherChosen: this.otherChosen,
      otherText: this.otherDraft.value ?? '',
      ratings: this.ratings,
      missingRatings: () => this.missingRatings(),
      onChoose: (id, checked) => this.choose(id, checked),
      onChooseOther: (checked) => this.chooseOther(checked),
      onTypeOther: (event) => this.typeOther(event),
      onRate: (id, value) => this.rate(id, value),
    };
  }

  private renderForm(poll: Poll) {
    const pending = this.pending;
    return html`<form part="form" novalidate @submit=${this.submit}>
      ${poll.type === 'ranking'
        ? this.renderRanking(poll)
        : poll.type === 'rating'
          ? views.rating(this.ballotContext, poll)
          : views.choiceOptions(this.ballotContext, poll)}
      <div class="actions">
        <button type="submit" part="button" class="primary">${this.editing ? msg('Save my new vote') : msg('Vote')}</button>
        ${this.editing ? html`<button type="button" part="button" @click=${this.keepVote}>${msg('Keep my vote')}</button>` : nothing}
      </div>
      <div part="status" role="status">
        ${pending && pending.status !== 'waiting'
          ? renderSubmissionStatus(pending, {
              onRetry: (entry) => void this.outbox.retry(entry.id),
              onDiscard: (entry) => void this.outbox.discard(entry.id),
              locale: this.localeController.locale,
            })
          : nothing}
      </div>
    </form>`;
  }

  private renderOutcome(poll: Poll | undefined, open: boolean) {
    const level = this.headingLevel + 1;
    const pending = this.pending;
    if (pending?.status === 'waiting') {
      return html`<div class="outcome" data-status="waiting">
        ${heading(level, msg('Your vote is saved on this device'), { id: 'outcome', focusable: true })}
        <div part="status" role="status">
          ${renderSubmissionStatus(pending, {
            onRetry: (entry) => void this.outbox.retry(entry.id),
            onDiscard: (entry) => void this.outbox.discard(entry.id),
            locale: this.localeController.locale,
          })}
        </div>
        ${poll ? views.choice(poll, pending.payload) : nothing}
      </div>`;
    }
    const ballot = this.ballot;
    if (!poll || !ballot) return nothing;
    const canChange = poll.allowBallotChange && open;
    return html`<div class="outcome" data-status="sent">
      ${heading(level, this.thanked ? msg('Thank you, your vote is recorded') : msg('You have voted in this poll'), {
        id: 'outcome',
        focusable: true,
      })}
      ${views.choice(poll, ballot)}
      ${canChange
        ? html`<p class="actions">
            <button id="change" type="button" part="button" @click=${this.changeVote}>${msg('Change my vote')}</button>
          </p>`
        : html`<p class="hint">
            ${open ? msg('Votes cannot be changed in this poll.') : msg('The poll is closed: votes can no longer be changed.')}
          </p>`}
    </div>`;
  }

  private renderBody(poll: Poll) {
    const now = Date.now();
    const open = this.isOpen(poll);
    if (this.pending?.status === 'waiting' || (this.ballot && !this.editing)) return this.renderOutcome(poll, open);
    if (poll.opensAt && now < Date.parse(poll.opensAt)) {
      return html`<p>${msg('This poll is not open yet. Come back when it opens to vote.')}</p>`;
    }
    if (!open) return html`<p>${msg('This poll is closed: votes are no longer accepted.')}</p>`;
    if (this.needsVerification) {
      return html`<div part="notice" class="error">
        <p>${msg('This poll is for residents whose identity the town’s site has confirmed.')}</p>
        <p>${msg('Sign in on the town’s site, then come back to this page to vote.')}</p>
      </div>`;
    }
    return this.renderForm(poll);
  }

  private renderResults(poll: Poll) {
    const level = this.headingLevel + 1;
    if (this.resultsError) {
      return this.renderError(this.resultsError, () => void this.loadResults(this.resultsOpen));
    }
    if (!this.participation?.canSeeResults) return html`<p class="hint">${visibilityText(poll)}</p>`;
    // Before voting in an open poll, results are offered, not imposed: they may sway the vote.
    const offered = this.isOpen(poll) && !this.ballot;
    const shown = (!offered || this.resultsOpen) && this.results;
    return html`${offered
        ? html`<p>
            <button type="button" part="button" aria-expanded=${this.resultsOpen ? 'true' : 'false'} @click=${this.toggleResults}>
              ${msg('Show the results')}
            </button>
          </p>`
        : nothing}
      ${shown ? this.renderResultsPart(poll, level) : nothing}`;
  }

  private renderResultsPart(poll: Poll, level: number) {
    this.need('civic-poll-results', (error) => {
      this.resultsError = error;
      this.reportError(error, 'results');
    });
    return html`<civic-poll-results
      exportparts="results, option, bar, table"
      heading-level=${level}
      .poll=${poll}
      .results=${this.results}
    ></civic-poll-results>`;
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    const error = this.partError ?? this.resource.error;
    if (error) {
      // A ballot kept on the device is still shown when the poll cannot be loaded (e.g. offline).
      return html`${this.renderError(error, error.transient ? () => this.retry() : undefined)}
      ${this.pending?.status === 'waiting' ? this.renderOutcome(undefined, false) : nothing}`;
    }
    const poll = this.data;
    if (!poll) {
      return html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the poll…')}</p>`;
    }
    return html`<article class="poll" aria-labelledby="title">
      ${views.header({ headingLevel: this.headingLevel, session: this.session }, poll)} ${this.renderBody(poll)} ${this.renderResults(poll)}
    </article>`;
  }
}
