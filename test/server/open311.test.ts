import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStorage } from '../../packages/server/src/index.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { conforms, councilCaller, DATATYPES, expectErrors, open311Caller, SERVICE_TYPES, SPEC, STATUSES, VOIRIE } from './support/open311.js';

after(dropDatabases);

for (const backend of backends) {
  describe(`Open311 GeoReport v2 on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    const call = (...args: Parameters<ReturnType<typeof open311Caller>>) => open311Caller(server)(...args);
    const admin = (...args: Parameters<ReturnType<typeof councilCaller>>) => councilCaller(server)(...args);
    const voirie = VOIRIE;

    it('documents its routes in the OpenAPI document, each in JSON and in XML', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      for (const format of ['json', 'xml']) {
        const type = format === 'json' ? 'application/json' : 'text/xml';
        for (const [path, method] of [
          ['/open311/v2/discovery', 'get'], ['/open311/v2/services', 'get'], ['/open311/v2/services/{code}', 'get'], ['/open311/v2/requests', 'get'],
          ['/open311/v2/requests', 'post'], ['/open311/v2/requests/{id}', 'get'], ['/open311/v2/tokens/{token}', 'get'], ['/open311/v2/servicerequestupdates', 'get'],
        ] as const) {
          const operation = doc.paths[`${path}.${format}`]?.[method];
          assert.ok(operation, `${method} ${path}.${format} missing`);
          const success = operation.responses[method === 'post' ? '201' : '200'];
          assert.ok(success.content[type], `${method} ${path}.${format} answers ${type}`);
          if (path !== '/open311/v2/discovery') assert.ok(operation.responses['404'].content[type], `${method} ${path}.${format}'s errors are ${type}`);
        }
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
      assert.deepEqual([...response.body.endpoints[0].formats].sort(), ['application/json', 'text/xml']);
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

    it('keeps an image sent as a data: URL and serves it at media_url; keeps an http(s) media_url as a link, never fetched', async () => {
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

      // A link is kept as it is and shown as media_url; nothing asks the address (it does not exist).
      const link = 'https://photos.invalid/signalements/1234.jpg?size=large&from=app';
      const linked = await call('POST', '/requests.json', { form: { ...base, media_url: link } });
      assert.equal(linked.status, 201, JSON.stringify(linked.body));
      const id = linked.body[0].service_request_id as string;
      assert.equal((await call('GET', `/requests/${id}.json?jurisdiction_id=${mapId}`)).body[0].media_url, link);
      assert.equal((await call('GET', `/requests/${id}.xml?jurisdiction_id=${mapId}`)).text.includes('<media_url>https://photos.invalid/signalements/1234.jpg?size=large&amp;from=app</media_url>'), true);
      assert.equal((await fetch(`${server.url}/open311/v2/media/${id}`)).status, 404, 'a link is no image of ours');
      const native = (await server.api.get(`/map-reports/${id}`)).body;
      assert.equal(native.imageUrl, undefined, 'widgets are not handed a third party’s address to load');
      const exported = (await server.api.get('/me/export', { token })).body.mapReports.find((report: { id: string }) => report.id === id);
      assert.equal(exported.imageUrl, link, 'the participant’s own data holds the link');
      const council = await server.admin.request('GET', `/admin/maps/${mapId}/reports?format=json`, { token: server.admin.token, key: true });
      assert.equal(council.status, 200, JSON.stringify(council.body));
      assert.ok(JSON.stringify(council.body).includes(link), 'the council’s export holds the link');
      const json = await call('POST', '/requests.json', { token, json: { ...base, api_key: undefined, media_url: 'http://photos.invalid/a.png' } });
      assert.equal(json.status, 201, JSON.stringify(json.body));

      for (const refused of ['ftp://photos.invalid/a.jpg', 'javascript:alert(1)', 'https://', 'https://photos.invalid/a b.jpg', `https://photos.invalid/${'a'.repeat(2000)}`, 'data:image/svg+xml;base64,PHN2Zz4=']) {
        expectErrors(await call('POST', '/requests.json', { form: { ...base, media_url: refused } }), 400, /media_url/);
      }
      const plain = `plain-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: plain, title: 'Sans photos', center: { lat: 47.27, lng: 0.21 }, zoom: 13, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      expectErrors(await call('POST', '/requests.json', { form: { ...base, jurisdiction_id: plain, media_url: link } }), 400, /media_url: This map does not take images/);
    });

    it('answers with Open311 errors: authentication, validation by Open311 field, closed maps', async () => {
      expectErrors(await call('POST', '/requests.json', { form: voirie }), 401, /api_key/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: 'forged' } }), 401);
      const { token } = await server.api.session();
      expectErrors(await call('POST', '/requests.json', { form: { api_key: token, description: 'Trop vague pour être utile ici.', lat: '47.27', long: '0.21' } }), 400, /service_code/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, lat: 'nord' } }), 400, /lat\/long/);
      const invalid = await call('POST', '/requests.json', { form: { ...voirie, api_key: token, 'attribute[gravite]': 'pire', lat: '48.85', long: '2.35', description: 'court' } });
      expectErrors(invalid, 400);
      assert.deepEqual(invalid.body.map((error: { description: string }) => error.description.split(':')[0]).sort(), ['attribute[gravite]', 'lat/long'], 'a short description is no fault under Open311');
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, description: 'x'.repeat(4001) } }), 400, /^description: At most 4000/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, service_code: 'inconnu' } }), 400, /service_code/);
      expectErrors(await call('POST', '/requests.json', { form: { ...voirie, api_key: token, lat: '', long: '' } }), 400, /lat\/long/);
      expectErrors(await call('POST', '/requests.json', { json: ['not', 'an', 'object'], token }), 400);
      const mapId = `closed-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Fermée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, closed: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      expectErrors(await call('POST', `/requests.json?jurisdiction_id=${mapId}`, { form: { service_code: 'divers', address_string: 'Mairie', description: 'Une demande pour une carte fermée.', api_key: token } }), 403);
    });

    it('takes what real clients send: an empty jurisdiction_id, api_key in the query string, no description or a long one, an address_id alone', async () => {
      const { token } = await server.api.session();
      const services = await call('GET', '/services.json?jurisdiction_id=');
      assert.equal(services.status, 200, services.text);
      assert.deepEqual(services.body, (await call('GET', '/services.json')).body);
      assert.equal((await call('GET', '/requests.json?jurisdiction_id=&page_size=1')).status, 200);

      const bare = await call('POST', `/requests.json?jurisdiction_id=&api_key=${encodeURIComponent(token)}`, { form: { service_code: 'proprete', lat: '47.2716', long: '0.2167', 'attribute[type]': 'depot' } });
      assert.equal(bare.status, 201, bare.text);
      const id = bare.body[0].service_request_id as string;
      const [read] = (await call('GET', `/requests/${id}.json`)).body;
      conforms(read, SPEC.request, 'service request');
      assert.equal(read.description, '');
      assert.equal((await server.api.get(`/map-reports/${id}`, { token })).body.mine, true, 'the api_key of the query string is the author');
      expectErrors(await call('POST', '/requests.json?api_key=forged', { form: { service_code: 'proprete', lat: '47.2716', long: '0.2167', 'attribute[type]': 'depot' } }), 401);

      const long = `${'Chaussée affaissée. '.repeat(200).trimEnd()}.`;
      assert.equal(long.length, 4000);
      const described = await call('POST', '/requests.json', { form: { ...voirie, description: long, api_key: token } });
      assert.equal(described.status, 201, described.text);
      assert.equal((await call('GET', `/requests/${described.body[0].service_request_id}.json`)).body[0].description, long);
      const blank = await call('POST', '/requests.json', { json: { ...voirie, description: ' \n\u200b ' }, token });
      assert.equal(blank.status, 201, blank.text);
      assert.equal((await call('GET', `/requests/${blank.body[0].service_request_id}.json`)).body[0].description, '', 'blank is no description');

      const located = await call('POST', '/requests.json', { form: { service_code: 'espaces-verts', address_id: 'BAN-37261-0042', description: 'Haie qui déborde sur le trottoir.', api_key: token } });
      assert.equal(located.status, 201, located.text);
      const [byAddress] = (await call('GET', `/requests/${located.body[0].service_request_id}.json`)).body;
      assert.deepEqual([byAddress.address, byAddress.lat, byAddress.long], ['BAN-37261-0042', null, null]);
      const both = await call('POST', '/requests.json', { form: { service_code: 'espaces-verts', address_string: 'Allée des Tilleuls', address_id: 'BAN-37261-0043', api_key: token } });
      assert.equal((await call('GET', `/requests/${both.body[0].service_request_id}.json`)).body[0].address, 'Allée des Tilleuls', 'the address a person wrote comes first');
      expectErrors(await call('POST', '/requests.json', { form: { service_code: 'espaces-verts', address_id: ' ', api_key: token } }), 400, /lat\/long/);
    });

    it('reads a date alone in start_date and end_date as a whole day in UTC, and status in any case', async () => {
      const all = (await call('GET', '/requests.json')).body as Array<{ service_request_id: string; requested_datetime: string; status: string }>;
      const dayOf = (at: string) => new Date(Date.parse(at)).toISOString().slice(0, 10);
      const ids = (list: Array<{ service_request_id: string }>) => list.map((request) => request.service_request_id);
      const day = dayOf(all[5]!.requested_datetime);
      const first = dayOf(all.at(-1)!.requested_datetime);
      const onDay = await call('GET', `/requests.json?start_date=${day}&end_date=${day}`);
      assert.equal(onDay.status, 200, onDay.text);
      assert.ok(onDay.body.length >= 1);
      assert.deepEqual(ids(onDay.body), ids(all.filter((request) => dayOf(request.requested_datetime) === day)));
      assert.deepEqual(ids((await call('GET', `/requests.json?start_date=${first}&end_date=${day}`)).body), ids(all.filter((request) => dayOf(request.requested_datetime) <= day)));
      assert.deepEqual(ids((await call('GET', `/requests.json?start_date=${day}`)).body), ids(all.filter((request) => dayOf(request.requested_datetime) >= day)));
      for (const [status, expected] of [['OPEN', 'open'], ['Closed', 'closed'], ['Open,CLOSED', undefined]] as const) {
        const listed = await call('GET', `/requests.json?status=${status}`);
        assert.equal(listed.status, 200, listed.text);
        assert.deepEqual(ids(listed.body), ids(all.filter((request) => expected === undefined || request.status === expected)), status);
      }
      expectErrors(await call('GET', '/requests.json?start_date=2026-13-01'), 400, /start_date/);
      expectErrors(await call('GET', '/requests.json?end_date=2026-02-30'), 400, /end_date/);
      expectErrors(await call('GET', '/requests.json?start_date=01/12/2026'), 400, /start_date/);
      expectErrors(await call('GET', '/requests.json?status=OPENED'), 400, /status/);
    });

    it('lists council updates through the servicerequestupdates extension: oldest first, by date, published reports of the jurisdiction only', async () => {
      const { token } = await server.api.session();
      // Other tests' updates come before this instant.
      const since = new Date().toISOString();
      const posted = await call('POST', '/requests.json', { form: { ...voirie, api_key: token } });
      const id = posted.body[0].service_request_id as string;
      const listed = async (query = '') => {
        const response = await call('GET', `/servicerequestupdates.json?start_date=${encodeURIComponent(since)}${query}`);
        assert.equal(response.status, 200, response.text);
        for (const update of response.body) conforms(update, SPEC.update, 'request update');
        return response.body.filter((update: { service_request_id: string }) => update.service_request_id === id) as Array<{ update_id: string; status: string; updated_datetime: string; description: string }>;
      };
      assert.deepEqual(await listed(), [], 'a report alone is no update');
      await admin('POST', `/admin/map-reports/${id}/updates`, { body: '<p>Signalement <em>reçu</em> &amp; transmis aux services techniques.</p>', status: 'acknowledged' });
      await admin('POST', `/admin/map-reports/${id}/updates`, { body: '<p>Intervention prévue lundi.</p>' });
      await admin('POST', `/admin/map-reports/${id}/updates`, { body: '<p>Rebouché.</p>', status: 'closed' });
      const updates = await listed();
      assert.deepEqual(updates.map((update) => [update.status, update.description]), [
        ['open', 'Signalement reçu & transmis aux services techniques.'],
        ['open', 'Intervention prévue lundi.'],
        ['closed', 'Rebouché.'],
      ]);
      assert.equal(new Set(updates.map((update) => update.update_id)).size, 3);
      const times = updates.map((update) => Date.parse(update.updated_datetime));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      assert.deepEqual(await listed(`&end_date=${encodeURIComponent(updates[0]!.updated_datetime)}`), updates.slice(0, 1));
      assert.deepEqual(await listed(`&end_date=${new Date(Date.parse(since) - 24 * 3600 * 1000).toISOString().slice(0, 10)}`), []);
      assert.deepEqual((await call('GET', `/servicerequestupdates.json?start_date=${encodeURIComponent(since)}&page_size=1&page=2`)).body.filter((update: { service_request_id: string }) => update.service_request_id === id), updates.slice(1, 2));

      const seeded = (await call('GET', '/servicerequestupdates.json')).body as Array<{ description: string; updated_datetime: string }>;
      assert.ok(seeded.some((update) => update.description === 'Câble remplacé, les trois lampadaires fonctionnent. Merci pour votre signalement.'), 'the last 90 days without dates');
      assert.deepEqual(seeded.map((update) => update.updated_datetime), [...seeded.map((update) => update.updated_datetime)].sort((a, b) => Date.parse(a) - Date.parse(b)));

      const mapId = `moderated-updates-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Modérée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, preModeration: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      await call('POST', '/requests.json', { form: { jurisdiction_id: mapId, service_code: 'divers', address_string: 'Place de la Mairie', api_key: token } });
      const [pending] = (await server.api.get(`/maps/${mapId}/reports`, { token })).body.items;
      await admin('POST', `/admin/map-reports/${pending.id}/updates`, { body: '<p>Lu par la modération.</p>' });
      assert.deepEqual((await call('GET', `/servicerequestupdates.json?jurisdiction_id=${mapId}`)).body, [], 'nothing of a report not published');
      await admin('POST', `/admin/map-reports/${pending.id}/approve`);
      assert.deepEqual((await call('GET', `/servicerequestupdates.json?jurisdiction_id=${mapId}`)).body.map((update: { service_request_id: string }) => update.service_request_id), [pending.id]);
      assert.ok(!(await call('GET', '/servicerequestupdates.json')).body.some((update: { service_request_id: string }) => update.service_request_id === pending.id), 'another jurisdiction’s updates stay there');

      expectErrors(await call('GET', '/servicerequestupdates.json?start_date=last-week'), 400, /start_date/);
      expectErrors(await call('GET', '/servicerequestupdates.json?jurisdiction_id=elsewhere'), 404, /jurisdiction_id/);
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
