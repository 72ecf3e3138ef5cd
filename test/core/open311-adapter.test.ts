import { expect } from '@open-wc/testing';
import { Open311Adapter, type Open311AdapterOptions } from '../../packages/core/src/adapters/open311-adapter.js';
import { describeError } from '../../packages/core/src/errors-text.js';
import { NEARBY_REPORTS_LIMIT } from '../../packages/core/src/contract/limits.js';
import type { MapReport } from '../../packages/core/src/contract/types.js';
import { expectKind } from '../support/errors.js';
import { type Call, fakeFetch, json } from '../support/rest.js';
// The reference server's own serialiser, so that the fake XML server writes what the real one does.
import { xmlDocument } from '../../packages/server/src/open311/xml.js';
import { BELVOIR_BOUNDS, BELVOIR_CENTER } from './fixtures/maps.js';

const BASE = 'https://311.belvoir.example/open311/v2';
const MAP_ID = 'signalements-belvoir';
const MAP: Open311AdapterOptions['map'] = {
  id: MAP_ID,
  title: 'Signaler un problème',
  center: BELVOIR_CENTER,
  zoom: 15,
  bounds: BELVOIR_BOUNDS,
  tileUrl: 'https://tiles.belvoir.example/{z}/{x}/{y}.png',
  tileAttribution: '© OpenStreetMap',
};

/** Metres north and east of the town centre. */
function near(north: number, east: number) {
  return {
    lat: BELVOIR_CENTER.lat + north / 111_320,
    lng: BELVOIR_CENTER.lng + east / (111_320 * Math.cos((BELVOIR_CENTER.lat * Math.PI) / 180)),
  };
}

// Shaped as the GeoReport v2 specification's examples: numeric ids and codes where it has them, nulls.
const SERVICES = [
  {
    service_code: 'voirie',
    service_name: 'Voirie et trottoirs',
    description: 'Nids-de-poule, trottoirs abîmés, marquage effacé.',
    metadata: true,
    type: 'realtime',
    keywords: 'chaussée, trottoir, nid-de-poule',
    group: 'Espace public',
  },
  {
    service_code: 'eclairage',
    service_name: 'Éclairage public',
    description: 'Lampadaire éteint ou qui clignote.',
    metadata: true,
    type: 'realtime',
    keywords: 'lampadaire',
    group: 'Espace public',
  },
  { service_code: 6, service_name: 'Espaces verts', description: null, metadata: false, type: 'realtime', keywords: '', group: '' },
];

const DEFINITIONS: Record<string, unknown> = {
  voirie: {
    service_code: 'voirie',
    attributes: [
      {
        variable: true,
        code: 'largeur',
        datatype: 'number',
        required: false,
        datatype_description: 'Une estimation suffit.',
        order: 2,
        description: 'Largeur approximative (cm)',
      },
      {
        variable: false,
        code: 'NOTE',
        datatype: 'text',
        required: false,
        datatype_description: null,
        order: 0,
        description: 'Les dangers immédiats se signalent au 112.',
      },
      {
        variable: true,
        code: 'type-degat',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: null,
        order: 1,
        description: 'Type de dégât',
        values: [
          { key: 'nid-de-poule', name: 'Nid-de-poule' },
          { key: 'fissure', name: 'Fissure' },
        ],
      },
    ],
  },
  eclairage: {
    service_code: 'eclairage',
    attributes: [
      { variable: true, code: 'danger', datatype: 'singlevaluelist', required: false, datatype_description: null, order: 2, description: 'Dangereux la nuit', values: [{ key: 'true', name: 'Oui' }, { key: 'false', name: 'Non' }] },
      { variable: true, code: 'numero', datatype: 'string', required: false, datatype_description: 'Sur la plaque du lampadaire', order: 1, description: 'Numéro du lampadaire', values: [] },
    ],
  },
};

function request(id: number | string, fields: Record<string, unknown>) {
  const point = (fields.point as { lat: number; lng: number } | undefined) ?? near(0, 0);
  const { point: _, ...rest } = fields;
  return {
    service_request_id: id,
    status: 'open',
    status_notes: null,
    service_name: 'Voirie et trottoirs',
    service_code: 'voirie',
    description: 'Nid-de-poule devant la boulangerie.',
    agency_responsible: null,
    service_notice: null,
    requested_datetime: '2027-03-01T09:00:00+01:00',
    updated_datetime: '2027-03-01T09:00:00+01:00',
    expected_datetime: null,
    address: '12 rue Nationale',
    address_id: null,
    zipcode: 45600,
    lat: point.lat,
    long: point.lng,
    media_url: null,
    ...rest,
  };
}

