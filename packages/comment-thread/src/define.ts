import { CivicCommentThread } from './comment-thread.js';

// Core's report form, <civic-report-form>, is defined the first time a citizen opens one.
CivicCommentThread.define('civic-comment-thread');

declare global {
  interface HTMLElementTagNameMap {
    'civic-comment-thread': CivicCommentThread;
  }
}
