import { expect } from '@open-wc/testing';
import type { MapReport, MapReportInput, Page, ParticipatoryMap } from '../../packages/core/src/contract/types.js';
import { BASE, adapterWith, json, problem, rejection } from '../support/rest.js';

const map: ParticipatoryMap = {
  id: 'carte/belvoir',
  title: 'Signaler un problème',
  center: { lat: 47.7352, lng: 2.4921 },
  zoom: 15,
  bounds: [
    { lat: 47.7052, lng: 2.4421 },
    { lat: 47.7652, lng: 2.5421 },
  ],
  categories: [
    {
      id: 'voirie',
      label: 'Voirie',
      color: '#b3261e',
      icon: '🚧',
      fields: [{ code: 'type-degat', label: 'Type de dégât', type: 'select', required: true, options: [{ value: 'trou', label: 'Trou' }] }],
    },
  ],
  closed: false,
  preModeration: false,
  allowImages: true,
  requiredVerification: 'anonymous',
};

const report: MapReport = {
  id: 'sig/9',
  mapId: 'carte/belvoir',
  categoryId: 'voirie',
  point: { lat: 47.7368, lng: 2.4889 },
  description: 'Nid-de-poule devant la boulangerie.',
  attributes: { 'type-degat': 'trou' },
  status: 'acknowledged',
  moderation: 'published',
  updates: [{ at: '2027-03-09T10:00:00+01:00', status: 'acknowledged', body: '<p>Transmis.</p>' }],
  followers: 5,
  comments: 1,
  createdAt: '2027-03-06T10:00:00+01:00',
};

const page: Page<MapReport> = { items: [report], nextCursor: 'opaque+/=', total: 27 };
const input: MapReportInput = { categoryId: 'voirie', point: { lat: 47.73, lng: 2.49 }, description: 'Un trou dans la chaussée.', attributes: { 'type-degat': 'trou' } };
const write = (key = 'b6f2c1e0-0000-4000-8000-000000000311') => ({ idempotencyKey: key });

function geojson(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/geo+json' } });
}

const collection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'sig/9', geometry: { type: 'Point', coordinates: [2.4889, 47.7368] }, properties: { categoryId: 'voirie', status: 'acknowledged' } },
    { type: 'Feature', id: 12, geometry: { type: 'Point', coordinates: [2.5, 47.74] }, properties: { categoryId: 'eclairage', status: 'closed' } },
  ],
};

