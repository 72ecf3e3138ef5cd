import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { Problem } from '../http/problem.js';
import { fieldErrors } from '../http/validation.js';
import { asParticipant } from '../http/participant-routes.js';
import { admitReport, sendMapLive, storeReport } from '../maps/routes.js';
import type { MapLiveEventWire, MapReportInputWire, MapWire } from '../maps/schemas.js';
import type { MapReportRow } from '../maps/model.js';
import {
  attributesOf,
  DEFAULT_SPAN_DAYS,
  MAX_REQUESTS,
  open311Field,
  requestOf,
  serviceOf,
  SPECIFICATION,
  type Open311Error,
  type Open311Request,
} from './model.js';

export interface Open311Options {
  /** The map served when a request names no `jurisdiction_id`; by default the oldest map. */
  jurisdiction?: string;
  /** Discovery's `contact`: how to reach the council about the API. */
  contact?: string;
  /** Discovery's `key_service`: where to get an api_key (a participant token). */
  keyService?: string;
}

const PERSONAL = 'Personal fields (email, first_name, last_name, phone, device_id, account_id) are accepted and ignored: nothing of them is stored.';

const ErrorList = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }), { description: 'Open311 errors, with the HTTP status as code.' });
const JurisdictionQuery = Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })) });
const ServiceSchema = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.Literal('realtime'),
  keywords: Type.String(),
  group: Type.String(),
});
const DefinitionSchema = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(
    Type.Object({
      variable: Type.Boolean(),
      code: Type.String(),
      datatype: Type.Enum(['string', 'number', 'text', 'singlevaluelist']),
      required: Type.Boolean(),
      datatype_description: Type.String(),
      order: Type.Integer(),
      description: Type.String(),
      values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
    }),
  ),
});
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);
const RequestSchema = Type.Object({
  service_request_id: Type.String(),
  status: Type.Enum(['open', 'closed']),
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  description: Type.String(),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: Type.String(),
  updated_datetime: Type.String(),
  expected_datetime: Nullable(Type.String()),
  address: Nullable(Type.String()),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  long: Nullable(Type.Number()),
  media_url: Nullable(Type.String()),
});
const Scalar = Type.Union([Type.String({ maxLength: 3_000_000 }), Type.Number(), Type.Boolean()]);
const PostSchema = Type.Object(
  {
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })),
    api_key: Type.Optional(Type.String({ maxLength: 4000 })),
    service_code: Type.Optional(Type.String({ maxLength: 64 })),
    lat: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
    long: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
    address_string: Type.Optional(Type.String({ maxLength: 300 })),
    address_id: Type.Optional(Type.String({ maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2500 })),
    media_url: Type.Optional(Type.String({ maxLength: 2_900_000 })),
    attribute: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Scalar, { maxProperties: 50 })),
  },
  { additionalProperties: Scalar, description: `Form fields (application/x-www-form-urlencoded, \`attribute[code]=value\`) or the same as JSON. ${PERSONAL}` },
);
type PostBody = { [name: string]: unknown; attribute?: Record<string, string | number | boolean> };

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'Open311 errors', content: { 'application/json': { schema: ErrorList } } }]));

/**
 * Open311 GeoReport v2 over the maps (JSON only, the `.json` suffix as the specification has it):
 * discovery, services, service definitions, requests, tokens. A report made here is a report of
 * the map, and the other way round. Errors are Open311 error lists with the HTTP status.
 */
