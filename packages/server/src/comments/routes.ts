import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Trx } from '../db/commit-queue.js';
import { forgetStoredEvents } from '../live/hub.js';
import { Problem } from '../http/problem.js';
import {
  CommentEditSchema,
  CommentInputSchema,
  CommentListQuery,
  CommentParams,
  IdempotencyHeaders,
  pageOf,
  problems,
  ReactionSchema,
  ReportInputSchema,
  ThreadCommentSchema,
  ThreadParams,
  ThreadSchema,
  type CommentInputWire,
  type CommentLiveEventWire,
  type ReportInputWire,
  type ThreadCommentWire,
} from '../http/schemas.js';
import { asParticipant, markReplayed, optionalParticipant, participantOnly } from '../http/participant-routes.js';
import type { CommentRow } from './model.js';
import { checkBody, checkComment } from './rules.js';
import type { CommentSort, CommentStore, LiveChange } from './store.js';

type Idempotent = { Headers: { 'idempotency-key': string } };
type ThreadRequest = { Params: { id: string } };
type CommentRequest = { Params: { id: string } };

export function commentTopic(threadId: string): string {
  return `thread:${threadId}:comments`;
}

/**
 * The public view of a change, worked out in the change's own transaction so that events leave
 * in the order their changes committed; sent once the transaction has.
 */
export async function liveEvent(store: CommentStore, trx: Trx, row: CommentRow, type: LiveChange): Promise<CommentLiveEventWire | undefined> {
  if (row.deleted === 1 || row.moderation !== 'published') await forgetStoredEvents(trx, commentTopic(row.thread_id), row.id);
  if (type === undefined || row.moderation === 'pending' || row.moderation === 'rejected') return undefined;
  const [comment] = await store.views(trx, [row], undefined);
  return { type, comment: comment! };
}

export function sendLive(services: Services, threadId: string, event: CommentLiveEventWire | undefined): void {
  if (event) void services.live.publish(commentTopic(threadId), event).catch(() => {});
}

