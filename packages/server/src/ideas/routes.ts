import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Trx } from '../db/commit-queue.js';
import { forgetStoredEvents } from '../live/hub.js';
import type { IdeaStatus } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import {
  Id,
  IdeaBoxSchema,
  IdeaInputSchema,
  IdeaListQuery,
  IdeaSchema,
  IdempotencyHeaders,
  pageOf,
  problems,
  ReportInputSchema,
  type IdeaInputWire,
  type IdeaLiveEventWire,
  type IdeaWire,
  type ReportInputWire,
} from '../http/schemas.js';
import { asParticipant, markReplayed, optionalParticipant, participantOnly } from '../http/participant-routes.js';
import { checkIdea, closedReason, type IdeaRow } from './model.js';
import type { IdeaChange, IdeaSort, IdeaStore } from './store.js';

type Idempotent = { Headers: { 'idempotency-key': string } };
type ById = { Params: { id: string } };

const Params = Type.Object({ id: Id });

export function ideaTopic(boxId: string): string {
  return `idea-box:${boxId}:ideas`;
}

/** The public view of a change, worked out in its transaction; sent once the transaction has committed. */
export async function ideaLiveEvent(store: IdeaStore, trx: Trx, row: IdeaRow, type: IdeaChange): Promise<IdeaLiveEventWire | undefined> {
  if (row.moderation !== 'published') {
    await forgetStoredEvents(trx, ideaTopic(row.box_id), row.id);
    return undefined;
  }
  if (type === undefined) return undefined;
  const [idea] = await store.views(trx, [row], undefined);
  return { type, idea: idea! };
}

export function sendIdeaLive(services: Services, events: Array<IdeaLiveEventWire | undefined>): void {
  for (const event of events) if (event) void services.live.publish(ideaTopic(event.idea.boxId), event).catch(() => {});
}