export async function open311Routes(app: FastifyInstance, services: Services, options: Open311Options = {}): Promise<void> {
  const { maps, participants } = services;
  const tags = ['open311'];

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 3 * 1024 * 1024 }, (_request, body, done) => {
    done(null, formFields(body as string));
  });
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendErrors(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendErrors(new Problem(404, 'not-found', `No Open311 resource at ${request.url.split('?')[0]}.`), request, reply));

  const jurisdiction = async (id: string | undefined): Promise<MapWire> => {
    if (id !== undefined) {
      const map = await maps.map(id);
      if (!map) throw new Problem(404, 'not-found', `Unknown jurisdiction_id "${id}".`);
      return map;
    }
    if (options.jurisdiction !== undefined) return maps.requireMap(options.jurisdiction);
    const [first] = await maps.maps();
    if (!first) throw new Problem(404, 'not-found', 'This server has no map yet.');
    return first;
  };
  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}/open311/v2`;
  const mediaUrl = (request: FastifyRequest, row: MapReportRow) => `${base(request)}/media/${row.id}`;

  app.get(
    '/discovery.json',
    {
      schema: {
        summary: 'Open311 service discovery',
        tags,
        response: {
          200: Type.Object({
            changeset: Type.String(),
            contact: Type.String(),
            key_service: Type.String(),
            endpoints: Type.Array(Type.Object({ specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()) })),
          }),
        },
      },
    },
    async (request) => {
      const latest = await services.storage.reader.selectFrom('maps').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
      const changeset = latest?.at ?? '1970-01-01T00:00:00.000Z';
      return {
        changeset,
        contact: options.contact ?? 'Contact the council through its website.',
        key_service: options.keyService ?? `An api_key is a participant token: POST ${request.protocol}://${request.host}/api/v1/session.`,
        endpoints: [{ specification: SPECIFICATION, url: base(request), changeset, type: 'production', formats: ['application/json'] }],
      };
    },
  );

  app.get<{ Querystring: { jurisdiction_id?: string } }>(
    '/services.json',
    { schema: { summary: 'Open311 services: the categories of the map', tags, querystring: JurisdictionQuery, response: { 200: Type.Array(ServiceSchema), ...errors(400, 404) } } },
    async (request) => (await jurisdiction(request.query.jurisdiction_id)).categories.map(serviceOf),
  );

  app.get<{ Params: { code: string }; Querystring: { jurisdiction_id?: string } }>(
    '/services/:code.json',
    {
      schema: {
        summary: 'Open311 service definition: the fields of a category',
        description: 'text → string, number → number, select → singlevaluelist, checkbox → singlevaluelist with the keys `true` and `false`.',
        tags,
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: JurisdictionQuery,
        response: { 200: DefinitionSchema, ...errors(400, 404) },
      },
    },
    async (request) => {
      const map = await jurisdiction(request.query.jurisdiction_id);
      const category = map.categories.find((candidate) => candidate.id === request.params.code);
      if (!category) throw new Problem(404, 'not-found', `Unknown service_code "${request.params.code}".`);
      return { service_code: category.id, attributes: attributesOf(category) };
    },
  );

  app.post<{ Body: PostBody; Headers: { 'idempotency-key'?: string } }>(
    '/requests.json',
    {
      bodyLimit: 3 * 1024 * 1024,
      preHandler: [
        async (request) => {
          const key = typeof request.body?.api_key === 'string' ? request.body.api_key : undefined;
          if (!key && !request.headers.authorization) throw new Problem(401, 'unauthorised', 'Send api_key (a participant token) or Authorization: Bearer <token>.');
          request.participant = await participants.authenticate(key ? `Bearer ${key}` : request.headers.authorization);
        },
        services.participantLimit,
      ],
      schema: {
        summary: 'Open311: report a problem (create a service request)',
        description:
          '`api_key` (or `Authorization: Bearer`) is a participant token. `lat`/`long` or `address_string` locates the report; `media_url` may be a data: URL image (JPEG, PNG or WebP, 2 MiB) where the map takes images — other URLs are refused, the server fetches nothing. ' +
          'Answers `[{ service_request_id, service_notice }]`, or `[{ token, service_notice }]` when the map pre-moderates: the token gives the id once a moderator has published the report. ' +
          `An optional Idempotency-Key header makes retries safe. ${PERSONAL}`,
        tags,
        security: [{ participant: [] }, {}],
        querystring: JurisdictionQuery,
        body: PostSchema,
        response: {
          201: Type.Array(
            Type.Union([Type.Object({ service_request_id: Type.String(), service_notice: Type.String() }), Type.Object({ token: Type.String(), service_notice: Type.String() })]),
          ),
          ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const body = request.body;
      const map = await jurisdiction(text(body.jurisdiction_id) ?? (request.query as { jurisdiction_id?: string }).jurisdiction_id);
      const input = reportInput(body);
      const checked = admitReport(map, participant, input);
      let event: MapLiveEventWire | undefined;
      const work = async (trx: Parameters<Parameters<typeof services.queue.run>[0]>[0], now: string) => {
        const stored = await storeReport(services, trx, map.id, participant, checked, now, { open311Token: true });
        event = stored.event;
        const answer =
          stored.row.open311_token === null
            ? { service_request_id: stored.row.id, service_notice: 'Thank you: your report is on the map.' }
            : { token: stored.row.open311_token, service_notice: 'Thank you: your report will be on the map once a moderator has read it.' };
        return { status: 201, body: [answer] };
      };
      const key = request.headers['idempotency-key'];
      const result = await asParticipant(() =>
        key
          ? services.idempotency.run(participant.id, key, { method: 'POST', path: `/open311/v2/requests.json?map=${map.id}`, body: { ...input } }, work)
          : services.queue.run((trx) => work(trx, new Date().toISOString())),
      );
      sendMapLive(services, [event]);
      if ('replayed' in result && result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.status).send(result.body);
    },
  );

  app.get<{ Params: { token: string }; Querystring: { jurisdiction_id?: string } }>(
    '/tokens/:token.json',
    {
      schema: {
        summary: 'Open311: the request id behind a token',
        description: '`[{ token }]` while the report waits for moderation (or was not published), `[{ service_request_id, token }]` once published.',
        tags,
        params: Type.Object({ token: Type.String({ maxLength: 64 }) }),
        querystring: JurisdictionQuery,
        response: { 200: Type.Array(Type.Object({ service_request_id: Type.Optional(Type.String()), token: Type.String() })), ...errors(400, 404) },
      },
    },
    async (request) => {
      const row = await services.storage.reader.selectFrom('map_reports').select(['id', 'moderation']).where('open311_token', '=', request.params.token).executeTakeFirst();
      if (!row) throw new Problem(404, 'not-found', 'Unknown token.');
      return [{ ...(row.moderation === 'published' ? { service_request_id: row.id } : {}), token: request.params.token }];
    },
  );

  app.get<{ Querystring: { jurisdiction_id?: string; service_request_id?: string; service_code?: string; start_date?: string; end_date?: string; status?: string; page?: number; page_size?: number } }>(
    '/requests.json',
    {
      schema: {
        summary: 'Open311: published reports (service requests)',
        description:
          '`service_request_id` (comma-separated) overrides every other filter. `service_code` and `status` (open, closed) take comma-separated lists; `start_date` and `end_date` bound `requested_datetime`. ' +
          `Without dates, the last ${DEFAULT_SPAN_DAYS} days. Newest first, at most ${MAX_REQUESTS}. ` +
          'Extension (not in GeoReport v2, as several cities implement it): `page` (from 1) and `page_size` (1 to 1000, default 1000). ' +
          'Status: open, acknowledged and in-progress reports are `open`; `status_notes` is the text of the latest council update.',
        tags,
        querystring: Type.Object({
          jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })),
          service_request_id: Type.Optional(Type.String({ maxLength: 10_000 })),
          service_code: Type.Optional(Type.String({ maxLength: 2000 })),
          start_date: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
          end_date: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
          status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))*$' })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REQUESTS })),
        }),
        response: { 200: Type.Array(RequestSchema), ...errors(400, 404) },
      },
    },
    async (request) => {
      const query = request.query;
      const map = await jurisdiction(query.jurisdiction_id);
      let select = services.storage.reader.selectFrom('map_reports').selectAll().where('map_id', '=', map.id).where('moderation', '=', 'published');
      // An empty list asks for nothing (and `in ()` is an error on PostgreSQL).
      const ids = query.service_request_id === undefined ? undefined : list(query.service_request_id);
      const codes = query.service_code === undefined ? undefined : list(query.service_code);
      if (ids?.length === 0 || codes?.length === 0) return [];
      if (ids !== undefined) {
        select = select.where('id', 'in', ids);
      } else {
        if (codes !== undefined) select = select.where('category_id', 'in', codes);
        if (query.status !== undefined) {
          const statuses = list(query.status);
          if (!statuses.includes('open')) select = select.where('status', '=', 'closed');
          else if (!statuses.includes('closed')) select = select.where('status', '<>', 'closed');
        }
        const span = DEFAULT_SPAN_DAYS * 24 * 3600 * 1000;
        const end = query.end_date === undefined ? undefined : Date.parse(query.end_date);
        const start = query.start_date === undefined ? (end ?? Date.now()) - span : Date.parse(query.start_date);
        select = select.where('created_at', '>=', new Date(start).toISOString());
        if (end !== undefined) select = select.where('created_at', '<=', new Date(end).toISOString());
      }
      const size = query.page_size ?? MAX_REQUESTS;
      const rows = await select
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size)
        .offset(((query.page ?? 1) - 1) * size)
        .execute();
      return requestsOf(services, map, rows, (row) => mediaUrl(request, row));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { jurisdiction_id?: string } }>(
    '/requests/:id.json',
    {
      schema: {
        summary: 'Open311: one published report, as a one-element list',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: JurisdictionQuery,
        response: { 200: Type.Array(RequestSchema), ...errors(400, 404) },
      },
    },
    async (request) => {
      const map = await jurisdiction(request.query.jurisdiction_id);
      const row = await services.storage.reader
        .selectFrom('map_reports')
        .selectAll()
        .where('id', '=', request.params.id)
        .where('map_id', '=', map.id)
        .where('moderation', '=', 'published')
        .executeTakeFirst();
      if (!row) throw new Problem(404, 'not-found', `Unknown service_request_id "${request.params.id}".`);
      return requestsOf(services, map, [row], (report) => mediaUrl(request, report));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/media/:id',
    {
      schema: {
        summary: 'The image of a published report (its media_url)',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: { description: 'The image', content: { 'image/jpeg': { schema: {} }, 'image/png': { schema: {} }, 'image/webp': { schema: {} } } }, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const row = await services.storage.reader.selectFrom('map_reports').select(['image', 'moderation']).where('id', '=', request.params.id).executeTakeFirst();
      const match = row?.moderation === 'published' && row.image ? /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/.exec(row.image) : null;
      if (!match) throw new Problem(404, 'not-found', 'No image for this request.');
      return reply.type(match[1]!).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').send(Buffer.from(match[2]!, 'base64'));
    },
  );
}

async function requestsOf(services: Services, map: MapWire, rows: MapReportRow[], mediaUrl: (row: MapReportRow) => string): Promise<Open311Request[]> {
  if (rows.length === 0) return [];
  const updates = await services.storage.reader
    .selectFrom('map_report_updates')
    .selectAll()
    .where('report_id', 'in', rows.map((row) => row.id))
    .orderBy('id')
    .execute();
  const latest = new Map(updates.map((update) => [update.report_id, update]));
  return rows.map((row) => requestOf(map, row, latest.get(row.id), mediaUrl(row)));
}

/** The Open311 fields as a report of ours; personal fields are never read. */
function reportInput(body: PostBody): Omit<MapReportInputWire, 'website'> {
  const attributes: Record<string, string | number | boolean> = { ...body.attribute };
  for (const [name, value] of Object.entries(body)) {
    const match = /^attribute\[(.+)\]$/.exec(name);
    if (match && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) attributes[match[1]!] = value;
  }
  const invalid: Array<{ field: string; message: string }> = [];
  const lat = coordinate(body.lat);
  const lng = coordinate(body.long);
  if (lat === null || lng === null || (lat === undefined) !== (lng === undefined)) invalid.push({ field: 'lat/long', message: 'Give both lat and long, as decimal degrees.' });
  const media = text(body.media_url);
  if (media !== undefined && !media.startsWith('data:')) invalid.push({ field: 'media_url', message: 'Send the image itself as a data: URL; this server fetches nothing from elsewhere.' });
  if (text(body.service_code) === undefined) invalid.push({ field: 'service_code', message: 'Required.' });
  if (invalid.length) throw Problem.validation(invalid);
  return {
    categoryId: text(body.service_code)!,
    description: text(body.description) ?? '',
    ...(lat !== undefined && lat !== null && lng !== undefined && lng !== null ? { point: { lat, lng } } : {}),
    ...(text(body.address_string) === undefined ? {} : { address: text(body.address_string)! }),
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(media === undefined ? {} : { image: media }),
  };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A coordinate, nothing when absent, null when not a number. */
function coordinate(value: unknown): number | null | undefined {
  const written = text(value);
  if (written === undefined) return undefined;
  const number = Number(written.trim());
  return Number.isFinite(number) ? number : null;
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A form body as fields; `attribute[code]` keys stay as they are, read by reportInput. */
function formFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) fields[name] = value;
  return fields;
}

/** An error as an Open311 error list (also for unknown paths under /open311/v2 that reach the root's handler). */
export function sendErrors(error: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let list: Open311Error[];
  if (error instanceof Problem) {
    status = error.status;
    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
    list = error.errors?.length
      ? error.errors.map((entry) => ({ code: status, description: `${open311Field(entry.field)}: ${entry.message}` }))
      : [{ code: status, description: error.message }];
  } else if (error.validation) {
    status = 400;
    list = fieldErrors(error.validation as never, error.validationContext).map((entry) => ({ code: 400, description: `${entry.field}: ${entry.message}` }));
  } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    status = error.statusCode;
    list = [{ code: status, description: error.message }];
  } else {
    status = 500;
    list = [{ code: 500, description: 'Something went wrong on our side; try again later.' }];
    request.log.error({ err: { message: error.message, stack: error.stack }, route: request.routeOptions.url }, 'request failed');
  }
  return reply.status(status).type('application/json; charset=utf-8').send(list);
}
