import type { IdeaDomain } from '../../contract/adapter.js';
import type { Idea, IdeaBox, Page } from '../../contract/types.js';
import { id, registerRestDomain, search } from '../rest-adapter.js';

/*
 *   GET  /idea-boxes/{id}          → IdeaBox.
 *   GET  /idea-boxes/{id}/ideas?sort=&seed=&category=&status=&q=&cursor=&limit=
 *                                  → Page<Idea> with `total`; `random` is stable for a `seed`.
 *   GET  /ideas/{id}               → Idea.
 *   GET  /idea-boxes/{id}/similar?q=<text>
 *                                  → Idea[] (at most SIMILAR_IDEAS_LIMIT, published only).
 *   POST /idea-boxes/{id}/ideas    body IdeaInput, Idempotency-Key → 201 Idea; 403 `closed`.
 *   PUT  /ideas/{id}/support       Idempotency-Key → Idea; 409 `conflict` at the box's limit.
 *   DELETE /ideas/{id}/support     Idempotency-Key → Idea.
 *   POST /ideas/{id}/reports       body ReportInput, Idempotency-Key → 204.
 */
registerRestDomain('ideas', (rest): IdeaDomain => ({
  getBox: (boxId, opts) => rest.get<IdeaBox>(`/idea-boxes/${id(boxId)}`, opts),
  list: (boxId, query = {}, opts) => {
    const { sort, seed, category, status, q, cursor, limit } = query;
    return rest.get<Page<Idea>>(`/idea-boxes/${id(boxId)}/ideas${search({ sort, seed, category, status, q, cursor, limit })}`, opts);
  },
  get: (ideaId, opts) => rest.get<Idea>(`/ideas/${id(ideaId)}`, opts),
  similar: (boxId, text, opts) => rest.get<Idea[]>(`/idea-boxes/${id(boxId)}/similar${search({ q: text })}`, opts),
  propose: (boxId, idea, opts) => rest.write<Idea>('POST', `/idea-boxes/${id(boxId)}/ideas`, idea, opts),
  support: (ideaId, opts) => rest.write<Idea>('PUT', `/ideas/${id(ideaId)}/support`, undefined, opts),
  withdrawSupport: (ideaId, opts) => rest.write<Idea>('DELETE', `/ideas/${id(ideaId)}/support`, undefined, opts),
  report: (ideaId, report, opts) => rest.write<void>('POST', `/ideas/${id(ideaId)}/reports`, report, opts),
}));
