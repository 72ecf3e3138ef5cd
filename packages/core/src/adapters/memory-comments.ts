import { characterProblem, isBlank, textLength } from '../content/text-rules.js';
/*
 * The comments domain of MemoryAdapter: threads, replies, moderation and reactions with the
 * semantics of the reference server (see notes in the REST contract). Kept apart from the adapter
 * so that the adapter file stays about calls, latency and failures.
 */
import { CivicError } from '../contract/errors.js';
import {
  COMMENT_MAX_LENGTH,
  COMMENT_MAX_PAGE_SIZE,
  COMMENT_PAGE_SIZE,
  MAX_REPLY_DEPTH,
  REPORT_DETAILS_MAX_LENGTH,
} from '../contract/limits.js';
import type {
  CommentInput,
  CommentLiveEvent,
  CommentQuery,
  CommentSort,
  ModerationState,
  Page,
  ReportInput,
  ReportReason,
  Stance,
  Thread,
  ThreadComment,
  VerificationLevel,
} from '../contract/types.js';

/** A seeded thread; its comment count is worked out from the seeded comments. */
export type MemorySeedThread = Omit<Thread, 'comments'> & { comments?: number };

/** A seeded comment, with the participant who wrote it; counts and depth are worked out. */
export interface MemorySeedComment
  extends Omit<ThreadComment, 'mine' | 'supportedByMe' | 'replies' | 'depth' | 'inReplyTo' | 'supports'> {
  participantId: string;
  /** Supports, at least as many as `supportedBy` lists. */
  supports?: number;
  /** Participants who support it, so that one of them cannot support it again. */
  supportedBy?: string[];
  /** Participants who have reported it. */
  reportedBy?: string[];
}

export interface MemoryCommentSeed {
  threads?: MemorySeedThread[];
  /** In any order; a reply's parent must be in the same thread. */
  comments?: MemorySeedComment[];
}

/** What the council may do with a comment (the admin side, for stories and tests). */
export type ModerationAction = 'approve' | 'hide' | 'restore';

/** Who is asking: each comment is seen as this participant sees it. */
export interface CommentViewer {
  id: string;
  verification: VerificationLevel;
  displayName?: string;
}

interface StoredComment {
  id: string;
  threadId: string;
  parentId?: string;
  body: string;
  stance?: Stance;
  authorName?: string;
  participantId: string;
  moderation: ModerationState;
  deleted: boolean;
  /** Supports from participants not listed in `supporters` (seeded counts). */
  anonymousSupports: number;
  supporters: Set<string>;
  reporters: Set<string>;
  /** Reports already weighed by a moderator: only later ones count towards auto-hide. */
  reportsHandled: number;
  createdAt: string;
  /** createdAt in ms, for sorting dates written in any zone. */
  at: number;
  editedAt?: string;
  depth: number;
}

interface CursorKey {
  supports: number;
  at: number;
  id: string;
}

const STANCES: ReadonlySet<string> = new Set<Stance>(['for', 'against', 'neutral']);
const REASONS: ReadonlySet<string> = new Set<ReportReason>(['spam', 'abuse', 'personal-data', 'off-topic', 'other']);
const SORTS: ReadonlySet<string> = new Set<CommentSort>(['oldest', 'newest', 'most-supported']);
/** Live messages go to everyone: they are seen as by a participant who wrote and supported nothing. */
const PUBLIC: CommentViewer = { id: '', verification: 'anonymous' };

export class MemoryComments {
  private readonly threads = new Map<string, MemorySeedThread>();
  private readonly comments = new Map<string, StoredComment>();
  /** `threadId \n parentId` (empty for top level) → comments, in insertion order. */
  private readonly children = new Map<string, StoredComment[]>();

