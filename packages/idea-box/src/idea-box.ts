import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  DraftController,
  IDEA_BODY_MAX_LENGTH,
  IDEA_BODY_MIN_LENGTH,
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  IDEA_PAGE_SIZE,
  IDEA_TITLE_MAX_LENGTH,
  IDEA_TITLE_MIN_LENGTH,
  LiveController,
  OutboxController,
  citizenText,
  councilHtml, prepareCouncilHtml,
  describeError,
  formatDate,
  formatNumber,
  heading,
  plural,
  prepareFormatters,
  registerTranslations,
  renderSubmissionStatus,
  type Category,
  type Idea,
  type IdeaBox,
  type IdeaInput,
  type IdeaLiveEvent,
  type IdeaQuery,
  type IdeaSort,
  type IdeaStatus,
  type OutboxEntry,
  type ReportInput,
  type ReportReason,
  type Session,
  defineReportForm,
  type CivicReportForm,
  focusAfterRender,
  PagedList,
  errorSummary,
  formHelpStyles,
  requiredMark,
  skipPast,
  skipPastEnd,
  skipPastStyles,
  lazy,
} from '@civic-widgets/core';
// The ideas routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/ideas.js';
import { ideaBoxStyles } from './idea-box.styles.js';

registerTranslations('idea-box', { fr: () => import('./locales/fr.js') });

/** The detail of `civic-idea-proposed`. */
export interface CivicIdeaProposedDetail {
  boxId: string;
  /** The idea as recorded, once sent. */
  idea?: Idea;
  /** `waiting`: kept on the device (offline or failing) and sent automatically later. */
  status: 'sent' | 'waiting';
}

/** The detail of `civic-idea-support`. */
export interface CivicIdeaSupportDetail {
  ideaId: string;
  /** True when the citizen gave support, false when they withdrew it. */
  supported: boolean;
}

/** The detail of `civic-idea-report`. */
export interface CivicIdeaReportDetail {
  ideaId: string;
  reason: ReportReason;
}

/** Writes on existing ideas, kept by the outbox like new ideas. */
export type IdeaAction = { op: 'support'; id: string; support: boolean } | { op: 'report'; id: string; report: ReportInput };

/** What a citizen types into the proposal form, kept on the device (the image is not). */
interface IdeaDraft {
  title: string;
  body: string;
  categoryId?: string;
  address?: string;
}

type Field = 'title' | 'body' | 'categoryId' | 'address' | 'image';
type FieldErrors = Partial<Record<Field | 'form', string>>;

export type IdeaLayout = 'cards' | 'list';

const PROPOSE_KIND = 'idea.propose';
const ACTION_KIND = 'idea.action';
const SORTS: IdeaSort[] = ['newest', 'most-supported', 'most-discussed', 'random'];
const STATUSES: IdeaStatus[] = ['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate'];
const FIELDS: Field[] = ['title', 'body', 'categoryId', 'address', 'image'];
const SEARCH_DELAY = 300;
const SIMILAR_DELAY = 500;
const EXCERPT_LENGTH = 180;
/** One random order for the page's life: "Show more" and re-sorting never reshuffle what was read. */
const PAGE_SEED = Math.random().toString(36).slice(2, 10);

/** The discussion element is a package of its own, fetched when a citizen opens a discussion. */
const defineCommentThread = lazy(() => import('@civic-widgets/comment-thread/define.js'));

const ideaAnchor = (id: string) => `idea-${id}`;

