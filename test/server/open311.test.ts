import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStorage } from '../../packages/server/src/index.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

/*
 * The field lists of GeoReport v2 (wiki.open311.org/GeoReport_v2 and its Service Discovery page),
 * with the types the specification gives them. Every response below must carry exactly these keys.
 * `?` marks a key the specification allows a server to leave out; `|null` a value it may leave empty.
 */
const SPEC = {
  discovery: { changeset: 'datetime', contact: 'string', key_service: 'string', endpoints: 'array' },
  endpoint: { specification: 'string', url: 'string', changeset: 'datetime', type: 'string', formats: 'array' },
  service: { service_code: 'string', service_name: 'string', description: 'string', metadata: 'boolean', type: 'string', keywords: 'string', group: 'string' },
  definition: { service_code: 'string', attributes: 'array' },
  attribute: { variable: 'boolean', code: 'string', datatype: 'string', required: 'boolean', datatype_description: 'string', order: 'number', description: 'string', values: 'array' },
  value: { key: 'string', name: 'string' },
  request: {
    service_request_id: 'string', status: 'string', status_notes: 'string|null', service_name: 'string', service_code: 'string', description: 'string',
    agency_responsible: 'string|null', service_notice: 'string|null', requested_datetime: 'datetime', updated_datetime: 'datetime|null', expected_datetime: 'datetime|null',
    address: 'string|null', address_id: 'string|null', zipcode: 'string|null', lat: 'number|null', long: 'number|null', media_url: 'string|null',
  },
  /** One of service_request_id and token; account_id only where the server keeps accounts (this one keeps none). */
  created: { 'service_request_id?': 'string', 'token?': 'string', service_notice: 'string', 'account_id?': 'string' },
  token: { 'service_request_id?': 'string', token: 'string' },
  error: { code: 'number', description: 'string' },
} as const;
const STATUSES = ['open', 'closed'];
const DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
const SERVICE_TYPES = ['realtime', 'batch', 'blackbox'];