const REQUESTS = [
  request(638344, {
    status: 'closed',
    status_notes: 'Rebouché le 4 mars <merci>.',
    requested_datetime: '2027-03-02T08:00:00+01:00',
    updated_datetime: '2027-03-04T15:30:00+01:00',
    point: near(100, 100),
  }),
  request(638349, { requested_datetime: '2027-03-05T10:00:00+01:00', point: near(10, 0), media_url: 'https://311.belvoir.example/media/638349.jpg' }),
  request('638350', { requested_datetime: '2027-03-06T10:00:00+01:00', point: near(30, 0), description: null }),
  request(638351, {
    requested_datetime: '2027-03-07T10:00:00+01:00',
    service_code: 'eclairage',
    service_name: 'Éclairage public',
    description: 'Lampadaire éteint.',
    point: near(20, 0),
  }),
  request(638352, { requested_datetime: '2027-03-08T10:00:00+01:00', lat: null, long: null, address: '3 impasse du Moulin' }),
  request(638353, { requested_datetime: '2027-03-03T10:00:00+01:00', service_code: 6, point: near(-5000, -5000), media_url: 'javascript:alert(1)' }),
];

interface ServerOptions {
  requests?: unknown[];
  /** Answers requests.json pages as the extension does; false answers the same list whatever the page. */
  paging?: boolean;
  post?: (call: Call) => Response;
  token?: (token: string) => Response;
}

/** An XML answer as the reference server writes it. */
function xml(status: number, root: string, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(xmlDocument(root, body), { status, headers: { 'Content-Type': 'text/xml; charset=utf-8', ...headers } });
}

/** A GeoReport v2 server that speaks the adapter's format only: JSON by default, XML alone for `format: 'xml'`. */
function server(serverOptions: ServerOptions = {}, options: Partial<Open311AdapterOptions> = {}) {
  const requests = serverOptions.requests ?? REQUESTS;
  const format = options.format ?? 'json';
  const answer = (status: number, root: string, body: unknown) => (format === 'xml' ? xml(status, root, body) : json(status, body));
  const { calls, fetch } = fakeFetch((call) => {
    const url = new URL(call.url);
    const path = url.pathname.replace('/open311/v2', '');
    const route = (pattern: string) => new RegExp(`^/${pattern}\\.${format}$`).exec(path);
    if (call.method === 'POST' && route('requests')) {
      return serverOptions.post ? serverOptions.post(call) : answer(201, 'service_requests', [{ service_request_id: 293944, service_notice: 'Merci, les services techniques interviennent sous 48 h.', account_id: null }]);
    }
    if (route('services')) return answer(200, 'services', SERVICES);
    const definition = route('services/(.+)');
    if (definition) {
      const found = DEFINITIONS[decodeURIComponent(definition[1]!)];
      return found ? answer(200, 'service_definition', found) : answer(404, 'errors', [{ code: 404, description: 'Unknown service_code' }]);
    }
    if (route('requests')) {
      if (serverOptions.paging === false) return answer(200, 'service_requests', requests.slice(0, 1000));
      const size = Number(url.searchParams.get('page_size') ?? 1000);
      const page = Number(url.searchParams.get('page') ?? 1);
      return answer(200, 'service_requests', requests.slice((page - 1) * size, page * size));
    }
    const one = route('requests/(.+)');
    if (one) {
      const found = requests.filter((item) => String((item as { service_request_id: unknown }).service_request_id) === decodeURIComponent(one[1]!));
      return found.length ? answer(200, 'service_requests', found) : answer(404, 'errors', [{ code: 404, description: 'Not found' }]);
    }
    const token = route('tokens/(.+)');
    if (token && serverOptions.token) return serverOptions.token(decodeURIComponent(token[1]!));
    return answer(404, 'errors', [{ code: 404, description: `No route ${path}` }]);
  });
  const adapter = new Open311Adapter({ baseUrl: `${BASE}/`, map: MAP, fetch, jurisdictionId: 'belvoir-sur-loire.fr', ...options });
  return { adapter, calls };
}