  constructor(
    seed: MemoryCommentSeed,
    private readonly now: () => Date,
    private readonly publish: (threadId: string, event: CommentLiveEvent) => void,
    /** Settings of a discussion that exists without being seeded (an idea's), else undefined. */
    private readonly implicitThread: (threadId: string) => Partial<MemorySeedThread> | undefined = () => undefined,
  ) {
    for (const { comments: _, ...thread } of seed.threads ?? []) this.threads.set(thread.id, thread);
    for (const comment of seed.comments ?? []) {
      const supporters = new Set(comment.supportedBy ?? []);
      const stored: StoredComment = {
        id: comment.id,
        threadId: comment.threadId,
        body: comment.body,
        participantId: comment.participantId,
        moderation: comment.moderation,
        deleted: comment.deleted ?? false,
        anonymousSupports: Math.max(0, (comment.supports ?? 0) - supporters.size),
        supporters,
        reporters: new Set(comment.reportedBy ?? []),
        reportsHandled: 0,
        createdAt: comment.createdAt,
        at: Date.parse(comment.createdAt),
        depth: 0,
      };
      if (comment.parentId !== undefined) stored.parentId = comment.parentId;
      if (comment.stance !== undefined) stored.stance = comment.stance;
      if (comment.authorName !== undefined) stored.authorName = comment.authorName;
      if (comment.editedAt !== undefined) stored.editedAt = comment.editedAt;
      if (stored.deleted) stored.body = '';
      this.comments.set(stored.id, stored);
      this.childrenOf(stored.threadId, stored.parentId).push(stored);
    }
    for (const comment of this.comments.values()) comment.depth = this.depthOf(comment);
  }

  // ------------------------------------------------------------------ reads

  thread(threadId: string): Thread {
    const thread = this.threads.get(threadId) ?? this.openImplicit(threadId);
    if (!thread) throw new CivicError('not-found', `There is no thread "${threadId}"`, { status: 404 });
    let comments = 0;
    for (const comment of this.comments.values()) {
      if (comment.threadId === threadId && comment.moderation === 'published' && !comment.deleted) comments++;
    }
    return { ...thread, comments };
  }

  /** Opens, with the usual settings, a discussion that exists by rule (as the server does for ideas). */
  private openImplicit(threadId: string): MemorySeedThread | undefined {
    const settings = this.implicitThread(threadId);
    if (!settings) return undefined;
    const thread: MemorySeedThread = {
      stances: false,
      preModeration: false,
      editWindowSeconds: 15 * 60,
      autoHideReports: 3,
      closed: false,
      requiredVerification: 'anonymous',
      ...settings,
      id: threadId,
    };
    this.threads.set(threadId, thread);
    return thread;
  }

  /** Published, undeleted comments of a thread, or undefined when there is no such thread. */
  commentCount(threadId: string): number | undefined {
    return this.threads.has(threadId) ? this.thread(threadId).comments : undefined;
  }

  list(threadId: string, query: CommentQuery, viewer: CommentViewer): Page<ThreadComment> {
    this.thread(threadId);
    const sort = query.sort ?? 'oldest';
    if (!SORTS.has(sort)) throw validation('Unknown sort order', { sort: 'Sort by oldest, newest or most supported' });
    if (query.parentId !== undefined) {
      const parent = this.comments.get(query.parentId);
      if (!parent || parent.threadId !== threadId || !this.visible(parent, viewer)) {
        throw new CivicError('not-found', `There is no comment "${query.parentId}" in thread "${threadId}"`, { status: 404 });
      }
    }
    const limit = Math.min(COMMENT_MAX_PAGE_SIZE, Math.max(1, Math.floor(query.limit ?? COMMENT_PAGE_SIZE)));
    const siblings = this.childrenOf(threadId, query.parentId).filter((comment) => this.visible(comment, viewer));
    const order = (a: CursorKey, b: CursorKey) => compare(sort, a, b);
    siblings.sort((a, b) => order(keyOf(a), keyOf(b)));

    let start = 0;
    if (query.cursor !== undefined) {
      const after = readCursor(query.cursor, sort, threadId, query.parentId);
      // The first comment after the cursor's key, so that comments posted meanwhile shift nothing.
      start = siblings.findIndex((comment) => order(keyOf(comment), after) > 0);
      if (start < 0) start = siblings.length;
    }
    const items = siblings.slice(start, start + limit);
    const page: Page<ThreadComment> = { items: items.map((comment) => this.view(comment, viewer)), total: siblings.length };
    const last = items.at(-1);
    if (last && start + limit < siblings.length) page.nextCursor = writeCursor(sort, threadId, query.parentId, keyOf(last));
    return page;
  }

