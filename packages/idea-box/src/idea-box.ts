import { html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  DraftController,
  FocusController,
  IDEA_PAGE_SIZE,
  IDEA_TITLE_MIN_LENGTH,
  LiveController,
  OutboxController,
  PagedList,
  ResourceController,
  defineReportForm,
  describeError,
  formHelpStyles,
  lazy,
  prepareCouncilHtml,
  prepareFormatters,
  registerTranslations,
  renderSubmissionStatus,
  skipPast,
  skipPastEnd,
  skipPastStyles,
  type CivicReportForm,
  type Idea,
  type IdeaBox,
  type IdeaInput,
  type IdeaLiveEvent,
  type IdeaQuery,
  type IdeaSort,
  type IdeaStatus,
  type OutboxEntry,
  type ReportInput,
  type Session,
} from '@civic-widgets/core';
// The ideas routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/ideas.js';
import { ideaBoxStyles } from './idea-box.styles.js';
import { FIELDS, limitUsedText, resultsText, supportedText, type Field } from './wording.js';
import { ideaAnchor, type Note } from './views/idea.js';
import { header, list, notices, toolbar, type ListContext } from './views/list.js';
import { proposals, write, type WriteContext } from './views/proposals.js';
import { detail, type DetailContext } from './views/detail.js';
import type { FieldErrors, IdeaDraft, ProposalContext } from './views/proposal-form.js';

registerTranslations('idea-box', { fr: () => import('./locales/fr.js') });

// The events' details are declared with the events' map; they stay importable from here.
export type { CivicIdeaProposedDetail, CivicIdeaReportDetail, CivicIdeaSupportDetail } from './events.js';

/** Writes on existing ideas, kept by the outbox like new ideas. */
export type IdeaAction = { op: 'support'; id: string; support: boolean } | { op: 'report'; id: string; report: ReportInput };

export type IdeaLayout = 'cards' | 'list';

const PROPOSE_KIND = 'idea.propose';
const ACTION_KIND = 'idea.action';
const SEARCH_DELAY = 300;
const SIMILAR_DELAY = 500;
/** One random order for the page's life: "Show more" and re-sorting never reshuffle what was read. */
const PAGE_SEED = Math.random().toString(36).slice(2, 10);

/** The discussion element is a package of its own, fetched when a citizen opens a discussion. */
const defineCommentThread = lazy(() => import('@civic-widgets/comment-thread/define.js'));

type FormView = typeof import('./views/proposal-form.js');
/**
 * The proposal form: a chunk of its own, kept out of the first paint. It is fetched once the box
 * is shown and the browser is idle, so that a citizen who read the box before going offline can
 * still write an idea; or at once when they open the form first.
 */
const loadForm = lazy(() => import('./views/proposal-form.js'));

const whenIdle = (work: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 5000 });
  else setTimeout(work, 1000);
};

