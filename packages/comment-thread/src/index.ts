export { CivicCommentThread } from './comment-thread.js';
export type { CivicCommentDetail, CivicCommentReportDetail, CivicCommentSupportDetail, CommentAction } from './comment-thread.js';
// The global event map for this package's events (types only).
export {} from './events.js';
