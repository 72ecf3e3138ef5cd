import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  COMMENT_MAX_LENGTH,
  COMMENT_PAGE_SIZE,
  DraftController,
  LiveController,
  MAX_REPLY_DEPTH,
  OutboxController,
  citizenText,
  describeError,
  formatDateTime,
  formatNumber,
  formatRelative,
  prepareFormatters,
  registerTranslations,
  renderSubmissionStatus,
  type CommentInput,
  type CommentLiveEvent,
  type CommentSort,
  type OutboxEntry,
  type ReportInput,
  type Session,
  type Stance,
  type Thread,
  type ThreadComment,
  heading,
  defineReportForm,
  type CivicReportForm,
  focusAfterRender,
  errorSummary,
  formHelpStyles,
  requiredMark,
  skipPast,
  skipPastEnd,
  skipPastStyles,
} from '@civic-widgets/core';
// The comments routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/comments.js';
import type { CommentAction } from './comment-action.js';
import { threadStyles } from './comment-thread.styles.js';
import { SORTS, STANCES, arrivalsText, authorOf, bodyError, countText, repliesText, sortLabel, stanceLabel, supportsText } from './wording.js';

registerTranslations('comment-thread', { fr: () => import('./locales/fr.js') });

interface CommentDraft {
  body: string;
  stance?: Stance;
}

/** Per-field messages of a form. */
interface FieldErrors {
  body?: string;
  stance?: string;
  form?: string;
}

interface Replies {
  items: ThreadComment[];
  nextCursor?: string;
  open: boolean;
  loading: boolean;
  error?: CivicError;
}

/** One row of a rendered list: flattened replies sit beside their parent, "in reply to" it. */
interface Row {
  comment: ThreadComment;
  depth: number;
  inReplyTo?: string;
}

const POST_KIND = 'comment.post';
const ACTION_KIND = 'comment.action';
/** The counter is announced once this few characters are left. */
const COUNTER_NEAR = 200;
const NEW = 'new';
/*
 * A long page shows its first slice of comments at once and the rest in idle moments after the
 * first paint, so that the first screen is not held up by comments far below it, and every
 * comment is in the document (find in page, screen readers, Tab) a moment later. SLICE comments
 * are rendered before the first paint and whenever more are needed at once (in view, focused);
 * IDLE_SLICE per idle moment, about a frame's worth of work on a phone.
 */
const SLICE = 10;
const IDLE_SLICE = 30;

const commentAnchor = (id: string) => `comment-${id}`;
/** The id prefix of a composer's fields: one reply composer is open at a time. */
const prefix = (key: string) => (key === NEW ? NEW : 'reply');

/**
 * A discussion under any page: comments and replies, sorted and paged, with a composer (markdown
 * subset, preview, stance when the thread asks for it), support, reports, edits and deletions of
 * one's own comments within the thread's window, and new comments announced rather than pushed
 * under the reader. Comments go through the outbox, so none is lost offline.
 *
 * @tagname civic-comment-thread
 * @summary An accessible, embeddable comment thread for council websites.
 *
 * @fires {CustomEvent<CivicCommentDetail>} civic-comment - The citizen posted a comment: `{ threadId, comment?, status: 'sent' | 'waiting' }`. A comment first kept `waiting` fires again with `sent` once it is sent.
 * @fires {CustomEvent<CivicCommentSupportDetail>} civic-comment-support - The citizen supported a comment or withdrew support: `{ threadId, commentId, supported }`.
 * @fires {CustomEvent<CivicCommentReportDetail>} civic-comment-report - The citizen reported a comment: `{ threadId, commentId, reason }`.
 * @fires {CustomEvent<CivicErrorDetail>} civic-error - An error is shown: `{ error, during: 'load' | 'submit' | 'support' | 'edit' | 'delete' | 'report' }`.
 *
 * @csspart header - The title, count and sort.
 * @csspart title - The thread's heading (at `heading-level`).
 * @csspart count - The number of comments.
 * @csspart sort - The sort select.
 * @csspart list - The list of comments (and each list of replies).
 * @csspart comment - One comment.
 * @csspart skip-past - The "skip past" link at the start of the widget.
 * @csspart error-summary - The list of fields to fix.
 * @csspart meta - Author, date, stance of a comment.
 * @csspart body - The text of a comment.
 * @csspart placeholder - What stands for a hidden or deleted comment.
 * @csspart actions - The buttons under a comment.
 * @csspart button - Every button.
 * @csspart support - The support toggle of a comment.
 * @csspart form - The composer, reply, edit and report forms.
 * @csspart input - Text areas, radio buttons and the select.
 * @csspart preview - The preview of a comment being written.
 * @csspart notice - Closed thread, awaiting moderation, verification notices.
 * @csspart new-comments - The "new comments — show" button.
 * @csspart status - What became of a submission.
 * @csspart error - An error message.
 */
export class CivicCommentThread extends CivicElement {
  static override styles = [CivicElement.styles, threadStyles, formHelpStyles, skipPastStyles];

