export { CivicCommentThread } from './comment-thread.js';
export type { CivicCommentDetail, CivicCommentReportDetail, CivicCommentSupportDetail, CommentAction } from './comment-thread.js';
