export { CivicCommentThread } from './comment-thread.js';
export type { CommentAction } from './comment-action.js';
// The details of this package's events, and the global event map for them (types only).
export type { CivicCommentDetail, CivicCommentReportDetail, CivicCommentSupportDetail } from './events.js';