  private readonly adapterController = new AdapterController(this, 'comments', (adapter) => {
    if (adapter) void this.load();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  private readonly posts = new OutboxController<CommentInput>(this, {
    kind: POST_KIND,
    target: () => this.thread || undefined,
    // The sender serves every thread on the page (the latest registered wins): use the entry's thread.
    send: (entry, options) => this.adapterController.call((domain) => domain.post(entry.target, entry.payload, options)),
  });

  private readonly actions = new OutboxController<CommentAction>(this, {
    kind: ACTION_KIND,
    target: () => this.thread || undefined,
    send: (entry, options) =>
      this.adapterController.call((domain): Promise<unknown> => {
        const action = entry.payload;
        switch (action.op) {
          case 'edit':
            return domain.edit(action.id, action.body, options);
          case 'remove':
            return domain.remove(action.id, options);
          case 'react':
            return domain.react(action.id, action.support, options);
          case 'report':
            return domain.report(action.id, action.report, options);
        }
      }),
  });

  private readonly newDraft = new DraftController<CommentDraft>(this, {
    key: () => (this.thread ? `thread:${this.thread}:comment` : undefined),
  });

  private readonly replyDraft = new DraftController<CommentDraft>(this, {
    key: () => (this.thread && this.replyTo ? `thread:${this.thread}:reply:${this.replyTo}` : undefined),
  });

  protected readonly live = new LiveController<CommentLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.data && this.thread ? `thread:${this.thread}:comments` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

  /** The thread's id, e.g. `budget-2027` or `idea:42`. */
  @property({ reflect: true }) thread?: string;

  /** Level of the thread's heading, 2–6: the page around it owns the h1. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Initial order of the comments. */
  @property() sort: CommentSort = 'oldest';

  /** Comments per page (and replies per page). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = COMMENT_PAGE_SIZE;

  @state() private data?: Thread;
  @state() private session?: Session;
  @state() private loadError?: CivicError;
  @state() private comments: ThreadComment[] = [];
  @state() private nextCursor?: string;
  @state() private loadingMore = false;
  @state() private moreError?: CivicError;
  /** A permalinked comment that is not on the loaded pages. */
  @state() private linked?: ThreadComment;
  /** New comments from the live subscription, waiting for the reader to show them. */
  @state() private arrivals: ThreadComment[] = [];
  @state() private replyTo?: string;
  @state() private editing?: { id: string; body: string; error?: string; entryId?: string };
  @state() private confirmingDelete?: string;
  @state() private reporting?: string;
  @state() private preview = new Set<string>();
  @state() private errors = new Map<string, FieldErrors>();
  /** A message under a comment: a support that failed, a report received. */
  @state() private notes = new Map<string, { text: string; alert: boolean }>();
  /** Polite announcement of the thread (outside of the submission status). */
  @state() private announcement = '';
  /** How many comments at the end of the top-level list are not rendered yet. */
  @state() private pending = 0;

  private readonly replies = new Map<string, Replies>();
  private readonly byId = new Map<string, ThreadComment>();
  /**
   * Aborts the reads that a new first page makes stale: the thread's, and those of its list (a
   * page, replies). Their answers are dropped even when a backend ignores it.
   */
  private reads = new AbortController();
  private focusAfterUpdate?: string;
  private focusedBeforeUpdate?: Element | null;
  private reportLoad?: Promise<void>;
  /** The report form is to take focus once its chunk is there. */
  private focusReport = false;
  private sliceScheduled = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
    window.addEventListener('hashchange', this.onHashChange);
    this.scheduleSlice();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Also waits for the report form's chunk when one is shown. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    if (this.reportLoad) {
      await this.reportLoad.catch(() => undefined);
      this.reportLoad = undefined;
      complete = (await super.getUpdateComplete()) && complete;
      await this.renderRoot.querySelector<CivicReportForm>('civic-report-form')?.updateComplete;
    }
    return complete;
  }

  private readonly onOnline = (): void => {
    if (this.loadError?.transient) void this.load();
  };

