import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { sanitiseCouncilHtml } from '../http/sanitise.js';
import { Problem } from '../http/problem.js';
import {
  Id,
  IdeaAdminPatchSchema,
  IdeaAnswerSchema,
  IdeaBoxCreateSchema,
  IdeaBoxPatchSchema,
  IdeaBoxSchema,
  IdeaSchema,
  IdempotencyHeaders,
  problems,
  type IdeaAnswerWire,
  type IdeaBoxCreate,
  type IdeaBoxPatch,
  type IdeaBoxWire,
  type IdeaLiveEventWire,
  type IdeaWire,
} from '../http/schemas.js';
import { ideaLiveEvent, sendIdeaLive } from './routes.js';
import type { IdeaModerationAction } from './store.js';
import { actorOf } from '../staff/guard.js';

const Params = Type.Object({ id: Id });
type Idempotent = { Headers: { 'idempotency-key': string } };

/**
 * The council's side of idea boxes: boxes, the follow-up of each idea (status, official answer,
 * duplicates, the tracked project) and its moderation. Registered inside the admin scope, behind
 * its key check; every action goes to the audit log in its own transaction.
 */
export async function ideaAdminRoutes(admin: FastifyInstance, services: Services, docs: { tags: string[]; security: Array<Record<string, string[]>> }): Promise<void> {
  const { ideas, idempotency, audit } = services;
  const { tags, security } = docs;

  const cleanBox = async <T extends IdeaBoxPatch>(box: T): Promise<T> => {
    const clean = { ...box };
    if (clean.description !== undefined) clean.description = await sanitiseCouncilHtml(clean.description);
    const ids = (clean.categories ?? []).map((category) => category.id);
    if (new Set(ids).size !== ids.length) throw Problem.validation([{ field: 'categories', message: 'Each category needs its own id.' }]);
    if (clean.opensAt && clean.closesAt && Date.parse(clean.opensAt) >= Date.parse(clean.closesAt)) {
      throw Problem.validation([{ field: 'closesAt', message: 'The box must close after it opens.' }]);
    }
    return clean;
  };

  admin.post<Idempotent & { Body: IdeaBoxCreate }>(
    '/admin/idea-boxes',
    {
      schema: {
        summary: 'Create an idea box',
        description: 'Council HTML in `description` is sanitised before it is stored. Settings left out: no categories, no support limit, no pre-moderation, anonymous participants, no images or location, hidden after 5 reports.',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: IdeaBoxCreateSchema,
        response: { 201: IdeaBoxSchema, ...problems(401, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const input = await cleanBox(request.body);
      const result = await idempotency.run<IdeaBoxWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: '/admin/idea-boxes', body: request.body }, async (trx, now) => {
        const box = await ideas.createBox(trx, input, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'idea-box.create', subjectKind: 'idea-box', subjectId: box.id, details: { title: box.title } });
        return { status: 201, body: box };
      });
      return reply.status(result.status).header('location', `/api/v1/idea-boxes/${result.body.id}`).send(result.body);
    },
  );

  admin.patch<{ Params: { id: string }; Body: IdeaBoxPatch } & Idempotent>(
    '/admin/idea-boxes/:id',
    {
      schema: {
        summary: 'Change the settings of an idea box',
        description: 'A lower `supportLimit` keeps the supports already given; participants above it may only withdraw.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: IdeaBoxPatchSchema,
        response: { 200: IdeaBoxSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const patch = await cleanBox(request.body);
      const result = await idempotency.run<IdeaBoxWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/idea-boxes/${id}`, body: request.body }, async (trx, now) => {
        const box = await ideas.updateBox(trx, id, patch, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'idea-box.update', subjectKind: 'idea-box', subjectId: id, details: { fields: Object.keys(request.body) } });
        return { status: 200, body: box };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  admin.post<{ Params: { id: string }; Body: IdeaAnswerWire } & Idempotent>(
    '/admin/ideas/:id/answer',
    {
      schema: {
        summary: "Set an idea's status and the council's official answer",
        description: 'The answer is council HTML, sanitised before it is stored. Status `duplicate` requires `duplicateOf`, another idea of the same box (use merge to move supports too).',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: IdeaAnswerSchema,
        response: { 200: IdeaSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const body = await sanitiseCouncilHtml(request.body.body);
      if (body === '') throw Problem.validation([{ field: 'body', message: 'Write the answer.' }]);
      let event: IdeaLiveEventWire | undefined;
      const result = await idempotency.run<IdeaWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/ideas/${id}/answer`, body: request.body }, async (trx, now) => {
        const row = await ideas.answer(trx, id, { ...request.body, body }, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'idea.answer', subjectKind: 'idea', subjectId: id, details: { boxId: row.box_id, status: row.status, duplicateOf: row.duplicate_of } });
        event = await ideaLiveEvent(ideas, trx, row, 'updated');
        return { status: 200, body: (await ideas.views(trx, [row], undefined))[0]! };
      });
      sendIdeaLive(services, [event]);
      return reply.status(result.status).send(result.body);
    },
  );

  admin.post<{ Params: { id: string }; Body: { into: string } } & Idempotent>(
    '/admin/ideas/:id/merge',
    {
      schema: {
        summary: 'Merge a duplicate into the idea it repeats',
        description: 'The idea becomes a duplicate of `into`, which receives its supports; a participant who supported both keeps a single support.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: Type.Object({ into: Id }, { additionalProperties: false }),
        response: { 200: IdeaSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const events: Array<IdeaLiveEventWire | undefined> = [];
      const result = await idempotency.run<IdeaWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/ideas/${id}/merge`, body: request.body }, async (trx, now) => {
        const { from, into, moved } = await ideas.merge(trx, id, request.body.into);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'idea.merge', subjectKind: 'idea', subjectId: id, details: { boxId: from.box_id, into: into.id, supportsMoved: moved } });
        events.push(await ideaLiveEvent(ideas, trx, from, 'updated'), await ideaLiveEvent(ideas, trx, into, 'updated'));
        return { status: 200, body: (await ideas.views(trx, [from], undefined))[0]! };
      });
      sendIdeaLive(services, events);
      return reply.status(result.status).send(result.body);
    },
  );

  admin.patch<{ Params: { id: string }; Body: { trackedProjectId: string | null } } & Idempotent>(
    '/admin/ideas/:id',
    {
      schema: {
        summary: 'Link an idea to the project it became',
        description: '`trackedProjectId` names a project of the results tracker; null removes the link.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: IdeaAdminPatchSchema,
        response: { 200: IdeaSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      let event: IdeaLiveEventWire | undefined;
      const result = await idempotency.run<IdeaWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/ideas/${id}`, body: request.body }, async (trx, now) => {
        const row = await ideas.track(trx, id, request.body.trackedProjectId);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'idea.track', subjectKind: 'idea', subjectId: id, details: { boxId: row.box_id, trackedProjectId: row.tracked_project_id } });
        event = await ideaLiveEvent(ideas, trx, row, 'updated');
        return { status: 200, body: (await ideas.views(trx, [row], undefined))[0]! };
      });
      sendIdeaLive(services, [event]);
      return reply.status(result.status).send(result.body);
    },
  );

  for (const action of ['approve', 'hide', 'restore'] as const satisfies readonly IdeaModerationAction[]) {
    admin.post<{ Params: { id: string } } & Idempotent>(
      `/admin/ideas/:id/${action}`,
      {
        schema: {
          summary: { approve: 'Approve a pending idea', hide: 'Hide an idea (or reject a pending one)', restore: 'Restore a hidden idea' }[action],
          description:
            action === 'hide'
              ? 'A published idea leaves every listing; a pending one is rejected (its author still sees it).'
              : 'The idea is published and its discussion opened; the reports it had so far count as weighed.',
          tags,
          security,
          params: Params,
          headers: IdempotencyHeaders,
          response: { 200: IdeaSchema, ...problems(401, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        let event: IdeaLiveEventWire | undefined;
        const result = await idempotency.run<IdeaWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/ideas/${id}/${action}`, body: null }, async (trx, now) => {
          const { row, change } = await ideas.moderate(trx, id, action, now);
          await audit.record(trx, { at: now, actor: actorOf(request), action: `idea.${action}`, subjectKind: 'idea', subjectId: id, details: { boxId: row.box_id, state: row.moderation } });
          event = await ideaLiveEvent(ideas, trx, row, change);
          return { status: 200, body: (await ideas.views(trx, [row], undefined))[0]! };
        });
        sendIdeaLive(services, [event]);
        return reply.status(result.status).send(result.body);
      },
    );
  }
}