  get(commentId: string, viewer: CommentViewer): ThreadComment {
    return this.view(this.visibleComment(commentId, viewer), viewer);
  }

  // ------------------------------------------------------------------ writes

  post(threadId: string, input: CommentInput, viewer: CommentViewer): ThreadComment {
    const thread = this.thread(threadId);
    if (thread.requiredVerification === 'verified' && viewer.verification !== 'verified') {
      throw new CivicError('forbidden', 'Only verified participants may comment in this thread', { status: 403 });
    }
    if (thread.closed) throw closed();
    if (!input || typeof input !== 'object') throw validation('A comment is an object', { body: 'Write your comment' });

    const errors: Record<string, string> = {};
    const body = bodyError(input.body, errors);
    if (thread.stances) {
      if (typeof input.stance !== 'string' || !STANCES.has(input.stance)) errors.stance = 'Say whether you are for, against or neutral';
    } else if (input.stance !== undefined) {
      errors.stance = 'This discussion does not ask for a stance';
    }
    let parent: StoredComment | undefined;
    if (input.parentId !== undefined) {
      parent = this.comments.get(input.parentId);
      if (!parent || parent.threadId !== threadId || parent.deleted || parent.moderation !== 'published') {
        errors.parentId = 'The comment you reply to is not available';
      }
    }
    if (Object.keys(errors).length > 0) throw validation('The comment does not fit the thread', errors);

    const createdAt = this.now().toISOString();
    const comment: StoredComment = {
      id: `comment-${crypto.randomUUID()}`,
      threadId,
      body,
      participantId: viewer.id,
      moderation: thread.preModeration ? 'pending' : 'published',
      deleted: false,
      anonymousSupports: 0,
      supporters: new Set(),
      reporters: new Set(),
      reportsHandled: 0,
      createdAt,
      at: Date.parse(createdAt),
      depth: parent ? parent.depth + 1 : 0,
    };
    if (parent) comment.parentId = parent.id;
    if (thread.stances) comment.stance = input.stance;
    if (viewer.displayName !== undefined) comment.authorName = viewer.displayName;
    this.comments.set(comment.id, comment);
    this.childrenOf(threadId, comment.parentId).push(comment);
    this.broadcast('created', comment);
    return this.view(comment, viewer);
  }

  edit(commentId: string, rawBody: string, viewer: CommentViewer): ThreadComment {
    const comment = this.ownWithinWindow(commentId, viewer, 'edit');
    if (this.threads.get(comment.threadId)!.closed) throw closed();
    const errors: Record<string, string> = {};
    const body = bodyError(rawBody, errors);
    if (errors.body) throw validation('The comment cannot be saved', errors);
    comment.body = body;
    comment.editedAt = this.now().toISOString();
    this.broadcast('updated', comment);
    return this.view(comment, viewer);
  }

  remove(commentId: string, viewer: CommentViewer): void {
    const comment = this.ownWithinWindow(commentId, viewer, 'delete');
    comment.deleted = true;
    comment.body = '';
    this.broadcast('removed', comment);
  }

  react(commentId: string, support: boolean, viewer: CommentViewer): ThreadComment {
    const comment = this.visibleComment(commentId, viewer);
    const thread = this.threads.get(comment.threadId)!;
    if (comment.deleted || comment.moderation !== 'published') {
      throw new CivicError('forbidden', 'Only a published comment can be supported', { status: 403 });
    }
    if (thread.requiredVerification === 'verified' && viewer.verification !== 'verified') {
      throw new CivicError('forbidden', 'Only verified participants may support comments in this thread', { status: 403 });
    }
    if (thread.closed) throw closed();
    if (support) comment.supporters.add(viewer.id);
    else comment.supporters.delete(viewer.id);
    return this.view(comment, viewer);
  }