/**
 * An idea box: citizens browse ideas (cards or a compact list, sorted, filtered, searched, paged),
 * propose their own (with a draft kept on the device, similar ideas shown before sending, and the
 * outbox so that nothing is lost offline), support ideas within the box's limit, report them, read
 * the council's answer, and discuss an idea in a comment thread loaded when they open it.
 *
 * @tagname civic-idea-box
 * @summary An accessible, embeddable idea box for council websites.
 *
 * @fires {CustomEvent<CivicIdeaProposedDetail>} civic-idea-proposed - The citizen proposed an idea: `{ boxId, idea?, status: 'sent' | 'waiting' }`. An idea first kept `waiting` fires again with `sent` once it is sent.
 * @fires {CustomEvent<CivicIdeaSupportDetail>} civic-idea-support - The citizen supported an idea or withdrew support: `{ ideaId, supported }`.
 * @fires {CustomEvent<CivicIdeaReportDetail>} civic-idea-report - The citizen reported an idea: `{ ideaId, reason }`.
 * @fires {CustomEvent<CivicErrorDetail>} civic-error - An error is shown: `{ error, during: 'load' | 'submit' | 'support' | 'report' }`.
 *
 * @csspart header - The box's title, description and count.
 * @csspart title - The box's heading (at `heading-level`).
 * @csspart count - The number of ideas.
 * @csspart toolbar - Search, sort and filters.
 * @csspart search - The search field.
 * @csspart input - Every field and select.
 * @csspart list - The list of ideas.
 * @csspart idea - One idea (card or row).
 * @csspart idea-title - An idea's heading.
 * @csspart category - An idea's category.
 * @csspart badge - An idea's status.
 * @csspart meta - Counts, author and date of an idea.
 * @csspart body - The text of an idea.
 * @csspart answer - The council's official answer.
 * @csspart detail - An idea opened in place.
 * @csspart button - Every button.
 * @csspart support - The support toggle of an idea.
 * @csspart form - The proposal and report forms.
 * @csspart preview - The preview of an idea being written.
 * @csspart similar - Similar ideas shown while proposing.
 * @csspart skip-past - The "skip past" link at the start of the widget.
 * @csspart error-summary - The list of fields to fix.
 * @csspart notice - Closed box, support limit, awaiting moderation notices.
 * @csspart new-ideas - The "new ideas — show" button.
 * @csspart status - What became of a submission.
 * @csspart error - An error message.
 */
export class CivicIdeaBox extends CivicElement {
  static override styles = [CivicElement.styles, ideaBoxStyles, formHelpStyles, skipPastStyles];

  private readonly adapterController = new AdapterController(this, 'ideas', (adapter) => {
    // Reading starts with the adapter's domain (see `boxRead`); only a missing adapter is told here.
    if (!adapter && this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  private readonly proposals = new OutboxController<IdeaInput>(this, {
    kind: PROPOSE_KIND,
    target: () => this.box || undefined,
    // The sender serves every box on the page (the latest registered wins): use the entry's box.
    send: (entry, options) => this.adapterController.call((domain) => domain.propose(entry.target, entry.payload, options)),
  });

  private readonly actions = new OutboxController<IdeaAction>(this, {
    kind: ACTION_KIND,
    target: () => this.box || undefined,
    send: (entry, options) =>
      this.adapterController.call((domain): Promise<unknown> => {
        const action = entry.payload;
        if (action.op === 'report') return domain.report(action.id, action.report, options);
        return action.support ? domain.support(action.id, options) : domain.withdrawSupport(action.id, options);
      }),
  });

  private readonly draft = new DraftController<IdeaDraft>(this, {
    key: () => (this.box ? `idea-box:${this.box}:idea` : undefined),
  });

  protected readonly live = new LiveController<IdeaLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.ideaBox && this.box ? `idea-box:${this.box}:ideas` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

  private readonly ideas = new PagedList<Idea>(this, { key: (idea) => idea.id, onError: (error) => this.reportError(error, 'load') });

  /** The box with the first page of its ideas; read again for another box or adapter, and online after a failure. */
  private readonly boxRead = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.box] as const,
    // The controller reads only once every input is set.
    task: async ([domain, id], signal): Promise<{ box: IdeaBox; session?: Session }> => {
      // What the outbox holds already (earlier on this page) is history, not news.
      this.proposals.markSeen();
      const listed = this.ideas.begin();
      const answers = Promise.all([
        domain!.getBox(id!, { signal }),
        domain!.list(id!, this.listQuery, { signal }),
        this.adapterController.adapter?.session?.current({ signal }).catch(() => undefined),
      ]);
      prepareFormatters();
      const [box, page, session] = await answers;
      // Its council text comes in the same render as the rest, not a moment later, pushing it down.
      if (box.description) await prepareCouncilHtml();
      // The list keeps its own count of reads: a sort or a filter chosen since then has the last word.
      if (!signal.aborted && this.ideas.current(listed)) {
        this.supportsChanged = 0;
        this.ideas.show(page);
      }
      return { box, session };
    },
    onReset: () => this.reset(),
    onError: (error) => this.reportError(error, 'load'),
  });

