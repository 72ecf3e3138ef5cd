import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Services } from '../app.js';
import { Problem, type FieldError } from '../http/problem.js';
import { fieldErrors } from '../http/validation.js';
import { asParticipant } from '../http/participant-routes.js';
import { admitReport, sendMapLive, storeReport } from '../maps/routes.js';
import type { MapLiveEventWire, MapReportInputWire, MapWire } from '../maps/schemas.js';
import type { MapReportRow, MapReportUpdateRow } from '../maps/model.js';
import {
  attributesOf,
  DATE_PATTERN,
  DEFAULT_SPAN_DAYS,
  instantOf,
  MAX_REQUESTS,
  open311Field,
  OPEN311_DESCRIPTION_MAX_LENGTH,
  OPEN311_RULES,
  requestOf,
  serviceOf,
  SPECIFICATION,
  updateOf,
  type Open311Error,
  type Open311Request,
  type Open311Update,
} from './model.js';
import { xmlDocument } from './xml.js';

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
export const ServiceSchema = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  metadata: Type.Boolean(),
  type: Type.Literal('realtime'),
  keywords: Type.String(),
  group: Type.String(),
});
export const DefinitionSchema = Type.Object({
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
export const RequestSchema = Type.Object({
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
    description: Type.Optional(Type.String({ maxLength: OPEN311_DESCRIPTION_MAX_LENGTH })),
    media_url: Type.Optional(Type.String({ maxLength: 2_900_000 })),
    attribute: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Scalar, { maxProperties: 50 })),
  },
  { additionalProperties: Scalar, description: `Form fields (application/x-www-form-urlencoded, \`attribute[code]=value\`) or the same as JSON. ${PERSONAL}` },
);
export const UpdateSchema = Type.Object({
  update_id: Type.String(),
  service_request_id: Type.String(),
  status: Type.Enum(['open', 'closed']),
  updated_datetime: Type.String(),
  description: Type.String(),
});
const DATES = 'A date alone (2026-12-01) is that day in UTC, from its first moment as `start_date` and to its last as `end_date`.';
const DATE_MESSAGE = 'Must be a date (2026-12-01) or a date-time with a zone (2026-12-01T09:00:00+01:00).';
const DateQuery = Type.String({ pattern: DATE_PATTERN, maxLength: 40, description: 'A date, or a date-time with a zone.' });
const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REQUESTS })),
};
type RequestsQuery = {
  jurisdiction_id?: string;
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  page?: number;
  page_size?: number;
};