export async function ideaRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { ideas, participants, idempotency } = services;
  const tags = ['ideas'];
  const optional = optionalParticipant;
  const security = participantOnly;
  const writes = [services.authenticate, services.participantLimit];
  const replayed = markReplayed;

  app.get<ById>(
    '/idea-boxes/:id',
    {
      schema: {
        summary: 'An idea box and its settings',
        description: 'With a Bearer token and a support limit, `supportsGiven` counts the supports the participant has given in the box.',
        tags,
        security: optional,
        params: Params,
        response: { 200: IdeaBoxSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      return ideas.boxFor(request.params.id, participant?.id);
    },
  );

  app.get<ById & { Querystring: { sort?: IdeaSort; seed?: string; category?: string; status?: IdeaStatus; q?: string; cursor?: string; limit?: string } }>(
    '/idea-boxes/:id/ideas',
    {
      schema: {
        summary: 'Ideas of a box, a page at a time',
        description:
          '`sort` is newest (default), most-supported, most-discussed or random (the same order for the same `seed`, across pages). ' +
          '`q` searches title and body, whatever the case and accents. Pending and rejected ideas are listed to their author only; hidden ones to nobody. ' +
          '12 a page, at most 50.',
        tags,
        security: optional,
        params: Params,
        querystring: IdeaListQuery,
        response: { 200: pageOf(IdeaSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      const { sort = 'newest', limit, ...filters } = request.query;
      return ideas.list(request.params.id, { sort, ...filters, ...(limit === undefined ? {} : { limit: Number(limit) }) }, participant?.id);
    },
  );

  app.get<ById & { Querystring: { q: string } }>(
    '/idea-boxes/:id/similar',
    {
      schema: {
        summary: 'Published ideas like a text being written',
        description: 'At most 5, ranked by the significant words they share with `q` (French and English stop words ignored, accents folded).',
        tags,
        security: optional,
        params: Params,
        querystring: Type.Object({ q: Type.String({ maxLength: 6000 }) }, { additionalProperties: false }),
        response: { 200: Type.Array(IdeaSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      return ideas.similar(request.params.id, request.query.q, participant?.id);
    },
  );

  app.get<ById>(
    '/ideas/:id',
    { schema: { summary: 'One idea', tags, security: optional, params: Params, response: { 200: IdeaSchema, ...problems(401, 404) } } },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      return ideas.get(request.params.id, participant?.id);
    },
  );

  app.post<ById & Idempotent & { Body: IdeaInputWire }>(
    '/idea-boxes/:id/ideas',
    {
      onRequest: writes,
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        summary: 'Propose an idea',
        description:
          'Title 5–140 and body 20–5000 characters once trimmed; `categoryId` required where the box has categories; `location` and `image` (a data: URL, JPEG, PNG or WebP, at most 2 MiB) only where the box takes them. ' +
          'Under pre-moderation the idea comes back `pending`, seen by its author only. The `website` field is a honeypot and must stay empty.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: IdeaInputSchema,
        response: { 201: IdeaSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const box = await ideas.requireBox(request.params.id);
      const { website, ...input } = request.body;
      if (website) throw Problem.validation([{ field: 'website', message: 'Leave this field empty.' }]);
      if (box.requiredVerification === 'verified' && participant.verification !== 'verified') {
        throw new Problem(403, 'forbidden', 'This idea box is open to verified participants only: sign in on the council site.');
      }
      const closed = closedReason(box, Date.now());
      if (closed) throw new Problem(403, 'closed', closed);
      const checked = checkIdea(box, input);
      if (Array.isArray(checked)) throw Problem.validation(checked);
      let event: IdeaLiveEventWire | undefined;
      const result = await asParticipant(() =>
        idempotency.run<IdeaWire>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/idea-boxes/${box.id}/ideas`, body: input }, async (trx, now) => {
          const current = await ideas.requireBox(box.id, trx);
          const row = await ideas.propose(trx, current, participant, checked, now);
          event = await ideaLiveEvent(ideas, trx, row, 'created');
          const [body] = await ideas.views(trx, [row], participant.id);
          return { status: 201, body: body! };
        }),
      );
      sendIdeaLive(services, [event]);
      replayed(reply, result);
      return reply.status(result.status).header('location', `/api/v1/ideas/${result.body.id}`).send(result.body);
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route<ById & Idempotent>({
      method,
      url: '/ideas/:id/support',
      onRequest: writes,
      schema: {
        summary: method === 'PUT' ? 'Support an idea' : 'Withdraw your support',
        description:
          method === 'PUT'
            ? 'One support per participant and idea: supporting twice stays one. Where the box sets `supportLimit`, one support more than the limit answers 409 `conflict` ("support limit reached").'
            : 'Only while the box is open; frees one support of the limit.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        response: { 200: IdeaSchema, ...problems(401, 403, 404, 409, 422) },
      },
      handler: async (request, reply) => {
        const participant = request.participant!;
        let event: IdeaLiveEventWire | undefined;
        const result = await asParticipant(() =>
          idempotency.run<IdeaWire>(participant.id, request.headers['idempotency-key'], { method, path: `/ideas/${request.params.id}/support`, body: null }, async (trx, now) => {
            const { row, changed } =
              method === 'PUT' ? await ideas.support(trx, request.params.id, participant, now) : await ideas.withdraw(trx, request.params.id, participant.id, now);
            if (changed) event = await ideaLiveEvent(ideas, trx, row, 'updated');
            const [body] = await ideas.views(trx, [row], participant.id);
            return { status: 200, body: body! };
          }),
        );
        sendIdeaLive(services, [event]);
        replayed(reply, result);
        return reply.status(result.status).send(result.body);
      },
    });
  }

  app.post<ById & Idempotent & { Body: ReportInputWire }>(
    '/ideas/:id/reports',
    {
      onRequest: writes,
      schema: {
        summary: 'Report an idea to the moderators',
        description: "One report per participant and idea: a repeat is accepted (204) and not counted again. After the box's `autoHideReports` distinct reports the idea is hidden and waits for a moderator.",
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: ReportInputSchema,
        response: { 204: Type.Null({ description: 'Reported' }), ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const result = await asParticipant(() =>
        idempotency.run<null>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/ideas/${request.params.id}/reports`, body: request.body }, async (trx, now) => {
          const hidden = await ideas.report(trx, request.params.id, participant.id, request.body, now);
          if (hidden) {
            await services.audit.record(trx, { at: now, actor: 'system', action: 'idea.auto-hide', subjectKind: 'idea', subjectId: hidden.id, details: { boxId: hidden.box_id, reports: hidden.reports } });
          }
          return { status: 204, body: null };
        }),
      );
      replayed(reply, result);
      return reply.status(204).send();
    },
  );
}
