import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Trx } from '../db/commit-queue.js';
import { forgetStoredEvents } from '../live/hub.js';
import type { MapReportStatus } from '../db/schema-maps.js';
import { Problem } from '../http/problem.js';
import { Id, IdempotencyHeaders, pageOf, problems, ReportInputSchema, type ReportInputWire } from '../http/schemas.js';
import { asParticipant, markReplayed, optionalParticipant, participantOnly } from '../http/participant-routes.js';
import type { Participant } from '../session/participants.js';
import { checkReport, closedReason, mapTopic, MAP_AUTO_HIDE_REPORTS, NEARBY_RADIUS_METERS, parseBbox, type Bbox, type CheckedReport, type MapReportRow, type ReportRules } from './model.js';
import {
  MapPointsQuery,
  MapReportInputSchema,
  MapReportListQuery,
  MapReportSchema,
  MapSchema,
  NearbyQuery,
  PointFeatureCollectionSchema,
  type MapLiveEventWire,
  type MapReportInputWire,
  type MapReportWire,
  type MapWire,
} from './schemas.js';
import type { MapReportChange, MapReportSort, MapStore } from './store.js';

type Idempotent = { Headers: { 'idempotency-key': string } };
type ById = { Params: { id: string } };
type Filters = { bbox?: string; category?: string; status?: MapReportStatus };

const Params = Type.Object({ id: Id });

/** The public view of a change, worked out in its transaction; sent once the transaction has committed. */
export async function mapLiveEvent(store: MapStore, trx: Trx, row: MapReportRow, type: MapReportChange): Promise<MapLiveEventWire | undefined> {
  if (row.moderation !== 'published') {
    await forgetStoredEvents(trx, mapTopic(row.map_id), row.id);
    return undefined;
  }
  if (type === undefined) return undefined;
  const [report] = await store.views(trx, [row], undefined);
  return { type, report: report! };
}

export function sendMapLive(services: Services, events: Array<MapLiveEventWire | undefined>): void {
  for (const event of events) if (event) void services.live.publish(mapTopic(event.report.mapId), event).catch(() => {});
}

/**
 * Who may report on a map, and what they report, checked before any write: the same rules for
 * the REST route and Open311's POST.
 */
export function admitReport(map: MapWire, participant: Participant, input: Omit<MapReportInputWire, 'website'>, rules?: ReportRules): CheckedReport {
  if (map.requiredVerification === 'verified' && participant.verification !== 'verified') {
    throw new Problem(403, 'forbidden', 'This map takes reports from verified participants only: sign in on the council site.');
  }
  const closed = closedReason(map);
  if (closed) throw new Problem(403, 'closed', closed);
  const checked = checkReport(map, input, rules);
  if (Array.isArray(checked)) throw Problem.validation(checked);
  return checked;
}

/** Stores a report admitted by `admitReport`, in the caller's transaction. */
export async function storeReport(
  services: Services,
  trx: Trx,
  mapId: string,
  participant: Participant,
  checked: CheckedReport,
  now: string,
  options: { open311Token?: boolean } = {},
) {
  const map = await services.maps.requireMap(mapId, trx);
  const row = await services.maps.submit(trx, map, participant, checked, now, options);
  const event = await mapLiveEvent(services.maps, trx, row, 'created');
  const [view] = await services.maps.views(trx, [row], participant.id);
  return { row, view: view!, event };
}

function filters(query: Filters): { bbox?: Bbox; category?: string; status?: MapReportStatus } {
  const { bbox, ...rest } = query;
  if (bbox === undefined) return rest;
  const parsed = parseBbox(bbox);
  if (!Array.isArray(parsed)) throw Problem.validation([parsed]);
  return { ...rest, bbox: parsed };
}

