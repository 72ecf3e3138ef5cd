/*
 * The public events of <civic-comment-thread>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { ReportReason, ThreadComment } from '@civic-widgets/core';

/** The detail of `civic-comment`. */
export interface CivicCommentDetail {
  threadId: string;
  /** The comment as recorded, once sent. */
  comment?: ThreadComment;
  /** `waiting`: kept on the device (offline or failing) and sent automatically later. */
  status: 'sent' | 'waiting';
}

/** The detail of `civic-comment-support`. */
export interface CivicCommentSupportDetail {
  threadId: string;
  commentId: string;
  /** True when the citizen gave support, false when they withdrew it. */
  supported: boolean;
}

/** The detail of `civic-comment-report`. */
export interface CivicCommentReportDetail {
  threadId: string;
  commentId: string;
  reason: ReportReason;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-comment': CustomEvent<CivicCommentDetail>;
    'civic-comment-support': CustomEvent<CivicCommentSupportDetail>;
    'civic-comment-report': CustomEvent<CivicCommentReportDetail>;
  }
}
