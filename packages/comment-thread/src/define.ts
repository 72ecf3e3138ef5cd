import {
  CivicCommentThread,
  type CivicCommentDetail,
  type CivicCommentReportDetail,
  type CivicCommentSupportDetail,
} from './comment-thread.js';
import type { CivicCommentReport } from './comment-report.js';

// The report form is defined by the thread itself, the first time a citizen opens one.
CivicCommentThread.define('civic-comment-thread');

declare global {
  interface HTMLElementTagNameMap {
    'civic-comment-thread': CivicCommentThread;
    'civic-comment-report': CivicCommentReport;
  }

  interface HTMLElementEventMap {
    'civic-comment': CustomEvent<CivicCommentDetail>;
    'civic-comment-support': CustomEvent<CivicCommentSupportDetail>;
    'civic-comment-report': CustomEvent<CivicCommentReportDetail>;
  }
}
