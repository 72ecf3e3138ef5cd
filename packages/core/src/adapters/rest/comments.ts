import type { CommentDomain } from '../../contract/adapter.js';
import type { Page, Thread, ThreadComment } from '../../contract/types.js';
import { id, registerRestDomain, search } from '../rest-adapter.js';

/*
 *   GET  /threads/{id}             → Thread.
 *   GET  /threads/{id}/comments?sort=&parent=&cursor=&limit=
 *                                  → Page<ThreadComment>: top-level comments, or the direct replies
 *                                    to `parent`.
 *   GET  /comments/{id}            → ThreadComment.
 *   POST /threads/{id}/comments    body CommentInput, Idempotency-Key → 201 ThreadComment.
 *   PATCH /comments/{id}           body { body }, Idempotency-Key → ThreadComment.
 *   DELETE /comments/{id}          Idempotency-Key → 204.
 *   PUT  /comments/{id}/reaction   body { support }, Idempotency-Key → ThreadComment.
 *   POST /comments/{id}/reports    body ReportInput, Idempotency-Key → 204.
 */
registerRestDomain('comments', (rest): CommentDomain => ({
  getThread: (threadId, opts) => rest.get<Thread>(`/threads/${id(threadId)}`, opts),
  list: (threadId, query = {}, opts) =>
    rest.get<Page<ThreadComment>>(
      `/threads/${id(threadId)}/comments${search({ sort: query.sort, parent: query.parentId, cursor: query.cursor, limit: query.limit })}`,
      opts,
    ),
  get: (commentId, opts) => rest.get<ThreadComment>(`/comments/${id(commentId)}`, opts),
  post: (threadId, comment, opts) => rest.write<ThreadComment>('POST', `/threads/${id(threadId)}/comments`, comment, opts),
  edit: (commentId, body, opts) => rest.write<ThreadComment>('PATCH', `/comments/${id(commentId)}`, { body }, opts),
  remove: (commentId, opts) => rest.write<void>('DELETE', `/comments/${id(commentId)}`, undefined, opts),
  react: (commentId, support, opts) => rest.write<ThreadComment>('PUT', `/comments/${id(commentId)}/reaction`, { support }, opts),
  report: (commentId, report, opts) => rest.write<void>('POST', `/comments/${id(commentId)}/reports`, report, opts),
}));