function conforms(value: unknown, spec: Record<string, string>, what: string): void {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what} is an object`);
  const record = value as Record<string, unknown>;
  const optional = Object.keys(spec).filter((key) => key.endsWith('?')).map((key) => key.slice(0, -1));
  const required = Object.keys(spec).filter((key) => !key.endsWith('?'));
  for (const key of required) assert.ok(key in record, `${what} lacks ${key}`);
  for (const key of Object.keys(record)) assert.ok(required.includes(key) || optional.includes(key), `${what} has ${key}, not in the specification`);
  for (const [key, type] of Object.entries(spec)) {
    const name = key.replace(/\?$/, '');
    if (!(name in record)) continue;
    const actual = record[name];
    const allowed = type.split('|');
    if (actual === null) {
      assert.ok(allowed.includes('null'), `${what}.${name} is null`);
      continue;
    }
    if (allowed.includes('datetime')) assert.ok(typeof actual === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(actual), `${what}.${name} is a W3C date-time with a zone`);
    else if (allowed.includes('array')) assert.ok(Array.isArray(actual), `${what}.${name} is a list`);
    else assert.ok(allowed.includes(typeof actual), `${what}.${name} is a ${type}, not ${typeof actual}`);
  }
}

for (const backend of backends) {
  describe(`Open311 GeoReport v2 on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    const call = async (method: string, path: string, options: { form?: Record<string, string>; json?: unknown; token?: string; headers?: Record<string, string> } = {}) => {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(options.form).toString();
      } else if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      }
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await fetch(`${server.url}/open311/v2${path}`, { method, headers, body });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    };
    const expectErrors = (response: { status: number; headers: Headers; body: unknown }, status: number, pattern?: RegExp) => {
      assert.equal(response.status, status, JSON.stringify(response.body));
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.ok(Array.isArray(response.body) && response.body.length >= 1);
      for (const error of response.body as unknown[]) {
        conforms(error, SPEC.error, 'error');
        assert.equal((error as { code: number }).code, status);
      }
      if (pattern) assert.ok((response.body as Array<{ description: string }>).some((error) => pattern.test(error.description)), JSON.stringify(response.body));
    };
    const admin = (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
    const voirie = { service_code: 'voirie', lat: '47.2716', long: '0.2167', description: 'Nid-de-poule profond devant la poste.', 'attribute[gravite]': 'dangereux' };

    it('documents its routes in the OpenAPI document', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      for (const [path, method] of [
        ['/open311/v2/discovery.json', 'get'], ['/open311/v2/services.json', 'get'], ['/open311/v2/services/{code}.json', 'get'], ['/open311/v2/requests.json', 'get'],
        ['/open311/v2/requests.json', 'post'], ['/open311/v2/requests/{id}.json', 'get'], ['/open311/v2/tokens/{token}.json', 'get'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method} ${path} missing`);
      }
    });

    it('describes itself for service discovery', async () => {
      const response = await call('GET', '/discovery.json');
      assert.equal(response.status, 200);
      conforms(response.body, SPEC.discovery, 'discovery');
      assert.equal(response.body.endpoints.length, 1);
      conforms(response.body.endpoints[0], SPEC.endpoint, 'endpoint');
      assert.equal(response.body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
      assert.equal(response.body.endpoints[0].url, `${server.url}/open311/v2`);
      assert.deepEqual(response.body.endpoints[0].formats, ['application/json']);
    });

    it('lists the map’s categories as services, and their fields as service definitions', async () => {
      const map = (await server.api.get('/maps/signalements')).body;
      const services = await call('GET', '/services.json');
      assert.equal(services.status, 200);
      assert.deepEqual(services.body.map((service: { service_code: string }) => service.service_code), map.categories.map((category: { id: string }) => category.id));
      for (const service of services.body) {
        conforms(service, SPEC.service, 'service');
        assert.ok(SERVICE_TYPES.includes(service.type));
        const category = map.categories.find((candidate: { id: string }) => candidate.id === service.service_code);
        assert.equal(service.metadata, category.fields.length > 0);
        assert.equal(service.service_name, category.label);
        const definition = await call('GET', `/services/${service.service_code}.json?jurisdiction_id=signalements`);
        assert.equal(definition.status, 200);
        conforms(definition.body, SPEC.definition, 'service definition');
        assert.deepEqual(definition.body.attributes.map((attribute: { order: number }) => attribute.order), category.fields.map((_: unknown, i: number) => i + 1));
        for (const attribute of definition.body.attributes) {
          conforms(attribute, SPEC.attribute, 'attribute');
          assert.ok(DATATYPES.includes(attribute.datatype));
          for (const value of attribute.values) conforms(value, SPEC.value, 'attribute value');
        }
      }
      const lights = (await call('GET', '/services/eclairage.json')).body.attributes;
      assert.deepEqual(lights.map((attribute: { code: string; datatype: string }) => [attribute.code, attribute.datatype]), [['numero', 'string'], ['allume_jour', 'singlevaluelist']]);
      assert.deepEqual(lights[1].values.map((value: { key: string }) => value.key), ['true', 'false']);
      const roads = (await call('GET', '/services/voirie.json')).body.attributes;
      assert.deepEqual(roads.map((attribute: { datatype: string; required: boolean }) => [attribute.datatype, attribute.required]), [['singlevaluelist', true], ['number', false]]);
      assert.deepEqual(roads[0].values[0], { key: 'gene', name: 'Gênant' });
      expectErrors(await call('GET', '/services/no-such-service.json'), 404, /service_code/);
      expectErrors(await call('GET', '/services.json?jurisdiction_id=elsewhere'), 404, /jurisdiction_id/);
      expectErrors(await call('GET', '/no-such-resource.json'), 404);
    });

    it('lists published reports as service requests, newest first, with the specification’s filters and the paging extension', async () => {
      const all = await call('GET', '/requests.json');
      assert.equal(all.status, 200);
      const native = (await server.api.get('/maps/signalements/reports?limit=100')).body;
      assert.equal(all.body.length, native.total, 'every published report of the last 90 days');
      for (const request of all.body) {
        conforms(request, SPEC.request, 'service request');
        assert.ok(STATUSES.includes(request.status));
      }
      const times = all.body.map((request: { requested_datetime: string }) => Date.parse(request.requested_datetime));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      const byId = new Map(native.items.map((report: { id: string }) => [report.id, report]));
      for (const request of all.body) {
        const report = byId.get(request.service_request_id) as { status: string; point?: { lat: number; lng: number }; address?: string; description: string; updates: Array<{ body: string }> };
        assert.equal(request.status, report.status === 'closed' ? 'closed' : 'open');
        assert.equal(request.description, report.description);
        assert.equal(request.lat, report.point?.lat ?? null);
        assert.equal(request.long, report.point?.lng ?? null);
        assert.equal(request.address, report.address ?? null);
        if (report.updates.length) assert.ok(request.status_notes && !/[<>]/.test(request.status_notes), 'status notes are plain text');
        else assert.equal(request.status_notes, null);
      }
      const lights = all.body.find((request: { status_notes: string | null }) => request.status_notes?.startsWith('Câble remplacé'));
      assert.equal(lights.status_notes, 'Câble remplacé, les trois lampadaires fonctionnent. Merci pour votre signalement.');
      const closed = (await call('GET', '/requests.json?status=closed')).body;
      assert.ok(closed.length > 0 && closed.every((request: { status: string }) => request.status === 'closed'));
      const open = (await call('GET', '/requests.json?status=open')).body;
      assert.equal(open.length + closed.length, all.body.length);
      assert.equal((await call('GET', '/requests.json?status=open,closed')).body.length, all.body.length);
      const codes = (await call('GET', '/requests.json?service_code=voirie,eclairage')).body;
      assert.ok(codes.length > 0 && codes.every((request: { service_code: string }) => ['voirie', 'eclairage'].includes(request.service_code)));
      const picked = [all.body[3].service_request_id, all.body[1].service_request_id];
      const chosen = (await call('GET', `/requests.json?service_request_id=${picked.join(',')}&service_code=none&status=closed`)).body;
      assert.deepEqual(chosen.map((request: { service_request_id: string }) => request.service_request_id), [picked[1], picked[0]], 'service_request_id overrides every other filter');
      const middle = Date.parse(all.body[10].requested_datetime);
      const since = (await call('GET', `/requests.json?start_date=${new Date(middle).toISOString()}`)).body;
      assert.equal(since.length, times.filter((time: number) => time >= middle).length);
      assert.ok(since.length >= 11);
      const until = (await call('GET', `/requests.json?end_date=${encodeURIComponent(new Date(middle - 1).toISOString().replace('Z', '+00:00'))}`)).body;
      assert.equal(since.length + until.length, all.body.length);
      const page = (await call('GET', '/requests.json?page_size=5&page=2')).body;
      assert.deepEqual(page.map((request: { service_request_id: string }) => request.service_request_id), all.body.slice(5, 10).map((request: { service_request_id: string }) => request.service_request_id));
      assert.deepEqual((await call('GET', '/requests.json?page=100')).body, []);
      expectErrors(await call('GET', '/requests.json?page_size=1001'), 400, /page_size/);
      expectErrors(await call('GET', '/requests.json?start_date=yesterday'), 400, /start_date/);
      expectErrors(await call('GET', '/requests.json?status=pending'), 400, /status/);
    });

    it('serves one request as a one-element list, published ones only', async () => {
      const [first] = (await call('GET', '/requests.json?page_size=1')).body;
      const one = await call('GET', `/requests/${first.service_request_id}.json`);
      assert.equal(one.status, 200);
      assert.equal(one.body.length, 1);
      conforms(one.body[0], SPEC.request, 'service request');
      assert.deepEqual(one.body[0], first);
      expectErrors(await call('GET', '/requests/no-such-request.json'), 404, /service_request_id/);
      const queue = (await server.admin.get('/admin/moderation?kind=map-report&state=pending', { token: server.admin.token })).body.items;
      expectErrors(await call('GET', `/requests/${queue[0].id}.json`), 404);
    });

    it('takes a form post with api_key and attribute[code], ignores personal fields and stores none of them', async () => {
      const { token } = await server.api.session();
      const personal = { email: 'jeanne.martin@example.org', first_name: 'Jeanne', last_name: 'Martin', phone: '+33612345678', device_id: 'device-7f3a', account_id: 'account-991' };
      const created = await call('POST', '/requests.json', { form: { ...voirie, 'attribute[largeur_cm]': '35', 'attribute[inconnu]': 'x', api_key: token, jurisdiction_id: 'signalements', ...personal } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.length, 1);
      conforms(created.body[0], SPEC.created, 'created request');
      assert.ok(created.body[0].service_request_id && !('token' in created.body[0]));
      const id = created.body[0].service_request_id as string;
      const report = (await server.api.get(`/map-reports/${id}`, { token })).body;
      assert.equal(report.mine, true);
      assert.equal(report.followers, 1);
      assert.deepEqual(report.attributes, { gravite: 'dangereux', largeur_cm: 35 });
      assert.deepEqual(report.point, { lat: 47.2716, lng: 0.2167 });
      assert.ok((await server.api.get('/maps/signalements/points')).body.features.some((feature: { id: string }) => feature.id === id), 'on the map');
      const storage = await openStorage(server.databaseUrl);
      try {
        const tables = ['map_reports', 'map_report_follows', 'idempotency_keys', 'live_events', 'audit_log', 'threads'] as const;
        for (const table of tables) {
          const text = JSON.stringify(await storage.reader.selectFrom(table).selectAll().execute());
          for (const value of Object.values(personal)) assert.ok(!text.includes(value), `${table} holds ${value}`);
        }
      } finally {
        await storage.close();
      }
    });

    it('round-trips: a report posted through Open311 reads natively, and a native one through Open311', async () => {
      const { token } = await server.api.session();
      const posted = await call('POST', '/requests.json', { token, json: { service_code: 'eclairage', lat: 47.272, long: 0.217, address_string: 'Rue des Lilas', description: 'Lampadaire éteint depuis une semaine.', attribute: { numero: 'BV-0042', allume_jour: 'false' } } });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      const nativeRead = (await server.api.get(`/map-reports/${posted.body[0].service_request_id}`)).body;
      assert.deepEqual(
        { categoryId: nativeRead.categoryId, address: nativeRead.address, attributes: nativeRead.attributes, status: nativeRead.status, moderation: nativeRead.moderation },
        { categoryId: 'eclairage', address: 'Rue des Lilas', attributes: { numero: 'BV-0042', allume_jour: false }, status: 'open', moderation: 'published' },
      );
      const native = await server.api.post('/maps/signalements/reports', { token, key: true, body: { categoryId: 'proprete', address: 'Place du Marché', description: 'Dépôt sauvage derrière les halles.', attributes: { type: 'depot' } } });
      assert.equal(native.status, 201);
      const read = (await call('GET', `/requests/${native.body.id}.json`)).body[0];
      conforms(read, SPEC.request, 'service request');
      assert.deepEqual(
        { service_code: read.service_code, service_name: read.service_name, address: read.address, lat: read.lat, long: read.long, status: read.status, status_notes: read.status_notes },
        { service_code: 'proprete', service_name: 'Propreté', address: 'Place du Marché', lat: null, long: null, status: 'open', status_notes: null },
      );
      await admin('POST', `/admin/map-reports/${native.body.id}/updates`, { body: '<p>Enlèvement prévu <strong>jeudi</strong> &amp; plainte déposée.</p>', status: 'in-progress' });
      const followed = (await call('GET', `/requests/${native.body.id}.json`)).body[0];
      assert.equal(followed.status, 'open', 'in progress is open in Open311');
      assert.equal(followed.status_notes, 'Enlèvement prévu jeudi & plainte déposée.');
      assert.ok(Date.parse(followed.updated_datetime) > Date.parse(followed.requested_datetime));
      await admin('POST', `/admin/map-reports/${native.body.id}/updates`, { body: '<p>Fait.</p>', status: 'closed' });
      assert.equal((await call('GET', `/requests/${native.body.id}.json`)).body[0].status, 'closed');
    });

    it('keeps an image sent as a data: URL and serves it at media_url; refuses other media URLs', async () => {
      const mapId = `photos-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Photos', center: { lat: 47.27, lng: 0.21 }, zoom: 13, allowImages: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      const { token } = await server.api.session();
      const png = Buffer.from('\x89PNG\r\n\x1a\n-tiny-image');
      const base = { jurisdiction_id: mapId, service_code: 'divers', lat: '47.27', long: '0.21', description: 'Un problème en photo, regardez.', api_key: token };
      const created = await call('POST', '/requests.json', { form: { ...base, media_url: `data:image/png;base64,${png.toString('base64')}` } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const [request] = (await call('GET', `/requests/${created.body[0].service_request_id}.json?jurisdiction_id=${mapId}`)).body;
      assert.equal(request.media_url, `${server.url}/open311/v2/media/${request.service_request_id}`);
      const media = await fetch(request.media_url);
      assert.equal(media.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await media.arrayBuffer()), png);
      expectErrors(await call('POST', '/requests.json', { form: { ...base, media_url: 'https://tracker.example/photo.jpg' } }), 400, /media_url/);
      expectErrors(await call('POST', '/requests.json', { form: { ...base, media_url: 'data:image/svg+xml;base64,PHN2Zz4=' } }), 400, /media_url/);
    });

    it('answers with Open311 errors: authentication, validation by Open311 field, closed maps', async () => {
      expectErrors(await call('POST', '/requests.json', { form: voirie }), 401, /api_key/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: 'forged' } }), 401);
      const { token } = await server.api.session();
      expectErrors(await call('POST', '/requests.json', { form: { api_key: token, description: 'Trop vague pour être utile ici.', lat: '47.27', long: '0.21' } }), 400, /service_code/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, lat: 'nord' } }), 400, /lat\/long/);
      const invalid = await call('POST', '/requests.json', { form: { ...voirie, api_key: token, 'attribute[gravite]': 'pire', lat: '48.85', long: '2.35', description: 'court' } });
      expectErrors(invalid, 400);
      assert.deepEqual(invalid.body.map((error: { description: string }) => error.description.split(':')[0]).sort(), ['attribute[gravite]', 'description', 'lat/long']);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, service_code: 'inconnu' } }), 400, /service_code/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, lat: '', long: '' } }), 400, /lat\/long/);
      expectErrors(await call('POST', '/requests.json', { json: ['not', 'an', 'object'], token }), 400);
      const mapId = `closed-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Fermée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, closed: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      expectErrors(await call('POST', `/requests.json?jurisdiction_id=${mapId}`, { form: { service_code: 'divers', address_string: 'Mairie', description: 'Une demande pour une carte fermée.', api_key: token } }), 403);
    });

    it('hands out a token under pre-moderation, resolved once a moderator publishes the report', async () => {
      const mapId = `moderated-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Modérée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, preModeration: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      const { token } = await server.api.session();
      const created = await call('POST', '/requests.json', { form: { jurisdiction_id: mapId, service_code: 'divers', address_string: 'Place de la Mairie', description: 'Une fontaine ne coule plus du tout.', api_key: token } });
      assert.equal(created.status, 201);
      conforms(created.body[0], SPEC.created, 'created request');
      assert.ok(created.body[0].token && !('service_request_id' in created.body[0]));
      const waiting = await call('GET', `/tokens/${created.body[0].token}.json`);
      assert.equal(waiting.status, 200);
      assert.deepEqual(waiting.body, [{ token: created.body[0].token }]);
      conforms(waiting.body[0], SPEC.token, 'token');
      assert.deepEqual((await call('GET', `/requests.json?jurisdiction_id=${mapId}`)).body, []);
      const [pending] = (await server.api.get(`/maps/${mapId}/reports`, { token })).body.items;
      assert.equal(pending.moderation, 'pending');
      await admin('POST', `/admin/map-reports/${pending.id}/approve`);
      const resolved = (await call('GET', `/tokens/${created.body[0].token}.json`)).body;
      assert.deepEqual(resolved, [{ service_request_id: pending.id, token: created.body[0].token }]);
      conforms(resolved[0], SPEC.token, 'token');
      assert.equal((await call('GET', `/requests/${pending.id}.json?jurisdiction_id=${mapId}`)).status, 200);
      expectErrors(await call('GET', '/tokens/no-such-token.json'), 404);
    });

    it('replays a post that carries an Idempotency-Key instead of storing it twice', async () => {
      const { token } = await server.api.session();
      const headers = { 'idempotency-key': `open311-${backend}-replay` };
      const first = await call('POST', '/requests.json', { form: { ...voirie, api_key: token }, headers });
      const second = await call('POST', '/requests.json', { form: { ...voirie, api_key: token, email: 'ignored@example.org' }, headers });
      assert.equal(second.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(second.body, first.body);
    });
  });
}

describe('Open311 rate limits', () => {
  it('answers 429 as an Open311 error list with Retry-After', async () => {
    const server = await startTestServer('sqlite', { rateLimits: { perAddress: 1_000_000, perParticipant: 2, sessionsPerAddress: 1_000_000 } });
    try {
      const { token } = await server.api.session();
      const form = new URLSearchParams({ api_key: token, service_code: 'espaces-verts', address_string: 'Parc des Îles', description: 'Une branche tombée sur l’allée.' }).toString();
      const post = () => fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      assert.equal((await post()).status, 201);
      assert.equal((await post()).status, 201);
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      const [error] = (await limited.json()) as Array<{ code: number; description: string }>;
      assert.equal(error!.code, 429);
    } finally {
      await server.close();
    }
  });
});
