import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Api, ApiResponse } from '../support/client.js';
import { expectProblem } from './contract.js';

/**
 * The idea box's REST contract, as any backend must honour it. It needs one open idea box (the
 * demo's `belvoir-idees`, or the one named by CIVIC_IDEA_BOX) with categories and at least one
 * published idea, and changes nothing but its own ideas, supports and reports.
 */
export const contractIdeaBox = process.env.CIVIC_IDEA_BOX ?? 'belvoir-idees';

function fieldsOf(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error: { field: string }) => error.field).sort();
}

export function ideaContractSuite(context: () => Api): void {
  const api = () => context();
  const boxId = contractIdeaBox;
  const path = `/idea-boxes/${encodeURIComponent(boxId)}`;
  const category = async () => (await api().get(path)).body.categories[0]?.id as string | undefined;
  const propose = async (token: string, fields: Record<string, unknown> = {}, key: string | true = true) => {
    const categoryId = await category();
    return api().post(`${path}/ideas`, {
      token,
      key,
      body: { title: 'Des nichoirs dans les écoles', body: 'Installer des nichoirs à mésanges dans les cours des écoles primaires.', ...(categoryId ? { categoryId } : {}), ...fields },
    });
  };

  describe('idea boxes', () => {
    it('serves a box with its settings, and 404 for an unknown one', async () => {
      const box = (await api().get(path)).body;
      assert.equal(box.id, boxId);
      for (const field of ['preModeration', 'allowImages', 'allowLocation']) assert.equal(typeof box[field], 'boolean');
      assert.ok(Array.isArray(box.categories));
      expectProblem(await api().get('/idea-boxes/no-such-box'), 404, 'not-found');
      expectProblem(await api().get('/idea-boxes/no-such-box/ideas'), 404, 'not-found');
      expectProblem(await api().get('/ideas/no-such-idea'), 404, 'not-found');
    });

    it('lists published ideas a page at a time, with a total and a cursor', async () => {
      const first = await api().get(`${path}/ideas?limit=2`);
      assert.equal(first.status, 200);
      assert.ok(first.body.items.length <= 2 && first.body.total >= first.body.items.length);
      for (const idea of first.body.items) assert.equal(idea.moderation, 'published');
      if (first.body.nextCursor) {
        const second = await api().get(`${path}/ideas?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
        assert.equal(second.status, 200);
        const seen = new Set(first.body.items.map((idea: { id: string }) => idea.id));
        for (const idea of second.body.items) assert.ok(!seen.has(idea.id));
      }
      expectProblem(await api().get(`${path}/ideas?sort=loudest`), 400, 'validation');
      expectProblem(await api().get(`${path}/ideas?cursor=not-ours`), 400, 'validation');
    });

    it('refuses faulty proposals field by field, and anonymous ones', async () => {
      const { token } = await api().session();
      const response = await propose(token, { title: 'Non', body: 'Trop court', categoryId: 'no-such-category' });
      expectProblem(response, 400, 'validation');
      assert.deepEqual(fieldsOf(response), ['body', 'categoryId', 'title']);
      expectProblem(await api().post(`${path}/ideas`, { key: true, body: { title: 'Une idée anonyme', body: 'Sans jeton, rien ne passe jamais.' } }), 401, 'unauthorised');
      expectProblem(await propose(token, { website: 'https://spam.example' }), 400, 'validation');
      expectProblem(await propose(token, { secret: true }), 400, 'validation');
    });

    it('takes a proposal once per Idempotency-Key and shows it to its author', async () => {
      const { token } = await api().session();
      const key = randomUUID();
      const created = await propose(token, {}, key);
      assert.equal(created.status, 201);
      assert.equal(created.body.mine, true);
      assert.equal(created.body.status, 'submitted');
      assert.equal(created.body.supports, 0);
      const replay = await propose(token, {}, key);
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.body.id, created.body.id);
      expectProblem(await propose(token, { title: 'Une autre idée encore' }, key), 422, 'validation');
      const read = await api().get(`/ideas/${created.body.id}`, { token });
      assert.equal(read.body.id, created.body.id);
    });

    it('counts one support per participant, withdrawn on request', async () => {
      const listed = (await api().get(`${path}/ideas?limit=1`)).body.items[0];
      const { token } = await api().session();
      const supported = await api().request('PUT', `/ideas/${listed.id}/support`, { token, key: true });
      assert.equal(supported.status, 200);
      assert.equal(supported.body.supportedByMe, true);
      const again = await api().request('PUT', `/ideas/${listed.id}/support`, { token, key: true });
      assert.equal(again.body.supports, supported.body.supports);
      const withdrawn = await api().request('DELETE', `/ideas/${listed.id}/support`, { token, key: true });
      assert.equal(withdrawn.body.supportedByMe, false);
      assert.equal(withdrawn.body.supports, supported.body.supports - 1);
    });

    it('finds similar published ideas, at most five', async () => {
      const listed = (await api().get(`${path}/ideas?limit=1`)).body.items[0];
      const similar = await api().get(`${path}/similar?q=${encodeURIComponent(listed.title)}`);
      assert.equal(similar.status, 200);
      assert.ok(similar.body.length >= 1 && similar.body.length <= 5);
      assert.ok(similar.body.some((idea: { id: string }) => idea.id === listed.id));
      assert.deepEqual((await api().get(`${path}/similar?q=${encodeURIComponent('les des pour the and')}`)).body, []);
    });

    it('accepts a report once and a repeat silently', async () => {
      const listed = (await api().get(`${path}/ideas?limit=1`)).body.items[0];
      const { token } = await api().session();
      assert.equal((await api().post(`/ideas/${listed.id}/reports`, { token, key: true, body: { reason: 'off-topic' } })).status, 204);
      assert.equal((await api().post(`/ideas/${listed.id}/reports`, { token, key: true, body: { reason: 'spam' } })).status, 204);
      expectProblem(await api().post(`/ideas/${listed.id}/reports`, { token, key: true, body: { reason: 'boring' } }), 400, 'validation');
    });
  });
}
