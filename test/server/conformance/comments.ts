import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Api, ApiResponse } from '../support/client.js';
import { expectProblem } from './contract.js';

/**
 * The comment thread's REST contract, as any backend must honour it. It needs one open thread
 * (the demo's `budget-2027`, or the one named by CIVIC_THREAD) with an edit window of at least a
 * minute, and changes nothing but its own comments, supports and reports.
 */
export const contractThread = process.env.CIVIC_THREAD ?? 'budget-2027';

function fieldsOf(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error: { field: string }) => error.field);
}

export function commentContractSuite(context: () => Api): void {
  const api = () => context();
  const threadId = contractThread;
  const path = `/threads/${encodeURIComponent(threadId)}`;
  let stance: string | undefined;

  const thread = async () => {
    const response = await api().get(path);
    assert.equal(response.status, 200);
    stance = response.body.stances ? 'for' : undefined;
    return response.body;
  };
  const post = (token: string, body: Record<string, unknown>, key: string | true = true) =>
    api().post(`${path}/comments`, { token, key, body: { ...(stance ? { stance } : {}), ...body } });

  describe('comment threads', () => {
    it('serves a thread with its settings, and 404 for an unknown one', async () => {
      const body = await thread();
      assert.equal(body.id, threadId);
      for (const field of ['stances', 'preModeration', 'closed']) assert.equal(typeof body[field], 'boolean');
      assert.ok(Number.isInteger(body.comments) && Number.isInteger(body.editWindowSeconds) && Number.isInteger(body.autoHideReports));
      expectProblem(await api().get('/threads/no-such-thread'), 404, 'not-found');
      expectProblem(await api().get('/threads/no-such-thread/comments'), 404, 'not-found');
      expectProblem(await api().get('/comments/no-such-comment'), 404, 'not-found');
    });

    it('posts a comment (201), trims it, and shows it to its author as theirs', async () => {
      const { preModeration } = await thread();
      const { token } = await api().session();
      const created = await post(token, { body: '  Un avis **argumenté**, <b>pas</b> du HTML.  ' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.body, 'Un avis **argumenté**, <b>pas</b> du HTML.');
      assert.equal(created.body.threadId, threadId);
      assert.equal(created.body.mine, true);
      assert.equal(created.body.supports, 0);
      assert.equal(created.body.replies, 0);
      assert.equal(created.body.moderation, preModeration ? 'pending' : 'published');
      if (stance) assert.equal(created.body.stance, stance);
      const fetched = await api().get(`/comments/${created.body.id}`, { token });
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, { ...created.body, supportedByMe: fetched.body.supportedByMe });
      const newest = await api().get(`${path}/comments?sort=newest&limit=5`, { token });
      assert.ok(newest.body.items.some((item: { id: string }) => item.id === created.body.id));
      assert.ok(Number.isInteger(newest.body.total) && newest.body.total >= 1);
    });

    it('pages without duplicates, with opaque cursors scoped to their listing', async () => {
      await thread();
      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await api().get(`${path}/comments?sort=oldest&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(response.status, 200);
        assert.ok(response.body.items.length <= 2);
        for (const item of response.body.items) {
          assert.ok(!seen.has(item.id), `${item.id} twice`);
          seen.add(item.id);
          assert.equal(item.parentId, undefined);
        }
        cursor = response.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 50);
      const first = await api().get(`${path}/comments?sort=oldest&limit=1`);
      if (first.body.nextCursor) {
        const wrongSort = await api().get(`${path}/comments?sort=newest&cursor=${encodeURIComponent(first.body.nextCursor)}`);
        expectProblem(wrongSort, 400, 'validation');
      }
      expectProblem(await api().get(`${path}/comments?cursor=not-a-cursor`), 400, 'validation');
      expectProblem(await api().get(`${path}/comments?sort=random`), 400, 'validation');
    });

    it('lists replies under their parent and counts them', async () => {
      const { preModeration } = await thread();
      if (preModeration) return;
      const { token } = await api().session();
      const parent = (await post(token, { body: 'Question pour le conseil.' })).body;
      const other = await api().session();
      const reply = await post(other.token, { body: 'Une réponse.', parentId: parent.id });
      assert.equal(reply.status, 201);
      assert.equal(reply.body.parentId, parent.id);
      assert.equal(reply.body.depth, 1);
      const replies = await api().get(`${path}/comments?parent=${parent.id}`);
      assert.deepEqual(replies.body.items.map((item: { id: string }) => item.id), [reply.body.id]);
      assert.equal(replies.body.total, 1);
      assert.equal((await api().get(`/comments/${parent.id}`)).body.replies, 1);
      expectProblem(await post(token, { body: 'x', parentId: 'c_doesnotexist' }), 400, 'validation');
    });

    it('lets the author edit and delete within the window, and no one else', async () => {
      await thread();
      const { token } = await api().session();
      const other = await api().session();
      const created = (await post(token, { body: 'Premier jet.' })).body;
      expectProblem(await api().request('PATCH', `/comments/${created.id}`, { token: other.token, key: true, body: { body: 'Pirate' } }), 403, 'forbidden');
      const edited = await api().request('PATCH', `/comments/${created.id}`, { token, key: true, body: { body: ' Version relue. ' } });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.body, 'Version relue.');
      assert.ok(!Number.isNaN(Date.parse(edited.body.editedAt)));
      expectProblem(await api().request('PATCH', `/comments/${created.id}`, { token, key: true, body: { body: '   ' } }), 400, 'validation');
      expectProblem(await api().request('DELETE', `/comments/${created.id}`, { token: other.token, key: true }), 403, 'forbidden');
      const removed = await api().request('DELETE', `/comments/${created.id}`, { token, key: true });
      assert.equal(removed.status, 204);
      expectProblem(await api().get(`/comments/${created.id}`, { token }), 404, 'not-found');
    });

    it('counts one support per participant, and lets it be withdrawn', async () => {
      const { preModeration } = await thread();
      if (preModeration) return;
      const author = await api().session();
      const created = (await post(author.token, { body: 'À soutenir.' })).body;
      const { token } = await api().session();
      const react = (support: boolean) => api().request('PUT', `/comments/${created.id}/reaction`, { token, key: true, body: { support } });
      const once = await react(true);
      assert.equal(once.status, 200);
      assert.equal(once.body.supports, 1);
      assert.equal(once.body.supportedByMe, true);
      assert.equal((await react(true)).body.supports, 1);
      const withdrawn = await react(false);
      assert.equal(withdrawn.body.supports, 0);
      assert.equal(withdrawn.body.supportedByMe, false);
      expectProblem(await api().request('PUT', `/comments/${created.id}/reaction`, { token, key: true, body: { support: 'yes' } }), 400, 'validation');
    });

    it('takes reports (a repeat is accepted once more, 204) and checks their reason', async () => {
      await thread();
      const author = await api().session();
      const created = (await post(author.token, { body: 'Signalable.' })).body;
      const { token } = await api().session();
      const report = (body: unknown) => api().post(`/comments/${created.id}/reports`, { token, key: true, body });
      assert.equal((await report({ reason: 'off-topic' })).status, 204);
      assert.equal((await report({ reason: 'spam', details: 'Encore.' })).status, 204);
      expectProblem(await report({ reason: 'boring' }), 400, 'validation');
      expectProblem(await report({ reason: 'other', details: 'x'.repeat(1001) }), 400, 'validation');
      expectProblem(await api().post('/comments/c_doesnotexist/reports', { token, key: true, body: { reason: 'spam' } }), 404, 'not-found');
    });

    it('refuses blank, oversized, misplaced and bot comments with named fields', async () => {
      const { stances } = await thread();
      const { token } = await api().session();
      for (const body of ['', '   \n\t ', 'x'.repeat(5001), ` ${'x'.repeat(6000)} `]) {
        const response = await post(token, { body });
        expectProblem(response, 400, 'validation');
        assert.deepEqual(fieldsOf(response), ['body']);
      }
      const withoutStance = await api().post(`${path}/comments`, { token, key: true, body: { body: 'Sans position.' } });
      const wrongStance = await api().post(`${path}/comments`, { token, key: true, body: { body: 'Position inconnue.', stance: stances ? 'maybe' : 'for' } });
      if (stances) expectProblem(withoutStance, 400, 'validation');
      expectProblem(wrongStance, 400, 'validation');
      assert.ok(fieldsOf(wrongStance).includes('stance'));
      const unknown = await post(token, { body: 'Champ en trop.', colour: 'red' });
      expectProblem(unknown, 400, 'validation');
      assert.ok(fieldsOf(unknown).includes('colour'));
      const bot = await post(token, { body: 'Achetez !', website: 'http://spam.example' });
      expectProblem(bot, 400, 'validation');
      assert.deepEqual(fieldsOf(bot), ['website']);
      expectProblem(await api().post(`${path}/comments`, { key: true, body: { body: 'Sans jeton.' } }), 401, 'unauthorised');
      expectProblem(await api().post(`${path}/comments`, { token, body: { body: 'Sans clé.', ...(stances ? { stance: 'for' } : {}) } }), 400, 'validation');
    });

    it('replays a comment for the same Idempotency-Key and refuses the key with another body', async () => {
      await thread();
      const { token } = await api().session();
      const key = randomUUID();
      const first = await post(token, { body: 'Une seule fois.' }, key);
      const second = await post(token, { body: 'Une seule fois.' }, key);
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      expectProblem(await post(token, { body: 'Autre chose.' }, key), 422, 'validation');
    });
  });
}
