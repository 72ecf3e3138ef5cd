import type { Selectable } from 'kysely';
import type { CommentTable, ThreadTable } from '../db/schema.js';
import type { ThreadCreate, ThreadCommentWire, ThreadWire } from '../http/schemas.js';

/**
 * The comment limits of the contract (packages/core/src/contract/limits.ts). The server ships
 * without the browser packages, so it keeps its own copy; contract-check.ts makes the compiler
 * hold the two equal.
 */
export const COMMENT_MAX_LENGTH = 5000;
export const REPORT_DETAILS_MAX_LENGTH = 1000;
export const COMMENT_PAGE_SIZE = 20;
export const COMMENT_MAX_PAGE_SIZE = 100;
export const MAX_REPLY_DEPTH = 3;

export const THREAD_DEFAULTS = {
  stances: false,
  preModeration: false,
  editWindowSeconds: 900,
  autoHideReports: 3,
  closed: false,
  requiredVerification: 'anonymous',
} as const;

export type ThreadRecord = Omit<ThreadWire, 'comments'> & { comments: number };

export function threadFromRow(row: Selectable<ThreadTable>): ThreadRecord {
  return {
    id: row.id,
    ...(row.title === null ? {} : { title: row.title }),
    stances: row.stances === 1,
    preModeration: row.pre_moderation === 1,
    editWindowSeconds: row.edit_window_seconds,
    autoHideReports: row.auto_hide_reports,
    closed: row.closed === 1,
    requiredVerification: row.required_verification,
    comments: row.comments,
  };
}

export function threadToRow(thread: ThreadCreate, now: string): Omit<Selectable<ThreadTable>, 'comments'> {
  const settings = { ...THREAD_DEFAULTS, ...thread };
  return {
    id: settings.id,
    title: settings.title ?? null,
    stances: settings.stances ? 1 : 0,
    pre_moderation: settings.preModeration ? 1 : 0,
    edit_window_seconds: settings.editWindowSeconds,
    auto_hide_reports: settings.autoHideReports,
    closed: settings.closed ? 1 : 0,
    required_verification: settings.requiredVerification,
    created_at: now,
    updated_at: now,
  };
}

export type CommentRow = Selectable<CommentTable>;

/** What a view needs to know of a comment's parent, for replies shown "in reply to". */
export interface ParentSummary {
  id: string;
  authorName: string | null;
  moderation: CommentRow['moderation'];
  deleted: number;
}

/** Who reads: each comment is seen as this participant sees it; no one for the public view. */
export interface Reader {
  participantId?: string;
  /** Comments among those viewed that the reader supports. */
  supported?: ReadonlySet<string>;
  /** The reader's own pending or rejected direct replies, per comment. */
  ownHiddenReplies?: ReadonlyMap<string, number>;
}

/** The public view of live events: without `mine` or `supportedByMe`. */
export const PUBLIC: Reader = {};

/**
 * A comment as a reader sees it: hidden comments are placeholders without text or author,
 * deleted ones placeholders kept for their replies.
 */
export function commentView(row: CommentRow, parent: ParentSummary | undefined, reader: Reader): ThreadCommentWire {
  const view: ThreadCommentWire = {
    id: row.id,
    threadId: row.thread_id,
    body: '',
    moderation: row.moderation,
    supports: row.supports,
    replies: row.replies + (reader.ownHiddenReplies?.get(row.id) ?? 0),
    createdAt: row.created_at,
    depth: row.depth,
  };
  if (row.parent_id !== null) {
    view.parentId = row.parent_id;
    if (row.depth > MAX_REPLY_DEPTH && parent) {
      const signed = parent.moderation === 'published' && parent.deleted === 0 && parent.authorName !== null;
      view.inReplyTo = signed ? { id: parent.id, authorName: parent.authorName! } : { id: parent.id };
    }
  }
  const mine = reader.participantId !== undefined && row.participant_id === reader.participantId;
  if (mine) view.mine = true;
  if (row.deleted === 1) {
    view.deleted = true;
    return view;
  }
  if (row.moderation === 'hidden') return view;
  view.body = row.body;
  if (row.stance !== null) view.stance = row.stance;
  if (row.author_name !== null) view.authorName = row.author_name;
  if (row.edited_at !== null) view.editedAt = row.edited_at;
  if (reader.participantId !== undefined) view.supportedByMe = reader.supported?.has(row.id) ?? false;
  return view;
}

/** Seen by everyone (hidden ones as placeholders): what the `replies` counters count. */
export function publiclyVisible(row: Pick<CommentRow, 'deleted' | 'moderation' | 'replies'>): boolean {
  if (row.deleted === 1) return row.replies > 0;
  return row.moderation === 'published' || row.moderation === 'hidden';
}

/** Counted in Thread.comments. */
export function counted(row: Pick<CommentRow, 'deleted' | 'moderation'>): boolean {
  return row.deleted === 0 && row.moderation === 'published';
}
