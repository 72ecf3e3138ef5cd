import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Storage } from '../db/connect.js';
import { csvRows, jsonArray } from '../admin/exports.js';
import { Problem } from '../http/problem.js';
import type { FieldError } from '../http/problem.js';
import { sanitiseCouncilHtml } from '../http/sanitise.js';
import { Id, IdempotencyHeaders, problems, type ModerationItem } from '../http/schemas.js';
import { inBounds, reportView, type MapReportRow } from './model.js';
import { mapLiveEvent, sendMapLive } from './routes.js';
import {
  MapCreateSchema,
  MapPatchSchema,
  MapReportAdminPatchSchema,
  MapReportCouncilUpdateSchema,
  MapReportSchema,
  MapSchema,
  type MapCreate,
  type MapLiveEventWire,
  type MapPatch,
  type MapReportCouncilUpdateWire,
  type MapReportWire,
  type MapWire,
} from './schemas.js';
import type { MapModerationAction } from './store.js';
import { actorOf } from '../staff/guard.js';

const Params = Type.Object({ id: Id });
type Idempotent = { Headers: { 'idempotency-key': string } };
type ById = { Params: { id: string } };

/**
 * The council's side of maps: the maps themselves, the follow-up of each report (public updates
 * with a status, the tracked project), moderation and exports. Registered inside the admin scope,
 * behind its key check; every action goes to the audit log in its own transaction.
 */
