import { html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  COMMENT_PAGE_SIZE,
  FocusController,
  LiveController,
  OutboxController,
  ResourceController,
  describeError,
  prepareFormatters,
  registerTranslations,
  type CommentDomain,
  type CommentInput,
  type CommentLiveEvent,
  type CommentSort,
  type OutboxEntry,
  type ReportInput,
  type Session,
  type Thread,
  type ThreadComment,
  defineReportForm,
  type CivicReportForm,
  formHelpStyles,
  skipPastStyles,
} from '@civic-widgets/core';
// The comments routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/comments.js';
import { sendCommentAction, type CommentAction } from './comment-action.js';
import { threadStyles } from './comment-thread.styles.js';
import { Composers } from './composers.js';
import { SLICE, ThreadComments } from './thread-comments.js';
import { waitingView } from './views/composer.js';
import { NEW, commentAnchor, prefix, type Editing, type Note, type ThreadContext } from './views/context.js';
import { threadView } from './views/list.js';
import { bodyError } from './wording.js';

registerTranslations('comment-thread', { fr: () => import('./locales/fr.js') });

/** What the thread's read shows: the thread, and whether the participant may write in it. */
interface LoadedThread {
  thread: Thread;
  session?: Session;
}

const POST_KIND = 'comment.post';
const ACTION_KIND = 'comment.action';
/** Comments rendered per idle moment of a long page: about a frame's worth of work on a phone. */
const IDLE_SLICE = 30;

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

  private readonly adapterController = new AdapterController(this, 'comments', () => {
    // Reading starts with the resource, which follows the adapter's domain.
    const error = this.adapterController.error;
    if (error) this.reportError(error, 'load');
  });

  /** The thread and the first page of its comments: read again for another thread or backend. */
  private readonly resource = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.thread] as const,
    task: ([domain, id], signal) => this.load(domain!, id!, signal),
    onReset: () => this.reset(),
    onError: (error) => this.reportError(error, 'load'),
  });

  private readonly focusing = new FocusController(this, '#title');

  private readonly posts = new OutboxController<CommentInput>(this, {
    kind: POST_KIND,
    target: () => this.thread || undefined,
    // The sender serves every thread on the page (the latest registered wins): use the entry's thread.
    send: (entry, options) => this.adapterController.call((domain) => domain.post(entry.target, entry.payload, options)),
  });

  private readonly actions = new OutboxController<CommentAction>(this, {
    kind: ACTION_KIND,
    target: () => this.thread || undefined,
    send: (entry, options) => this.adapterController.call((domain) => sendCommentAction(domain, entry.payload, options)),
  });

  private readonly composers = new Composers(
    this,
    () => this.thread,
    () => this.replyTo,
  );

  protected readonly live = new LiveController<CommentLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.data && this.thread ? `thread:${this.thread}:comments` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

  private readonly list = new ThreadComments(this, {
    sort: () => this.sort,
    recount: (delta) => {
      const loaded = this.resource.value;
      if (loaded) this.resource.set({ ...loaded, thread: { ...loaded.thread, comments: Math.max(0, loaded.thread.comments + delta) } });
    },
  });

  /** The thread's id, e.g. `budget-2027` or `idea:42`. */
  @property({ reflect: true }) thread?: string;

  /** Level of the thread's heading, 2–6: the page around it owns the h1. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Initial order of the comments. */
  @property() sort: CommentSort = 'oldest';

  /** Comments per page (and replies per page). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = COMMENT_PAGE_SIZE;

  @state() private loadingMore = false;
  @state() private moreError?: CivicError;
  @state() private replyTo?: string;
  @state() private editing?: Editing;
  @state() private confirmingDelete?: string;
  @state() private reporting?: string;
  /** A message under a comment: a support that failed, a report received. */
  @state() private notes = new Map<string, Note>();
  /** Polite announcement of the thread (outside of the submission status). */
  @state() private announcement = '';

  /**
   * Aborts the reads of the list (a page, replies, a linked comment) that a new first page makes
   * stale. Apart from the resource's signal: the thread's header stays while its list is read again
   * in another order, and a next page is read long after the first.
   */
  private listReads = new AbortController();
  /** The page's address is to be followed once the thread that was read is rendered. */
  private permalinkDue = false;
  private reportLoad?: Promise<void>;
  /** The report form is to take focus once its chunk is there. */
  private focusReport = false;
  private sliceScheduled = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    this.scheduleSlice();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
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

  private readonly onHashChange = (): void => void this.followPermalink();

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another thread is read whole, in the new order, by the resource.
    if (changed.get('sort') !== undefined && changed.get('thread') === undefined) void this.readPage();
    this.followPosts();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const report = this.focusReport ? this.renderRoot.querySelector<HTMLElement>('civic-report-form') : null;
    if (report && customElements.get('civic-report-form')) {
      this.focusReport = false;
      report.focus();
    }
    if (this.permalinkDue && this.resource.ready) {
      this.permalinkDue = false;
      // Once this update is over: following the link may render more of the list.
      void this.updateComplete.then(() => this.followPermalink());
    }
    this.scheduleSlice();
  }

  /** The top-level list, while comments are still to come at its end. */
  private get growingList(): Element | null | undefined {
    return this.list.pending ? this.renderRoot.querySelector('section > ol') : undefined;
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
      if (this.isConnected) this.list.nextSlice(inView ? SLICE : IDLE_SLICE);
    };
    // In view: after this update, before the frame is painted.
    if (inView) void this.updateComplete.then(next);
    else if ('requestIdleCallback' in window) requestIdleCallback(next, { timeout: 100 });
    // Safari has no requestIdleCallback; a timeout lets a frame be painted between slices.
    else setTimeout(next, 16);
  }

  /** Tab never runs out of comments: focus in the last one rendered brings the next ones in. */
  private readonly onFocusIn = (event: Event): void => {
    if (this.growingList?.lastElementChild?.contains(event.target as Node)) this.list.nextSlice(SLICE);
  };

  /** Focus goes to a comment, or to one of its controls, once it is rendered. */
  private focusComment(id: string, control?: string): void {
    this.list.reveal(id);
    this.focusing.after(`#${CSS.escape(commentAnchor(id))} ${control ?? ''}`);
  }

  // ------------------------------------------------------------------ loading

  private get data(): Thread | undefined {
    return this.resource.value?.thread;
  }

  /** What belonged to the thread shown before: the resource forgets the thread itself. */
  private reset(): void {
    this.listReads.abort();
    this.list.clear();
    this.moreError = undefined;
    this.replyTo = this.editing = this.confirmingDelete = this.reporting = undefined;
    this.composers.clear();
    this.notes = new Map();
  }

  /** A fresh signal for the list's reads, aborting those under way. */
  private restartList(): AbortSignal {
    this.listReads.abort();
    this.listReads = new AbortController();
    return this.listReads.signal;
  }

  private async load(domain: CommentDomain, id: string, signal: AbortSignal): Promise<LoadedThread> {
    // What the outbox holds already (earlier on this page) is history, not news.
    this.posts.markSeen();
    const list = this.restartList();
    const answers = Promise.all([
      domain.getThread(id, { signal }),
      domain.list(id, { sort: this.sort, limit: this.pageSize }, { signal }),
      // The session only decides whether to offer the composer to an anonymous participant.
      this.adapterController.adapter?.session?.current({ signal }).catch(() => undefined),
    ]);
    prepareFormatters();
    const [thread, page, session] = await answers;
    // A backend may answer after all: what it says is not for this thread any more.
    signal.throwIfAborted();
    if (!list.aborted) this.list.show(page);
    this.permalinkDue = true;
    return { thread, session };
  }

  /** Reads the next page, or the first one again when that is what failed. */
  private readonly more = (): void => void this.readPage(this.list.nextCursor);

  /** Reads the next page of comments, or the first one again (in the current order) without a cursor. */
  private async readPage(cursor?: string): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.thread;
    if (!domain || !id || !this.data || (cursor && this.loadingMore)) return;
    const signal = cursor ? this.listReads.signal : this.restartList();
    this.loadingMore = true;
    this.moreError = undefined;
    try {
      const page = await domain.list(id, { sort: this.sort, limit: this.pageSize, cursor }, { signal });
      if (signal.aborted) return;
      if (cursor) {
        const fresh = this.list.append(page);
        if (fresh[0]) this.focusComment(fresh[0].id);
      } else {
        this.list.show(page);
      }
    } catch (thrown) {
      if (signal.aborted) return;
      this.moreError = CivicError.from(thrown);
      this.reportError(this.moreError, 'load');
    } finally {
      if (!signal.aborted) this.loadingMore = false;
    }
  }

  private readonly loadReplies = async (parent: ThreadComment, more = false): Promise<void> => {
    const domain = this.adapterController.domain;
    const id = this.thread;
    if (!domain || !id) return;
    const replies = this.list.replies.get(parent.id) ?? { items: [], open: true, loading: false };
    replies.open = true;
    replies.loading = true;
    replies.error = undefined;
    this.list.replies.set(parent.id, replies);
    this.requestUpdate();
    const signal = this.listReads.signal;
    try {
      // Replies are read in the order of the conversation, whatever the thread's sort.
      const query = { parentId: parent.id, sort: 'oldest' as const, limit: this.pageSize, cursor: more ? replies.nextCursor : undefined };
      const page = await domain.list(id, query, { signal });
      if (signal.aborted) return;
      const fresh = this.list.index(page.items);
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
  };

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
    if (!this.list.get(id)) {
      const signal = this.listReads.signal;
      let comment: ThreadComment;
      try {
        comment = await domain.get(id, { signal });
      } catch {
        // A link to a comment that is gone: the thread itself is still worth reading.
        return;
      }
      if (comment.threadId !== this.thread || signal.aborted) return;
      const parent = comment.parentId ? this.list.get(comment.parentId) : undefined;
      if (parent) await this.loadReplies(parent);
      this.list.link(comment);
    }
    this.list.reveal(id);
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
    return this.data?.requiredVerification === 'verified' && this.resource.value?.session?.verification !== 'verified';
  }

  private get canWrite(): boolean {
    return this.isOpen && !this.needsVerification;
  }

  private canChange(comment: ThreadComment): boolean {
    if (!comment.mine || comment.deleted || comment.moderation === 'hidden' || !this.isOpen) return false;
    const window = (this.data?.editWindowSeconds ?? 0) * 1000;
    return Date.now() < Date.parse(comment.createdAt) + window;
  }

  private receive(event: CommentLiveEvent): void {
    const comment = event.comment;
    if (comment.threadId !== this.thread) return;
    if (event.type === 'created') return void this.list.arrive(comment);
    const known = this.list.get(comment.id);
    if (!known) return;
    // Broadcasts are what everyone sees: what is the reader's own stays as it was.
    if (event.type === 'updated') this.list.replace({ ...comment, mine: known.mine, supportedByMe: known.supportedByMe });
    else this.list.remove(known);
  }

  private readonly showArrivals = (): void => {
    const first = this.list.takeArrivals();
    if (first) this.focusComment(first.id);
    this.announcement = '';
  };

  /** Acts once on each change of this thread's new comments: events, focus, the list. */
  private followPosts(): void {
    const threadId = this.thread;
    if (!threadId) return;
    for (const { entry, before, nowWaiting } of this.posts.changes()) {
      if (entry.status === 'sent') {
        const comment = { ...(entry.result as ThreadComment), mine: true };
        this.list.insert(comment);
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
      this.list.reveal(parentId);
    }
    const fields = error.fieldErrors ?? {};
    this.composers.restore(key, { body, stance }, {
      body: fields.body,
      stance: fields.stance,
      form: fields.body || fields.stance ? undefined : describeError(error),
    });
    void this.posts.discard(entry.id);
    this.focusing.after(fields.stance || fields.body ? `#${prefix(key)}-summary` : `#${prefix(key)}-body`);
    if (error.kind === 'closed') void this.resource.run();
  }

  private note(id: string, text: string | undefined, alert = false): void {
    const next = new Map(this.notes);
    if (text) next.set(id, { text, alert });
    else next.delete(id);
    this.notes = next;
  }

  // ------------------------------------------------------------------ citizen actions

  private readonly submit = (event: Event, key: string): void => {
    event.preventDefault();
    const thread = this.data;
    if (!thread) return;
    if (this.composers.check(key, !!thread.stances)) {
      this.focusing.after(`#${prefix(key)}-summary`);
      return;
    }
    const draft = this.composers.draft(key);
    const input: CommentInput = { body: draft.body.trim() };
    if (thread.stances) input.stance = draft.stance;
    if (key !== NEW) input.parentId = key;
    const { entry } = this.posts.submit(input);
    if (entry.status === 'waiting') {
      this.emit('civic-comment', { threadId: thread.id, status: 'waiting' });
    }
    this.composers.sent(key);
    if (key !== NEW) this.cancelReply(key);
  };

  /** Closes the reply's composer; focus goes back to the button that opened it. */
  private readonly cancelReply = (key: string): void => {
    this.replyTo = undefined;
    this.focusComment(key, '[data-action=reply]');
  };

  private toggleSupport(comment: ThreadComment): void {
    const threadId = this.thread;
    if (!threadId) return;
    const support = !comment.supportedByMe;
    this.list.replace({ ...comment, supportedByMe: support, supports: Math.max(0, comment.supports + (support ? 1 : -1)) });
    this.note(comment.id, undefined);
    this.emit('civic-comment-support', { threadId, commentId: comment.id, supported: support });
    this.actions.submit({ op: 'react', id: comment.id, support }).settled.then(
      (result) => {
        const current = this.list.get(comment.id);
        if (current) this.list.replace({ ...current, supports: (result as ThreadComment).supports, supportedByMe: (result as ThreadComment).supportedByMe });
      },
      (thrown: unknown) => {
        // Back to what the server has; say why.
        const current = this.list.get(comment.id);
        if (current) this.list.replace({ ...current, supportedByMe: comment.supportedByMe, supports: comment.supports });
        if (thrown instanceof CivicError) {
          this.reportError(thrown, 'support');
          this.note(comment.id, msg(str`Your support could not be recorded: ${describeError(thrown)}`), true);
        }
      },
    );
  }

  private readonly cancelEdit = (): void => {
    const id = this.editing?.id;
    this.editing = undefined;
    if (id) this.focusComment(id, '[data-action=edit]');
  };

  private readonly saveEdit = (event: Event): void => {
    event.preventDefault();
    const editing = this.editing;
    if (!editing || editing.entryId) return;
    const error = bodyError(editing.body);
    if (error) {
      this.editing = { ...editing, error };
      this.focusing.after('#edit-body');
      return;
    }
    const { entry, settled } = this.actions.submit({ op: 'edit', id: editing.id, body: editing.body.trim() });
    const entryId = entry.id;
    this.editing = { ...editing, error: undefined, entryId };
    settled.then(
      (result) => {
        this.list.replace({ ...(result as ThreadComment), mine: true });
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
        this.focusing.after('#edit-body');
      },
    );
  };

  private deleteComment(comment: ThreadComment): void {
    this.confirmingDelete = undefined;
    this.actions.submit({ op: 'remove', id: comment.id }).settled.then(
      () => {
        this.list.remove(comment);
        this.announcement = msg('Your comment is deleted.');
        this.focusing.after('#title');
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

  private readonly sendReport = (comment: ThreadComment, report: ReportInput): void => {
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
  };

  /**
   * One listener for the buttons of every comment: templates stay cheap on long threads. A button
   * acts on the comment it is in, or on the one its `data-id` names (below the comment's replies).
   */
  private readonly onListClick = (event: Event): void => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const id = button?.dataset.id ?? button?.closest('article')?.id.slice(commentAnchor('').length);
    const comment = id ? this.list.get(id) : undefined;
    if (!button || !comment) return;
    const selector = `#${CSS.escape(commentAnchor(comment.id))} [data-action=${button.dataset.action}]`;
    switch (button.dataset.action) {
      case 'support':
        return this.toggleSupport(comment);
      case 'reply':
        this.replyTo = this.replyTo === comment.id ? undefined : comment.id;
        this.composers.setErrors(comment.id);
        this.focusing.after(this.replyTo ? '#reply-body' : selector);
        return;
      case 'replies': {
        const replies = this.list.replies.get(comment.id);
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
        this.editing = { id: comment.id, body: comment.body };
        this.confirmingDelete = this.reporting = undefined;
        this.focusing.after('#edit-body');
        return;
      case 'delete':
        this.confirmingDelete = comment.id;
        this.editing = this.reporting = undefined;
        this.focusing.after('#confirm-delete');
        return;
      case 'confirm-delete':
        return this.deleteComment(comment);
      case 'keep':
        this.confirmingDelete = undefined;
        this.focusing.after(selector.replace('keep', 'delete'));
        return;
      case 'report':
        if (this.reporting === comment.id) {
          this.reporting = undefined;
          this.focusing.after(selector);
        } else {
          this.startReport(comment);
        }
        return;
    }
  };

  // ------------------------------------------------------------------ rendering

  /** What the views read and call back; built for each render of a loaded thread. */
  private context(thread: Thread): ThreadContext {
    return {
      root: this.renderRoot,
      thread,
      headingLevel: this.headingLevel,
      sort: this.sort,
      locale: this.localeController.locale,
      canWrite: this.canWrite,
      needsVerification: this.needsVerification,
      list: this.list,
      composers: this.composers,
      loadingMore: this.loadingMore,
      moreError: this.moreError,
      announcement: this.announcement,
      replyTo: this.replyTo,
      editing: this.editing,
      confirmingDelete: this.confirmingDelete,
      reporting: this.reporting,
      notes: this.notes,
      posts: this.posts,
      actions: this.actions,
      canChange: (comment) => this.canChange(comment),
      renderError: (error, retry) => this.renderError(error, retry),
      onSort: (sort) => (this.sort = sort),
      onListClick: this.onListClick,
      onFocusIn: this.onFocusIn,
      showArrivals: this.showArrivals,
      more: this.more,
      submit: this.submit,
      cancelReply: this.cancelReply,
      onEditInput: (body) => (this.editing = { ...this.editing!, body, error: undefined }),
      saveEdit: this.saveEdit,
      cancelEdit: this.cancelEdit,
      sendReport: this.sendReport,
      cancelReport: (comment) => {
        this.reporting = undefined;
        this.focusing.after(`#${CSS.escape(commentAnchor(comment.id))} [data-action=report]`);
      },
      loadReplies: this.loadReplies,
    };
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    const loading = () => html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the comments…')}</p>`;
    return this.resource.render({
      initial: loading,
      pending: loading,
      complete: ({ thread }) => threadView(this.context(thread)),
      error: (error) =>
        html`${this.renderError(error, error.transient ? () => void this.resource.run() : undefined)} ${waitingView({ posts: this.posts, locale: this.localeController.locale })}`,
    });
  }
}