/** The text of an idea without its markdown marks, cut at a word. */
function excerpt(body: string): string {
  const plain = body.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_#>`]+/g, '').replace(/\s+/g, ' ').trim();
  if (plain.length <= EXCERPT_LENGTH) return plain;
  const cut = plain.slice(0, EXCERPT_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : EXCERPT_LENGTH)}…`;
}

/** A category's colour, only when it is a colour: the text label always says the same. */
function swatch(category: Category | undefined) {
  const color = category?.color;
  return color && CSS.supports('color', color) ? styleMap({ '--category-color': color }) : nothing;
}

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
    if (adapter) void this.load();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
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
    topic: () => (this.data && this.box ? `idea-box:${this.box}:ideas` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

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

  @state() private data?: IdeaBox;
  @state() private session?: Session;
  @state() private loadError?: CivicError;
  @state() private category = '';
  @state() private status: IdeaStatus | '' = '';
  @state() private query = '';
  /** The idea opened in place, and where it was opened from. */
  @state() private opened?: Idea;
  @state() private discussing = false;
  @state() private discussionError?: CivicError;
  @state() private proposing = false;
  @state() private previewing = false;
  @state() private image?: { name: string; url: string };
  @state() private errors: FieldErrors = {};
  @state() private summary = false;
  @state() private similar: Idea[] = [];
  @state() private reporting?: string;
  /** A message under an idea: a support that failed, a report received. */
  @state() private notes = new Map<string, { text: string; alert: boolean }>();
  /** Polite announcement of the box (results counts, published ideas). */
  @state() private announcement = '';
  @state() private limitReached = false;
  /** Supports given or withdrawn on this page since the box was read, counted optimistically. */
  @state() private supportsChanged = 0;

  private readonly ideas = new PagedList<Idea>(this, { key: (idea) => idea.id, onError: (error) => this.reportError(error, 'load') });
  private similarTicket = 0;
  private searchTimer?: ReturnType<typeof setTimeout>;
  private similarTimer?: ReturnType<typeof setTimeout>;
  private focusAfterUpdate?: string;
  private focusedBeforeUpdate?: Element | null;
  private reportLoad?: Promise<void>;
  private threadLoad?: Promise<unknown>;
  private focusReport = false;
  /** The idea to return focus to when the detail view closes. */
  private openedFrom?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.searchTimer);
    clearTimeout(this.similarTimer);
  }

  /** Also waits for the chunks a citizen asked for: the report form, the discussion. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    for (const load of [this.reportLoad, this.threadLoad]) {
      if (!load) continue;
      await load.catch(() => undefined);
      complete = (await super.getUpdateComplete()) && complete;
    }
    if (this.reportLoad) await this.renderRoot.querySelector<CivicReportForm>('civic-report-form')?.updateComplete;
    this.reportLoad = this.threadLoad = undefined;
    return complete;
  }

  private readonly onOnline = (): void => {
    if (this.loadError?.transient) void this.load();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('box') && changed.get('box') !== undefined) this.reset();
    else if (changed.has('sort') && changed.get('sort') !== undefined) void this.loadIdeas();
    this.followProposals();
    this.focusedBeforeUpdate = this.shadowRoot?.activeElement;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('box') && changed.get('box') !== undefined) void this.load();
    const report = this.focusReport ? this.renderRoot.querySelector<HTMLElement>('civic-report-form') : null;
    if (report && customElements.get('civic-report-form')) {
      this.focusReport = false;
      report.focus();
    }
    const wanted = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    focusAfterRender(this.renderRoot, wanted, this.focusedBeforeUpdate, '#title');
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.data = this.loadError = this.opened = undefined;
    this.ideas.clear();
    this.similar = [];
    this.category = this.status = this.query = '';
    this.reporting = undefined;
    this.proposing = this.discussing = this.limitReached = false;
    this.errors = {};
    this.notes = new Map();
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

  private async load(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.box;
    if (!domain || !id) return;
    const ticket = this.ideas.begin();
    this.loadError = undefined;
    // What the outbox holds already (earlier on this page) is history, not news.
    this.proposals.markSeen();
    try {
      const answers = Promise.all([
        domain.getBox(id),
        domain.list(id, this.listQuery),
        this.adapterController.adapter?.session?.current().catch(() => undefined),
      ]);
      prepareFormatters();
      const [data, page, session] = await answers;
      // Its council text comes in the same render as the rest, not a moment later, pushing it down.
      if (data.description) await prepareCouncilHtml();
      if (!this.ideas.current(ticket)) return;
      this.data = data;
      this.supportsChanged = 0;
      this.session = session;
      this.ideas.show(page);
    } catch (thrown) {
      if (!this.ideas.current(ticket)) return;
      this.loadError = CivicError.from(thrown);
      this.reportError(this.loadError, 'load');
    }
  }

  /** The first page again, in the current order and with the current filters. */
  private async loadIdeas(announce = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.box;
    if (!domain || !id || !this.data) return;
    const page = await this.ideas.reload(() => domain.list(id, this.listQuery));
    if (page && announce) this.announcement = this.resultsText(page.total ?? page.items.length);
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.box;
    if (!domain || !id) return;
    await this.ideas.more(
      (cursor) => domain.list(id, { ...this.listQuery, cursor }),
      ([first]) => {
        if (first) this.focusAfterUpdate = `#${CSS.escape(ideaAnchor(first.id))}`;
      },
    );
  }

  // ------------------------------------------------------------------ state

  private get isOpen(): boolean {
    const box = this.data;
    if (!box) return false;
    const now = Date.now();
    if (box.opensAt && Date.parse(box.opensAt) > now) return false;
    return !box.closesAt || Date.parse(box.closesAt) > now;
  }

  private get needsVerification(): boolean {
    return this.data?.requiredVerification === 'verified' && this.session?.verification !== 'verified';
  }

  private get canWrite(): boolean {
    return this.isOpen && !this.needsVerification;
  }

  /**
   * Supports the citizen gave in this box: what the backend said when the box was read, plus what
   * changed since; for a backend that does not say, as far as the loaded ideas tell.
   */
  private get supportsGiven(): number {
    const read = this.data?.supportsGiven;
    if (read !== undefined) return Math.max(0, read + this.supportsChanged);
    const known = new Map(this.ideas.items.map((idea) => [idea.id, idea]));
    for (const idea of [...this.similar, ...(this.opened ? [this.opened] : [])]) known.set(idea.id, idea);
    let count = 0;
    for (const idea of known.values()) if (idea.supportedByMe) count++;
    return count;
  }

  private get supportsLeft(): number | undefined {
    const limit = this.data?.supportLimit;
    if (limit === undefined) return undefined;
    return this.limitReached ? 0 : Math.max(0, limit - this.supportsGiven);
  }

  private categoryOf(idea: Idea): Category | undefined {
    return idea.categoryId ? this.data?.categories.find((category) => category.id === idea.categoryId) : undefined;
  }

  /** Puts a new version of an idea wherever it is shown. */
  private replace(idea: Idea): void {
    this.ideas.replace(idea);
    this.similar = this.similar.map((item) => (item.id === idea.id ? idea : item));
    if (this.opened?.id === idea.id) this.opened = idea;
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
    if (newest) this.focusAfterUpdate = `#${CSS.escape(ideaAnchor(newest.id))}`;
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
    this.proposing = true;
    this.summary = known;
    void this.proposals.discard(entry.id);
    this.focusAfterUpdate = known ? '#error-summary' : '#idea-title';
    if (error.kind === 'closed') void this.load();
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

  private open(idea: Idea, from?: string): void {
    this.openedFrom = from ?? this.openedFrom ?? idea.id;
    this.opened = idea;
    this.discussing = false;
    this.discussionError = undefined;
    this.reporting = undefined;
    this.focusAfterUpdate = '#detail-title';
  }

  private async openById(id: string): Promise<void> {
    const known = this.ideas.get(id);
    if (known) return this.open(known);
    const domain = this.adapterController.domain;
    if (!domain || !this.opened) return;
    const from = this.opened.id;
    try {
      this.open(await domain.get(id));
    } catch (thrown) {
      this.note(from, describeError(CivicError.from(thrown)), true);
    }
  }

  private close(): void {
    const from = this.openedFrom;
    this.opened = this.openedFrom = undefined;
    this.discussing = false;
    this.reporting = undefined;
    this.focusAfterUpdate = from ? `#${CSS.escape(ideaAnchor(from))} [data-action=open]` : '#title';
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

  private startProposal(): void {
    this.proposing = true;
    this.focusAfterUpdate = '#idea-title';
    if (this.draft.value) this.findSimilar();
  }

  private cancelProposal(): void {
    this.proposing = false;
    this.summary = false;
    this.errors = {};
    this.focusAfterUpdate = '#propose';
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
      const domain = this.adapterController.domain;
      const draft = this.draft.value;
      const text = `${draft?.title ?? ''} ${draft?.body ?? ''}`.trim();
      if (!domain || !this.box || text.length < IDEA_TITLE_MIN_LENGTH) {
        this.similar = [];
        return;
      }
      const ticket = ++this.similarTicket;
      try {
        const found = await domain.similar(this.box, text);
        if (ticket === this.similarTicket) this.similar = found.map((idea) => this.ideas.get(idea.id) ?? idea);
      } catch {
        // Similar ideas are a help, not a step: the citizen can still propose theirs.
        if (ticket === this.similarTicket) this.similar = [];
      }
    }, SIMILAR_DELAY);
  }

  private chooseImage(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    this.image = undefined;
    this.errors = { ...this.errors, image: undefined };
    if (!file) return;
    if (!IDEA_IMAGE_TYPES.includes(file.type)) {
      input.value = '';
      this.errors = { ...this.errors, image: msg('Choose a JPEG, PNG or WebP image.') };
      return;
    }
    if (file.size > IDEA_IMAGE_MAX_BYTES) {
      input.value = '';
      const limit = formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024));
      this.errors = { ...this.errors, image: msg(str`This image is too large: choose one of ${limit} MB at most.`) };
      return;
    }
    const reader = new FileReader();
    reader.onload = () => (this.image = { name: file.name, url: String(reader.result) });
    reader.onerror = () => (this.errors = { ...this.errors, image: msg('This image could not be read. Try another one.') });
    reader.readAsDataURL(file);
  }

  private validate(draft: IdeaDraft): FieldErrors {
    const box = this.data!;
    const errors: FieldErrors = {};
    const title = draft.title.trim().length;
    const body = draft.body.trim().length;
    if (title === 0) errors.title = msg('Give your idea a title.');
    else if (title < IDEA_TITLE_MIN_LENGTH) errors.title = msg(str`The title needs at least ${formatNumber(IDEA_TITLE_MIN_LENGTH)} characters.`);
    else if (title > IDEA_TITLE_MAX_LENGTH) errors.title = msg(str`The title is ${formatNumber(title - IDEA_TITLE_MAX_LENGTH)} characters too long.`);
    if (body === 0) errors.body = msg('Describe your idea.');
    else if (body < IDEA_BODY_MIN_LENGTH) errors.body = msg(str`The description needs at least ${formatNumber(IDEA_BODY_MIN_LENGTH)} characters.`);
    else if (body > IDEA_BODY_MAX_LENGTH) errors.body = msg(str`The description is ${formatNumber(body - IDEA_BODY_MAX_LENGTH)} characters too long.`);
    if (box.categories.length > 0 && !box.categories.some((category) => category.id === draft.categoryId)) {
      errors.categoryId = msg('Choose a category.');
    }
    if (this.errors.image) errors.image = this.errors.image;
    return errors;
  }

  private submit(event: Event): void {
    event.preventDefault();
    const box = this.data;
    if (!box) return;
    const draft = this.draft.value ?? { title: '', body: '' };
    const errors = this.validate(draft);
    if (FIELDS.some((field) => errors[field])) {
      this.errors = errors;
      this.summary = true;
      this.focusAfterUpdate = '#error-summary';
      return;
    }
    this.errors = {};
    this.summary = false;
    const input: IdeaInput = { title: draft.title.trim(), body: draft.body.trim() };
    if (draft.categoryId && box.categories.length > 0) input.categoryId = draft.categoryId;
    if (box.allowLocation && draft.address?.trim()) input.location = { address: draft.address.trim() };
    if (box.allowImages && this.image) input.image = this.image.url;
    const { entry } = this.proposals.submit(input);
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
    this.focusAfterUpdate = '#propose';
  }

  private toggleSupport(idea: Idea): void {
    const support = !idea.supportedByMe;
    if (support && this.supportsLeft === 0) {
      this.note(idea.id, msg('You have used all your supports in this box. Withdraw one to support this idea.'), true);
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
        this.announcement = this.supportedText(idea.title, recorded);
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
          this.note(idea.id, msg('You have used all your supports in this box. Withdraw one to support this idea.'), true);
        } else {
          this.note(idea.id, msg(str`Your support could not be recorded: ${describeError(thrown)}`), true);
        }
      },
    );
  }

  /** What a recorded support or withdrawal is announced with. */
  private supportedText(title: string, recorded: Idea): string {
    const count = this.supportsText(recorded.supports);
    return recorded.supportedByMe
      ? msg(str`Your support for “${title}” is recorded: ${count}.`)
      : msg(str`Your support for “${title}” is withdrawn: ${count}.`);
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
    this.focusReport = true;
    this.reportLoad = defineReportForm().then(
      () => this.requestUpdate(),
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
    this.focusAfterUpdate = '[data-action=report]';
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
  private onListClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const idea = button?.dataset.id ? this.current(button.dataset.id) : undefined;
    if (!button || !idea) return;
    switch (button.dataset.action) {
      case 'open':
        return this.open(idea, idea.id);
      case 'support':
        return this.toggleSupport(idea);
    }
  }

  // ------------------------------------------------------------------ wording

  private countText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      zero: msg('No ideas yet'),
      one: msg(str`${n} idea`, { id: 'idea-count-one' }),
      other: msg(str`${n} ideas`, { id: 'idea-count-other' }),
    });
  }

  private resultsText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      zero: msg('No idea matches.'),
      one: msg(str`${n} idea matches.`, { id: 'idea-results-one' }),
      other: msg(str`${n} ideas match.`, { id: 'idea-results-other' }),
    });
  }

  private arrivalsText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      one: msg(str`${n} new idea`, { id: 'idea-new-one' }),
      other: msg(str`${n} new ideas`, { id: 'idea-new-other' }),
    });
  }

  private supportsText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      one: msg(str`${n} support`, { id: 'idea-supports-one' }),
      other: msg(str`${n} supports`, { id: 'idea-supports-other' }),
    });
  }

  private commentsText(count: number): string {
    const n = formatNumber(count);
    return plural(count, {
      one: msg(str`${n} comment`, { id: 'idea-comments-one' }),
      other: msg(str`${n} comments`, { id: 'idea-comments-other' }),
    });
  }

  private limitText(limit: number, left: number): string {
    const n = formatNumber(limit);
    const l = formatNumber(left);
    const total = plural(limit, {
      one: msg(str`You can support ${n} idea`, { id: 'idea-limit-one' }),
      other: msg(str`You can support ${n} ideas`, { id: 'idea-limit-other' }),
    });
    const remaining = plural(left, {
      one: msg(str`${l} left`, { id: 'idea-left-one' }),
      other: msg(str`${l} left`, { id: 'idea-left-other' }),
    });
    return `${total} — ${remaining}`;
  }

  private sortLabel(sort: IdeaSort): string {
    switch (sort) {
      case 'newest':
        return msg('Newest first');
      case 'most-supported':
        return msg('Most supported');
      case 'most-discussed':
        return msg('Most discussed');
      case 'random':
        return msg('Random order');
    }
  }

  private statusLabel(status: IdeaStatus): string {
    switch (status) {
      case 'submitted':
        return msg('Submitted');
      case 'under-review':
        return msg('Under review');
      case 'accepted':
        return msg('Accepted');
      case 'rejected':
        return msg('Not retained');
      case 'done':
        return msg('Done');
      case 'duplicate':
        return msg('Duplicate');
    }
  }

  // ------------------------------------------------------------------ rendering

  private renderHeader(box: IdeaBox) {
    const count = this.ideas.total ?? this.ideas.items.length;
    return html`<header part="header">
      ${heading(this.headingLevel, box.title || msg('Ideas'), { id: 'title', part: 'title', focusable: true })}
      ${box.description ? html`<div class="description">${councilHtml(box.description)}</div>` : nothing}
      <p part="count" id="count">${this.filtered ? this.resultsText(count) : this.countText(count)}</p>
    </header>`;
  }

  private renderNotices(box: IdeaBox) {
    if (!this.isOpen) {
      const opensLater = box.opensAt && Date.parse(box.opensAt) > Date.now();
      return html`<p part="notice">
        ${opensLater
          ? msg(str`This idea box opens on ${formatDate(box.opensAt!)}. Ideas can be read, but not proposed or supported yet.`)
          : msg('This idea box is closed: ideas can still be read, but no new ideas or supports are accepted.')}
      </p>`;
    }
    if (this.needsVerification) {
      return html`<p part="notice">${msg('This idea box is for residents whose identity the town’s site has confirmed. Sign in on the town’s site, then come back to this page to take part.')}</p>`;
    }
    const left = this.supportsLeft;
    if (left === undefined) return nothing;
    return html`<p part="notice" id="limit" data-reached=${left === 0 ? 'true' : 'false'}>
      ${left === 0
        ? msg(str`You have used all ${formatNumber(box.supportLimit!)} of your supports. Withdraw one to support another idea.`)
        : this.limitText(box.supportLimit!, left)}
    </p>`;
  }

  private renderToolbar(box: IdeaBox) {
    return html`<div part="toolbar" class="toolbar" role="search" aria-label=${msg('Find ideas')}>
      <div class="field">
        <label for="search">${msg('Search ideas')}</label>
        <input id="search" part="search input" type="search" .value=${this.query} @input=${(event: Event) => this.search((event.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="sort">${msg('Sort')}</label>
        <select id="sort" part="input" @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as IdeaSort)}>
          ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === this.sort}>${this.sortLabel(sort)}</option>`)}
        </select>
      </div>
      ${box.categories.length > 0
        ? html`<div class="field">
            <label for="category">${msg('Category')}</label>
            <select id="category" part="input" @change=${(event: Event) => this.filter({ category: (event.target as HTMLSelectElement).value })}>
              <option value="" ?selected=${!this.category}>${msg('All categories')}</option>
              ${box.categories.map((category) => html`<option value=${category.id} ?selected=${category.id === this.category}>${category.label}</option>`)}
            </select>
          </div>`
        : nothing}
      <div class="field">
        <label for="status">${msg('Status')}</label>
        <select id="status" part="input" @change=${(event: Event) => this.filter({ status: (event.target as HTMLSelectElement).value as IdeaStatus | '' })}>
          <option value="" ?selected=${!this.status}>${msg('All statuses')}</option>
          ${STATUSES.map((status) => html`<option value=${status} ?selected=${status === this.status}>${this.statusLabel(status)}</option>`)}
        </select>
      </div>
    </div>`;
  }

  private renderCategory(idea: Idea) {
    const category = this.categoryOf(idea);
    if (!category) return nothing;
    return html`<span part="category" class="category" style=${swatch(category)}>${category.label}</span>`;
  }

  private renderBadge(idea: Idea) {
    return html`<span part="badge" class="badge" data-status=${idea.status}>${this.statusLabel(idea.status)}</span>`;
  }

  private renderSupport(idea: Idea) {
    if (!this.canWrite) return html`<span>${this.supportsText(idea.supports)}</span>`;
    // The name stays the same whichever the state: aria-pressed says whether it is given.
    return html`<button
      type="button"
      part="button support"
      data-action="support"
      data-id=${idea.id}
      aria-pressed=${idea.supportedByMe ? 'true' : 'false'}
      aria-describedby=${this.data?.supportLimit !== undefined ? 'limit' : nothing}
    >
      ${msg('Support')}<span class="visually-hidden"> ${msg(str`the idea “${idea.title}”`)}</span> <span class="supports">${formatNumber(idea.supports)}</span><span class="visually-hidden"> ${plural(idea.supports, { one: msg('support', { id: 'idea-support-unit-one' }), other: msg('supports', { id: 'idea-support-unit-other' }) })}</span>
    </button>`;
  }

  private renderNote(id: string) {
    const note = this.notes.get(id);
    if (!note) return nothing;
    return html`<p class=${note.alert ? 'field-error' : 'hint'} role=${note.alert ? 'alert' : 'status'}>${note.text}</p>`;
  }

  private renderIdea(idea: Idea): TemplateResult {
    const anchor = ideaAnchor(idea.id);
    return html`<li>
      <article id=${anchor} part="idea" tabindex="-1" aria-labelledby=${`${anchor}-title`}>
        ${heading(
          this.headingLevel + 1,
          html`<button type="button" class="link" id=${`${anchor}-title`} data-action="open" data-id=${idea.id}>${idea.title}</button>`,
          { part: 'idea-title' },
        )}
        <p class="tags">${this.renderCategory(idea)} ${this.renderBadge(idea)}</p>
        ${this.layout === 'cards' ? html`<p part="body" class="excerpt">${excerpt(idea.body)}</p>` : nothing}
        ${idea.mine && idea.moderation === 'pending' ? html`<p part="notice">${msg('Your idea is awaiting moderation: only you can see it until a moderator approves it.')}</p>` : nothing}
        <p part="meta" class="meta">${this.renderSupport(idea)} <span>${this.commentsText(idea.comments)}</span></p>
        ${this.renderNote(idea.id)}
      </article>
    </li>`;
  }

  private renderList() {
    const arrivals = this.ideas.arrivals.length;
    return html`<section aria-labelledby="title" class="ideas">
      <div class="visually-hidden" aria-live="polite">${arrivals > 0 ? this.arrivalsText(arrivals) : ''}</div>
      ${arrivals > 0
        ? html`<p><button type="button" part="button new-ideas" @click=${this.showArrivals}>${msg(str`${this.arrivalsText(arrivals)} — show`)}</button></p>`
        : nothing}
      ${this.ideas.items.length === 0 && !this.ideas.loading && !this.ideas.error
        ? html`<p class="hint">${this.filtered ? msg('No idea matches your search or filters.') : this.isOpen ? msg('No ideas yet — be the first to propose one.') : msg('No ideas.')}</p>`
        : html`<ul part="list" class="list" data-layout=${this.layout} @click=${this.onListClick}>
            ${repeat(this.ideas.items, (idea) => idea.id, (idea) => this.renderIdea(idea))}
          </ul>`}
      ${this.ideas.error
        ? this.renderError(this.ideas.error, () => void (this.ideas.nextCursor ? this.loadMore() : this.loadIdeas()))
        : this.ideas.loading
          ? html`<p class="loading" role="status">${msg('Loading ideas…')}</p>`
          : this.ideas.nextCursor
            ? html`<p><button type="button" part="button" @click=${this.loadMore}>${msg('Show more ideas')}</button></p>`
            : nothing}
    </section>`;
  }

  private renderDetail(idea: Idea) {
    const anchor = ideaAnchor(idea.id);
    const duplicateOf = idea.duplicateOf;
    const project = idea.trackedProjectId;
    return html`<section part="detail" class="detail" aria-labelledby="detail-title" @click=${this.onListClick}>
      <p><button type="button" part="button" id="back" @click=${this.close}>${msg('Back to all ideas')}</button></p>
      ${heading(this.headingLevel + 1, idea.title, { id: 'detail-title', part: 'idea-title', focusable: true })}
      <p class="tags">${this.renderCategory(idea)} ${this.renderBadge(idea)}</p>
      <p part="meta" class="meta">
        ${msg(str`Proposed by ${idea.authorName || msg('an anonymous participant')} on ${formatDate(idea.createdAt)}`)}
      </p>
      ${idea.mine && idea.moderation === 'pending' ? html`<p part="notice">${msg('Your idea is awaiting moderation: only you can see it until a moderator approves it.')}</p>` : nothing}
      <div part="body" class="body">${citizenText(idea.body)}</div>
      ${idea.imageUrl && /^(https?:|data:image\/)/.test(idea.imageUrl) ? html`<img class="image" src=${idea.imageUrl} alt=${msg('Image attached to the idea')} />` : nothing}
      ${idea.location?.address ? html`<p><strong>${msg('Location:')}</strong> ${idea.location.address}</p>` : nothing}
      ${idea.answer
        ? html`<section part="answer" class="answer" aria-labelledby="answer-title">
            ${heading(this.headingLevel + 2, msg('The council’s answer'), { id: 'answer-title' })}
            <div>${councilHtml(idea.answer.body)}</div>
            <p class="meta">${idea.answer.author ? `${idea.answer.author}, ` : ''}${formatDate(idea.answer.answeredAt)}</p>
          </section>`
        : nothing}
      ${duplicateOf
        ? html`<p>${msg('This idea duplicates another one:')} <button type="button" class="link" @click=${() => void this.openById(duplicateOf)}>${this.ideas.get(duplicateOf)?.title ?? msg('see the original idea')}</button></p>`
        : nothing}
      ${project
        ? this.projectUrl
          ? html`<p><a href=${this.projectUrl.replace('{id}', encodeURIComponent(project))}>${msg('Follow the project this idea became')}</a></p>`
          : html`<p>${msg('This idea became a project the council follows.')}</p>`
        : nothing}
      <p part="meta" class="meta actions" id=${anchor}>
        ${this.renderSupport(idea)}
        ${this.canWrite && !idea.mine
          ? html`<button type="button" part="button" data-action="report" aria-expanded=${this.reporting === idea.id ? 'true' : 'false'} @click=${() => this.startReport(idea)}>${msg('Report')}</button>`
          : nothing}
      </p>
      ${this.renderNote(idea.id)}
      ${this.reporting === idea.id
        ? html`<civic-report-form
            exportparts="form, input, button"
            question=${msg('Why are you reporting this idea?')}
            @civic-report-submit=${(event: CustomEvent<ReportInput>) => this.sendReport(idea, event.detail)}
            @civic-report-cancel=${() => {
              this.reporting = undefined;
              this.focusAfterUpdate = '[data-action=report]';
            }}
          ></civic-report-form>`
        : nothing}
      <p>
        <button type="button" part="button" id="discuss" aria-expanded=${this.discussing ? 'true' : 'false'} @click=${this.discuss}>
          ${this.discussing ? msg('Hide the discussion') : msg(str`Discussion (${this.commentsText(idea.comments)})`)}
        </button>
      </p>
      ${this.discussionError ? this.renderError(this.discussionError, () => this.discuss()) : nothing}
      ${this.discussing && customElements.get('civic-comment-thread')
        ? html`<civic-comment-thread
            thread=${`idea:${idea.id}`}
            heading-level=${Math.min(6, this.headingLevel + 2)}
            .adapter=${this.adapterController.adapter}
          ></civic-comment-thread>`
        : this.discussing
          ? html`<p class="loading" role="status">${msg('Loading the discussion…')}</p>`
          : nothing}
    </section>`;
  }

  private renderStatus(entry: OutboxEntry) {
    return renderSubmissionStatus(entry, {
      onRetry: (item) => void this.proposals.retry(item.id),
      onDiscard: (item) => void this.proposals.discard(item.id),
      locale: this.localeController.locale,
    });
  }

  /** Ideas kept on the device until they can be sent, and the last one sent. */
  private renderProposals() {
    const entries = this.proposals.entries.filter((entry) => entry.status !== 'failed');
    const waiting = entries.filter((entry) => entry.status !== 'sent');
    const sent = entries.find((entry) => entry.status === 'sent' && (entry.result as Idea | undefined)?.moderation === 'pending');
    return html`<div id="proposal-status" part="status" role="status">
      ${waiting.map(
        (entry) => html`<div class="waiting">
          <p><strong>${entry.payload.title}</strong></p>
          ${this.renderStatus(entry)}
        </div>`,
      )}
      ${sent ? html`<p part="notice">${msg('Your idea is awaiting moderation: it will appear here once a moderator approves it.')}</p>` : nothing}
    </div>`;
  }

  private renderSimilar() {
    if (this.similar.length === 0) return nothing;
    return html`<section part="similar" class="similar" aria-labelledby="similar-title" @click=${this.onListClick}>
      <p id="similar-title"><strong>${msg('Similar ideas already proposed — support one of them instead?')}</strong></p>
      <ul>
        ${this.similar.map(
          (idea) => html`<li id=${`similar-${idea.id}`}>
            <span>${idea.title}</span>
            ${this.renderSupport(idea)} ${this.renderNote(idea.id)}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private fieldLabel(field: Field): string {
    switch (field) {
      case 'title':
        return msg('Title');
      case 'body':
        return msg('Your idea');
      case 'categoryId':
        return msg('Category');
      case 'address':
        return msg('Location (optional)');
      case 'image':
        return msg('Image (optional)');
    }
  }

  private fieldId(field: Field): string {
    return field === 'categoryId' ? 'idea-category' : `idea-${field}`;
  }

  private describedBy(field: Field, ...ids: string[]): string | typeof nothing {
    const all = [...ids, this.errors[field] ? `${this.fieldId(field)}-error` : ''].filter(Boolean);
    return all.length > 0 ? all.join(' ') : nothing;
  }

  private renderFieldError(field: Field) {
    const error = this.errors[field];
    return error ? html`<p id=${`${this.fieldId(field)}-error`} class="field-error">${error}</p>` : nothing;
  }

  private renderSummary() {
    if (!this.summary) return nothing;
    return errorSummary(
      this.renderRoot,
      msg('Check these fields before sending your idea:'),
      FIELDS.filter((field) => this.errors[field]).map((field) => ({ id: this.fieldId(field), label: this.fieldLabel(field), error: this.errors[field]! })),
    );
  }

  private required() {
    return requiredMark(msg('(required)'));
  }

  private renderForm(box: IdeaBox) {
    const draft = this.draft.value ?? { title: '', body: '' };
    const invalid = (field: Field) => (this.errors[field] ? 'true' : nothing);
    return html`<form part="form" class="proposal" novalidate aria-labelledby="propose-title" @submit=${this.submit}>
      ${heading(this.headingLevel + 1, msg('Propose an idea'), { id: 'propose-title' })}
      ${this.renderSummary()}
      ${this.errors.form ? html`<p class="field-error" role="alert">${this.errors.form}</p>` : nothing}
      <div class="field">
        <label for="idea-title">${msg('Title')}${this.required()}</label>
        <input
          id="idea-title"
          part="input"
          required
          maxlength=${IDEA_TITLE_MAX_LENGTH + 20}
          .value=${draft.title}
          aria-invalid=${invalid('title')}
          aria-describedby=${this.describedBy('title')}
          @input=${(event: Event) => this.type({ title: (event.target as HTMLInputElement).value })}
        />
        ${this.renderFieldError('title')}
      </div>
      <div class="field">
        <label for="idea-body">${msg('Your idea')}${this.required()}</label>
        <p id="idea-body-help" class="hint">
          ${msg('You can write **bold**, *italic*, [a link](https://example.org) and lists (lines starting with "- "). Leave a blank line between paragraphs.')}
        </p>
        <textarea
          id="idea-body"
          part="input"
          required
          rows="6"
          .value=${draft.body}
          aria-invalid=${invalid('body')}
          aria-describedby=${this.describedBy('body', 'idea-body-help')}
          @input=${(event: Event) => this.type({ body: (event.target as HTMLTextAreaElement).value })}
        ></textarea>
        ${this.renderFieldError('body')}
        <p>
          <button type="button" part="button" aria-pressed=${this.previewing ? 'true' : 'false'} @click=${() => (this.previewing = !this.previewing)}>
            ${msg('Preview')}
          </button>
        </p>
        ${this.previewing
          ? html`<section part="preview" aria-label=${msg('Preview')}>
              ${draft.body.trim() ? citizenText(draft.body) : html`<p class="hint">${msg('Nothing to preview yet.')}</p>`}
            </section>`
          : nothing}
      </div>
      ${this.renderSimilar()}
      ${box.categories.length > 0
        ? html`<div class="field">
            <label for="idea-category">${msg('Category')}${this.required()}</label>
            <select
              id="idea-category"
              part="input"
              required
              aria-invalid=${invalid('categoryId')}
              aria-describedby=${this.describedBy('categoryId')}
              @change=${(event: Event) => this.type({ categoryId: (event.target as HTMLSelectElement).value || undefined })}
            >
              <option value="" ?selected=${!draft.categoryId}>${msg('Choose a category')}</option>
              ${box.categories.map((category) => html`<option value=${category.id} ?selected=${category.id === draft.categoryId}>${category.label}</option>`)}
            </select>
            ${this.renderFieldError('categoryId')}
          </div>`
        : nothing}
      ${box.allowLocation
        ? html`<div class="field">
            <label for="idea-address">${msg('Location (optional)')}</label>
            <p id="idea-address-help" class="hint">${msg('A street, a place or a neighbourhood, if your idea concerns one.')}</p>
            <input
              id="idea-address"
              part="input"
              .value=${draft.address ?? ''}
              aria-invalid=${invalid('address')}
              aria-describedby=${this.describedBy('address', 'idea-address-help')}
              @input=${(event: Event) => this.type({ address: (event.target as HTMLInputElement).value })}
            />
            ${this.renderFieldError('address')}
          </div>`
        : nothing}
      ${box.allowImages
        ? html`<div class="field">
            <label for="idea-image">${msg('Image (optional)')}</label>
            <p id="idea-image-help" class="hint">
              ${msg(str`JPEG, PNG or WebP, ${formatNumber(IDEA_IMAGE_MAX_BYTES / (1024 * 1024))} MB at most. Images are not kept in the draft.`)}
            </p>
            <input
              id="idea-image"
              part="input"
              type="file"
              accept=${IDEA_IMAGE_TYPES.join(',')}
              aria-invalid=${invalid('image')}
              aria-describedby=${this.describedBy('image', 'idea-image-help')}
              @change=${this.chooseImage}
            />
            ${this.renderFieldError('image')}
            ${this.image ? html`<p class="hint">${msg(str`Chosen: ${this.image.name}`)}</p>` : nothing}
          </div>`
        : nothing}
      ${box.preModeration ? html`<p class="hint">${msg('A moderator reads every idea before it is published.')}</p>` : nothing}
      <p class="actions">
        <button type="submit" part="button" class="primary">${msg('Send my idea')}</button>
        <button type="button" part="button" @click=${this.cancelProposal}>${msg('Cancel')}</button>
      </p>
    </form>`;
  }

  private renderWrite(box: IdeaBox) {
    if (!this.canWrite) return this.renderProposals();
    return html`${this.renderProposals()}
    ${this.proposing
      ? this.renderForm(box)
      : html`<p><button type="button" part="button" class="primary" id="propose" @click=${this.startProposal}>${msg('Propose an idea')}</button></p>`}`;
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    if (this.loadError) {
      const error = this.loadError;
      return html`${this.renderError(error, error.transient ? () => void this.load() : undefined)} ${this.renderProposals()}`;
    }
    const box = this.data;
    if (!box) return html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the ideas…')}</p>`;
    const opened = this.opened;
    return html`<div class="box">
      ${skipPast(msg('Skip past the ideas'))}
      ${this.renderHeader(box)} ${this.renderNotices(box)}
      ${opened ? this.renderDetail(opened) : html`${this.renderWrite(box)} ${this.renderToolbar(box)} ${this.renderList()}`}
      <div id="announcement" class="visually-hidden" role="status">${this.announcement}</div>
      ${skipPastEnd(msg('End of the ideas'))}
    </div>`;
  }
}