const routes = (calls: Call[]) => calls.map((call) => `${call.method} ${new URL(call.url).pathname.replace('/open311/v2', '')}`);
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
const write = (key = 'cle-1') => ({ idempotencyKey: key });

describe('Open311Adapter', () => {
  describe('the map', () => {
    it('builds the map from the services and their definitions, with the geometry the council gives', async () => {
      const { adapter, calls } = server();
      const map = await adapter.maps.getMap(MAP_ID);
      expect(map).to.deep.include({ id: MAP_ID, title: MAP.title, center: MAP.center, zoom: 15, bounds: MAP.bounds, tileUrl: MAP.tileUrl, tileAttribution: MAP.tileAttribution });
      expect(map).to.include({ closed: false, preModeration: false, allowImages: false, requiredVerification: 'anonymous' });
      expect(map.categories.map((category) => [category.id, category.label, category.group])).to.deep.equal([
        ['voirie', 'Voirie et trottoirs', 'Espace public'],
        ['eclairage', 'Éclairage public', 'Espace public'],
        ['6', 'Espaces verts', undefined],
      ]);
      expect(map.categories[0]!.fields).to.deep.equal([
        {
          code: 'type-degat',
          label: 'Type de dégât',
          type: 'select',
          required: true,
          options: [
            { value: 'nid-de-poule', label: 'Nid-de-poule' },
            { value: 'fissure', label: 'Fissure' },
          ],
        },
        { code: 'largeur', label: 'Largeur approximative (cm)', type: 'number', required: false, description: 'Une estimation suffit.' },
      ]);
      expect(map.categories[1]!.fields).to.deep.equal([
        { code: 'numero', label: 'Numéro du lampadaire', type: 'text', required: false, description: 'Sur la plaque du lampadaire' },
        { code: 'danger', label: 'Dangereux la nuit', type: 'checkbox', required: false },
      ]);
      expect(map.categories[2]!.fields).to.deep.equal([]);
      // Services without metadata have no definition to read.
      expect(routes(calls)).to.deep.equal(['GET /services.json', 'GET /services/voirie.json', 'GET /services/eclairage.json']);
      for (const call of calls) {
        expect(new URL(call.url).searchParams.get('jurisdiction_id')).to.equal('belvoir-sur-loire.fr');
        expect(call.headers.get('Authorization')).to.be.null;
        expect(call.headers.get('Accept')).to.equal('application/json');
      }
      await adapter.maps.getMap(MAP_ID);
      expect(calls).to.have.length(3);
    });

    it('serves its own map only, without asking the server about another, and cannot follow', async () => {
      const { adapter, calls } = server();
      await expectKind(adapter.maps.getMap('autre-carte'), 'not-found');
      await expectKind(adapter.maps.listReports('autre-carte'), 'not-found');
      await expectKind(adapter.maps.submitReport('autre-carte', { categoryId: 'voirie', description: 'Un trou dans la rue.', address: 'rue' }, write()), 'not-found');
      expect(calls).to.have.length(0);
      expect(adapter.maps.follow).to.be.undefined;
      expect(() => new Open311Adapter({ baseUrl: '', map: MAP })).to.throw().with.property('kind', 'misconfigured');
    });
  });

  describe('reports', () => {
    it('reads the requests as reports, newest first, with their status, notes and place', async () => {
      const { adapter } = server();
      const page = await adapter.maps.listReports(MAP_ID);
      expect(page.total).to.equal(6);
      expect(page.nextCursor).to.be.undefined;
      expect(ids(page.items)).to.deep.equal(['638352', '638351', '638350', '638349', '638353', '638344']);
      const closed = page.items.find((item) => item.id === '638344')!;
      expect(closed).to.deep.equal({
        id: '638344',
        mapId: MAP_ID,
        categoryId: 'voirie',
        point: { lat: near(100, 100).lat, lng: near(100, 100).lng },
        address: '12 rue Nationale',
        description: 'Nid-de-poule devant la boulangerie.',
        status: 'closed',
        moderation: 'published',
        updates: [{ at: '2027-03-04T15:30:00+01:00', body: '<p>Rebouché le 4 mars &#60;merci&#62;.</p>' }],
        followers: 0,
        comments: 0,
        createdAt: '2027-03-02T08:00:00+01:00',
        updatedAt: '2027-03-04T15:30:00+01:00',
      } satisfies MapReport);
      const addressOnly = page.items.find((item) => item.id === '638352')!;
      expect(addressOnly.point).to.be.undefined;
      expect(addressOnly.address).to.equal('3 impasse du Moulin');
      expect(page.items.find((item) => item.id === '638350')!.description).to.equal('');
      expect(page.items.find((item) => item.id === '638349')!.imageUrl).to.equal('https://311.belvoir.example/media/638349.jpg');
      expect(page.items.find((item) => item.id === '638353')).to.include({ categoryId: '6' }).and.not.to.have.property('imageUrl');
    });

    it('filters, sorts and pages in the adapter, reading the requests once for a while', async () => {
      const { adapter, calls } = server();
      const first = await adapter.maps.listReports(MAP_ID, { limit: 4 });
      expect(first.items).to.have.length(4);
      const second = await adapter.maps.listReports(MAP_ID, { limit: 4, cursor: first.nextCursor });
      expect(ids(second.items)).to.deep.equal(['638353', '638344']);
      expect(second.nextCursor).to.be.undefined;
      expect(ids((await adapter.maps.listReports(MAP_ID, { category: 'eclairage' })).items)).to.deep.equal(['638351']);
      expect(ids((await adapter.maps.listReports(MAP_ID, { status: 'closed' })).items)).to.deep.equal(['638344']);
      expect((await adapter.maps.listReports(MAP_ID, { status: 'acknowledged' })).total).to.equal(0);
      const [southWest, northEast] = BELVOIR_BOUNDS;
      const inTown = await adapter.maps.listReports(MAP_ID, { bbox: [southWest.lng, southWest.lat, northEast.lng, northEast.lat] });
      expect(ids(inTown.items)).to.deep.equal(['638351', '638350', '638349', '638344']);
      expect((await adapter.maps.listReports(MAP_ID, { sort: 'most-followed' })).items[0]!.id).to.equal('638352');
      await expectKind(adapter.maps.listReports(MAP_ID, { status: 'perdu' as never }), 'validation');
      expect(routes(calls)).to.deep.equal(['GET /requests.json']);
      const url = new URL(calls[0]!.url);
      expect(url.searchParams.get('page')).to.equal('1');
      expect(url.searchParams.get('page_size')).to.equal('1000');
    });

    it('reads further pages where the server pages, and stops where it ignores paging', async () => {
      const many = Array.from({ length: 1500 }, (_, i) => request(100000 + i, { requested_datetime: new Date(Date.UTC(2027, 1, 1) + i * 60000).toISOString() }));
      const paged = server({ requests: many });
      expect((await paged.adapter.maps.listReports(MAP_ID)).total).to.equal(1500);
      expect(routes(paged.calls)).to.deep.equal(['GET /requests.json', 'GET /requests.json']);
      const unpaged = server({ requests: many, paging: false });
      expect((await unpaged.adapter.maps.listReports(MAP_ID)).total).to.equal(1000);
      expect(unpaged.calls).to.have.length(2);
    });

    it('draws the located reports', async () => {
      const { adapter } = server();
      const points = await adapter.maps.points(MAP_ID);
      expect(ids(points)).to.deep.equal(['638351', '638350', '638349', '638353', '638344']);
      expect(points[0]).to.deep.equal({ id: '638351', lat: near(20, 0).lat, lng: near(20, 0).lng, categoryId: 'eclairage', status: 'open' });
      expect(ids(await adapter.maps.points(MAP_ID, { category: 'voirie', status: 'open' }))).to.deep.equal(['638350', '638349']);
    });

    it('offers open reports of the same category nearby, nearest first', async () => {
      const { adapter } = server();
      expect(ids(await adapter.maps.nearby(MAP_ID, near(0, 0), 50, { category: 'voirie' }))).to.deep.equal(['638349', '638350']);
      expect(ids(await adapter.maps.nearby(MAP_ID, near(0, 0), 50))).to.deep.equal(['638349', '638351', '638350']);
      expect(await adapter.maps.nearby(MAP_ID, near(0, 0), 5)).to.deep.equal([]);
      await expectKind(adapter.maps.nearby(MAP_ID, near(0, 0), 5000), 'validation');
      const crowd = Array.from({ length: 9 }, (_, i) => request(i + 1, { point: near(i, 0) }));
      expect(await server({ requests: crowd }).adapter.maps.nearby(MAP_ID, near(0, 0), 50)).to.have.length(NEARBY_REPORTS_LIMIT);
    });

    it('gets one report from its one-element array', async () => {
      const { adapter, calls } = server();
      expect((await adapter.maps.getReport('638344')).status).to.equal('closed');
      expect(routes(calls)).to.deep.equal(['GET /requests/638344.json']);
      await expectKind(adapter.maps.getReport('999'), 'not-found');
      const empty = new Open311Adapter({ baseUrl: BASE, map: MAP, fetch: fakeFetch(() => json(200, [])).fetch });
      await expectKind(empty.maps.getReport('1'), 'not-found');
    });
  });

  describe('submissions', () => {
    const report = {
      categoryId: 'voirie',
      point: near(-100, 50),
      address: ' 4 rue des Acacias ',
      description: '  Plaque d’égout descellée qui claque.  ',
      attributes: { 'type-degat': 'fissure', largeur: '35', inconnu: 'x' },
    };

    it('posts the report form-encoded, with api_key and attribute[code], and answers it as published', async () => {
      const { adapter, calls } = server({}, { apiKey: 'cle-de-belvoir' });
      await adapter.maps.listReports(MAP_ID);
      const created = await adapter.maps.submitReport(MAP_ID, report, write());
      expect(created).to.deep.include({
        id: '293944',
        mapId: MAP_ID,
        categoryId: 'voirie',
        point: report.point,
        address: '4 rue des Acacias',
        description: 'Plaque d’égout descellée qui claque.',
        attributes: { 'type-degat': 'fissure', largeur: 35 },
        status: 'open',
        moderation: 'published',
        mine: true,
      });
      const post = calls.find((call) => call.method === 'POST')!;
      expect(post.url).to.equal(`${BASE}/requests.json`);
      expect(post.headers.get('Content-Type')).to.equal('application/x-www-form-urlencoded');
      expect(post.headers.get('Authorization')).to.be.null;
      expect(post.headers.get('Idempotency-Key')).to.be.null;
      expect([...new URLSearchParams(post.body)]).to.deep.equal([
        ['jurisdiction_id', 'belvoir-sur-loire.fr'],
        ['api_key', 'cle-de-belvoir'],
        ['service_code', 'voirie'],
        ['lat', String(report.point.lat)],
        ['long', String(report.point.lng)],
        ['address_string', '4 rue des Acacias'],
        ['description', 'Plaque d’égout descellée qui claque.'],
        ['attribute[type-degat]', 'fissure'],
        ['attribute[largeur]', '35'],
      ]);
      // The new report is read again with the others.
      await adapter.maps.listReports(MAP_ID);
      expect(routes(calls).filter((route) => route === 'GET /requests.json')).to.have.length(2);
    });

    it('sends the participant token as Bearer, and a checkbox as true or false', async () => {
      const { adapter, calls } = server({}, { apiKey: 'cle', tokenProvider: async () => 'jeton-participant' });
      await adapter.maps.submitReport(MAP_ID, { categoryId: 'eclairage', address: 'place du Marché', description: 'Lampadaire éteint.', attributes: { danger: true } }, write());
      const post = calls.find((call) => call.method === 'POST')!;
      expect(post.headers.get('Authorization')).to.equal('Bearer jeton-participant');
      const form = new URLSearchParams(post.body);
      expect(form.has('api_key')).to.be.false;
      expect(form.get('attribute[danger]')).to.equal('true');
      expect(form.has('lat')).to.be.false;
      const failing = server({}, { tokenProvider: () => Promise.reject(new Error('no session')) });
      await expectKind(failing.adapter.maps.submitReport(MAP_ID, report, write()), 'unauthorised');
    });

    it('resolves a token once: published when the server gives its request, pending otherwise', async () => {
      const tokenAnswer = [{ token: 12345, service_notice: 'Votre signalement sera publié après relecture.' }];
      const resolved = server({ post: () => json(200, tokenAnswer), token: (token) => json(200, [{ service_request_id: 638360, token: Number(token) }]) });
      expect(await resolved.adapter.maps.submitReport(MAP_ID, report, write())).to.include({ id: '638360', moderation: 'published' });
      expect(routes(resolved.calls).slice(-2)).to.deep.equal(['POST /requests.json', 'GET /tokens/12345.json']);

      const waiting = server({ post: () => json(200, tokenAnswer), token: (token) => json(200, [{ token }]) });
      expect(await waiting.adapter.maps.submitReport(MAP_ID, report, write())).to.include({ id: '12345', moderation: 'pending', mine: true });

      const unreachable = server({ post: () => json(200, tokenAnswer), token: () => json(503, [{ code: 503, description: 'Down' }]) });
      expect(await unreachable.adapter.maps.submitReport(MAP_ID, report, write())).to.include({ id: '12345', moderation: 'pending' });
      expect(routes(unreachable.calls).filter((route) => route.startsWith('GET /tokens'))).to.have.length(1);
    });

    it('sends a photo as a data: URL in media_url where the council says its server takes them', async () => {
      const photo = `data:image/png;base64,${btoa('\x89PNG\r\n\x1a\n')}`;
      const { adapter, calls } = server({}, { allowImages: true });
      expect((await adapter.maps.getMap(MAP_ID)).allowImages).to.be.true;
      const created = await adapter.maps.submitReport(MAP_ID, { ...report, image: photo }, write());
      expect(created.imageUrl).to.equal(photo);
      const form = new URLSearchParams(calls.find((call) => call.method === 'POST')!.body);
      expect(form.get('media_url')).to.equal(photo);
      const notAnImage = await expectKind(adapter.maps.submitReport(MAP_ID, { ...report, image: 'data:text/html;base64,PHA+' }, write()), 'validation');
      expect(Object.keys(notAnImage.fieldErrors!)).to.deep.equal(['image']);
    });

    it('offers no report on a map the council closed, without asking the server', async () => {
      const { adapter, calls } = server({}, { map: { ...MAP, closed: true } });
      expect((await adapter.maps.getMap(MAP_ID)).closed).to.be.true;
      await expectKind(adapter.maps.submitReport(MAP_ID, report, write()), 'closed');
      expect(calls.filter((call) => call.method === 'POST')).to.have.length(0);
    });

    it('checks the report against the service definitions before sending it', async () => {
      const { adapter, calls } = server();
      const error = await expectKind(
        adapter.maps.submitReport(MAP_ID, { categoryId: 'voirie', point: { lat: 48.85, lng: 2.35 }, description: 'court', attributes: { largeur: 'large' } }, write()),
        'validation',
      );
      expect(Object.keys(error.fieldErrors!).sort()).to.deep.equal(['attributes.largeur', 'attributes.type-degat', 'description', 'point']);
      const image = await expectKind(adapter.maps.submitReport(MAP_ID, { ...report, image: `data:image/png;base64,${btoa('png')}` }, write()), 'validation');
      expect(Object.keys(image.fieldErrors!)).to.deep.equal(['image']);
      const unknown = await expectKind(adapter.maps.submitReport(MAP_ID, { ...report, categoryId: 'inconnue' }, write()), 'validation');
      expect(Object.keys(unknown.fieldErrors!)).to.deep.equal(['categoryId']);
      expect(calls.filter((call) => call.method === 'POST')).to.have.length(0);
    });
  });

  describe('errors', () => {
    async function failure(reply: () => Response | Promise<Response>, options: Partial<Open311AdapterOptions> = {}) {
      const { fetch } = fakeFetch(reply);
      const adapter = new Open311Adapter({ baseUrl: BASE, map: MAP, fetch, ...options });
      try {
        await adapter.maps.getMap(MAP_ID);
      } catch (error) {
        return error;
      }
      throw new Error('Expected a rejection');
    }

    it('turns Open311 error arrays into errors a citizen reads in their language, keeping the server’s words for developers', async () => {
      const cases: Array<[number, string]> = [
        [400, 'validation'],
        [401, 'unauthorised'],
        [403, 'forbidden'],
        [404, 'not-found'],
        [409, 'conflict'],
        [500, 'server'],
        [503, 'server'],
      ];
      for (const [status, kind] of cases) {
        const error = (await failure(() => json(status, [{ code: status, description: 'Invalid api_key' }, { code: status, description: 'service_code: Required.' }]))) as Error & {
          kind: string;
          status: number;
          fieldErrors?: unknown;
        };
        expect(error.kind, String(status)).to.equal(kind);
        expect(error.status).to.equal(status);
        expect(error.message).to.equal('Invalid api_key; service_code: Required.');
        expect(error.fieldErrors).to.be.undefined;
        const shown = describeError(error as never);
        expect(shown).to.equal(describeError({ kind: kind as never }));
        expect(shown).not.to.contain('api_key');
      }
    });

    it('reads the wait of a rate limit, a kind a server names, and a body that is not JSON', async () => {
      const limited = (await failure(() => json(429, [{ code: 429, description: 'Slow down' }], { 'Retry-After': '30' }))) as { kind: string; retryAfter: number };
      expect(limited).to.include({ kind: 'rate-limited', retryAfter: 30 });
      const closed = (await failure(() => json(403, [{ code: 'closed', description: 'This map no longer takes reports' }]))) as { kind: string };
      expect(closed.kind).to.equal('closed');
      const problem = (await failure(() => json(401, { type: 'about:blank', status: 401, code: 'unauthorised', detail: 'Send api_key' }))) as { kind: string; message: string };
      expect(problem).to.include({ kind: 'unauthorised', message: 'Send api_key' });
      const proxy = (await failure(() => new Response('<html>Bad gateway</html>', { status: 502 }))) as { kind: string; message: string };
      expect(proxy).to.include({ kind: 'server', message: 'HTTP 502' });
      const garbled = (await failure(() => new Response('not json', { status: 200 }))) as { kind: string };
      expect(garbled.kind).to.equal('server');
    });

    it('tells a network failure, a timeout and the caller’s own abort apart', async () => {
      expect(((await failure(() => Promise.reject(new TypeError('Failed to fetch')))) as { kind: string }).kind).to.equal('network');

      const slow = (call: Call) =>
        new Promise<Response>((_resolve, reject) => call.signal!.addEventListener('abort', () => reject(call.signal!.reason), { once: true }));
      const { fetch } = fakeFetch(slow);
      const timed = new Open311Adapter({ baseUrl: BASE, map: MAP, fetch, timeout: 30 });
      await expectKind(timed.maps.getReport('1'), 'timeout');

      const controller = new AbortController();
      const pending = timed.maps.getReport('1', { signal: controller.signal });
      controller.abort(new DOMException('Gone', 'AbortError'));
      let error: unknown;
      try {
        await pending;
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(DOMException);
      expect((error as DOMException).name).to.equal('AbortError');
    });

    it('lets a caller stop waiting for a shared read without failing the others', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const { fetch, calls } = fakeFetch(async (call) => {
        await gate;
        return new URL(call.url).pathname.endsWith('/services.json') ? json(200, SERVICES) : json(200, DEFINITIONS[new URL(call.url).pathname.split('/').pop()!.replace('.json', '')]);
      });
      const adapter = new Open311Adapter({ baseUrl: BASE, map: MAP, fetch });
      const controller = new AbortController();
      const impatient = adapter.maps.getMap(MAP_ID, { signal: controller.signal });
      const patient = adapter.maps.getMap(MAP_ID);
      controller.abort(new DOMException('Gone', 'AbortError'));
      let error: unknown;
      try {
        await impatient;
      } catch (caught) {
        error = caught;
      }
      expect((error as DOMException).name).to.equal('AbortError');
      release();
      expect((await patient).categories).to.have.length(3);
      expect(calls.filter((call) => call.url.endsWith('/services.json'))).to.have.length(1);
    });
  });
});