  private readonly onHashChange = (): void => void this.followPermalink();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('thread') && changed.get('thread') !== undefined) this.reset();
    else if (changed.has('sort') && changed.get('sort') !== undefined) void this.loadComments();
    this.followPosts();
    this.focusedBeforeUpdate = this.shadowRoot?.activeElement;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('thread') && changed.get('thread') !== undefined) void this.load();
    const report = this.focusReport ? this.renderRoot.querySelector<HTMLElement>('civic-report-form') : null;
    if (report && customElements.get('civic-report-form')) {
      this.focusReport = false;
      report.focus();
    }
    const wanted = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    focusAfterRender(this.renderRoot, wanted, this.focusedBeforeUpdate, '#title');
    this.scheduleSlice();
  }

  /** The top-level list, while comments are still to come at its end. */
  private get growingList(): Element | null | undefined {
    return this.pending ? this.renderRoot.querySelector('section > ol') : undefined;
  }

  /**
   * Renders the next slice of the list: at once while its end is in view (the screen is never
   * painted with comments missing), else when the browser is idle, until every comment is in.
   */
  private scheduleSlice(): void {
    const list = this.growingList?.getBoundingClientRect();
    if (this.sliceScheduled || !list || !this.isConnected) return;
    this.sliceScheduled = true;
    const inView = list.bottom < innerHeight && list.bottom > 0;
    const next = () => {
      this.sliceScheduled = false;
      // A thread taken off the page goes on where it was when it is back (connectedCallback).
      if (this.isConnected) this.nextSlice(inView ? SLICE : IDLE_SLICE);
    };
    // In view: after this update, before the frame is painted.
    if (inView) void this.updateComplete.then(next);
    else if ('requestIdleCallback' in window) requestIdleCallback(next, { timeout: 100 });
    // Safari has no requestIdleCallback; a timeout lets a frame be painted between slices.
    else setTimeout(next, 16);
  }

  private nextSlice(count = SLICE): void {
    this.pending = Math.max(0, this.pending - count);
  }

  /** Tab never runs out of comments: focus in the last one rendered brings the next ones in. */
  private onFocusIn(event: Event): void {
    if (this.growingList?.lastElementChild?.contains(event.target as Node)) this.nextSlice();
  }

  /** Renders the list down to a comment (or the comment its reply hangs from). */
  private reveal(id: string): void {
    let comment = this.byId.get(id);
    while (comment?.parentId && this.byId.has(comment.parentId)) comment = this.byId.get(comment.parentId);
    const index = this.comments.findIndex((item) => item.id === comment?.id);
    if (index >= 0) this.pending = Math.min(this.pending, this.comments.length - index - 1);
  }

  /** Focus goes to a comment, or to one of its controls, once it is rendered. */
  private focusComment(id: string, control?: string): void {
    this.reveal(id);
    this.focusAfterUpdate = `#${CSS.escape(commentAnchor(id))} ${control ?? ''}`;
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.data = this.loadError = this.moreError = this.linked = this.nextCursor = undefined;
    this.comments = [];
    this.pending = 0;
    this.arrivals = [];
    this.replies.clear();
    this.byId.clear();
    this.replyTo = this.editing = this.confirmingDelete = this.reporting = undefined;
    this.errors = new Map();
    this.notes = new Map();
  }

  private async load(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.thread;
    if (!domain || !id) return;
    // A first page: the reads under way are stale.
    this.reads.abort();
    const { signal } = (this.reads = new AbortController());
    this.loadError = undefined;
    // What the outbox holds already (earlier on this page) is history, not news.
    this.posts.markSeen();
    try {
      const answers = Promise.all([
        domain.getThread(id, { signal }),
        domain.list(id, { sort: this.sort, limit: this.pageSize }, { signal }),
        // The session only decides whether to offer the composer to an anonymous participant.
        this.adapterController.adapter?.session?.current({ signal }).catch(() => undefined),
      ]);
      prepareFormatters();
      const [data, page, session] = await answers;
      if (signal.aborted) return;
      this.data = data;
      this.session = session;
      this.replies.clear();
      this.byId.clear();
      this.arrivals = [];
      this.comments = this.index(page.items);
      this.pending = Math.max(0, this.comments.length - SLICE);
      this.nextCursor = page.nextCursor;
      await this.updateComplete;
      await this.followPermalink();
    } catch (thrown) {
      if (signal.aborted) return;
      this.loadError = CivicError.from(thrown);
      this.reportError(this.loadError, 'load');
    }
  }

  /** The first page again, in the current order. */
  private async loadComments(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.thread;
    if (!domain || !id || !this.data) return;
    // A first page: the reads under way are stale.
    this.reads.abort();
    const { signal } = (this.reads = new AbortController());
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const page = await domain.list(id, { sort: this.sort, limit: this.pageSize }, { signal });
      if (signal.aborted) return;
      this.replies.clear();
      this.byId.clear();
      if (this.linked) this.byId.set(this.linked.id, this.linked);
      this.arrivals = [];
      this.comments = this.index(page.items);
      this.pending = Math.max(0, this.comments.length - SLICE);
      this.nextCursor = page.nextCursor;
    } catch (thrown) {
      if (signal.aborted) return;
      this.moreError = CivicError.from(thrown);
      this.reportError(this.moreError, 'load');
    } finally {
      if (!signal.aborted) this.loadingMore = false;
    }
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.thread;
    const cursor = this.nextCursor;
    if (!domain || !id || !cursor || this.loadingMore) return;
    const signal = this.reads.signal;
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const page = await domain.list(id, { sort: this.sort, limit: this.pageSize, cursor }, { signal });
      if (signal.aborted) return;
      const fresh = this.index(page.items);
      this.comments = [...this.comments, ...fresh];
      // What was still to come of earlier pages goes in now, before the first new comment takes focus.
      this.pending = Math.max(0, fresh.length - SLICE);
      this.nextCursor = page.nextCursor;
      if (fresh[0]) this.focusComment(fresh[0].id);
    } catch (thrown) {
      if (signal.aborted) return;
      this.moreError = CivicError.from(thrown);
      this.reportError(this.moreError, 'load');
    } finally {
      if (!signal.aborted) this.loadingMore = false;
    }
  }

  private async loadReplies(parent: ThreadComment, more = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.thread;
    if (!domain || !id) return;
    const replies = this.replies.get(parent.id) ?? { items: [], open: true, loading: false };
    replies.open = true;
    replies.loading = true;
    replies.error = undefined;
    this.replies.set(parent.id, replies);
    this.requestUpdate();
    const signal = this.reads.signal;
    try {
      // Replies are read in the order of the conversation, whatever the thread's sort.
      const page = await domain.list(id, { parentId: parent.id, sort: 'oldest', limit: this.pageSize, cursor: more ? replies.nextCursor : undefined }, { signal });
      if (signal.aborted) return;
      const fresh = this.index(page.items);
      replies.items = more ? [...replies.items, ...fresh] : fresh;
      replies.nextCursor = page.nextCursor;
      if (more && fresh[0]) this.focusComment(fresh[0].id);
    } catch (thrown) {
      if (signal.aborted) return;
      replies.error = CivicError.from(thrown);
      this.reportError(replies.error, 'load');
    } finally {
      replies.loading = false;
      this.requestUpdate();
    }
  }

  /** Remembers comments by id, leaving out those already shown (a page may overlap news). */
  private index(items: ThreadComment[]): ThreadComment[] {
    const fresh = items.filter((comment) => !this.byId.has(comment.id));
    for (const comment of fresh) this.byId.set(comment.id, comment);
    return fresh;
  }

  /** Scrolls to and focuses the comment the page's address names, fetching it when needed. */
  private async followPermalink(): Promise<void> {
    const match = /^#comment-(.+)$/.exec(location.hash);
    const domain = this.adapterController.domain;
    if (!match || !domain || !this.data) return;
    let id: string;
    try {
      id = decodeURIComponent(match[1]!);
    } catch {
      return;
    }
    if (!this.byId.has(id)) {
      let comment: ThreadComment;
      try {
        comment = await domain.get(id);
      } catch {
        // A link to a comment that is gone: the thread itself is still worth reading.
        return;
      }
      if (comment.threadId !== this.thread) return;
      const parent = comment.parentId ? this.byId.get(comment.parentId) : undefined;
      if (parent) await this.loadReplies(parent);
      if (!this.byId.has(id)) {
        this.byId.set(id, comment);
        this.linked = comment;
      }
    }
    this.reveal(id);
    await this.updateComplete;
    const article = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(commentAnchor(id))}`);
    if (!article) return;
    article.scrollIntoView({ block: 'start' });
    article.focus({ preventScroll: true });
  }


  // ------------------------------------------------------------------ state

  private get isOpen(): boolean {
    return !!this.data && !this.data.closed;
  }

  private get needsVerification(): boolean {
    return this.data?.requiredVerification === 'verified' && this.session?.verification !== 'verified';
  }

  private get canWrite(): boolean {
    return this.isOpen && !this.needsVerification;
  }

  private canChange(comment: ThreadComment): boolean {
    if (!comment.mine || comment.deleted || comment.moderation === 'hidden' || !this.isOpen) return false;
    const window = (this.data?.editWindowSeconds ?? 0) * 1000;
    return Date.now() < Date.parse(comment.createdAt) + window;
  }

  /** Puts a new version of a comment wherever it is shown. */
  private replace(comment: ThreadComment): void {
    const swap = (list: ThreadComment[]) => list.map((item) => (item.id === comment.id ? comment : item));
    this.byId.set(comment.id, comment);
    this.comments = swap(this.comments);
    for (const replies of this.replies.values()) replies.items = swap(replies.items);
    if (this.linked?.id === comment.id) this.linked = comment;
    this.arrivals = swap(this.arrivals);
    this.requestUpdate();
  }

  /** Takes a deleted comment away, or leaves a placeholder when it has replies to keep readable. */
  private removeComment(comment: ThreadComment): void {
    if (comment.replies > 0) {
      this.replace({ ...comment, deleted: true, body: '', authorName: undefined, stance: undefined, mine: false });
    } else {
      const keep = (list: ThreadComment[]) => list.filter((item) => item.id !== comment.id);
      // One of the comments still to come: one fewer to come.
      if (this.comments.findIndex((item) => item.id === comment.id) >= this.comments.length - this.pending) this.pending--;
      this.byId.delete(comment.id);
      this.comments = keep(this.comments);
      for (const replies of this.replies.values()) replies.items = keep(replies.items);
      if (this.linked?.id === comment.id) this.linked = undefined;
      const parent = comment.parentId ? this.byId.get(comment.parentId) : undefined;
      if (parent) this.replace({ ...parent, replies: Math.max(0, parent.replies - 1) });
    }
    if (this.data) this.data = { ...this.data, comments: Math.max(0, this.data.comments - 1) };
  }

  /** Shows a comment that is new to this page where it belongs. */
  private insert(comment: ThreadComment): void {
    if (this.byId.has(comment.id)) {
      this.replace(comment);
      return;
    }
    this.byId.set(comment.id, comment);
    this.arrivals = this.arrivals.filter((item) => item.id !== comment.id);
    const parent = comment.parentId ? this.byId.get(comment.parentId) : undefined;
    if (comment.parentId) {
      if (parent) this.replace({ ...parent, replies: parent.replies + 1 });
      const replies = this.replies.get(comment.parentId);
      if (replies?.open) replies.items = [...replies.items, comment];
      else if (parent) this.replies.set(comment.parentId, { items: [comment], open: true, loading: false, nextCursor: replies?.nextCursor });
    } else {
      this.comments = this.sort === 'newest' ? [comment, ...this.comments] : [...this.comments, comment];
    }
    if (this.data && comment.moderation === 'published') this.data = { ...this.data, comments: this.data.comments + 1 };
    this.requestUpdate();
  }

  private receive(event: CommentLiveEvent): void {
    const comment = event.comment;
    if (comment.threadId !== this.thread) return;
    const known = this.byId.get(comment.id);
    if (event.type === 'created') {
      if (known || this.arrivals.some((item) => item.id === comment.id)) return;
      this.arrivals = [...this.arrivals, comment];
      return;
    }
    if (!known) return;
    // Broadcasts are what everyone sees: what is the reader's own stays as it was.
    if (event.type === 'updated') this.replace({ ...comment, mine: known.mine, supportedByMe: known.supportedByMe });
    else this.removeComment(known);
  }

  private showArrivals(): void {
    const arrivals = this.arrivals;
    this.arrivals = [];
    for (const comment of arrivals) this.insert(comment);
    const first = arrivals.find((comment) => this.byId.has(comment.id));
    if (first) this.focusComment(first.id);
    this.announcement = '';
  }

  /** Acts once on each change of this thread's new comments: events, focus, the list. */
  private followPosts(): void {
    const threadId = this.thread;
    if (!threadId) return;
    for (const { entry, before, nowWaiting } of this.posts.changes()) {
      if (entry.status === 'sent') {
        const comment = { ...(entry.result as ThreadComment), mine: true };
        this.insert(comment);
        this.announcement =
          comment.moderation === 'pending' ? msg('Your comment is awaiting moderation.') : msg('Your comment is published.');
        if (this.matches(':focus-within') || before === 'sending') this.focusComment(comment.id);
        this.emit('civic-comment', { threadId, comment, status: 'sent' });
      } else if (nowWaiting) {
        this.emit('civic-comment', { threadId, status: 'waiting' });
      } else if (entry.status === 'failed' && entry.lastError) {
        this.takeBack(entry);
      }
    }
  }

  /** A refused comment goes back into its composer, with what to fix: nothing typed is lost. */
  private takeBack(entry: OutboxEntry<CommentInput>): void {
    const error = new CivicError(entry.lastError!.kind, entry.lastError!.message, { fieldErrors: entry.lastError!.fieldErrors });
    this.reportError(error, 'submit');
    const { body, stance, parentId } = entry.payload;
    const key = parentId ?? NEW;
    if (parentId) {
      this.replyTo = parentId;
      this.reveal(parentId);
    }
    const draft = parentId ? this.replyDraft : this.newDraft;
    if (!draft.value?.body.trim()) draft.save({ body, stance });
    const fields = error.fieldErrors ?? {};
    this.setErrors(key, {
      body: fields.body,
      stance: fields.stance,
      form: fields.body || fields.stance ? undefined : describeError(error),
    });
    void this.posts.discard(entry.id);
    this.focusAfterUpdate = fields.stance || fields.body ? `#${prefix(key)}-summary` : `#${prefix(key)}-body`;
    if (error.kind === 'closed') void this.load();
  }

  private setErrors(key: string, errors: FieldErrors | undefined): void {
    const next = new Map(this.errors);
    if (errors && (errors.body || errors.stance || errors.form)) next.set(key, errors);
    else next.delete(key);
    this.errors = next;
  }

  private note(id: string, text: string | undefined, alert = false): void {
    const next = new Map(this.notes);
    if (text) next.set(id, { text, alert });
    else next.delete(id);
    this.notes = next;
  }

  // ------------------------------------------------------------------ citizen actions

  private draftFor(key: string): DraftController<CommentDraft> {
    return key === NEW ? this.newDraft : this.replyDraft;
  }

  private type(key: string, change: Partial<CommentDraft>): void {
    const draft = this.draftFor(key);
    draft.save({ body: '', ...draft.value, ...change });
    const errors = this.errors.get(key);
    if (errors) this.setErrors(key, { ...errors, form: undefined, ...('body' in change ? { body: undefined } : { stance: undefined }) });
    this.requestUpdate();
  }

  private togglePreview(key: string): void {
    const next = new Set(this.preview);
    if (!next.delete(key)) next.add(key);
    this.preview = next;
  }

  private submit(event: Event, key: string): void {
    event.preventDefault();
    const thread = this.data;
    if (!thread) return;
    const draft = this.draftFor(key).value ?? { body: '' };
    const errors: FieldErrors = {
      body: bodyError(draft.body),
      stance: thread.stances && !draft.stance ? msg('Choose your position: for, against or neutral.') : undefined,
    };
    if (errors.body || errors.stance) {
      this.setErrors(key, errors);
      this.focusAfterUpdate = `#${prefix(key)}-summary`;
      return;
    }
    this.setErrors(key, undefined);
    const input: CommentInput = { body: draft.body.trim() };
    if (thread.stances) input.stance = draft.stance;
    if (key !== NEW) input.parentId = key;
    const { entry } = this.posts.submit(input);
    if (entry.status === 'waiting') {
      this.emit('civic-comment', { threadId: thread.id, status: 'waiting' });
    }
    // The outbox keeps the comment now, on the device too.
    this.draftFor(key).clear();
    const preview = new Set(this.preview);
    preview.delete(key);
    this.preview = preview;
    if (key !== NEW) {
      this.replyTo = undefined;
      this.focusComment(key, '[data-action=reply]');
    }
    this.requestUpdate();
  }

  private toggleSupport(comment: ThreadComment): void {
    const threadId = this.thread;
    if (!threadId) return;
    const support = !comment.supportedByMe;
    this.replace({ ...comment, supportedByMe: support, supports: Math.max(0, comment.supports + (support ? 1 : -1)) });
    this.note(comment.id, undefined);
    this.emit('civic-comment-support', { threadId, commentId: comment.id, supported: support });
    this.actions.submit({ op: 'react', id: comment.id, support }).settled.then(
      (result) => {
        const current = this.byId.get(comment.id);
        if (current) this.replace({ ...current, supports: (result as ThreadComment).supports, supportedByMe: (result as ThreadComment).supportedByMe });
      },
      (thrown: unknown) => {
        // Back to what the server has; say why.
        const current = this.byId.get(comment.id);
        if (current) this.replace({ ...current, supportedByMe: comment.supportedByMe, supports: comment.supports });
        if (thrown instanceof CivicError) {
          this.reportError(thrown, 'support');
          this.note(comment.id, msg(str`Your support could not be recorded: ${describeError(thrown)}`), true);
        }
      },
    );
  }

  private startEdit(comment: ThreadComment): void {
    this.editing = { id: comment.id, body: comment.body };
    this.confirmingDelete = this.reporting = undefined;
    this.focusAfterUpdate = '#edit-body';
  }

  private cancelEdit(): void {
    const id = this.editing?.id;
    this.editing = undefined;
    if (id) this.focusComment(id, '[data-action=edit]');
  }

  private saveEdit(event: Event): void {
    event.preventDefault();
    const editing = this.editing;
    if (!editing || editing.entryId) return;
    const error = bodyError(editing.body);
    if (error) {
      this.editing = { ...editing, error };
      this.focusAfterUpdate = '#edit-body';
      return;
    }
    const { entry, settled } = this.actions.submit({ op: 'edit', id: editing.id, body: editing.body.trim() });
    const entryId = entry.id;
    this.editing = { ...editing, error: undefined, entryId };
    settled.then(
      (result) => {
        this.replace({ ...(result as ThreadComment), mine: true });
        if (this.editing?.id === editing.id) {
          this.editing = undefined;
          this.focusComment(editing.id);
        }
        this.announcement = msg('Your comment is updated.');
      },
      (thrown: unknown) => {
        if (this.editing?.id !== editing.id || !(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'edit');
        this.editing = { ...this.editing, entryId: undefined, error: thrown.fieldErrors?.body ?? describeError(thrown) };
        void this.actions.discard(entryId);
        this.focusAfterUpdate = '#edit-body';
      },
    );
  }

  private deleteComment(comment: ThreadComment): void {
    this.confirmingDelete = undefined;
    this.actions.submit({ op: 'remove', id: comment.id }).settled.then(
      () => {
        this.removeComment(comment);
        this.announcement = msg('Your comment is deleted.');
        this.focusAfterUpdate = '#title';
      },
      (thrown: unknown) => {
        if (!(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'delete');
        this.note(comment.id, msg(str`Your comment could not be deleted: ${describeError(thrown)}`), true);
      },
    );
  }

  private startReport(comment: ThreadComment): void {
    this.reporting = comment.id;
    this.editing = this.confirmingDelete = undefined;
    this.focusReport = true;
    this.reportLoad = defineReportForm().then(
      () => this.requestUpdate(),
      (cause: unknown) => {
        this.reporting = undefined;
        this.note(comment.id, describeError(new CivicError('network', 'The report form could not be loaded', { cause })), true);
      },
    );
  }

  private sendReport(comment: ThreadComment, report: ReportInput): void {
    const threadId = this.thread;
    if (!threadId) return;
    this.emit('civic-comment-report', { threadId, commentId: comment.id, reason: report.reason });
    this.reporting = undefined;
    this.note(comment.id, msg('Sending your report…'));
    this.focusComment(comment.id, '[data-action=report]');
    this.actions.submit({ op: 'report', id: comment.id, report }).settled.then(
      () => this.note(comment.id, msg('Thank you: the moderators will look at this comment.')),
      (thrown: unknown) => {
        if (!(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'report');
        this.note(comment.id, msg(str`Your report could not be sent: ${describeError(thrown)}`), true);
      },
    );
  }

  /**
   * One listener for the buttons of every comment: templates stay cheap on long threads. A button
   * acts on the comment it is in, or on the one its `data-id` names (below the comment's replies).
   */
  private onListClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const id = button?.dataset.id ?? button?.closest('article')?.id.slice(commentAnchor('').length);
    const comment = id ? this.byId.get(id) : undefined;
    if (!button || !comment) return;
    const selector = `#${CSS.escape(commentAnchor(comment.id))} [data-action=${button.dataset.action}]`;
    switch (button.dataset.action) {
      case 'support':
        return this.toggleSupport(comment);
      case 'reply':
        this.replyTo = this.replyTo === comment.id ? undefined : comment.id;
        this.setErrors(comment.id, undefined);
        this.focusAfterUpdate = this.replyTo ? '#reply-body' : selector;
        return;
      case 'replies': {
        const replies = this.replies.get(comment.id);
        if (replies?.open) {
          replies.open = false;
          this.requestUpdate();
        } else if (replies && replies.items.length >= Math.min(comment.replies, this.pageSize)) {
          replies.open = true;
          this.requestUpdate();
        } else {
          void this.loadReplies(comment);
        }
        return;
      }
      case 'more-replies':
        return void this.loadReplies(comment, true);
      case 'edit':
        return this.startEdit(comment);
      case 'delete':
        this.confirmingDelete = comment.id;
        this.editing = this.reporting = undefined;
        this.focusAfterUpdate = '#confirm-delete';
        return;
      case 'confirm-delete':
        return this.deleteComment(comment);
      case 'keep':
        this.confirmingDelete = undefined;
        this.focusAfterUpdate = selector.replace('keep', 'delete');
        return;
      case 'report':
        if (this.reporting === comment.id) {
          this.reporting = undefined;
          this.focusAfterUpdate = selector;
        } else {
          this.startReport(comment);
        }
        return;
    }
  }

  // ------------------------------------------------------------------ rendering

  private renderHeader(thread: Thread) {
    return html`<header part="header">
      ${heading(this.headingLevel, thread.title || msg('Comments'), { id: 'title', part: 'title', focusable: true })}
      <p part="count" id="count">${countText(thread.comments)}</p>
    </header>`;
  }

  private renderToolbar() {
    return html`<div class="toolbar">
      <label for="sort">${msg('Sort comments')}</label>
      <select id="sort" part="sort input" @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as CommentSort)}>
        ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === this.sort}>${sortLabel(sort)}</option>`)}
      </select>
    </div>`;
  }

  private required() {
    return requiredMark(msg('(required)'));
  }

  /** The fields to fix in a composer, in the order they come, each a link to its field. */
  private renderSummary(id: string, errors: FieldErrors, draft: CommentDraft) {
    const items = [];
    if (errors.stance) items.push({ id: `${id}-stance-${draft.stance ?? STANCES[0]}`, label: msg('Your position'), error: errors.stance });
    if (errors.body) items.push({ id: `${id}-body`, label: id === NEW ? msg('Your comment') : msg('Your reply'), error: errors.body });
    return errorSummary(this.renderRoot, msg('Check these fields before posting:'), items, `${id}-summary`);
  }

  private renderComposer(key: string) {
    const thread = this.data!;
    const draft = this.draftFor(key).value ?? { body: '' };
    const errors = this.errors.get(key) ?? {};
    const reply = key !== NEW;
    const id = prefix(key);
    const length = draft.body.trim().length;
    const left = COMMENT_MAX_LENGTH - length;
    const near = left <= COUNTER_NEAR;
    const previewing = this.preview.has(key);
    const describedBy = [`${id}-help`, `${id}-counter`, errors.body ? `${id}-body-error` : ''].join(' ').trim();
    const pending = this.posts.entries.find((entry) => entry.status === 'sending' && (entry.payload.parentId ?? NEW) === key);
    return html`<form part="form" class="composer" novalidate aria-labelledby=${`${id}-legend`} @submit=${(event: Event) => this.submit(event, key)}>
      <p id=${`${id}-legend`} class="visually-hidden">${reply ? msg('Reply') : msg('Add a comment')}</p>
      ${this.renderSummary(id, errors, draft)}
      ${errors.form ? html`<p class="field-error" role="alert">${errors.form}</p>` : nothing}
      ${thread.stances
        ? html`<fieldset id=${`${id}-stance`} aria-describedby=${errors.stance ? `${id}-stance-error` : nothing}>
            <legend>${msg('Your position')}${this.required()}</legend>
            ${errors.stance ? html`<p id=${`${id}-stance-error`} class="field-error">${errors.stance}</p>` : nothing}
            <div class="choices">
              ${STANCES.map(
                (stance) => html`<label>
                  <input
                    part="input"
                    type="radio"
                    id=${`${id}-stance-${stance}`}
                    name=${`${id}-stance`}
                    required
                    .value=${stance}
                    .checked=${draft.stance === stance}
                    aria-invalid=${errors.stance ? 'true' : nothing}
                    aria-describedby=${errors.stance ? `${id}-stance-error` : nothing}
                    @change=${() => this.type(key, { stance })}
                  />
                  ${stanceLabel(stance)}
                </label>`,
              )}
            </div>
          </fieldset>`
        : nothing}
      <label for=${`${id}-body`}>${reply ? msg('Your reply') : msg('Your comment')}${this.required()}</label>
      <p id=${`${id}-help`} class="hint">
        ${msg('You can write **bold**, *italic*, [a link](https://example.org) and lists (lines starting with "- "). Leave a blank line between paragraphs.')}
      </p>
      <textarea
        id=${`${id}-body`}
        part="input"
        required
        rows=${reply ? 3 : 5}
        .value=${draft.body}
        aria-invalid=${errors.body ? 'true' : nothing}
        aria-describedby=${describedBy}
        @input=${(event: Event) => this.type(key, { body: (event.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${errors.body ? html`<p id=${`${id}-body-error`} class="field-error">${errors.body}</p>` : nothing}
      <p id=${`${id}-counter`} class="hint counter" ?data-over=${left < 0}>
        ${msg(str`${formatNumber(length)} of ${formatNumber(COMMENT_MAX_LENGTH)} characters`)}
      </p>
      <p class="visually-hidden" aria-live="polite">
        ${near ? (left >= 0 ? msg(str`${formatNumber(left)} characters left`) : msg(str`${formatNumber(-left)} characters over the limit`)) : ''}
      </p>
      <div class="actions">
        <button type="submit" part="button" class="primary">${reply ? msg('Post reply') : msg('Post comment')}</button>
        <button type="button" part="button" aria-pressed=${previewing ? 'true' : 'false'} @click=${() => this.togglePreview(key)}>
          ${msg('Preview')}
        </button>
        ${reply
          ? html`<button type="button" part="button" @click=${() => {
              this.replyTo = undefined;
              this.focusComment(key, '[data-action=reply]');
            }}>${msg('Cancel')}</button>`
          : nothing}
      </div>
      ${previewing
        ? html`<section part="preview" aria-label=${msg('Preview')}>
            ${draft.body.trim() ? citizenText(draft.body) : html`<p class="hint">${msg('Nothing to preview yet.')}</p>`}
          </section>`
        : nothing}
      <div part="status" role="status">${pending ? this.renderStatus(pending) : nothing}</div>
    </form>`;
  }

  private renderStatus(entry: OutboxEntry) {
    if (entry.status === 'waiting' && entry.lastError?.kind === 'rate-limited') {
      return html`<p part="submission-status" data-status="waiting">
        ${msg('You are posting faster than this discussion allows. Your comment is kept on this device and will be sent automatically in a moment.')}
      </p>`;
    }
    return this.outboxStatus(this.posts, entry);
  }

  /** What became of a write kept by an outbox, with its retry and discard buttons. */
  private outboxStatus(outbox: Pick<OutboxController, 'retry' | 'discard'>, entry: OutboxEntry) {
    return renderSubmissionStatus(entry, {
      onRetry: (item) => void outbox.retry(item.id),
      onDiscard: (item) => void outbox.discard(item.id),
      locale: this.localeController.locale,
    });
  }

  /** Comments kept on the device until they can be sent, each with its text. */
  private renderWaiting() {
    const waiting = this.posts.entries.filter((entry) => entry.status === 'waiting').reverse();
    if (waiting.length === 0) return nothing;
    return html`<section class="waiting" aria-labelledby="waiting-title">
      <p id="waiting-title"><strong>${msg('Not sent yet')}</strong></p>
      ${waiting.map(
        (entry) => html`<div>
          <div part="body">${citizenText(entry.payload.body)}</div>
          <div part="status" role="status">${this.renderStatus(entry)}</div>
        </div>`,
      )}
    </section>`;
  }

  private renderWrite() {
    const thread = this.data!;
    if (thread.closed) {
      return html`<p part="notice">${msg('This discussion is closed: comments can still be read, but no new ones are accepted.')}</p>`;
    }
    if (this.needsVerification) {
      return html`<p part="notice">${msg('This discussion is for residents whose identity the town’s site has confirmed. Sign in on the town’s site, then come back to this page to comment.')}</p>`;
    }
    return html`${this.renderWaiting()} ${this.renderComposer(NEW)}`;
  }

  /** The rows of a list: comments at the deepest level bring their replies beside them. */
  private rows(items: ThreadComment[], depth: number, out: Row[] = [], inReplyTo?: string): Row[] {
    for (const comment of items) {
      out.push({ comment, depth, inReplyTo: inReplyTo ?? (depth > MAX_REPLY_DEPTH ? comment.inReplyTo?.authorName : undefined) });
      const replies = this.replies.get(comment.id);
      if (depth >= MAX_REPLY_DEPTH && replies?.open) this.rows(replies.items, depth + 1, out, authorOf(comment) || msg('a removed comment'));
    }
    return out;
  }

  private renderList(items: ThreadComment[], depth: number): TemplateResult {
    return html`<ol part="list">
      ${repeat(
        this.rows(items, depth),
        (row) => row.comment.id,
        (row) => guard(this.rowState(row), () => this.renderItem(row)),
      )}
    </ol>`;
  }

  /**
   * Everything a comment's template reads. While none of it changes, the comment is not rendered
   * again: typing in the composer or rendering the next slice of a long page leaves the others be.
   * A comment with a form or its replies open reads too much to list, and is rendered every time.
   * Its relative date ("3 minutes ago") is brought up to date whenever it is rendered again.
   */
  private rowState({ comment, depth, inReplyTo }: Row): unknown[] {
    const id = comment.id;
    const busy = this.replyTo === id || this.editing?.id === id || this.reporting === id || this.replies.get(id)?.open;
    return [
      busy ? {} : comment,
      depth,
      inReplyTo,
      this.localeController.locale,
      this.canWrite,
      this.canChange(comment),
      this.confirmingDelete === id,
      this.notes.get(id),
    ];
  }

  /*
   * A page may hold hundreds of comments: the usual one (published, on an open thread) is a
   * single template with its support, reply and report buttons in one more, and every rarer
   * piece (a form, a note, a confirmation) is a hole that costs nothing until it is shown.
   */
  private renderItem({ comment, depth, inReplyTo }: Row): TemplateResult {
    const id = comment.id;
    const anchor = commentAnchor(id);
    const replies = this.replies.get(id);
    const open = !!replies?.open;
    const after = open ? (depth < MAX_REPLY_DEPTH ? this.renderReplies(comment, replies!, depth + 1) : this.renderRepliesFooter(comment, replies!)) : nothing;
    if (comment.deleted || comment.moderation === 'hidden') {
      return html`<li>
        <article id=${anchor} part="comment" tabindex="-1" aria-labelledby=${`${anchor}-placeholder`}>
          <p part="placeholder" class="placeholder" id=${`${anchor}-placeholder`}>
            ${comment.deleted ? msg('Comment deleted by its author') : msg('Hidden by moderation')}
          </p>
          ${this.renderNote(id)}
          <p part="actions" class="actions">${this.renderRepliesToggle(comment, open)}</p>
          ${this.replyTo === id ? this.renderComposer(id) : nothing}
        </article>
        ${after}
      </li>`;
    }
    const exact = formatDateTime(comment.createdAt);
    const relative = formatRelative(comment.createdAt);
    const editing = this.editing?.id === id;
    const author = authorOf(comment);
    return html`<li>
      <article id=${anchor} part="comment" tabindex="-1" aria-labelledby=${`${anchor}-by ${anchor}-at`}>
        <p part="meta" class="meta">
          <span class="author" id=${`${anchor}-by`}>${comment.mine ? `${author} ${msg('(you)')}` : author}</span>
          <a href=${`#${anchor}`} id=${`${anchor}-at`} aria-label=${`${relative} (${exact})`}
            ><time datetime=${comment.createdAt} title=${exact}>${relative}</time></a
          >
          ${comment.stance ? html`<span class="stance" data-stance=${comment.stance}>${stanceLabel(comment.stance)}</span>` : nothing}
          ${comment.editedAt ? html`<span>${msg('edited')}</span>` : nothing}
        </p>
        ${inReplyTo ? html`<p part="meta" class="meta">${msg(str`In reply to ${inReplyTo}`)}</p>` : nothing}
        ${editing ? this.renderEdit() : nothing}
        <div part="body" ?hidden=${editing}>${editing ? nothing : citizenText(comment.body)}</div>
        ${comment.mine && comment.moderation === 'pending'
          ? html`<p part="notice">${msg('Your comment is awaiting moderation: only you can see it until a moderator approves it.')}</p>`
          : nothing}
        ${this.renderNote(id)}
        <p part="actions" class="actions">
          ${this.renderActions(comment)}
          ${this.canChange(comment) && !editing
            ? html`<button type="button" part="button" data-action="edit">${msg('Edit')}</button>
                <button type="button" part="button" data-action="delete">${msg('Delete')}</button>`
            : nothing}
          ${this.renderRepliesToggle(comment, open)}
        </p>
        ${this.confirmingDelete === id
          ? html`<div role="group" aria-labelledby=${`${anchor}-confirm`} class="waiting">
              <p id=${`${anchor}-confirm`}>${msg('Delete this comment? This cannot be undone.')}</p>
              <p class="actions">
                <button id="confirm-delete" type="button" part="button" data-action="confirm-delete">${msg('Delete')}</button>
                <button type="button" part="button" data-action="keep">${msg('Keep it')}</button>
              </p>
            </div>`
          : nothing}
        ${this.reporting === id
          ? html`<civic-report-form
              exportparts="form, input, button"
              question=${msg('Why are you reporting this comment?')}
              @civic-report-submit=${(event: CustomEvent<ReportInput>) => this.sendReport(comment, event.detail)}
              @civic-report-cancel=${() => {
                this.reporting = undefined;
                this.focusAfterUpdate = `#${CSS.escape(anchor)} [data-action=report]`;
              }}
            ></civic-report-form>`
          : nothing}
        ${this.replyTo === id ? this.renderComposer(id) : nothing}
      </article>
      ${after}
    </li>`;
  }

  /** Support, reply and report: one template for the buttons most comments show. */
  private renderActions(comment: ThreadComment) {
    const id = comment.id;
    if (!this.canWrite) return html`<span class="hint">${supportsText(comment.supports)}</span>`;
    const support = comment.supportedByMe ? 'true' : 'false';
    const replying = this.replyTo === id ? 'true' : 'false';
    const supports = formatNumber(comment.supports);
    // Short visible labels; their names say whose comment they act on, a list of buttons tells them apart.
    const author = authorOf(comment);
    const whose = html`<span class="visually-hidden"> ${msg(str`${author}’s comment`)}</span>`;
    const buttons = html`<button type="button" part="button support" data-action="support" aria-pressed=${support}>
        ${msg('Support')}${whose} <span>${supports}</span>
      </button>
      <button type="button" part="button" data-action="reply" aria-expanded=${replying}>
        ${msg('Reply')}<span class="visually-hidden"> ${msg(str`to ${author}’s comment`)}</span>
      </button>`;
    if (comment.mine) return buttons;
    return html`${buttons}
      <button type="button" part="button" data-action="report" aria-expanded=${this.reporting === id ? 'true' : 'false'}>
        ${msg('Report')}${whose}
      </button>`;
  }

  private renderRepliesToggle(comment: ThreadComment, open: boolean) {
    if (comment.replies === 0) return nothing;
    return html`<button type="button" part="button" data-action="replies" aria-expanded=${open ? 'true' : 'false'}>
      ${open ? msg('Hide replies') : repliesText(comment.replies)}
    </button>`;
  }

  /** A message under a comment: a support that failed, a report received. */
  private renderNote(id: string) {
    const note = this.notes.get(id);
    if (!note) return nothing;
    return html`<p class=${note.alert ? 'field-error' : 'hint'} role=${note.alert ? 'alert' : 'status'}>${note.text}</p>`;
  }

  private renderReplies(comment: ThreadComment, replies: Replies, depth: number): TemplateResult {
    return html`${replies.items.length > 0 ? this.renderList(replies.items, depth) : nothing} ${this.renderRepliesFooter(comment, replies)}`;
  }

  private renderRepliesFooter(comment: ThreadComment, replies: Replies) {
    if (replies.loading) return html`<p class="loading" role="status">${msg('Loading replies…')}</p>`;
    if (replies.error) return this.renderError(replies.error, () => void this.loadReplies(comment, replies.items.length > 0));
    if (!replies.nextCursor) return nothing;
    return html`<p><button type="button" part="button" data-action="more-replies" data-id=${comment.id}>${msg('Load more replies')}</button></p>`;
  }

  private renderEdit() {
    const editing = this.editing!;
    const entry = editing.entryId ? this.actions.entries.find((item) => item.id === editing.entryId) : undefined;
    return html`<form part="form" novalidate @submit=${this.saveEdit}>
      <label for="edit-body">${msg('Edit your comment')}</label>
      <textarea
        id="edit-body"
        part="input"
        rows="5"
        .value=${editing.body}
        aria-invalid=${editing.error ? 'true' : nothing}
        aria-describedby=${editing.error ? 'edit-error' : nothing}
        @input=${(event: Event) => (this.editing = { ...editing, body: (event.target as HTMLTextAreaElement).value, error: undefined })}
      ></textarea>
      ${editing.error ? html`<p id="edit-error" class="field-error">${editing.error}</p>` : nothing}
      <p class="actions">
        <button type="submit" part="button" class="primary">${msg('Save changes')}</button>
        <button type="button" part="button" @click=${this.cancelEdit}>${msg('Cancel')}</button>
      </p>
      <div part="status" role="status">
        ${entry ? this.outboxStatus(this.actions, entry) : nothing}
      </div>
    </form>`;
  }

  private renderComments(thread: Thread) {
    const arrivals = this.arrivals.length;
    return html`<section aria-labelledby="title" @click=${this.onListClick} @focusin=${this.onFocusIn}>
      ${this.linked
        ? html`<div class="linked">
            <p class="hint">${msg('The comment you followed a link to:')}</p>
            ${this.renderList([this.linked], this.linked.depth ?? 0)}
          </div>`
        : nothing}
      <div class="visually-hidden" aria-live="polite">${arrivals > 0 ? arrivalsText(arrivals) : ''}</div>
      ${arrivals > 0
        ? html`<p>
            <button type="button" part="button new-comments" @click=${this.showArrivals}>
              ${msg(str`${arrivalsText(arrivals)} — show`)}
            </button>
          </p>`
        : nothing}
      ${this.comments.length === 0 && !this.nextCursor
        ? html`<p class="hint">${thread.closed ? msg('No comments.') : msg('No comments yet — be the first.')}</p>`
        : this.renderList(this.pending ? this.comments.slice(0, -this.pending) : this.comments, 0)}
      ${this.moreError
        ? this.renderError(this.moreError, () => void (this.nextCursor ? this.loadMore() : this.loadComments()))
        : this.loadingMore
          ? html`<p class="loading" role="status">${msg('Loading comments…')}</p>`
          : this.nextCursor
            ? html`<p><button type="button" part="button" @click=${this.loadMore}>${msg('Load more comments')}</button></p>`
            : nothing}
    </section>`;
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    if (this.loadError) {
      const error = this.loadError;
      return html`${this.renderError(error, error.transient ? () => void this.load() : undefined)} ${this.renderWaiting()}`;
    }
    const thread = this.data;
    if (!thread) {
      return html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the comments…')}</p>`;
    }
    return html`<div class="thread">
      ${skipPast(msg('Skip past the comments'))} ${this.renderHeader(thread)} ${this.renderWrite()} ${thread.comments > 1 || this.nextCursor ? this.renderToolbar() : nothing}
      ${this.renderComments(thread)}
      <div class="visually-hidden" role="status">${this.announcement}</div>
      ${skipPastEnd(msg('End of the comments'))}
    </div>`;
  }
}