export async function mapAdminRoutes(admin: FastifyInstance, services: Services, docs: { tags: string[]; security: Array<Record<string, string[]>> }): Promise<void> {
  const { maps, idempotency, audit, storage } = services;
  const { tags, security } = docs;

  admin.post<Idempotent & { Body: MapCreate }>(
    '/admin/maps',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        summary: 'Create a participatory map',
        description:
          'Council HTML in `description` is sanitised before it is stored. Categories carry their extra `fields` (text, number, select with `options`, checkbox). ' +
          'Settings left out: no categories, no bounds, open, no pre-moderation, no images, anonymous participants.',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: MapCreateSchema,
        response: { 201: MapSchema, ...problems(401, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const input = await cleanMap(request.body);
      const result = await idempotency.run<MapWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: '/admin/maps', body: request.body }, async (trx, now) => {
        const map = await maps.createMap(trx, input, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'map.create', subjectKind: 'map', subjectId: map.id, details: { title: map.title } });
        return { status: 201, body: map };
      });
      return reply.status(result.status).header('location', `/api/v1/maps/${result.body.id}`).send(result.body);
    },
  );

  admin.patch<ById & Idempotent & { Body: MapPatch }>(
    '/admin/maps/:id',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        summary: 'Change a participatory map',
        description: '`bounds: null` removes the bounds. Reports already made keep their category even if it is removed.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: MapPatchSchema,
        response: { 200: MapSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const current = await maps.requireMap(id);
      const { bounds, ...rest } = request.body;
      const merged: MapCreate = { ...current, ...rest, id };
      if (bounds === null) delete merged.bounds;
      else if (bounds !== undefined) merged.bounds = bounds;
      const clean = await cleanMap(merged);
      const patch: MapPatch = { ...request.body, ...(request.body.description === undefined ? {} : { description: clean.description }) };
      const result = await idempotency.run<MapWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/maps/${id}`, body: request.body }, async (trx, now) => {
        const map = await maps.updateMap(trx, id, patch, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'map.update', subjectKind: 'map', subjectId: id, details: { fields: Object.keys(request.body) } });
        return { status: 200, body: map };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  admin.post<ById & Idempotent & { Body: MapReportCouncilUpdateWire }>(
    '/admin/map-reports/:id/updates',
    {
      schema: {
        summary: 'Add a public council update to a report, and perhaps change its status',
        description: 'The body is council HTML, sanitised before it is stored; updates are shown oldest first. Followers see it live.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: MapReportCouncilUpdateSchema,
        response: { 200: MapReportSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const body = await sanitiseCouncilHtml(request.body.body);
      if (body === '') throw Problem.validation([{ field: 'body', message: 'Write the update.' }]);
      let event: MapLiveEventWire | undefined;
      const result = await idempotency.run<MapReportWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/map-reports/${id}/updates`, body: request.body }, async (trx, now) => {
        const row = await maps.addUpdate(trx, id, { body, ...(request.body.status === undefined ? {} : { status: request.body.status }) }, now);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'map-report.update', subjectKind: 'map-report', subjectId: id, details: { mapId: row.map_id, status: request.body.status ?? null } });
        event = await mapLiveEvent(maps, trx, row, 'updated');
        return { status: 200, body: (await maps.views(trx, [row], undefined))[0]! };
      });
      sendMapLive(services, [event]);
      return reply.status(result.status).send(result.body);
    },
  );

  admin.patch<ById & Idempotent & { Body: { trackedProjectId: string | null } }>(
    '/admin/map-reports/:id',
    {
      schema: {
        summary: 'Link a report to the project it became',
        description: '`trackedProjectId` names a project of the results tracker; null removes the link.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: MapReportAdminPatchSchema,
        response: { 200: MapReportSchema, ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      let event: MapLiveEventWire | undefined;
      const result = await idempotency.run<MapReportWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/map-reports/${id}`, body: request.body }, async (trx, now) => {
        const row = await maps.track(trx, id, request.body.trackedProjectId);
        await audit.record(trx, { at: now, actor: actorOf(request), action: 'map-report.track', subjectKind: 'map-report', subjectId: id, details: { mapId: row.map_id, trackedProjectId: row.tracked_project_id } });
        event = await mapLiveEvent(maps, trx, row, 'updated');
        return { status: 200, body: (await maps.views(trx, [row], undefined))[0]! };
      });
      sendMapLive(services, [event]);
      return reply.status(result.status).send(result.body);
    },
  );

  for (const action of ['approve', 'hide', 'restore'] as const satisfies readonly MapModerationAction[]) {
    admin.post<ById & Idempotent>(
      `/admin/map-reports/:id/${action}`,
      {
        schema: {
          summary: { approve: 'Approve a pending report', hide: 'Hide a report (or reject a pending one)', restore: 'Restore a hidden report' }[action],
          description:
            action === 'hide'
              ? 'A published report leaves every listing and the map; a pending one is rejected (its author still sees it).'
              : 'The report is published and its discussion opened; the flags it had so far count as weighed.',
          tags,
          security,
          params: Params,
          headers: IdempotencyHeaders,
          response: { 200: MapReportSchema, ...problems(401, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        let event: MapLiveEventWire | undefined;
        const result = await idempotency.run<MapReportWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/map-reports/${id}/${action}`, body: null }, async (trx, now) => {
          const { row, change } = await maps.moderate(trx, id, action, now);
          await audit.record(trx, { at: now, actor: actorOf(request), action: `map-report.${action}`, subjectKind: 'map-report', subjectId: id, details: { mapId: row.map_id, state: row.moderation } });
          event = await mapLiveEvent(maps, trx, row, change);
          return { status: 200, body: (await maps.views(trx, [row], undefined))[0]! };
        });
        sendMapLive(services, [event]);
        return reply.status(result.status).send(result.body);
      },
    );
  }

  admin.get<ById & { Querystring: { format?: 'csv' | 'json' } }>(
    '/admin/maps/:id/reports',
    {
      schema: {
        summary: 'Export the reports of a map (streamed)',
        description: 'Every report in any moderation state, with its updates, CSV or JSON (`?format=`, default json). Reports carry no participant identity.',
        tags,
        security,
        params: Params,
        querystring: Type.Object({ format: Type.Optional(Type.Enum(['csv', 'json'])) }, { additionalProperties: false }),
        response: {
          200: {
            description: 'Reports',
            content: { 'application/json': { schema: Type.Array(MapReportSchema) }, 'text/csv': { schema: { type: 'string' } } },
          },
          ...problems(401, 404),
        },
      },
    },
    async (request, reply) => {
      const map = await maps.requireMap(request.params.id);
      const reports = reportsOf(storage, map.id);
      if (request.query.format === 'csv') {
        const header = ['report_id', 'created_at', 'category_id', 'lat', 'lng', 'address', 'description', 'attributes', 'status', 'moderation', 'followers', 'comments', 'flags', 'updates', 'latest_update', 'updated_at', 'tracked_project_id'];
        const rows = (async function* () {
          for await (const { view, flags } of reports) {
            yield [
              view.id, view.createdAt, view.categoryId, view.point?.lat, view.point?.lng, view.address, view.description, view.attributes, view.status, view.moderation,
              view.followers, view.comments, flags, view.updates.length, view.updates.at(-1)?.body, view.updatedAt, view.trackedProjectId,
            ];
          }
        })();
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${map.id}-reports.csv"`)
          .send(Readable.from(csvRows(header, rows)));
      }
      const views = (async function* () {
        for await (const { view } of reports) yield view;
      })();
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${map.id}-reports.json"`).send(Readable.from(jsonArray(views)));
    },
  );
}