  /** The opened idea: the listed copy at once; the original of a duplicate that is not listed, read by id. */
  private readonly ideaRead = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.openedId] as const,
    task: async ([domain, id], signal) => {
      const listed = this.ideas.get(id!);
      if (listed) return listed;
      const idea = await domain!.get(id!, { signal });
      if (!signal.aborted) this.focusing.after('#detail-title');
      return idea;
    },
    onError: (error) => {
      // The original could not be read: the duplicate stays open, saying why.
      const from = this.leaving;
      if (!from) return;
      this.note(from.id, describeError(error), true);
      this.openedId = from.id;
    },
  });

  private readonly focusing = new FocusController(this, '#title');

  /** The idea box's id. */
  @property({ reflect: true }) box?: string;

  /** Level of the box's heading, 2–6: the page around it owns the h1. Ideas take the next level. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** `cards` (a grid of cards) or `list` (compact rows). */
  @property({ reflect: true }) layout: IdeaLayout = 'cards';

  /** Initial order of the ideas. */
  @property() sort: IdeaSort = 'newest';

  /** Ideas per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = IDEA_PAGE_SIZE;

  /** Address of a tracked project, `{id}` standing for its id, e.g. `/projects/{id}`. */
  @property({ attribute: 'project-url' }) projectUrl?: string;

  @state() private category = '';
  @state() private status: IdeaStatus | '' = '';
  @state() private query = '';
  /** The idea opened in place. */
  @state() private openedId?: string;
  @state() private discussing = false;
  @state() private discussionError?: CivicError;
  @state() private proposing = false;
  @state() private previewing = false;
  @state() private image?: { name: string; url: string };
  @state() private errors: FieldErrors = {};
  @state() private summary = false;
  @state() private similar: Idea[] = [];
  @state() private reporting?: string;
  /** Why the proposal form could not be opened. */
  @state() private formError?: CivicError;
  /** A message under an idea: a support that failed, a report received. */
  @state() private notes = new Map<string, Note>();
  /** Polite announcement of the box (results counts, published ideas). */
  @state() private announcement = '';
  @state() private limitReached = false;
  /** Supports given or withdrawn on this page since the box was read, counted optimistically. */
  @state() private supportsChanged = 0;

  /** The duplicate left for its original, shown until the original is read. */
  private leaving?: Idea;
  private formView?: FormView;
  private formLoad?: Promise<unknown>;
  /** The form's chunk was asked for ahead of need (see loadForm). */
  private formPrefetched = false;
  private similarRead?: AbortController;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private similarTimer?: ReturnType<typeof setTimeout>;
  private reportLoad?: Promise<void>;
  private threadLoad?: Promise<unknown>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
    clearTimeout(this.similarTimer);
    this.similarRead?.abort();
  }

  /** Also waits for the chunks a citizen asked for: the proposal form, the report form, the discussion. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    for (const load of [this.reportLoad, this.threadLoad, this.formLoad]) {
      if (!load) continue;
      await load.catch(() => undefined);
      complete = (await super.getUpdateComplete()) && complete;
    }
    if (this.reportLoad) await this.renderRoot.querySelector<CivicReportForm>('civic-report-form')?.updateComplete;
    this.reportLoad = this.threadLoad = this.formLoad = undefined;
    return complete;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.formPrefetched && this.canWrite) {
      this.formPrefetched = true;
      whenIdle(() =>
        void loadForm().then(
          (view) => (this.formView ??= view),
          () => (this.formPrefetched = false),
        ),
      );
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new box starts over (`boxRead` resets): only a new order of the same box reads the list again.
    if (changed.has('sort') && changed.get('sort') !== undefined && !changed.has('box')) void this.loadIdeas();
    this.followProposals();
  }

  // ------------------------------------------------------------------ loading

  /** Forgets what belonged to the box read before. */
  private reset(): void {
    this.openedId = this.leaving = undefined;
    this.ideas.clear();
    this.similar = [];
    this.category = this.status = this.query = '';
    this.reporting = undefined;
    this.proposing = this.discussing = this.limitReached = false;
    this.errors = {};
    this.notes = new Map();
  }

  private get ideaBox(): IdeaBox | undefined {
    return this.boxRead.value?.box;
  }

  private get listQuery(): IdeaQuery {
    const query: IdeaQuery = { sort: this.sort, limit: this.pageSize };
    if (this.sort === 'random') query.seed = PAGE_SEED;
    if (this.category) query.category = this.category;
    if (this.status) query.status = this.status;
    if (this.query.trim()) query.q = this.query.trim();
    return query;
  }

  private get filtered(): boolean {
    return !!(this.category || this.status || this.query.trim());
  }

  /** The first page again, in the current order and with the current filters. */
  private async loadIdeas(announce = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.box;
    if (!domain || !id || !this.ideaBox) return;
    const page = await this.ideas.reload((signal) => domain.list(id, this.listQuery, { signal }));
    if (page && announce) this.announcement = resultsText(page.total ?? page.items.length);
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.box;
    if (!domain || !id) return;
    await this.ideas.more(
      (cursor, signal) => domain.list(id, { ...this.listQuery, cursor }, { signal }),
      ([first]) => {
        if (first) this.focusing.after(`#${CSS.escape(ideaAnchor(first.id))}`);
      },
    );
  }

  // ------------------------------------------------------------------ state

  private get isOpen(): boolean {
    const box = this.ideaBox;
    if (!box) return false;
    const now = Date.now();
    if (box.opensAt && Date.parse(box.opensAt) > now) return false;
    return !box.closesAt || Date.parse(box.closesAt) > now;
  }

  private get needsVerification(): boolean {
    return this.ideaBox?.requiredVerification === 'verified' && this.boxRead.value?.session?.verification !== 'verified';
  }

  private get canWrite(): boolean {
    return this.isOpen && !this.needsVerification;
  }

  /** The idea opened in place; while an original is read, the duplicate it was opened from. */
  private get opened(): Idea | undefined {
    const id = this.openedId;
    if (id === undefined) return undefined;
    return this.ideaRead.value ?? this.ideas.get(id) ?? (this.ideaRead.status === 'pending' ? this.leaving : undefined);
  }

  /**
   * Supports the citizen gave in this box: what the backend said when the box was read, plus what
   * changed since; for a backend that does not say, as far as the loaded ideas tell.
   */
  private get supportsGiven(): number {
    const read = this.ideaBox?.supportsGiven;
    if (read !== undefined) return Math.max(0, read + this.supportsChanged);
    const known = new Map(this.ideas.items.map((idea) => [idea.id, idea]));
    for (const idea of [...this.similar, ...(this.opened ? [this.opened] : [])]) known.set(idea.id, idea);
    let count = 0;
    for (const idea of known.values()) if (idea.supportedByMe) count++;
    return count;
  }

  private get supportsLeft(): number | undefined {
    const limit = this.ideaBox?.supportLimit;
    if (limit === undefined) return undefined;
    return this.limitReached ? 0 : Math.max(0, limit - this.supportsGiven);
  }

  /** Puts a new version of an idea wherever it is shown. */
  private replace(idea: Idea): void {
    this.ideas.replace(idea);
    this.similar = this.similar.map((item) => (item.id === idea.id ? idea : item));
    if (this.ideaRead.value?.id === idea.id) this.ideaRead.set(idea);
  }

  private insert(idea: Idea): void {
    if (this.ideas.get(idea.id)) this.replace(idea);
    else this.ideas.insert(idea);
  }

  private receive(event: IdeaLiveEvent): void {
    const idea = event.idea;
    if (idea.boxId !== this.box) return;
    const known = this.ideas.get(idea.id) ?? (this.opened?.id === idea.id ? this.opened : undefined);
    if (event.type === 'created') {
      if (!known) this.ideas.arrive(idea);
      return;
    }
    // Broadcasts are what everyone sees: what is the reader's own stays as it was.
    if (known) this.replace({ ...idea, mine: known.mine, supportedByMe: known.supportedByMe });
  }

  private showArrivals(): void {
    // Newest first, as the list is shown; the reader asked for them, so focus goes to the first.
    const newest = this.ideas.takeArrivals().at(-1);
    if (newest) this.focusing.after(`#${CSS.escape(ideaAnchor(newest.id))}`);
  }

  /** Acts once on each change of this box's proposals: events, the list, the form. */
  private followProposals(): void {
    const boxId = this.box;
    if (!boxId) return;
    for (const { entry, nowWaiting } of this.proposals.changes()) {
      if (entry.status === 'sent') {
        const idea = { ...(entry.result as Idea), mine: true };
        this.insert(idea);
        this.announcement = idea.moderation === 'pending' ? msg('Your idea is awaiting moderation.') : msg('Your idea is published.');
        this.emit('civic-idea-proposed', { boxId, idea, status: 'sent' });
      } else if (nowWaiting) {
        this.emit('civic-idea-proposed', { boxId, status: 'waiting' });
      } else if (entry.status === 'failed' && entry.lastError) {
        this.takeBack(entry);
      }
    }
  }

  /** A refused idea goes back into the form, with what to fix: nothing typed is lost. */
  private takeBack(entry: OutboxEntry<IdeaInput>): void {
    const error = new CivicError(entry.lastError!.kind, entry.lastError!.message, { fieldErrors: entry.lastError!.fieldErrors });
    this.reportError(error, 'submit');
    const { title, body, categoryId, location, image } = entry.payload;
    if (!this.draft.value?.title.trim() && !this.draft.value?.body.trim()) {
      this.draft.save({ title, body, categoryId, address: location?.address });
    }
    if (image && !this.image) this.image = { name: msg('The image you chose'), url: image };
    const fields = error.fieldErrors ?? {};
    const known = FIELDS.some((field) => fields[field] || (field === 'address' && fields.location));
    this.errors = {
      title: fields.title,
      body: fields.body,
      categoryId: fields.categoryId,
      address: fields.location,
      image: fields.image,
      form: known ? undefined : describeError(error),
    };
    this.summary = known;
    void this.proposals.discard(entry.id);
    this.showForm(known ? '#error-summary' : '#idea-title');
    if (error.kind === 'closed') void this.boxRead.run();
  }

  private note(id: string, text: string | undefined, alert = false): void {
    const next = new Map(this.notes);
    if (text) next.set(id, { text, alert });
    else next.delete(id);
    this.notes = next;
  }

  // ------------------------------------------------------------------ citizen actions

  private search(value: string): void {
    this.query = value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.loadIdeas(true), SEARCH_DELAY);
  }

  private filter(change: { category?: string; status?: IdeaStatus | '' }): void {
    if (change.category !== undefined) this.category = change.category;
    if (change.status !== undefined) this.status = change.status;
    void this.loadIdeas(true);
  }

  /** Opens a listed idea in place; focus comes back to it when the detail closes. */
  private open(idea: Idea): void {
    this.openedId = idea.id;
    this.leaving = undefined;
    this.discussing = false;
    this.discussionError = undefined;
    this.reporting = undefined;
    this.focusing.open('#detail-title', `#${CSS.escape(ideaAnchor(idea.id))} [data-action=open]`);
  }

  /** Follows a duplicate to its original; "back" still returns to the idea first opened. */
  private openById(id: string): void {
    const listed = this.ideas.get(id);
    this.leaving = listed ? undefined : this.opened;
    this.openedId = id;
    this.discussing = false;
    this.discussionError = this.reporting = undefined;
    // A listed idea shows at once; one read by id takes focus once it is shown (see `ideaRead`).
    if (listed) this.focusing.after('#detail-title');
  }

  private close(): void {
    this.openedId = this.leaving = undefined;
    this.discussing = false;
    this.reporting = undefined;
    this.focusing.back();
  }

  private discuss(): void {
    if (this.discussing) {
      this.discussing = false;
      return;
    }
    this.discussing = true;
    this.discussionError = undefined;
    this.threadLoad = defineCommentThread().then(
      () => this.requestUpdate(),
      (cause: unknown) => {
        this.discussing = false;
        this.discussionError = new CivicError('network', 'The discussion could not be loaded', { cause });
      },
    );
  }

  /**
   * Opens the proposal form, focus going to `focus` in the render that first shows it. Until its
   * chunk is here the button that opens it stays, with focus; if it cannot be fetched, it says so.
   */
  private showForm(focus: string): void {
    this.proposing = true;
    this.formError = undefined;
    if (this.formView) return this.focusing.after(focus);
    this.formLoad = loadForm().then(
      (view) => {
        this.formView = view;
        if (this.proposing) this.focusing.after(focus);
        this.requestUpdate();
      },
      (cause: unknown) => {
        this.proposing = false;
        this.formError = new CivicError('network', 'The proposal form could not be loaded', { cause });
      },
    );
  }

  private startProposal(): void {
    this.showForm('#idea-title');
    if (this.draft.value) this.findSimilar();
  }

  private cancelProposal(): void {
    this.proposing = false;
    this.summary = false;
    this.errors = {};
    this.focusing.after('#propose');
  }

  private type(change: Partial<IdeaDraft>): void {
    this.draft.save({ title: '', body: '', ...this.draft.value, ...change });
    const field = Object.keys(change)[0] as Field;
    if (this.errors[field] || this.errors.form) this.errors = { ...this.errors, [field]: undefined, form: undefined };
    if ('title' in change || 'body' in change) this.findSimilar();
    this.requestUpdate();
  }

  /** Ideas like the one being written, once there is enough of it to compare. */
  private findSimilar(): void {
    clearTimeout(this.similarTimer);
    this.similarTimer = setTimeout(async () => {
      // Only the answer about the latest text counts: the question before it is withdrawn.
      this.similarRead?.abort();
      const domain = this.adapterController.domain;
      const draft = this.draft.value;
      const text = `${draft?.title ?? ''} ${draft?.body ?? ''}`.trim();
      if (!domain || !this.box || text.length < IDEA_TITLE_MIN_LENGTH) {
        this.similar = [];
        return;
      }
      const { signal } = (this.similarRead = new AbortController());
      try {
        const found = await domain.similar(this.box, text, { signal });
        if (!signal.aborted) this.similar = found.map((idea) => this.ideas.get(idea.id) ?? idea);
      } catch {
        // Similar ideas are a help, not a step: the citizen can still propose theirs.
        if (!signal.aborted) this.similar = [];
      }
    }, SIMILAR_DELAY);
  }

  private chooseImage(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    this.image = undefined;
    this.errors = { ...this.errors, image: undefined };
    if (!file) return;
    // The form is shown, so its chunk is here.
    const problem = this.formView!.imageProblem(file);
    if (problem) {
      input.value = '';
      this.errors = { ...this.errors, image: problem };
      return;
    }
    const reader = new FileReader();
    reader.onload = () => (this.image = { name: file.name, url: String(reader.result) });
    reader.onerror = () => (this.errors = { ...this.errors, image: msg('This image could not be read. Try another one.') });
    reader.readAsDataURL(file);
  }

  private submit(event: Event): void {
    event.preventDefault();
    const box = this.ideaBox;
    if (!box) return;
    const draft = this.draft.value ?? { title: '', body: '' };
    // The form is shown, so its chunk is here.
    const errors = this.formView!.validate(draft, box, this.errors.image);
    if (FIELDS.some((field) => errors[field])) {
      this.errors = errors;
      this.summary = true;
      this.focusing.after('#error-summary');
      return;
    }
    this.errors = {};
    this.summary = false;
    const { entry } = this.proposals.submit(this.formView!.ideaInput(draft, box, this.image?.url));
    if (entry.status === 'waiting') {
      this.emit('civic-idea-proposed', { boxId: box.id, status: 'waiting' });
    }
    // The outbox keeps the idea now, on the device too.
    this.draft.clear();
    this.image = undefined;
    this.similar = [];
    this.previewing = false;
    this.proposing = false;
    // The form is gone: focus goes back to where it opened; the status region says what happens.
    this.focusing.after('#propose');
  }

  private toggleSupport(idea: Idea): void {
    const support = !idea.supportedByMe;
    if (support && this.supportsLeft === 0) {
      this.note(idea.id, limitUsedText(), true);
      return;
    }
    this.replace({ ...idea, supportedByMe: support, supports: Math.max(0, idea.supports + (support ? 1 : -1)) });
    this.supportsChanged += support ? 1 : -1;
    if (!support) this.limitReached = false;
    this.note(idea.id, undefined);
    this.emit('civic-idea-support', { ideaId: idea.id, supported: support });
    this.actions.submit({ op: 'support', id: idea.id, support }).settled.then(
      (result) => {
        const recorded = result as Idea;
        this.replace({ ...(this.current(idea.id) ?? recorded), supports: recorded.supports, supportedByMe: recorded.supportedByMe });
        this.announcement = supportedText(idea.title, recorded);
      },
      (thrown: unknown) => {
        // Back to what the server has; say why.
        const current = this.current(idea.id);
        if (current) this.replace({ ...current, supportedByMe: idea.supportedByMe, supports: idea.supports });
        this.supportsChanged -= support ? 1 : -1;
        if (!(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'support');
        if (thrown.kind === 'conflict' && support) {
          this.limitReached = true;
          this.note(idea.id, limitUsedText(), true);
        } else {
          this.note(idea.id, msg(str`Your support could not be recorded: ${describeError(thrown)}`), true);
        }
      },
    );
  }

  private current(id: string): Idea | undefined {
    return this.ideas.get(id) ?? (this.opened?.id === id ? this.opened : undefined) ?? this.similar.find((idea) => idea.id === id);
  }

  private startReport(idea: Idea): void {
    if (this.reporting === idea.id) {
      this.reporting = undefined;
      return;
    }
    this.reporting = idea.id;
    this.reportLoad = defineReportForm().then(
      () => {
        // Focus goes to the form once it can take it, unless the citizen closed it meanwhile.
        if (this.reporting === idea.id) this.focusing.after('civic-report-form');
      },
      (cause: unknown) => {
        this.reporting = undefined;
        this.note(idea.id, describeError(new CivicError('network', 'The report form could not be loaded', { cause })), true);
      },
    );
  }

  private sendReport(idea: Idea, report: ReportInput): void {
    this.emit('civic-idea-report', { ideaId: idea.id, reason: report.reason });
    this.reporting = undefined;
    this.note(idea.id, msg('Sending your report…'));
    this.focusing.after('[data-action=report]');
    this.actions.submit({ op: 'report', id: idea.id, report }).settled.then(
      () => this.note(idea.id, msg('Thank you: the moderators will look at this idea.')),
      (thrown: unknown) => {
        if (!(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'report');
        this.note(idea.id, msg(str`Your report could not be sent: ${describeError(thrown)}`), true);
      },
    );
  }

  /** One listener for the buttons of every idea: templates stay cheap on long lists. */
  private onIdeaAction(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const idea = button?.dataset.id ? this.current(button.dataset.id) : undefined;
    if (!button || !idea) return;
    switch (button.dataset.action) {
      case 'open':
        return this.open(idea);
      case 'support':
        return this.toggleSupport(idea);
    }
  }

  // ------------------------------------------------------------------ rendering

  private renderStatus(entry: OutboxEntry) {
    return renderSubmissionStatus(entry, {
      onRetry: (item) => void this.proposals.retry(item.id),
      onDiscard: (item) => void this.proposals.discard(item.id),
      locale: this.localeController.locale,
    });
  }

  /** What every view reads: the box's state, and what the citizen's actions call. */
  private context(box: IdeaBox): ListContext & DetailContext & ProposalContext & WriteContext {
    return {
      box,
      headingLevel: this.headingLevel,
      layout: this.layout,
      projectUrl: this.projectUrl,
      adapter: this.adapterController.adapter,
      root: this.renderRoot,
      ideas: this.ideas,
      isOpen: this.isOpen,
      needsVerification: this.needsVerification,
      canWrite: this.canWrite,
      supportsLeft: this.supportsLeft,
      filtered: this.filtered,
      query: this.query,
      sort: this.sort,
      category: this.category,
      status: this.status,
      notes: this.notes,
      reporting: this.reporting,
      discussing: this.discussing,
      discussionError: this.discussionError,
      draft: this.draft.value ?? { title: '', body: '' },
      errors: this.errors,
      summary: this.summary,
      previewing: this.previewing,
      image: this.image,
      similar: this.similar,
      formError: this.formError,
      proposals: this.proposals.entries,
      submissionStatus: (entry) => this.renderStatus(entry),
      titleOf: (id) => this.ideas.get(id)?.title,
      renderError: (error, retry) => this.renderError(error, retry),
      onIdeaAction: (event) => this.onIdeaAction(event),
      onSearch: (value) => this.search(value),
      onSort: (sort) => (this.sort = sort),
      onFilter: (change) => this.filter(change),
      onShowArrivals: () => this.showArrivals(),
      onMore: () => void this.loadMore(),
      onRetryList: () => void (this.ideas.nextCursor ? this.loadMore() : this.loadIdeas()),
      onBack: () => this.close(),
      onOpen: (id) => this.openById(id),
      onReport: (idea) => this.startReport(idea),
      onSendReport: (idea, report) => this.sendReport(idea, report),
      onCancelReport: () => {
        this.reporting = undefined;
        this.focusing.after('[data-action=report]');
      },
      onDiscuss: () => this.discuss(),
      onStart: () => this.startProposal(),
      onType: (change) => this.type(change),
      onPreview: () => (this.previewing = !this.previewing),
      onChooseImage: (event) => this.chooseImage(event),
      onSubmit: (event) => this.submit(event),
      onCancel: () => this.cancelProposal(),
    };
  }

  private renderBox(box: IdeaBox) {
    const context = this.context(box);
    const opened = this.opened;
    const form = this.proposing && this.formView ? this.formView.proposalForm(context) : undefined;
    return html`<div class="box">
      ${skipPast(msg('Skip past the ideas'))}
      ${header(context)} ${notices(context)}
      ${opened ? detail(context, opened) : html`${write(context, form)} ${toolbar(context)} ${list(context)}`}
      <div id="announcement" class="visually-hidden" role="status">${this.announcement}</div>
      ${skipPastEnd(msg('End of the ideas'))}
    </div>`;
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    return (
      this.boxRead.render({
        complete: ({ box }) => this.renderBox(box),
        error: (error) =>
          html`${this.renderError(error, error.transient ? () => void this.boxRead.run() : undefined)} ${proposals({
            proposals: this.proposals.entries,
            submissionStatus: (entry) => this.renderStatus(entry),
          })}`,
      }) ?? html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the ideas…')}</p>`
    );
  }
}
