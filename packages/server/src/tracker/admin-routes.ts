import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Trx } from '../db/commit-queue.js';
import { Problem } from '../http/problem.js';
import { sanitiseCouncilHtml } from '../http/sanitise.js';
import { Id, IdempotencyHeaders, problems } from '../http/schemas.js';
import { STREAMED_BODY } from '../http/validation.js';
import { CsvTooLargeError, parseCsv, utf8Chunks } from './csv.js';
import { checkProjectFields, fieldsOf, text, type ProjectFields } from './model.js';
import { applyImport, exportProjects, planImport, type ImportPlan } from './projects-csv.js';
import { projectLiveEvent, sendTrackerLive } from './routes.js';
import {
  AdminTrackerSchema,
  ImportResultSchema,
  OriginsInputSchema,
  ProjectCreateSchema,
  ProjectPatchSchema,
  ProjectUpdateInputSchema,
  TrackedProjectSchema,
  TrackerCreateSchema,
  TrackerPatchSchema,
  type AdminTrackerWire,
  type ImportResult,
  type OriginInput,
  type ProjectCreate,
  type ProjectPatch,
  type ProjectUpdateInput,
  type TrackedProjectWire,
  type TrackerCreate,
  type TrackerLiveEventWire,
  type TrackerPatch,
} from './schemas.js';
import type { TrackerStore } from './store.js';
import { actorOf } from '../staff/guard.js';

/** The largest projects file the route takes. */
export const CSV_MAX_BYTES = 20 * 1024 * 1024;
/** An import changing more projects than this is not broadcast project by project: widgets see it on their next read. */
export const IMPORT_LIVE_LIMIT = 50;
const Params = Type.Object({ id: Id });
type Idempotent = { Headers: { 'idempotency-key': string } };

/** The fields a new project starts with: what the council gave, trimmed, and defaults for the rest. */
export function createFields(input: ProjectCreate): ProjectFields {
  return {
    title: input.title.trim(),
    summary: input.summary?.trim() ?? '',
    status: input.status ?? 'planned',
    progress: input.progress ?? 0,
    budgetPlanned: input.budgetPlanned ?? null,
    budgetSpent: input.budgetSpent ?? null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    district: text(input.district),
    category: text(input.category),
    imageUrl: input.imageUrl ?? null,
    imageAlt: text(input.imageAlt),
  };
}

function patchedFields(current: ProjectFields, patch: ProjectPatch): ProjectFields {
  const fields = { ...current };
  if (patch.title !== undefined) fields.title = patch.title.trim();
  if (patch.summary !== undefined) fields.summary = patch.summary.trim();
  if (patch.status !== undefined) fields.status = patch.status;
  if (patch.progress !== undefined) fields.progress = patch.progress;
  if (patch.budgetPlanned !== undefined) fields.budgetPlanned = patch.budgetPlanned;
  if (patch.budgetSpent !== undefined) fields.budgetSpent = patch.budgetSpent;
  if (patch.startsAt !== undefined) fields.startsAt = patch.startsAt;
  if (patch.endsAt !== undefined) fields.endsAt = patch.endsAt;
  if (patch.district !== undefined) fields.district = text(patch.district);
  if (patch.category !== undefined) fields.category = text(patch.category);
  if (patch.imageUrl !== undefined) fields.imageUrl = patch.imageUrl;
  if (patch.imageAlt !== undefined) fields.imageAlt = text(patch.imageAlt);
  return fields;
}

function checked(fields: ProjectFields): ProjectFields {
  const errors = checkProjectFields(fields);
  if (errors.length) throw Problem.validation(errors);
  return fields;
}

/** The summary of an import or of a dry run: what it writes, or would write. */
export function importSummary(plan: ImportPlan): ImportResult {
  return plan.errors.length ? { created: 0, updated: 0, errors: plan.errors } : { created: plan.create.length, updated: plan.update.length, errors: [] };
}

/**
 * The council's side of trackers: trackers, projects, their updates and origins, and the projects
 * file (CSV) both ways. Registered inside the admin scope, behind its key check; every change goes
 * to the audit log in its own transaction.
 */