const CHUNK = 500;

/** Every report of a map with its updates, read in keyset pages so memory stays flat. */
async function* reportsOf(storage: Storage, mapId: string): AsyncGenerator<{ view: MapReportWire; flags: number }> {
  let after = '';
  for (;;) {
    const rows: MapReportRow[] = await storage.reader.selectFrom('map_reports').selectAll().where('map_id', '=', mapId).where('id', '>', after).orderBy('id').limit(CHUNK).execute();
    if (rows.length === 0) return;
    const updates = await storage.reader.selectFrom('map_report_updates').selectAll().where('report_id', 'in', rows.map((row) => row.id)).orderBy('id').execute();
    for (const row of rows) {
      yield { view: reportView(row, updates.filter((update) => update.report_id === row.id), { download: true }), flags: row.reports };
    }
    if (rows.length < CHUNK) return;
    after = rows.at(-1)!.id;
  }
}

/** Map reports to moderate: pending and hidden ones by default, with their flags. */
/** `maps`: the maps a limited moderator may see; undefined for every map. */
export async function mapReportQueue(storage: Storage, state: ModerationItem['state'] | undefined, cursor: string | undefined, limit: number, maps?: string[]) {
  let query = storage.reader
    .selectFrom('map_reports')
    .select(['id', 'map_id', 'address', 'description', 'moderation', 'created_at', 'reports'])
    .where('moderation', 'in', state ? [state] : ['pending', 'hidden'])
    .orderBy('id')
    .limit(limit + 1);
  if (maps) query = query.where('map_id', 'in', maps.length ? maps : ['']);
  if (cursor) query = query.where('id', '>', cursor);
  const rows = await query.execute();
  const items: ModerationItem[] = rows.slice(0, limit).map((row) => ({
    kind: 'map-report',
    id: row.id,
    spaceId: row.map_id,
    text: row.address === null ? row.description : `${row.address}\n\n${row.description}`,
    state: row.moderation,
    createdAt: row.created_at,
    reports: row.reports,
  }));
  return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
}

/** Council HTML sanitised; ids, field codes and select options coherent; bounds around the centre. */
async function cleanMap<T extends MapCreate>(map: T): Promise<T> {
  const clean = { ...map };
  if (clean.description !== undefined) clean.description = await sanitiseCouncilHtml(clean.description);
  const errors: FieldError[] = [];
  const categories = clean.categories ?? [];
  if (new Set(categories.map((category) => category.id)).size !== categories.length) errors.push({ field: 'categories', message: 'Each category needs its own id.' });
  categories.forEach((category, i) => {
    const codes = category.fields.map((field) => field.code);
    if (new Set(codes).size !== codes.length) errors.push({ field: `categories.${i}.fields`, message: 'Each field of a category needs its own code.' });
    category.fields.forEach((field, j) => {
      if ((field.type === 'select') !== (field.options !== undefined)) {
        errors.push({ field: `categories.${i}.fields.${j}.options`, message: field.type === 'select' ? 'A select field needs its options.' : 'Only a select field has options.' });
      }
    });
  });
  if (clean.bounds) {
    const [southWest, northEast] = clean.bounds;
    if (southWest.lat >= northEast.lat || southWest.lng >= northEast.lng) errors.push({ field: 'bounds', message: 'Give the south-west corner, then the north-east one.' });
    else if (!inBounds(clean.center, clean.bounds)) errors.push({ field: 'center', message: 'The centre must be inside the bounds.' });
  }
  if (errors.length) throw Problem.validation(errors);
  return clean;
}