describe('RestAdapter maps', () => {
  describe('reads', () => {
    it('gets a map at its URL-encoded path, with no token and no session created', async () => {
      const { adapter, calls } = adapterWith(() => json(200, map));
      expect(await adapter.maps.getMap('carte/belvoir')).to.deep.equal(map);
      expect(calls).to.have.length(1);
      expect(`${calls[0]!.method} ${calls[0]!.url}`).to.equal(`GET ${BASE}/maps/carte%2Fbelvoir`);
      expect(calls[0]!.headers.get('Authorization')).to.be.null;
    });

    it('lists reports without a query string when nothing is asked', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      expect(await adapter.maps.listReports('carte/belvoir')).to.deep.equal(page);
      expect(calls[0]!.url).to.equal(`${BASE}/maps/carte%2Fbelvoir/reports`);
    });

    it('sends the box, category, status, sort, cursor and limit as encoded query values', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      await adapter.maps.listReports('carte/belvoir', {
        bbox: [2.44, 47.7, 2.54, 47.76],
        category: 'voirie & trottoirs',
        status: 'in-progress',
        sort: 'most-followed',
        cursor: 'opaque+/=',
        limit: 50,
      });
      const url = new URL(calls[0]!.url);
      expect(url.origin + url.pathname).to.equal(`${BASE}/maps/carte%2Fbelvoir/reports`);
      expect(calls[0]!.url).to.contain('cursor=opaque%2B%2F%3D');
      expect([...url.searchParams]).to.deep.equal([
        ['bbox', '2.44,47.7,2.54,47.76'],
        ['category', 'voirie & trottoirs'],
        ['status', 'in-progress'],
        ['sort', 'most-followed'],
        ['cursor', 'opaque+/='],
        ['limit', '50'],
      ]);
    });

    it('reads the points from the GeoJSON collection, asking for GeoJSON', async () => {
      const { adapter, calls } = adapterWith(() => geojson(200, collection));
      const points = await adapter.maps.points('carte/belvoir', { bbox: [2.44, 47.7, 2.54, 47.76], status: 'closed' });
      expect(points).to.deep.equal([
        { id: 'sig/9', lat: 47.7368, lng: 2.4889, categoryId: 'voirie', status: 'acknowledged' },
        { id: '12', lat: 47.74, lng: 2.5, categoryId: 'eclairage', status: 'closed' },
      ]);
      const url = new URL(calls[0]!.url);
      expect(url.pathname).to.equal(new URL(`${BASE}/maps/carte%2Fbelvoir/points`).pathname);
      expect([...url.searchParams]).to.deep.equal([
        ['bbox', '2.44,47.7,2.54,47.76'],
        ['status', 'closed'],
      ]);
      expect(calls[0]!.headers.get('Accept')).to.contain('application/geo+json');
    });

    it('skips features that are not points and refuses a body that is not a collection', async () => {
      const odd = {
        type: 'FeatureCollection',
        features: [
          ...collection.features,
          { type: 'Feature', id: 'ligne', geometry: { type: 'LineString', coordinates: [[2, 47], [2.1, 47.1]] }, properties: {} },
          { type: 'Feature', id: 'vide', geometry: null, properties: {} },
          null,
        ],
      };
      const { adapter } = adapterWith((_call, index) => (index === 0 ? geojson(200, odd) : json(200, [report])));
      expect((await adapter.maps.points('carte/belvoir')).map((point) => point.id)).to.deep.equal(['sig/9', '12']);
      const error = await rejection(adapter.maps.points('carte/belvoir'));
      expect(error.kind).to.equal('server');
    });

    it('gets one report and the reports nearby', async () => {
      const { adapter, calls } = adapterWith((call) => (call.url.includes('/nearby') ? json(200, [report]) : json(200, report)));
      expect(await adapter.maps.getReport('sig/9')).to.deep.equal(report);
      expect(calls[0]!.url).to.equal(`${BASE}/map-reports/sig%2F9`);
      expect(await adapter.maps.nearby('carte/belvoir', { lat: 47.7368, lng: 2.4889 }, 50, { category: 'voirie' })).to.deep.equal([report]);
      const url = new URL(calls[1]!.url);
      expect(url.pathname).to.equal(new URL(`${BASE}/maps/carte%2Fbelvoir/nearby`).pathname);
      expect([...url.searchParams]).to.deep.equal([
        ['lat', '47.7368'],
        ['lng', '2.4889'],
        ['radius', '50'],
        ['category', 'voirie'],
      ]);
      await adapter.maps.nearby('carte/belvoir', { lat: 47.7, lng: 2.4 }, 30);
      expect(new URL(calls[2]!.url).searchParams.has('category')).to.be.false;
    });

    it('maps a missing map to not-found', async () => {
      const { adapter } = adapterWith(() => problem(404, { code: 'not-found', detail: 'No map' }));
      expect((await rejection(adapter.maps.getMap('inconnue'))).kind).to.equal('not-found');
    });
  });

  describe('writes', () => {
    it('submits a report with its idempotency key, creating an anonymous participant first', async () => {
      const { adapter, calls } = adapterWith(() => json(201, { ...report, mine: true, followedByMe: true }));
      const created = await adapter.maps.submitReport('carte/belvoir', input, write());
      expect(created).to.include({ mine: true, followedByMe: true });
      expect(calls.map((call) => `${call.method} ${call.url}`)).to.deep.equal([`POST ${BASE}/session`, `POST ${BASE}/maps/carte%2Fbelvoir/reports`]);
      expect(JSON.parse(calls[1]!.body!)).to.deep.equal(input);
      expect(calls[1]!.headers.get('Idempotency-Key')).to.equal('b6f2c1e0-0000-4000-8000-000000000311');
      expect(calls[1]!.headers.get('Authorization')).to.equal('Bearer anon-1');
      expect(calls[1]!.headers.get('Content-Type')).to.equal('application/json');
    });

    it('follows with PUT and stops following with DELETE', async () => {
      const { adapter, calls } = adapterWith((call) => json(200, { ...report, followedByMe: call.method === 'PUT' }));
      expect((await adapter.maps.follow!('sig/9', true, write('k-1'))).followedByMe).to.be.true;
      expect((await adapter.maps.follow!('sig/9', false, write('k-2'))).followedByMe).to.be.false;
      const [, put, remove] = calls;
      expect(`${put!.method} ${put!.url}`).to.equal(`PUT ${BASE}/map-reports/sig%2F9/follow`);
      expect(`${remove!.method} ${remove!.url}`).to.equal(`DELETE ${BASE}/map-reports/sig%2F9/follow`);
      expect(put!.headers.get('Idempotency-Key')).to.equal('k-1');
      expect(put!.body).to.be.undefined;
    });

    it('passes on the per-field errors of a refused report and the closed map', async () => {
      const { adapter } = adapterWith((_call, index) =>
        index === 1
          ? problem(422, {
              code: 'validation',
              errors: [
                { field: 'point', message: 'The point is outside the map’s area' },
                { field: 'attributes.type-degat', message: 'Type de dégât is required' },
              ],
            })
          : problem(403, { code: 'closed', detail: 'This map no longer takes reports' }),
      );
      const refused = await rejection(adapter.maps.submitReport('carte/belvoir', input, write('k-3')));
      expect(refused.kind).to.equal('validation');
      expect(Object.keys(refused.fieldErrors!)).to.deep.equal(['point', 'attributes.type-degat']);
      const closed = await rejection(adapter.maps.submitReport('carte/belvoir', input, write('k-4')));
      expect(closed).to.include({ kind: 'closed', status: 403 });
    });
  });
});