  report(commentId: string, input: ReportInput, viewer: CommentViewer): void {
    const comment = this.visibleComment(commentId, viewer);
    if (comment.deleted) throw new CivicError('not-found', `Comment "${commentId}" was deleted`, { status: 404 });
    const errors: Record<string, string> = {};
    if (typeof input?.reason !== 'string' || !REASONS.has(input.reason)) errors.reason = 'Choose a reason';
    if (input?.details !== undefined && input.details !== '') {
      if (typeof input.details !== 'string') errors.details = 'The details must be text';
      else if (input.details.length > REPORT_DETAILS_MAX_LENGTH) {
        errors.details = `The details must be at most ${REPORT_DETAILS_MAX_LENGTH} characters`;
      }
    }
    if (Object.keys(errors).length > 0) throw validation('The report is incomplete', errors);

    // A repeated report is accepted but not counted again.
    comment.reporters.add(viewer.id);
    const threshold = this.threads.get(comment.threadId)!.autoHideReports;
    if (comment.moderation === 'published' && threshold > 0 && comment.reporters.size - comment.reportsHandled >= threshold) {
      comment.moderation = 'hidden';
      this.broadcast('updated', comment);
    }
  }

  /**
   * The council's decision. `hide` turns a published comment into a placeholder and rejects a
   * pending one; `approve` and `restore` publish it, and the reports so far are taken as weighed.
   */
  moderate(commentId: string, action: ModerationAction): void {
    const comment = this.comments.get(commentId);
    if (!comment || comment.deleted) throw new CivicError('not-found', `There is no comment "${commentId}"`, { status: 404 });
    const before = comment.moderation;
    if (action === 'hide') {
      if (before === 'published') {
        comment.moderation = 'hidden';
        this.broadcast('updated', comment);
      } else if (before === 'pending') {
        comment.moderation = 'rejected';
      }
      return;
    }
    comment.reportsHandled = comment.reporters.size;
    if (before === 'published') return;
    comment.moderation = 'published';
    // A hidden comment was already on every screen as a placeholder; the others are new there.
    this.broadcast(before === 'hidden' ? 'updated' : 'created', comment);
  }

  // ------------------------------------------------------------------ views

  /**
   * Published and hidden comments are seen by all (hidden ones as placeholders), pending and
   * rejected ones by their author only, deleted ones as placeholders while they have replies.
   */
  private visible(comment: StoredComment, viewer: CommentViewer): boolean {
    if (comment.deleted) return this.replyCount(comment, viewer) > 0;
    if (comment.moderation === 'published' || comment.moderation === 'hidden') return true;
    return comment.participantId === viewer.id;
  }

  private replyCount(comment: StoredComment, viewer: CommentViewer): number {
    let count = 0;
    for (const reply of this.childrenOf(comment.threadId, comment.id)) if (this.visible(reply, viewer)) count++;
    return count;
  }

  private view(comment: StoredComment, viewer: CommentViewer): ThreadComment {
    const view: ThreadComment = {
      id: comment.id,
      threadId: comment.threadId,
      body: '',
      moderation: comment.moderation,
      supports: comment.anonymousSupports + comment.supporters.size,
      replies: this.replyCount(comment, viewer),
      createdAt: comment.createdAt,
      depth: comment.depth,
    };
    if (comment.parentId !== undefined) {
      view.parentId = comment.parentId;
      if (comment.depth > MAX_REPLY_DEPTH) {
        const parent = this.comments.get(comment.parentId)!;
        const signed = parent.moderation === 'published' && !parent.deleted && parent.authorName !== undefined;
        view.inReplyTo = signed ? { id: parent.id, authorName: parent.authorName } : { id: parent.id };
      }
    }
    if (viewer !== PUBLIC && comment.participantId === viewer.id) view.mine = true;
    if (comment.deleted) {
      view.deleted = true;
      return view;
    }
    if (comment.moderation === 'hidden') return view;
    view.body = comment.body;
    if (comment.stance !== undefined) view.stance = comment.stance;
    if (comment.authorName !== undefined) view.authorName = comment.authorName;
    if (comment.editedAt !== undefined) view.editedAt = comment.editedAt;
    if (viewer !== PUBLIC) view.supportedByMe = comment.supporters.has(viewer.id);
    return view;
  }

  private broadcast(type: CommentLiveEvent['type'], comment: StoredComment): void {
    if (comment.moderation === 'pending' || comment.moderation === 'rejected') return;
    this.publish(comment.threadId, { type, comment: this.view(comment, PUBLIC) });
  }

  // ------------------------------------------------------------------ lookups

