import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Api, ApiResponse } from '../support/client.js';
import { expectProblem } from './contract.js';

/**
 * The participatory map's REST contract, as any backend must honour it. It needs one open map
 * without pre-moderation (the demo's `signalements`, or the one named by CIVIC_MAP) with
 * categories and published located reports, and changes nothing but its own reports and follows.
 */
export const contractMap = process.env.CIVIC_MAP ?? 'signalements';

type Field = { code: string; type: 'text' | 'number' | 'select' | 'checkbox'; required: boolean; options?: Array<{ value: string }> };
type Category = { id: string; fields: Field[] };

function fieldsOf(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error: { field: string }) => error.field).sort();
}

/** A value each field accepts. */
function answers(category: Category): Record<string, string | number | boolean> {
  return Object.fromEntries(
    category.fields.map((field) => [field.code, field.type === 'select' ? field.options![0]!.value : field.type === 'number' ? 3 : field.type === 'checkbox' ? true : 'BV-0001']),
  );
}

export function mapContractSuite(context: () => Api): void {
  const api = () => context();
  const path = `/maps/${encodeURIComponent(contractMap)}`;
  const map = async () => (await api().get(path)).body as { center: { lat: number; lng: number }; categories: Category[]; bounds?: Array<{ lat: number; lng: number }> };
  const submit = async (token: string, fields: Record<string, unknown> = {}, key: string | true = true) => {
    const { center, categories } = await map();
    const category = categories[0]!;
    return api().post(`${path}/reports`, {
      token,
      key,
      body: { categoryId: category.id, point: center, description: 'Un lampadaire ne s’allume plus depuis trois jours.', attributes: answers(category), ...fields },
    });
  };

  describe('participatory maps', () => {
    it('serves a map with its categories and their fields, and 404 for unknown ones', async () => {
      const body = await map();
      const response = await api().get(path);
      assert.equal(response.body.id, contractMap);
      for (const setting of ['closed', 'preModeration', 'allowImages']) assert.equal(typeof response.body[setting], 'boolean');
      assert.ok(body.categories.length >= 1);
      for (const category of body.categories) assert.ok(Array.isArray(category.fields));
      expectProblem(await api().get('/maps/no-such-map'), 404, 'not-found');
      expectProblem(await api().get('/maps/no-such-map/reports'), 404, 'not-found');
      expectProblem(await api().get('/maps/no-such-map/points'), 404, 'not-found');
      expectProblem(await api().get('/map-reports/no-such-report'), 404, 'not-found');
    });

    it('lists published reports a page at a time, with a total and a cursor', async () => {
      const first = await api().get(`${path}/reports?limit=2`);
      assert.equal(first.status, 200);
      assert.ok(first.body.items.length <= 2 && first.body.total >= first.body.items.length);
      for (const report of first.body.items) {
        assert.equal(report.moderation, 'published');
        assert.ok(Array.isArray(report.updates));
      }
      if (first.body.nextCursor) {
        const second = await api().get(`${path}/reports?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
        const seen = new Set(first.body.items.map((report: { id: string }) => report.id));
        for (const report of second.body.items) assert.ok(!seen.has(report.id));
      }
      expectProblem(await api().get(`${path}/reports?sort=loudest`), 400, 'validation');
      expectProblem(await api().get(`${path}/reports?cursor=not-ours`), 400, 'validation');
      expectProblem(await api().get(`${path}/reports?bbox=1,2,3`), 400, 'validation');
    });

    it('draws located published reports as GeoJSON points, filtered like the list', async () => {
      const response = await api().get(`${path}/points`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/geo\+json/);
      assert.equal(response.body.type, 'FeatureCollection');
      assert.ok(response.body.features.length >= 1);
      const [feature] = response.body.features;
      assert.deepEqual(Object.keys(feature).sort(), ['geometry', 'id', 'properties', 'type']);
      assert.equal(feature.geometry.type, 'Point');
      const [lng, lat] = feature.geometry.coordinates;
      const box = `${lng - 0.0001},${lat - 0.0001},${lng + 0.0001},${lat + 0.0001}`;
      const boxed = (await api().get(`${path}/points?bbox=${box}`)).body.features;
      assert.ok(boxed.some((candidate: { id: string }) => candidate.id === feature.id));
      for (const candidate of boxed) {
        assert.ok(Math.abs(candidate.geometry.coordinates[0] - lng) <= 0.0001 && Math.abs(candidate.geometry.coordinates[1] - lat) <= 0.0001);
      }
      const listed = (await api().get(`${path}/reports?bbox=${box}&limit=100`)).body.items;
      assert.ok(listed.every((report: { point?: unknown }) => report.point !== undefined));
      const status = (await api().get(`${path}/points?status=${feature.properties.status}&category=${feature.properties.categoryId}`)).body.features;
      assert.ok(status.every((candidate: typeof feature) => candidate.properties.status === feature.properties.status && candidate.properties.categoryId === feature.properties.categoryId));
    });

    it('refuses faulty reports field by field, and anonymous ones', async () => {
      const { token } = await api().session();
      const response = await api().post(`${path}/reports`, { token, key: true, body: { categoryId: 'no-such-category', description: 'Court' } });
      expectProblem(response, 400, 'validation');
      assert.deepEqual(fieldsOf(response), ['categoryId', 'description', 'point']);
      const { bounds } = await map();
      if (bounds) expectProblem(await submit(token, { point: { lat: bounds[1]!.lat + 1, lng: bounds[1]!.lng + 1 } }), 400, 'validation');
      expectProblem(await api().post(`${path}/reports`, { key: true, body: { categoryId: 'x', description: 'Sans jeton, rien ne passe.' } }), 401, 'unauthorised');
      expectProblem(await submit(token, { website: 'https://spam.example' }), 400, 'validation');
      expectProblem(await submit(token, { secret: true }), 400, 'validation');
    });

    it('takes a report once per Idempotency-Key; its author follows it', async () => {
      const { token } = await api().session();
      const key = randomUUID();
      const created = await submit(token, {}, key);
      assert.equal(created.status, 201);
      assert.equal(created.body.mine, true);
      assert.equal(created.body.status, 'open');
      assert.equal(created.body.followers, 1);
      assert.equal(created.body.followedByMe, true);
      assert.deepEqual(created.body.updates, []);
      const replay = await submit(token, {}, key);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.body.id, created.body.id);
      expectProblem(await submit(token, { description: 'Une autre description, tout autre.' }, key), 422, 'validation');
      assert.equal((await api().get(`/map-reports/${created.body.id}`, { token })).body.id, created.body.id);
    });

    it('follows idempotently and unfollows', async () => {
      const listed = (await api().get(`${path}/reports?limit=1`)).body.items[0];
      const { token } = await api().session();
      const followed = await api().request('PUT', `/map-reports/${listed.id}/follow`, { token, key: true });
      assert.equal(followed.status, 200);
      assert.equal(followed.body.followedByMe, true);
      const again = await api().request('PUT', `/map-reports/${listed.id}/follow`, { token, key: true });
      assert.equal(again.body.followers, followed.body.followers);
      const left = await api().request('DELETE', `/map-reports/${listed.id}/follow`, { token, key: true });
      assert.equal(left.body.followedByMe, false);
      assert.equal(left.body.followers, followed.body.followers - 1);
    });

    it('finds open reports near a point, nearest first', async () => {
      const { token } = await api().session();
      const { center } = await map();
      const created = (await submit(token, { point: center })).body;
      const near = await api().get(`${path}/nearby?lat=${center.lat}&lng=${center.lng}&radius=50&category=${created.categoryId}`);
      assert.equal(near.status, 200);
      assert.ok(near.body.length >= 1 && near.body.length <= 5);
      assert.ok(near.body.some((report: { id: string }) => report.id === created.id));
      assert.ok(near.body.every((report: { status: string; categoryId: string }) => report.status !== 'closed' && report.categoryId === created.categoryId));
      expectProblem(await api().get(`${path}/nearby?lat=${center.lat}&lng=${center.lng}&radius=5000`), 400, 'validation');
    });
  });
}