export async function commentRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { comments, participants, idempotency } = services;
  const tags = ['comments'];
  const optional = optionalParticipant;
  const security = participantOnly;
  const writes = [services.authenticate, services.participantLimit];
  const replayed = markReplayed;

  app.get<ThreadRequest>(
    '/threads/:id',
    { schema: { summary: 'A discussion thread and its settings', tags, params: ThreadParams, response: { 200: ThreadSchema, ...problems(404) } } },
    async (request) => comments.requireThread(request.params.id),
  );

  app.get<ThreadRequest & { Querystring: { sort?: CommentSort; parent?: string; cursor?: string; limit?: string } }>(
    '/threads/:id/comments',
    {
      schema: {
        summary: 'Comments of a thread, a page at a time',
        description:
          'Top-level comments, or the direct replies to `parent`. `sort` is oldest (default), newest or most-supported (supports, then oldest). ' +
          'Pending comments are listed to their author only; hidden comments come as placeholders without text or author; deleted ones as placeholders while they have replies. ' +
          '`total` counts the comments of this listing as the reader sees them.',
        tags,
        security: optional,
        params: ThreadParams,
        querystring: CommentListQuery,
        response: { 200: pageOf(ThreadCommentSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      const { sort = 'oldest', parent, cursor, limit } = request.query;
      return comments.list(
        request.params.id,
        { sort, ...(parent === undefined ? {} : { parentId: parent }), ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit: Number(limit) }) },
        participant?.id,
      );
    },
  );

  app.get<CommentRequest>(
    '/comments/:id',
    {
      schema: { summary: 'One comment (for permalinks)', tags, security: optional, params: CommentParams, response: { 200: ThreadCommentSchema, ...problems(401, 404) } },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      return comments.get(request.params.id, participant?.id);
    },
  );

  app.post<ThreadRequest & Idempotent & { Body: CommentInputWire }>(
    '/threads/:id/comments',
    {
      onRequest: writes,
      schema: {
        summary: 'Post a comment or a reply',
        description:
          'The body is 1 to 5000 characters once trimmed. `stance` is required where the thread asks for stances and refused elsewhere. ' +
          '`parentId` names a published comment of the same thread. Under pre-moderation the comment comes back `pending`, seen by its author only. ' +
          'The `website` field is a honeypot and must stay empty.',
        tags,
        security,
        params: ThreadParams,
        headers: IdempotencyHeaders,
        body: CommentInputSchema,
        response: { 201: ThreadCommentSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const thread = await comments.requireThread(request.params.id);
      const { website, ...input } = request.body;
      if (website) throw Problem.validation([{ field: 'website', message: 'Leave this field empty.' }]);
      if (thread.requiredVerification === 'verified' && participant.verification !== 'verified') {
        throw new Problem(403, 'forbidden', 'This discussion is open to verified participants only: sign in on the council site.');
      }
      if (thread.closed) throw new Problem(403, 'closed', 'This discussion is closed.');
      const checked = checkComment(thread, input);
      if (Array.isArray(checked)) throw Problem.validation(checked);
      let event: CommentLiveEventWire | undefined;
      const result = await asParticipant(() =>
        idempotency.run<ThreadCommentWire>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/threads/${thread.id}/comments`, body: input }, async (trx, now, effects) => {
          const current = await comments.requireThread(thread.id, trx);
          if (current.closed) throw new Problem(403, 'closed', 'This discussion is closed.');
          const row = await comments.post(trx, effects, current, participant, checked, now);
          event = await liveEvent(comments, trx, row, 'created');
          const [body] = await comments.views(trx, [row], participant.id);
          return { status: 201, body: body! };
        }),
      );
      sendLive(services, thread.id, event);
      replayed(reply, result);
      return reply.status(result.status).header('location', `/api/v1/comments/${result.body.id}`).send(result.body);
    },
  );

  app.patch<CommentRequest & Idempotent & { Body: { body: string } }>(
    '/comments/:id',
    {
      onRequest: writes,
      schema: {
        summary: 'Edit one of your comments',
        description: "Only the author, within the thread's edit window, while the thread is open. Sets `editedAt`.",
        tags,
        security,
        params: CommentParams,
        headers: IdempotencyHeaders,
        body: CommentEditSchema,
        response: { 200: ThreadCommentSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const errors: Parameters<typeof checkBody>[1] = [];
      const body = checkBody(request.body.body, errors);
      if (errors.length) throw Problem.validation(errors);
      let event: CommentLiveEventWire | undefined;
      const result = await idempotency.run<ThreadCommentWire>(participant.id, request.headers['idempotency-key'], { method: 'PATCH', path: `/comments/${request.params.id}`, body: request.body }, async (trx, now) => {
        const row = await comments.edit(trx, request.params.id, participant.id, body, now);
        event = await liveEvent(comments, trx, row, 'updated');
        const [view] = await comments.views(trx, [row], participant.id);
        return { status: 200, body: view! };
      });
      if (event) sendLive(services, event.comment.threadId, event);
      replayed(reply, result);
      return reply.status(result.status).send(result.body);
    },
  );

  app.delete<CommentRequest & Idempotent>(
    '/comments/:id',
    {
      onRequest: writes,
      schema: {
        summary: 'Delete one of your comments',
        description: "Only the author, within the thread's edit window. Its text is erased; it stays as a placeholder while it has replies.",
        tags,
        security,
        params: CommentParams,
        headers: IdempotencyHeaders,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      let event: CommentLiveEventWire | undefined;
      const result = await idempotency.run<null>(participant.id, request.headers['idempotency-key'], { method: 'DELETE', path: `/comments/${request.params.id}`, body: null }, async (trx, now, effects) => {
        const row = await comments.remove(trx, effects, request.params.id, participant.id, now);
        event = await liveEvent(comments, trx, row, 'removed');
        return { status: 204, body: null };
      });
      if (event) sendLive(services, event.comment.threadId, event);
      replayed(reply, result);
      return reply.status(204).send();
    },
  );

  app.put<CommentRequest & Idempotent & { Body: { support: boolean } }>(
    '/comments/:id/reaction',
    {
      onRequest: writes,
      schema: {
        summary: 'Support a comment, or withdraw your support',
        description: 'One support per participant: supporting twice stays one.',
        tags,
        security,
        params: CommentParams,
        headers: IdempotencyHeaders,
        body: ReactionSchema,
        response: { 200: ThreadCommentSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const result = await asParticipant(() =>
        idempotency.run<ThreadCommentWire>(participant.id, request.headers['idempotency-key'], { method: 'PUT', path: `/comments/${request.params.id}/reaction`, body: request.body }, async (trx, now) => {
          const row = await comments.react(trx, request.params.id, participant, request.body.support, now);
          const [view] = await comments.views(trx, [row], participant.id);
          return { status: 200, body: view! };
        }),
      );
      replayed(reply, result);
      return reply.status(result.status).send(result.body);
    },
  );

  app.post<CommentRequest & Idempotent & { Body: ReportInputWire }>(
    '/comments/:id/reports',
    {
      onRequest: writes,
      schema: {
        summary: 'Report a comment to the moderators',
        description:
          "One report per participant and comment: a repeat is accepted (204) and not counted again. After the thread's `autoHideReports` distinct reports the comment is hidden and waits for a moderator.",
        tags,
        security,
        params: CommentParams,
        headers: IdempotencyHeaders,
        body: ReportInputSchema,
        response: { 204: Type.Null({ description: 'Reported' }), ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      let event: CommentLiveEventWire | undefined;
      const result = await asParticipant(() =>
        idempotency.run<null>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/comments/${request.params.id}/reports`, body: request.body }, async (trx, now, effects) => {
          const hidden = await comments.report(trx, effects, request.params.id, participant.id, request.body, now);
          if (hidden) {
            await services.audit.record(trx, { at: now, actor: 'system', action: 'comment.auto-hide', subjectKind: 'comment', subjectId: hidden.id, details: { threadId: hidden.thread_id, reports: hidden.reports } });
            event = await liveEvent(comments, trx, hidden, 'updated');
          }
          return { status: 204, body: null };
        }),
      );
      if (event) sendLive(services, event.comment.threadId, event);
      replayed(reply, result);
      return reply.status(204).send();
    },
  );
}