export async function mapRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { maps, participants, idempotency } = services;
  const tags = ['maps'];
  const optional = optionalParticipant;
  const security = participantOnly;
  const writes = [services.authenticate, services.participantLimit];

  app.get<ById>(
    '/maps/:id',
    { schema: { summary: 'A participatory map, its categories and their fields', tags, params: Params, response: { 200: MapSchema, ...problems(404) } } },
    async (request) => maps.requireMap(request.params.id),
  );

  app.get<ById & { Querystring: Filters & { sort?: MapReportSort; cursor?: string; limit?: string } }>(
    '/maps/:id/reports',
    {
      schema: {
        summary: 'Reports of a map, a page at a time',
        description:
          '`bbox` is west,south,east,north and keeps located reports inside it (reports with an address only are left out); without it they are listed too. ' +
          '`sort` is newest (default) or most-followed. Pending and rejected reports are listed to their author only; hidden ones to nobody. 20 a page, at most 100.',
        tags,
        security: optional,
        params: Params,
        querystring: MapReportListQuery,
        response: { 200: pageOf(MapReportSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      const { sort = 'newest', cursor, limit, ...rest } = request.query;
      return maps.list(
        request.params.id,
        { sort, ...filters(rest), ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit: Number(limit) }) },
        participant?.id,
      );
    },
  );

  app.get<ById & { Querystring: Filters; Headers: { 'if-none-match'?: string } }>(
    '/maps/:id/points',
    {
      schema: {
        summary: 'Every located published report that matches, as GeoJSON points',
        description:
          'For drawing: unpaged, at most 50,000 (the most recent first). Each feature is `{ type: Feature, id, geometry: { type: Point, coordinates: [lng, lat] }, properties: { categoryId, status } }`. ' +
          'The same for everyone: send `If-None-Match` with the last `ETag` to get 304 when nothing changed.',
        tags,
        params: Params,
        querystring: MapPointsQuery,
        response: {
          200: { description: 'A GeoJSON FeatureCollection', content: { 'application/geo+json': { schema: PointFeatureCollectionSchema } } },
          304: { description: 'Not modified since the ETag sent', type: 'null' },
          ...problems(404),
        },
      },
    },
    async (request, reply) => {
      const document = await maps.points(request.params.id, filters(request.query));
      reply.header('etag', document.etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(document.etag)) return reply.status(304).send();
      return reply.type('application/geo+json').send(document.body);
    },
  );

  app.get<ById & { Querystring: { lat: number; lng: number; radius?: number; category?: string } }>(
    '/maps/:id/nearby',
    {
      schema: {
        summary: 'Open reports near a point ("same problem?")',
        description: 'Published reports not closed within `radius` metres (default 50, at most 1000) of the point, of `category` when given, nearest first, at most 5.',
        tags,
        security: optional,
        params: Params,
        querystring: NearbyQuery,
        response: { 200: Type.Array(MapReportSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      const { lat, lng, radius = NEARBY_RADIUS_METERS, category } = request.query;
      return maps.nearby(request.params.id, { lat, lng }, radius, category, participant?.id);
    },
  );

  app.get<ById>(
    '/map-reports/:id',
    { schema: { summary: 'One map report, with the council’s updates', tags, security: optional, params: Params, response: { 200: MapReportSchema, ...problems(401, 404) } } },
    async (request) => {
      const participant = await participants.authenticateOptional(request.headers.authorization);
      return maps.get(request.params.id, participant?.id);
    },
  );

  app.post<ById & Idempotent & { Body: MapReportInputWire }>(
    '/maps/:id/reports',
    {
      onRequest: writes,
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        summary: 'Report a problem on a map',
        description:
          'A point (inside the map’s `bounds`, if any) or an address, or both; `categoryId` one of the map’s; description 10–2000 characters once trimmed; ' +
          '`attributes` as the category’s fields ask (unknown codes are dropped); `image` a data: URL (JPEG, PNG or WebP, at most 2 MiB) where the map takes images. ' +
          'Field errors are keyed categoryId, point, address, description, image and `attributes.<code>`. The author follows the report. ' +
          'Under pre-moderation the report comes back `pending`, seen by its author only. The `website` field is a honeypot and must stay empty.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: MapReportInputSchema,
        response: { 201: MapReportSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const map = await maps.requireMap(request.params.id);
      const { website, ...input } = request.body;
      if (website) throw Problem.validation([{ field: 'website', message: 'Leave this field empty.' }]);
      const checked = admitReport(map, participant, input);
      let event: MapLiveEventWire | undefined;
      const result = await asParticipant(() =>
        idempotency.run<MapReportWire>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/maps/${map.id}/reports`, body: input }, async (trx, now) => {
          const stored = await storeReport(services, trx, map.id, participant, checked, now);
          event = stored.event;
          return { status: 201, body: stored.view };
        }),
      );
      sendMapLive(services, [event]);
      markReplayed(reply, result);
      return reply.status(result.status).header('location', `/api/v1/map-reports/${result.body.id}`).send(result.body);
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route<ById & Idempotent>({
      method,
      url: '/map-reports/:id/follow',
      onRequest: writes,
      schema: {
        summary: method === 'PUT' ? 'Follow a report' : 'Stop following a report',
        description: 'Idempotent: following twice stays one follow, unfollowing twice changes nothing. Answers the report with `followers` and `followedByMe`.',
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        response: { 200: MapReportSchema, ...problems(401, 404, 409, 422) },
      },
      handler: async (request, reply) => {
        const participant = request.participant!;
        let event: MapLiveEventWire | undefined;
        const result = await asParticipant(() =>
          idempotency.run<MapReportWire>(participant.id, request.headers['idempotency-key'], { method, path: `/map-reports/${request.params.id}/follow`, body: null }, async (trx, now) => {
            const { row, changed } = await maps.follow(trx, request.params.id, participant, method === 'PUT', now);
            if (changed) event = await mapLiveEvent(maps, trx, row, 'updated');
            const [body] = await maps.views(trx, [row], participant.id);
            return { status: 200, body: body! };
          }),
        );
        sendMapLive(services, [event]);
        markReplayed(reply, result);
        return reply.status(result.status).send(result.body);
      },
    });
  }

  app.post<ById & Idempotent & { Body: ReportInputWire }>(
    '/map-reports/:id/flags',
    {
      onRequest: writes,
      schema: {
        summary: 'Flag a report to the moderators',
        description: `One flag per participant and report: a repeat is accepted (204) and not counted again. After ${MAP_AUTO_HIDE_REPORTS} distinct flags the report is hidden and waits for a moderator.`,
        tags,
        security,
        params: Params,
        headers: IdempotencyHeaders,
        body: ReportInputSchema,
        response: { 204: Type.Null({ description: 'Flagged' }), ...problems(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const result = await asParticipant(() =>
        idempotency.run<null>(participant.id, request.headers['idempotency-key'], { method: 'POST', path: `/map-reports/${request.params.id}/flags`, body: request.body }, async (trx, now) => {
          const hidden = await maps.flag(trx, request.params.id, participant.id, request.body, MAP_AUTO_HIDE_REPORTS, now);
          if (hidden) {
            await services.audit.record(trx, { at: now, actor: 'system', action: 'map-report.auto-hide', subjectKind: 'map-report', subjectId: hidden.id, details: { mapId: hidden.map_id, flags: hidden.reports } });
          }
          return { status: 204, body: null };
        }),
      );
      markReplayed(reply, result);
      return reply.status(204).send();
    },
  );
}