describe('Open311Adapter over XML', () => {
  const asXml = { format: 'xml' } as const;
  const report = { categoryId: 'eclairage', point: near(5, 5), description: 'Lampadaire éteint depuis hier soir.', attributes: { numero: 'L-42 <nord> & sud' } };

  it('reads the same map from a server that speaks XML only, asking its .xml paths for XML', async () => {
    const fromJson = await server().adapter.maps.getMap(MAP_ID);
    const { adapter, calls } = server({}, asXml);
    expect(await adapter.maps.getMap(MAP_ID)).to.deep.equal(fromJson);
    expect(routes(calls)).to.deep.equal(['GET /services.xml', 'GET /services/voirie.xml', 'GET /services/eclairage.xml']);
    for (const call of calls) {
      expect(call.headers.get('Accept')).to.match(/^text\/xml/);
      expect(new URL(call.url).searchParams.get('jurisdiction_id')).to.equal('belvoir-sur-loire.fr');
    }
  });

  it('reads the same reports, points, nearby reports and single report as from JSON, empty elements as missing values', async () => {
    const json = server();
    const { adapter, calls } = server({}, asXml);
    expect(await adapter.maps.listReports(MAP_ID)).to.deep.equal(await json.adapter.maps.listReports(MAP_ID));
    expect(await adapter.maps.points(MAP_ID)).to.deep.equal(await json.adapter.maps.points(MAP_ID));
    expect(await adapter.maps.nearby(MAP_ID, near(0, 0), 50)).to.deep.equal(await json.adapter.maps.nearby(MAP_ID, near(0, 0), 50));
    const closed = await adapter.maps.getReport('638344');
    expect(closed).to.deep.equal(await json.adapter.maps.getReport('638344'));
    expect(closed).to.deep.include({ status: 'closed', updates: [{ at: '2027-03-04T15:30:00+01:00', body: '<p>Rebouché le 4 mars &#60;merci&#62;.</p>' }] });
    const unlocated = (await adapter.maps.listReports(MAP_ID)).items.find((item) => item.id === '638352')!;
    expect(unlocated.point).to.be.undefined;
    expect(unlocated.address).to.equal('3 impasse du Moulin');
    expect(routes(calls)).to.deep.equal(['GET /requests.xml', 'GET /requests/638344.xml']);
  });

  it('reads further pages of requests.xml', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => request(100000 + i, { requested_datetime: new Date(Date.UTC(2027, 1, 1) + i * 60000).toISOString() }));
    const { adapter, calls } = server({ requests: many }, asXml);
    expect((await adapter.maps.listReports(MAP_ID)).total).to.equal(1500);
    expect(routes(calls)).to.deep.equal(['GET /requests.xml', 'GET /requests.xml']);
  });

  it('posts to requests.xml and reads the request id, or the token and then its request, from XML', async () => {
    const { adapter, calls } = server({}, { ...asXml, apiKey: 'cle-de-belvoir' });
    expect(await adapter.maps.submitReport(MAP_ID, report, write())).to.deep.include({ id: '293944', moderation: 'published', mine: true });
    const post = calls.find((call) => call.method === 'POST')!;
    expect(post.url).to.equal(`${BASE}/requests.xml`);
    expect(post.headers.get('Accept')).to.match(/^text\/xml/);
    expect(post.headers.get('Content-Type')).to.equal('application/x-www-form-urlencoded');
    expect(new URLSearchParams(post.body).get('attribute[numero]')).to.equal('L-42 <nord> & sud');

    const tokenAnswer = [{ token: 12345, service_notice: 'Votre signalement sera publié après relecture.' }];
    const resolved = server({ post: () => xml(201, 'service_requests', tokenAnswer), token: (token) => xml(200, 'service_requests', [{ service_request_id: 638360, token }]) }, asXml);
    expect(await resolved.adapter.maps.submitReport(MAP_ID, report, write())).to.include({ id: '638360', moderation: 'published' });
    expect(routes(resolved.calls).slice(-2)).to.deep.equal(['POST /requests.xml', 'GET /tokens/12345.xml']);
    const waiting = server({ post: () => xml(201, 'service_requests', tokenAnswer), token: (token) => xml(200, 'service_requests', [{ token }]) }, asXml);
    expect(await waiting.adapter.maps.submitReport(MAP_ID, report, write())).to.include({ id: '12345', moderation: 'pending' });
  });

  it('reads XML error lists by status, keeping their descriptions for developers, and refuses an answer that is not XML', async () => {
    const failing = (reply: () => Response) => new Open311Adapter({ baseUrl: BASE, map: MAP, fetch: fakeFetch(reply).fetch, ...asXml }).maps.getMap(MAP_ID);
    const invalid = await expectKind(failing(() => xml(400, 'errors', [{ code: 400, description: 'service_code: Required.' }, { code: 400, description: 'lat/long: <both>' }])), 'validation');
    expect(invalid.message).to.equal('service_code: Required.; lat/long: <both>');
    const limited = await expectKind(failing(() => xml(429, 'errors', [{ code: 429, description: 'Slow down' }], { 'Retry-After': '30' })), 'rate-limited');
    expect(limited.retryAfter).to.equal(30);
    await expectKind(failing(() => xml(404, 'errors', [{ code: 404, description: 'Unknown jurisdiction_id' }])), 'not-found');
    await expectKind(failing(() => json(403, [{ code: 403, description: 'JSON, from a proxy' }])), 'forbidden');
    await expectKind(failing(() => new Response('<services><service>', { status: 200, headers: { 'Content-Type': 'text/xml' } })), 'server');
    await expectKind(failing(() => new Response('[]', { status: 200 })), 'server');
  });
});
