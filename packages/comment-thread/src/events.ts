/*
 * The public events of <civic-comment-thread>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { CivicCommentDetail, CivicCommentReportDetail, CivicCommentSupportDetail } from './comment-thread.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-comment': CustomEvent<CivicCommentDetail>;
    'civic-comment-support': CustomEvent<CivicCommentSupportDetail>;
    'civic-comment-report': CustomEvent<CivicCommentReportDetail>;
  }
}

export {};