/** A pattern matching `word` in any case (JSON Schema's patterns take no flags). */
function anyCase(word: string): string {
  return [...word].map((letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`).join('');
}

type PostBody = { [name: string]: unknown; attribute?: Record<string, string | number | boolean> };

type Format = 'json' | 'xml';
/** Every route answers in both formats, chosen by its suffix as the specification has it. */
const FORMATS: readonly Format[] = ['json', 'xml'];
const XML_TYPE = 'text/xml; charset=utf-8';
/** Discovery's `formats`, as media types. */
const MEDIA_TYPES = ['text/xml', 'application/json'];

/** The format a request asked for, from its path: errors answer in it too. */
export function formatOf(request: FastifyRequest): Format {
  return request.url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json';
}

/** A 200 answer: the JSON schema, or XML under `root` (GeoReport v2's element names, the JSON's keys). */
const ok = (format: Format, root: string, schema: TSchema) =>
  format === 'json' ? schema : { description: `<${root}>, with the elements of the JSON's keys and one element per list entry`, content: { 'text/xml': { schema: Type.String() } } };
const errors = (format: Format, ...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      format === 'json'
        ? { description: 'Open311 errors', content: { 'application/json': { schema: ErrorList } } }
        : { description: 'Open311 errors: <errors><error><code/><description/></error></errors>', content: { 'text/xml': { schema: Type.String() } } },
    ]),
  );

/** Sends `value` in the request's format: JSON as it is, XML as the element `root`. */
function answer(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200) {
  reply.status(status);
  return format === 'json' ? reply.send(value) : reply.type(XML_TYPE).send(xmlDocument(root, value));
}

/**
 * Open311 GeoReport v2 over the maps, each route in JSON and XML (`.json` or `.xml`, as the
 * specification has it): discovery, services, service definitions, requests, tokens, and the
 * request updates extension. A report made here is a report of the map, and the other way round.
 * Errors are Open311 error lists with the HTTP status, in the format the path asked for.
 */
export async function open311Routes(app: FastifyInstance, services: Services, options: Open311Options = {}): Promise<void> {
  const { maps, participants } = services;
  const tags = ['open311'];

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 3 * 1024 * 1024 }, (_request, body, done) => {
    done(null, formFields(body as string));
  });
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => sendErrors(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendErrors(new Problem(404, 'not-found', `No Open311 resource at ${request.url.split('?')[0]}.`), request, reply));

  /** The map a request names; an empty `jurisdiction_id`, as some clients send, names none. */
  const jurisdiction = async (given: string | undefined): Promise<MapWire> => {
    const id = text(given);
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

  for (const format of FORMATS) {
    app.get(
      `/discovery.${format}`,
      {
        schema: {
          summary: `Open311 service discovery (${format.toUpperCase()})`,
          tags,
          response: {
            200: ok(
              format,
              'discovery',
              Type.Object({
                changeset: Type.String(),
                contact: Type.String(),
                key_service: Type.String(),
                endpoints: Type.Array(
                  Type.Object({ specification: Type.String(), url: Type.String(), changeset: Type.String(), type: Type.String(), formats: Type.Array(Type.String()) }),
                ),
              }),
            ),
          },
        },
      },
      async (request, reply) => {
        const latest = await services.storage.reader.selectFrom('maps').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
        const changeset = latest?.at ?? '1970-01-01T00:00:00.000Z';
        return answer(reply, format, 'discovery', {
          changeset,
          contact: options.contact ?? 'Contact the council through its website.',
          key_service: options.keyService ?? `An api_key is a participant token: POST ${request.protocol}://${request.host}/api/v1/session.`,
          endpoints: [{ specification: SPECIFICATION, url: base(request), changeset, type: 'production', formats: MEDIA_TYPES }],
        });
      },
    );

    app.get<{ Querystring: { jurisdiction_id?: string } }>(
      `/services.${format}`,
      { schema: { summary: `Open311 services: the categories of the map (${format.toUpperCase()})`, tags, querystring: JurisdictionQuery, response: { 200: ok(format, 'services', Type.Array(ServiceSchema)), ...errors(format, 400, 404) } } },
      async (request, reply) => answer(reply, format, 'services', (await jurisdiction(request.query.jurisdiction_id)).categories.map(serviceOf)),
    );

    app.get<{ Params: { code: string }; Querystring: { jurisdiction_id?: string } }>(
      `/services/:code.${format}`,
      {
        schema: {
          summary: `Open311 service definition: the fields of a category (${format.toUpperCase()})`,
          description: 'text → string, number → number, select → singlevaluelist, checkbox → singlevaluelist with the keys `true` and `false`.',
          tags,
          params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: JurisdictionQuery,
          response: { 200: ok(format, 'service_definition', DefinitionSchema), ...errors(format, 400, 404) },
        },
      },
      async (request, reply) => {
        const map = await jurisdiction(request.query.jurisdiction_id);
        const category = map.categories.find((candidate) => candidate.id === request.params.code);
        if (!category) throw new Problem(404, 'not-found', `Unknown service_code "${request.params.code}".`);
        return answer(reply, format, 'service_definition', { service_code: category.id, attributes: attributesOf(category) });
      },
    );

    app.post<{ Body: PostBody; Querystring: { jurisdiction_id?: string; api_key?: string }; Headers: { 'idempotency-key'?: string } }>(
      `/requests.${format}`,
      {
        bodyLimit: 3 * 1024 * 1024,
        preHandler: [
          async (request) => {
            // Many clients put api_key in the query string, as in a GET; the body's wins.
            const key = text(request.body?.api_key) ?? text(request.query.api_key);
            if (!key && !request.headers.authorization) throw new Problem(401, 'unauthorised', 'Send api_key (a participant token) or Authorization: Bearer <token>.');
            request.participant = await participants.authenticate(key ? `Bearer ${key}` : request.headers.authorization);
          },
          services.participantLimit,
        ],
        schema: {
          summary: `Open311: report a problem (create a service request) (${format.toUpperCase()})`,
          description:
            '`api_key` (in the body or the query string, or `Authorization: Bearer`) is a participant token. `lat`/`long`, `address_string` or `address_id` locates the report (an `address_id` alone is kept as its address). ' +
            `\`description\` may be left out, and runs to ${OPEN311_DESCRIPTION_MAX_LENGTH} characters. ` +
            '`media_url`, where the map takes images, is either a data: URL image (JPEG, PNG or WebP, 2 MiB), kept and served at the request’s media_url, or an http(s) address, kept and shown as it is: the server never fetches it. ' +
            'Answers `[{ service_request_id, service_notice }]`, or `[{ token, service_notice }]` when the map pre-moderates: the token gives the id once a moderator has published the report. ' +
            `An optional Idempotency-Key header makes retries safe. ${PERSONAL}`,
          tags,
          security: [{ participant: [] }, {}],
          querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })), api_key: Type.Optional(Type.String({ maxLength: 4000 })) }),
          body: PostSchema,
          response: {
            201: ok(
              format,
              'service_requests',
              Type.Array(
                Type.Union([
                  Type.Object({ service_request_id: Type.String(), service_notice: Type.String() }),
                  Type.Object({ token: Type.String(), service_notice: Type.String() }),
                ]),
              ),
            ),
            ...errors(format, 400, 401, 403, 404, 409, 413, 415, 422, 429),
          },
        },
      },
      async (request, reply) => {
        const participant = request.participant!;
        const body = request.body;
        const map = await jurisdiction(text(body.jurisdiction_id) ?? request.query.jurisdiction_id);
        const input = reportInput(body);
        const checked = admitReport(map, participant, input, OPEN311_RULES);
        let event: MapLiveEventWire | undefined;
        const work = async (trx: Parameters<Parameters<typeof services.queue.run>[0]>[0], now: string) => {
          const stored = await storeReport(services, trx, map.id, participant, checked, now, { open311Token: true });
          event = stored.event;
          const created =
            stored.row.open311_token === null
              ? { service_request_id: stored.row.id, service_notice: 'Thank you: your report is on the map.' }
              : { token: stored.row.open311_token, service_notice: 'Thank you: your report will be on the map once a moderator has read it.' };
          return { status: 201, body: [created] };
        };
        const key = request.headers['idempotency-key'];
        // The replay key leaves the format out: a retry in the other format gets the same report.
        const result = await asParticipant(() =>
          key
            ? services.idempotency.run(participant.id, key, { method: 'POST', path: `/open311/v2/requests.json?map=${map.id}`, body: { ...input } }, work)
            : services.queue.run((trx) => work(trx, new Date().toISOString())),
        );
        sendMapLive(services, [event]);
        if ('replayed' in result && result.replayed) reply.header('idempotent-replayed', 'true');
        return answer(reply, format, 'service_requests', result.body, result.status);
      },
    );

    app.get<{ Params: { token: string }; Querystring: { jurisdiction_id?: string } }>(
      `/tokens/:token.${format}`,
      {
        schema: {
          summary: `Open311: the request id behind a token (${format.toUpperCase()})`,
          description: '`[{ token }]` while the report waits for moderation (or was not published), `[{ service_request_id, token }]` once published.',
          tags,
          params: Type.Object({ token: Type.String({ maxLength: 64 }) }),
          querystring: JurisdictionQuery,
          response: { 200: ok(format, 'service_requests', Type.Array(Type.Object({ service_request_id: Type.Optional(Type.String()), token: Type.String() }))), ...errors(format, 400, 404) },
        },
      },
      async (request, reply) => {
        const row = await services.storage.reader.selectFrom('map_reports').select(['id', 'moderation']).where('open311_token', '=', request.params.token).executeTakeFirst();
        if (!row) throw new Problem(404, 'not-found', 'Unknown token.');
        return answer(reply, format, 'service_requests', [{ ...(row.moderation === 'published' ? { service_request_id: row.id } : {}), token: request.params.token }]);
      },
    );

    app.get<{ Querystring: RequestsQuery }>(
      `/requests.${format}`,
      {
        schema: {
          summary: `Open311: published reports (service requests) (${format.toUpperCase()})`,
          description:
            '`service_request_id` (comma-separated) overrides every other filter. `service_code` and `status` (open, closed, in any case) take comma-separated lists; `start_date` and `end_date` bound `requested_datetime`. ' +
            `${DATES} Without dates, the last ${DEFAULT_SPAN_DAYS} days. Newest first, at most ${MAX_REQUESTS}. ` +
            'Extension (not in GeoReport v2, as several cities implement it): `page` (from 1) and `page_size` (1 to 1000, default 1000). ' +
            'Status: open, acknowledged and in-progress reports are `open`; `status_notes` is the text of the latest council update.',
          tags,
          querystring: Type.Object({
            jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })),
            service_request_id: Type.Optional(Type.String({ maxLength: 10_000 })),
            service_code: Type.Optional(Type.String({ maxLength: 2000 })),
            start_date: Type.Optional(DateQuery),
            end_date: Type.Optional(DateQuery),
            status: Type.Optional(Type.String({ pattern: `^(${anyCase('open')}|${anyCase('closed')})(,(${anyCase('open')}|${anyCase('closed')}))*$` })),
            ...Paging,
          }),
          response: { 200: ok(format, 'service_requests', Type.Array(RequestSchema)), ...errors(format, 400, 404) },
        },
      },
      async (request, reply) => {
        const query = request.query;
        const map = await jurisdiction(query.jurisdiction_id);
        let select = services.storage.reader.selectFrom('map_reports').selectAll().where('map_id', '=', map.id).where('moderation', '=', 'published');
        // An empty list asks for nothing (and `in ()` is an error on PostgreSQL).
        const ids = query.service_request_id === undefined ? undefined : list(query.service_request_id);
        const codes = query.service_code === undefined ? undefined : list(query.service_code);
        if (ids?.length === 0 || codes?.length === 0) return answer(reply, format, 'service_requests', []);
        if (ids !== undefined) {
          select = select.where('id', 'in', ids);
        } else {
          if (codes !== undefined) select = select.where('category_id', 'in', codes);
          if (query.status !== undefined) {
            const statuses = list(query.status.toLowerCase());
            if (!statuses.includes('open')) select = select.where('status', '=', 'closed');
            else if (!statuses.includes('closed')) select = select.where('status', '<>', 'closed');
          }
          const { start, end } = span(query);
          select = select.where('created_at', '>=', start);
          if (end !== undefined) select = select.where('created_at', '<=', end);
        }
        const size = query.page_size ?? MAX_REQUESTS;
        const rows = await select
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(size)
          .offset(((query.page ?? 1) - 1) * size)
          .execute();
        return answer(reply, format, 'service_requests', await requestsOf(services, map, rows, (row) => mediaUrl(request, row)));
      },
    );

    app.get<{ Params: { id: string }; Querystring: { jurisdiction_id?: string } }>(
      `/requests/:id.${format}`,
      {
        schema: {
          summary: `Open311: one published report, as a one-element list (${format.toUpperCase()})`,
          tags,
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: JurisdictionQuery,
          response: { 200: ok(format, 'service_requests', Type.Array(RequestSchema)), ...errors(format, 400, 404) },
        },
      },
      async (request, reply) => {
        const map = await jurisdiction(request.query.jurisdiction_id);
        const row = await services.storage.reader
          .selectFrom('map_reports')
          .selectAll()
          .where('id', '=', request.params.id)
          .where('map_id', '=', map.id)
          .where('moderation', '=', 'published')
          .executeTakeFirst();
        if (!row) throw new Problem(404, 'not-found', `Unknown service_request_id "${request.params.id}".`);
        return answer(reply, format, 'service_requests', await requestsOf(services, map, [row], (report) => mediaUrl(request, report)));
      },
    );

    app.get<{ Querystring: Omit<RequestsQuery, 'service_request_id' | 'service_code' | 'status'> }>(
      `/servicerequestupdates.${format}`,
      {
        schema: {
          summary: `Open311 extension: council updates on published reports (${format.toUpperCase()})`,
          description:
            'Not in GeoReport v2: the request updates extension that FixMyStreet and others read. Each council update of a published report, status change or public note, ' +
            'with `update_id`, `service_request_id`, `status` (the report’s, once the update was posted: open or closed), `updated_datetime` and `description` (the note’s plain text). ' +
            `\`start_date\` and \`end_date\` bound \`updated_datetime\`. ${DATES} Without dates, the last ${DEFAULT_SPAN_DAYS} days. Oldest first, at most ${MAX_REQUESTS}, with \`page\` and \`page_size\` as for requests.`,
          tags,
          querystring: Type.Object({
            jurisdiction_id: Type.Optional(Type.String({ maxLength: 64 })),
            start_date: Type.Optional(DateQuery),
            end_date: Type.Optional(DateQuery),
            ...Paging,
          }),
          response: { 200: ok(format, 'service_request_updates', Type.Array(UpdateSchema)), ...errors(format, 400, 404) },
        },
      },
      async (request, reply) => {
        const query = request.query;
        const map = await jurisdiction(query.jurisdiction_id);
        const { start, end } = span(query);
        let select = services.storage.reader
          .selectFrom('map_report_updates as u')
          .innerJoin('map_reports as r', 'r.id', 'u.report_id')
          .selectAll('u')
          .where('r.map_id', '=', map.id)
          .where('r.moderation', '=', 'published')
          .where('u.at', '>=', start);
        if (end !== undefined) select = select.where('u.at', '<=', end);
        const size = query.page_size ?? MAX_REQUESTS;
        const updates = await select
          .orderBy('u.at')
          .orderBy('u.id')
          .limit(size)
          .offset(((query.page ?? 1) - 1) * size)
          .execute();
        return answer(reply, format, 'service_request_updates', await updatesOf(services, updates));
      },
    );
  }

  app.get<{ Params: { id: string } }>(
    '/media/:id',
    {
      schema: {
        summary: 'The image of a published report (its media_url)',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: { description: 'The image', content: { 'image/jpeg': { schema: {} }, 'image/png': { schema: {} }, 'image/webp': { schema: {} } } }, ...errors('json', 400, 404) },
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

/** The window of `start_date` and `end_date`, as ISO instants; without dates, the last DEFAULT_SPAN_DAYS days. */
function span(query: { start_date?: string; end_date?: string }): { start: string; end?: string } {
  const invalid: FieldError[] = [];
  const start = query.start_date === undefined ? undefined : instantOf(query.start_date, 'start');
  const end = query.end_date === undefined ? undefined : instantOf(query.end_date, 'end');
  if (query.start_date !== undefined && start === undefined) invalid.push({ field: 'start_date', message: DATE_MESSAGE });
  if (query.end_date !== undefined && end === undefined) invalid.push({ field: 'end_date', message: DATE_MESSAGE });
  if (invalid.length) throw Problem.validation(invalid);
  const from = start ?? (end ?? Date.now()) - DEFAULT_SPAN_DAYS * 24 * 3600 * 1000;
  return { start: new Date(from).toISOString(), ...(end === undefined ? {} : { end: new Date(end).toISOString() }) };
}

/** The updates with the status each left its report in: its own change, else the latest change before it. */
async function updatesOf(services: Services, updates: MapReportUpdateRow[]): Promise<Open311Update[]> {
  if (updates.length === 0) return [];
  const changes = await services.storage.reader
    .selectFrom('map_report_updates')
    .select(['id', 'report_id', 'status'])
    .where('report_id', 'in', [...new Set(updates.map((update) => update.report_id))])
    .where('status', 'is not', null)
    .orderBy('id')
    .execute();
  return updates.map((update) => {
    // PostgreSQL's bigserial ids arrive as text.
    const change = changes.filter((candidate) => candidate.report_id === update.report_id && Number(candidate.id) <= Number(update.id)).at(-1);
    return updateOf(update, change?.status ?? 'open');
  });
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

/** The Open311 fields as a report of ours; personal fields are never read. A missing description is an empty one. */
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
  const media = text(body.media_url)?.trim();
  if (text(body.service_code) === undefined) invalid.push({ field: 'service_code', message: 'Required.' });
  if (invalid.length) throw Problem.validation(invalid);
  const address = text(body.address_string) ?? text(body.address_id);
  return {
    categoryId: text(body.service_code)!,
    description: text(body.description) ?? '',
    ...(lat !== undefined && lat !== null && lng !== undefined && lng !== null ? { point: { lat, lng } } : {}),
    // Without an address repository to resolve it, an address_id is kept as the address, for the council to read.
    ...(address === undefined ? {} : { address }),
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

/** An error as an Open311 error list, in XML under a `.xml` path (also for unknown paths under /open311/v2 that reach the root's handler). */
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
  if (formatOf(request) === 'xml') return reply.status(status).type(XML_TYPE).send(xmlDocument('errors', list));
  return reply.status(status).type('application/json; charset=utf-8').send(list);
}