export async function trackerAdminRoutes(admin: FastifyInstance, services: Services, docs: { tags: string[]; security: Array<Record<string, string[]>> }): Promise<void> {
  const { trackers, idempotency, audit } = services;
  const { tags, security } = docs;

  // The projects file is read as it arrives, never buffered whole.
  admin.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  const cleanTracker = async <T extends TrackerCreate | TrackerPatch>(input: T): Promise<T> => {
    const clean = { ...input, ...(input.title === undefined ? {} : { title: input.title.trim() }) };
    if (typeof clean.description === 'string') clean.description = await sanitiseCouncilHtml(clean.description);
    return clean;
  };

  admin.post<Idempotent & { Body: TrackerCreate }>(
    '/admin/trackers',
    {
      schema: {
        summary: 'Create a results tracker',
        description: '`description` is council HTML, sanitised before it is stored. `statusLabels` are the council’s words for each status; `pageUrl` is the public page showing the tracker (the feed links to it).',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: TrackerCreateSchema,
        response: { 201: AdminTrackerSchema, ...problems(401, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const input = await cleanTracker(request.body);
      const result = await idempotency.run<AdminTrackerWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: '/admin/trackers', body: request.body }, async (trx, now) => {
        await trackers.createTracker(trx, input, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'tracker.create', subjectKind: 'tracker', subjectId: input.id, details: { title: input.title } });
        return { status: 201, body: await trackers.adminTracker(input.id, trx) };
      });
      return reply.status(result.status).header('location', `/api/v1/trackers/${result.body.id}`).send(result.body);
    },
  );

  admin.get<{ Params: { id: string } }>(
    '/admin/trackers/:id',
    { schema: { summary: 'A tracker with its council-only settings', tags, security, params: Params, response: { 200: AdminTrackerSchema, ...problems(401, 404) } } },
    async (request) => trackers.adminTracker(request.params.id),
  );

  admin.patch<Idempotent & { Params: { id: string }; Body: TrackerPatch }>(
    '/admin/trackers/:id',
    {
      schema: {
        summary: 'Change a tracker',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: TrackerPatchSchema,
        response: { 200: AdminTrackerSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const patch = await cleanTracker(request.body);
      const result = await idempotency.run<AdminTrackerWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/trackers/${id}`, body: request.body }, async (trx, now) => {
        await trackers.updateTracker(trx, id, patch, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'tracker.update', subjectKind: 'tracker', subjectId: id, details: { fields: Object.keys(request.body) } });
        return { status: 200, body: await trackers.adminTracker(id, trx) };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  /** A project write: its audit entry, its live event once committed, the project as the council sees it. */
  const projectWrite = async (
    request: FastifyRequest<{ Headers: { 'idempotency-key': string } }>,
    route: { method: string; path: string; status: number },
    work: (trx: Trx, now: string) => Promise<{ row: Awaited<ReturnType<TrackerStore['requireProjectRow']>>; action: string; type: 'created' | 'updated'; details?: Record<string, unknown> }>,
  ) => {
    let event: TrackerLiveEventWire | undefined;
    const result = await idempotency.run<TrackedProjectWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: route.method, path: route.path, body: request.body }, async (trx, now) => {
      const { row, action, type, details } = await work(trx, now);
      await audit.record(trx, { at: now, actor: actorOf(request), action, subjectKind: 'project', subjectId: row.id, details: { trackerId: row.tracker_id, ...details } });
      event = await projectLiveEvent(trackers, trx, row, type);
      return { status: route.status, body: await trackers.project(row.id, trx) };
    });
    if (event) sendTrackerLive(services, [event]);
    return result;
  };

  admin.post<Idempotent & { Params: { id: string }; Body: ProjectCreate }>(
    '/admin/trackers/:id/projects',
    {
      schema: {
        summary: 'Create a project in a tracker',
        description:
          'Left out: status planned, progress 0, summary empty, no budget, dates, place, category or image. `id` is made when not given. `origins` name existing ideas, polls, map reports or threads. ' +
          'The project’s discussion, the thread `project:{id}`, is opened with it.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: ProjectCreateSchema,
        response: { 201: TrackedProjectSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const trackerId = request.params.id;
      const fields = checked(createFields(request.body));
      const result = await projectWrite(request, { method: 'POST', path: `/admin/trackers/${trackerId}/projects`, status: 201 }, async (trx, now) => {
        await trackers.requireTrackerRow(trackerId, trx);
        const origins = await trackers.resolveOrigins(trx, request.body.origins ?? [], []);
        if (isErrors(origins)) throw Problem.validation(origins);
        const row = await trackers.createProject(trx, trackerId, request.body.id, fields, origins, now);
        return { row, action: 'project.create', type: 'created', details: { title: row.title } };
      });
      return reply.status(result.status).header('location', `/api/v1/projects/${result.body.id}`).send(result.body);
    },
  );

  admin.patch<Idempotent & { Params: { id: string }; Body: ProjectPatch }>(
    '/admin/projects/:id',
    {
      schema: {
        summary: 'Change a project',
        description: 'Fields left out stay as they are; null clears an optional one. To tell the public what changed, post an update instead of changing status or progress here.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: ProjectPatchSchema,
        response: { 200: TrackedProjectSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const result = await projectWrite(request, { method: 'PATCH', path: `/admin/projects/${id}`, status: 200 }, async (trx, now) => {
        const current = await trackers.requireProjectRow(id, trx);
        const row = await trackers.updateProject(trx, id, checked(patchedFields(fieldsOf(current), request.body)), now);
        return { row, action: 'project.update', type: 'updated', details: { fields: Object.keys(request.body) } };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  admin.delete<Idempotent & { Params: { id: string } }>(
    '/admin/projects/:id',
    {
      schema: {
        summary: 'Delete a project',
        description: 'Its updates and origins go with it, and ideas and map reports no longer name it. Its discussion stays (and comes back if a project of the same id is made again).',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await idempotency.run<null>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'DELETE', path: `/admin/projects/${id}`, body: null }, async (trx, now) => {
        const row = await trackers.deleteProject(trx, id);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'project.delete', subjectKind: 'project', subjectId: id, details: { trackerId: row.tracker_id, title: row.title } });
        return { status: 204, body: null };
      });
      return reply.status(204).send();
    },
  );

  admin.post<Idempotent & { Params: { id: string }; Body: ProjectUpdateInput }>(
    '/admin/projects/:id/updates',
    {
      schema: {
        summary: 'Post an update on a project',
        description:
          '`body` is council HTML, sanitised before it is stored. `status` and `progress` move the project; the update records them when they changed. ' +
          'The update appears first in the project’s timeline and in the tracker’s feed.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: ProjectUpdateInputSchema,
        response: { 201: TrackedProjectSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const body = await sanitiseCouncilHtml(request.body.body);
      if (body === '') throw Problem.validation([{ field: 'body', message: 'Write the update.' }]);
      const result = await projectWrite(request, { method: 'POST', path: `/admin/projects/${id}/updates`, status: 201 }, async (trx, now) => {
        const row = await trackers.addUpdate(trx, id, { ...request.body, body }, now);
        return { row, action: 'project.post-update', type: 'updated', details: { status: request.body.status ?? null, progress: request.body.progress ?? null } };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  admin.put<Idempotent & { Params: { id: string }; Body: OriginInput[] }>(
    '/admin/projects/:id/origins',
    {
      schema: {
        summary: 'Set the origins of a project',
        description:
          'The ideas, polls, map reports and threads the project came from, in the order given; each must exist, except an origin the project already has whose source is gone. ' +
          'Their titles are kept, for the day a source is deleted.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: OriginsInputSchema,
        response: { 200: TrackedProjectSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const result = await projectWrite(request, { method: 'PUT', path: `/admin/projects/${id}/origins`, status: 200 }, async (trx, now) => {
        await trackers.requireProjectRow(id, trx);
        const current = (await trackers.storedOrigins(trx, [id])).get(id) ?? [];
        const origins = await trackers.resolveOrigins(trx, request.body, current, '');
        if (isErrors(origins)) throw Problem.validation(origins);
        const row = await trackers.setOrigins(trx, id, origins, now);
        return { row, action: 'project.origins', type: 'updated', details: { origins: origins.map((origin) => `${origin.kind}:${origin.id}`) } };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  admin.get<{ Params: { id: string } }>(
    '/admin/trackers/:id/projects.csv',
    {
      schema: {
        summary: 'Export the projects of a tracker (CSV, streamed)',
        description:
          'UTF-8 with a byte order mark, RFC 4180, a header row. Columns: id, title, summary, status, progress, budget_planned, budget_spent, starts_at, ends_at, district, category, image_url, image_alt, ' +
          'origins (space-separated kind:id, e.g. `idea:12 poll:budget-2027`). Text a spreadsheet would run as a formula starts with an apostrophe, which the import takes away again.',
        tags,
        security,
        params: Params,
        response: { 200: { description: 'The projects', content: { 'text/csv': { schema: { type: 'string' } } } }, ...problems(401, 404) },
      },
    },
    async (request, reply) => {
      const tracker = await trackers.requireTrackerRow(request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${tracker.id}-projects.csv"`)
        .send(Readable.from(exportProjects(trackers, tracker.id)));
    },
  );

  admin.post<{ Params: { id: string }; Querystring: { dryRun?: boolean }; Headers: { 'idempotency-key'?: string } }>(
    '/admin/trackers/:id/projects.csv',
    {
      schema: {
        summary: 'Import projects from a CSV file',
        description:
          'Body: `text/csv` (UTF-8; commas, or semicolons as French spreadsheets save them), up to 20 MB, with the export’s columns (only `title` is required; a column left out leaves that field as it is). ' +
          'A row with an `id` updates that project, or creates it under that id; a row without one creates a project. Every row is checked first: when any has an error, nothing is written ' +
          'and the answer (422) lists `{ line, field, message }` for each; otherwise all rows are written at once. `?dryRun=true` checks only. ' +
          '`created` and `updated` count what is (or would be) written; rows that change nothing are not counted. With an Idempotency-Key, a repeated import answers as the first.',
        tags,
        security,
        params: Params,
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyHeaders.properties['idempotency-key']) }),
        // Documented, not validated: the file is read as a stream (see validatorCompiler).
        body: { content: { 'text/csv': { schema: { type: 'string', description: 'The projects, one a row, with a header row.', [STREAMED_BODY]: true } } } },
        response: {
          200: ImportResultSchema,
          ...problems(401, 404, 409, 413, 415),
          422: { description: 'The file has errors: nothing was written', content: { 'application/json': { schema: ImportResultSchema } } },
        },
      },
    },
    async (request, reply) => {
      const trackerId = request.params.id;
      if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? '')) throw new Problem(415, 'validation', 'Send the file as text/csv (UTF-8).');
      await trackers.requireTrackerRow(trackerId);
      const digest = createHash('sha256');
      let plan: ImportPlan;
      try {
        const bytes = (async function* () {
          for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
            digest.update(chunk);
            yield chunk;
          }
        })();
        plan = await planImport(trackers, trackerId, parseCsv(utf8Chunks(bytes, { maxBytes: CSV_MAX_BYTES })));
      } catch (error) {
        if (error instanceof CsvTooLargeError) throw new Problem(413, 'validation', error.message);
        throw error;
      }
      const summary = importSummary(plan);
      if (plan.errors.length > 0) return reply.status(422).send(summary);
      if (request.query.dryRun) return reply.status(200).send(summary);

      const events: TrackerLiveEventWire[] = [];
      const work = async (trx: Trx, now: string) => {
        const changed = await applyImport(trackers, trx, plan, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'project.import', subjectKind: 'tracker', subjectId: trackerId, details: { created: summary.created, updated: summary.updated } });
        if (changed.length <= IMPORT_LIVE_LIMIT) {
          for (const [index, row] of changed.entries()) events.push(await projectLiveEvent(trackers, trx, row, index < plan.create.length ? 'created' : 'updated'));
        }
        return { status: 200, body: summary };
      };
      const key = request.headers['idempotency-key'];
      const path = `/admin/trackers/${trackerId}/projects.csv`;
      const result = key
        ? await idempotency.run<ImportResult>(actorOf(request).owner, key, { method: 'POST', path, body: { sha256: digest.digest('hex') } }, work)
        : { ...(await services.queue.run((trx) => work(trx, new Date().toISOString()))), replayed: false };
      sendTrackerLive(services, events);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.status).send(result.body);
    },
  );
}

function isErrors<T>(value: T[] | Array<{ field: string; message: string }>): value is Array<{ field: string; message: string }> {
  return value.length > 0 && 'message' in (value[0] as object);
}