  private visibleComment(commentId: string, viewer: CommentViewer): StoredComment {
    const comment = this.comments.get(commentId);
    if (!comment || !this.visible(comment, viewer)) {
      throw new CivicError('not-found', `There is no comment "${commentId}"`, { status: 404 });
    }
    return comment;
  }

  private ownWithinWindow(commentId: string, viewer: CommentViewer, verb: 'edit' | 'delete'): StoredComment {
    const comment = this.visibleComment(commentId, viewer);
    if (comment.deleted) throw new CivicError('not-found', `Comment "${commentId}" was deleted`, { status: 404 });
    if (comment.participantId !== viewer.id) {
      throw new CivicError('forbidden', `Only its author may ${verb} a comment`, { status: 403 });
    }
    if (comment.moderation === 'hidden' || comment.moderation === 'rejected') {
      throw new CivicError('forbidden', `A moderated comment cannot be changed`, { status: 403 });
    }
    const window = this.threads.get(comment.threadId)!.editWindowSeconds * 1000;
    if (this.now().getTime() - comment.at >= window) {
      throw new CivicError('forbidden', `The time to ${verb} this comment has passed`, { status: 403 });
    }
    return comment;
  }

  private childrenOf(threadId: string, parentId: string | undefined): StoredComment[] {
    const key = `${threadId}\n${parentId ?? ''}`;
    let list = this.children.get(key);
    if (!list) {
      list = [];
      this.children.set(key, list);
    }
    return list;
  }

  private depthOf(comment: StoredComment): number {
    let depth = 0;
    for (let parentId = comment.parentId; parentId !== undefined; parentId = this.comments.get(parentId)?.parentId) {
      const parent = this.comments.get(parentId);
      if (!parent || parent.threadId !== comment.threadId) {
        throw new CivicError('misconfigured', `Seeded comment "${comment.id}" replies to "${parentId}", which is not in its thread`);
      }
      depth++;
    }
    return depth;
  }
}

// ------------------------------------------------------------------ helpers

/** The trimmed body, or an entry in `errors`. */
function bodyError(body: unknown, errors: Record<string, string>): string {
  const trimmed = typeof body === 'string' ? body.trim() : '';
  const refused = characterProblem(body);
  if (refused) errors.body = refused;
  else if (isBlank(trimmed)) errors.body = 'Write your comment';
  else if (textLength(trimmed) > COMMENT_MAX_LENGTH) errors.body = `A comment must be at most ${COMMENT_MAX_LENGTH} characters`;
  return trimmed;
}

function validation(message: string, fieldErrors: Record<string, string>): CivicError {
  return new CivicError('validation', message, { status: 422, fieldErrors });
}

function closed(): CivicError {
  return new CivicError('closed', 'This discussion is closed', { status: 403 });
}

function keyOf(comment: StoredComment): CursorKey {
  return { supports: comment.anonymousSupports + comment.supporters.size, at: comment.at, id: comment.id };
}

function compare(sort: CommentSort, a: CursorKey, b: CursorKey): number {
  const byId = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  switch (sort) {
    case 'oldest':
      return a.at - b.at || byId;
    case 'newest':
      return b.at - a.at || -byId;
    case 'most-supported':
      return b.supports - a.supports || a.at - b.at || byId;
  }
}

/** Cursors carry the last item's sort key, scoped to the listing they came from. */
function writeCursor(sort: CommentSort, threadId: string, parentId: string | undefined, key: CursorKey): string {
  const bytes = new TextEncoder().encode(JSON.stringify([sort, threadId, parentId ?? '', key.supports, key.at, key.id]));
  return btoa(String.fromCharCode(...bytes));
}

function readCursor(cursor: string, sort: CommentSort, threadId: string, parentId: string | undefined): CursorKey {
  try {
    const bytes = Uint8Array.from(atob(cursor), (char) => char.charCodeAt(0));
    const [cursorSort, cursorThread, cursorParent, supports, at, id] = JSON.parse(new TextDecoder().decode(bytes)) as unknown[];
    if (
      cursorSort === sort &&
      cursorThread === threadId &&
      cursorParent === (parentId ?? '') &&
      typeof supports === 'number' &&
      typeof at === 'number' &&
      typeof id === 'string'
    ) {
      return { supports, at, id };
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw validation('This cursor does not belong to this listing', { cursor: 'Start again from the first page' });
}
