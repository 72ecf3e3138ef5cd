import type { TemplateResult } from 'lit';
import type {
  CivicError,
  CommentInput,
  CommentSort,
  OutboxController,
  ReportInput,
  Stance,
  Thread,
  ThreadComment,
} from '@civic-widgets/core';
import type { CommentAction } from '../comment-action.js';
import type { Composers } from '../composers.js';
import type { ThreadComments } from '../thread-comments.js';

/** The key of the composer of new comments; a reply's composer is keyed by the comment it answers. */
export const NEW = 'new';

export const commentAnchor = (id: string) => `comment-${id}`;
/** The id prefix of a composer's fields: one reply composer is open at a time. */
export const prefix = (key: string) => (key === NEW ? NEW : 'reply');

export interface CommentDraft {
  body: string;
  stance?: Stance;
}

/** Per-field messages of a form. */
export interface FieldErrors {
  body?: string;
  stance?: string;
  form?: string;
}

/** A comment's replies as far as they are read. */
export interface Replies {
  items: ThreadComment[];
  nextCursor?: string;
  open: boolean;
  loading: boolean;
  error?: CivicError;
}

/** The citizen's comment being edited; `entryId` is its write in the outbox once saved. */
export interface Editing {
  id: string;
  body: string;
  error?: string;
  entryId?: string;
}

/** A message under a comment: a support that failed, a report received. */
export interface Note {
  text: string;
  alert: boolean;
}

/** One row of a rendered list: flattened replies sit beside their parent, "in reply to" it. */
export interface Row {
  comment: ThreadComment;
  depth: number;
  inReplyTo?: string;
}

/**
 * What the views read of a loaded thread, and what they call back. Built for each render; the
 * callbacks reach the element, so a comment that is not rendered again still acts on what is current.
 */
export interface ThreadContext {
  /** Where the error summary's links find their fields. */
  root: ParentNode;
  thread: Thread;
  headingLevel: number;
  sort: CommentSort;
  locale: string;
  canWrite: boolean;
  needsVerification: boolean;
  list: ThreadComments;
  composers: Composers;
  loadingMore: boolean;
  moreError?: CivicError;
  announcement: string;
  replyTo?: string;
  editing?: Editing;
  confirmingDelete?: string;
  reporting?: string;
  notes: ReadonlyMap<string, Note>;
  posts: OutboxController<CommentInput>;
  actions: OutboxController<CommentAction>;
  canChange(comment: ThreadComment): boolean;
  renderError(error: CivicError, retry?: () => void): TemplateResult;
  onSort(sort: CommentSort): void;
  /** One listener for the buttons of every comment (`data-action`). */
  onListClick(event: Event): void;
  onFocusIn(event: Event): void;
  showArrivals(): void;
  /** Reads the next page, or the first one again when that is what failed. */
  more(): void;
  submit(event: Event, key: string): void;
  cancelReply(key: string): void;
  onEditInput(body: string): void;
  saveEdit(event: Event): void;
  cancelEdit(): void;
  sendReport(comment: ThreadComment, report: ReportInput): void;
  cancelReport(comment: ThreadComment): void;
  loadReplies(comment: ThreadComment, more: boolean): void;
}
