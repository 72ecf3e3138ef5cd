import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import {
  CommentParams,
  IdempotencyHeaders,
  ModerationItemSchema,
  problems,
  ThreadCreateSchema,
  ThreadParams,
  ThreadPatchSchema,
  ThreadSchema,
  type CommentLiveEventWire,
  type ModerationItem,
  type ThreadCreate,
  type ThreadPatch,
} from '../http/schemas.js';
import type { ThreadRecord } from './model.js';
import { liveEvent, sendLive } from './routes.js';
import type { ModerationAction } from './store.js';
import { actorOf } from '../staff/guard.js';


/**
 * The council's side of discussions: threads are created here (the public API answers 404 for a
 * thread nobody created, whatever page asks), and comments are approved, hidden or restored.
 * Registered inside the admin scope, behind its key check; every action goes to the audit log.
 */
export async function commentAdminRoutes(admin: FastifyInstance, services: Services, docs: { tags: string[]; security: Array<Record<string, string[]>> }): Promise<void> {
  const { comments, idempotency, audit } = services;
  const { tags, security } = docs;

  admin.post<{ Body: ThreadCreate; Headers: { 'idempotency-key': string } }>(
    '/admin/threads',
    {
      schema: {
        summary: 'Create a discussion thread',
        description:
          'The id is free text ([A-Za-z0-9:_-], up to 120), e.g. `budget-2027` or `idea:42` for the discussion under an idea. ' +
          'Settings left out: no stances, no pre-moderation, a 900 s edit window, hidden after 3 reports, open, anonymous participants. ' +
          'The title is plain text.',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: ThreadCreateSchema,
        response: { 201: ThreadSchema, ...problems(401, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const result = await idempotency.run<ThreadRecord>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: '/admin/threads', body: request.body }, async (trx, now) => {
        const thread = await comments.createThread(trx, request.body, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'thread.create', subjectKind: 'thread', subjectId: thread.id, details: { title: thread.title ?? null } });
        return { status: 201, body: thread };
      });
      return reply.status(result.status).header('location', `/api/v1/threads/${encodeURIComponent(result.body.id)}`).send(result.body);
    },
  );

  admin.patch<{ Params: { id: string }; Body: ThreadPatch; Headers: { 'idempotency-key': string } }>(
    '/admin/threads/:id',
    {
      schema: {
        summary: 'Change the settings of a thread',
        description: 'Closing a thread stops new comments, edits and supports; reports still reach the moderators.',
        tags,
        security,
        params: ThreadParams,
        headers: IdempotencyHeaders,
        body: ThreadPatchSchema,
        response: { 200: ThreadSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const result = await idempotency.run<ThreadRecord>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/threads/${id}`, body: request.body }, async (trx, now) => {
        const thread = await comments.updateThread(trx, id, request.body, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'thread.update', subjectKind: 'thread', subjectId: id, details: { fields: Object.keys(request.body) } });
        return { status: 200, body: thread };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  for (const action of ['approve', 'hide', 'restore'] as const satisfies readonly ModerationAction[]) {
    admin.post<{ Params: { id: string }; Headers: { 'idempotency-key': string } }>(
      `/admin/comments/:id/${action}`,
      {
        schema: {
          summary: { approve: 'Approve a pending comment', hide: 'Hide a comment (or reject a pending one)', restore: 'Restore a hidden comment' }[action],
          description:
            action === 'hide'
              ? 'A published comment becomes a placeholder that keeps its replies readable; a pending one is rejected (its author still sees it).'
              : 'The comment is published; the reports it had so far count as weighed, so only new ones can hide it again.',
          tags,
          security,
          params: CommentParams,
          headers: IdempotencyHeaders,
          response: { 200: ModerationItemSchema, ...problems(401, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        let event: CommentLiveEventWire | undefined;
        const result = await idempotency.run<ModerationItem>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/comments/${id}/${action}`, body: null }, async (trx, now, effects) => {
          const { row, change } = await comments.moderate(trx, effects, id, action);
          await audit.record(trx, { at: now, actor: actorOf(request), action: `comment.${action}`, subjectKind: 'comment', subjectId: id, details: { threadId: row.thread_id, state: row.moderation } });
          event = await liveEvent(comments, trx, row, change);
          return {
            status: 200,
            body: { kind: 'comment', id: row.id, spaceId: row.thread_id, text: row.body, state: row.moderation, createdAt: row.created_at, reports: row.reports },
          };
        });
        if (event) sendLive(services, event.comment.threadId, event);
        return reply.status(result.status).send(result.body);
      },
    );
  }
}
