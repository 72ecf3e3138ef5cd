import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { commentContractSuite } from './conformance/comments.js';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { SseStream } from './support/sse.js';

after(dropDatabases);

const SITE = { id: 'belvoir', issuer: 'https://www.belvoir-sur-loire.example', secret: 'belvoir-cms-shared-secret-for-comments' };

for (const backend of backends) {
  describe(`comment threads on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    const streams: SseStream[] = [];

    before(async () => {
      server = await startTestServer(backend, { hostSites: [SITE] });
    });
    after(async () => {
      for (const stream of streams) stream.close();
      await server.close();
    });

    commentContractSuite(() => server.api);

    const admin = (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
    const createThread = async (settings: Record<string, unknown> = {}) => {
      const id = `t:${backend}:${(serial += 1)}`;
      const response = await admin('POST', '/admin/threads', { id, ...settings });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return id;
    };
    const post = (threadId: string, token: string, body: Record<string, unknown>) => server.api.post(`/threads/${threadId}/comments`, { token, key: true, body });
    const list = (threadId: string, query = '', token?: string) => server.api.get(`/threads/${threadId}/comments${query}`, token ? { token } : {});
    const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);
    const verified = (subject: string, name: string) =>
      new SignJWT({ name }).setProtectedHeader({ alg: 'HS256' }).setIssuer(SITE.issuer).setSubject(subject).setExpirationTime('1h').sign(new TextEncoder().encode(SITE.secret));

    it('documents every comment route in the OpenAPI document', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      for (const [path, method] of [
        ['/api/v1/threads/{id}', 'get'], ['/api/v1/threads/{id}/comments', 'get'], ['/api/v1/threads/{id}/comments', 'post'],
        ['/api/v1/comments/{id}', 'get'], ['/api/v1/comments/{id}', 'patch'], ['/api/v1/comments/{id}', 'delete'],
        ['/api/v1/comments/{id}/reaction', 'put'], ['/api/v1/comments/{id}/reports', 'post'],
        ['/api/v1/admin/threads', 'post'], ['/api/v1/admin/threads/{id}', 'patch'], ['/api/v1/admin/comments/{id}/approve', 'post'],
        ['/api/v1/admin/comments/{id}/hide', 'post'], ['/api/v1/admin/comments/{id}/restore', 'post'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method} ${path} missing`);
      }
    });

    it('seeds the Belvoir debate with counts the store keeps', async () => {
      const thread = (await server.api.get('/threads/budget-2027')).body;
      assert.equal(thread.stances, true);
      assert.ok(thread.comments >= 15);
      const top = await list('budget-2027', '?sort=most-supported&limit=100');
      assert.ok(top.body.items.length >= 5);
      const supports = top.body.items.map((item: { supports: number }) => item.supports);
      assert.deepEqual(supports, [...supports].sort((a: number, b: number) => b - a));
      const withReplies = top.body.items.find((item: { replies: number }) => item.replies > 0);
      assert.equal((await list('budget-2027', `?parent=${withReplies.id}`)).body.total, withReplies.replies);
    });

    it('pages without duplicates or gaps while comments arrive, in both time orders', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const original: string[] = [];
      for (let i = 0; i < 13; i += 1) original.push((await post(threadId, token, { body: `Commentaire ${i}` })).body.id);
      for (const sort of ['oldest', 'newest']) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await list(threadId, `?sort=${sort}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          assert.equal(page.status, 200);
          seen.push(...ids(page));
          cursor = page.body.nextCursor;
          // Someone posts between two pages.
          await post(threadId, (await server.api.session()).token, { body: `Arrivé pendant la lecture (${sort})` });
        } while (cursor);
        assert.equal(new Set(seen).size, seen.length, 'no duplicates');
        const expected = sort === 'oldest' ? original : [...original].reverse();
        assert.deepEqual(seen.filter((id) => original.includes(id)), expected, 'every comment once, in order');
      }
      const clamped = await list(threadId, '?limit=500');
      assert.equal(clamped.body.items.length, 100 > clamped.body.total ? clamped.body.total : 100);
    });

    it('sorts by supports, then oldest first', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const first = (await post(threadId, token, { body: 'Premier' })).body.id;
      const second = (await post(threadId, token, { body: 'Deuxième' })).body.id;
      const third = (await post(threadId, token, { body: 'Troisième' })).body.id;
      for (let i = 0; i < 2; i += 1) {
        const supporter = await server.api.session();
        await server.api.request('PUT', `/comments/${third}/reaction`, { token: supporter.token, key: true, body: { support: true } });
      }
      await server.api.request('PUT', `/comments/${second}/reaction`, { token, key: true, body: { support: true } });
      assert.deepEqual(ids(await list(threadId, '?sort=most-supported')), [third, second, first]);
      assert.deepEqual(ids(await list(threadId, '?sort=newest')), [third, second, first]);
      const paged = await list(threadId, '?sort=most-supported&limit=2');
      const rest = await list(threadId, `?sort=most-supported&limit=2&cursor=${encodeURIComponent(paged.body.nextCursor)}`);
      assert.deepEqual([...ids(paged), ...ids(rest)], [third, second, first]);
      assert.equal(rest.body.nextCursor, undefined);
    });

    it('shows pending comments to their author only, until a moderator approves them', async () => {
      const threadId = await createThread({ preModeration: true });
      const author = await server.api.session();
      const other = await server.api.session();
      const created = await post(threadId, author.token, { body: 'En attente de modération.' });
      assert.equal(created.body.moderation, 'pending');
      assert.deepEqual(ids(await list(threadId, '', author.token)), [created.body.id]);
      assert.equal((await list(threadId, '', other.token)).body.total, 0);
      assert.equal((await list(threadId)).body.total, 0);
      expectProblem(await server.api.get(`/comments/${created.body.id}`, { token: other.token }), 404, 'not-found');
      expectProblem(await post(threadId, other.token, { body: 'Réponse', parentId: created.body.id }), 400, 'validation');
      assert.equal((await server.api.get(`/threads/${threadId}`)).body.comments, 0);

      const queue = await server.admin.get('/admin/moderation?kind=comment&limit=200', { token: server.admin.token });
      assert.ok(queue.body.items.some((item: { id: string; state: string; kind: string }) => item.id === created.body.id && item.state === 'pending' && item.kind === 'comment'));
      const approved = await admin('POST', `/admin/comments/${created.body.id}/approve`);
      assert.equal(approved.status, 200);
      assert.equal(approved.body.state, 'published');
      assert.deepEqual(ids(await list(threadId)), [created.body.id]);
      assert.equal((await server.api.get(`/threads/${threadId}`)).body.comments, 1);
      const audit = (await server.admin.get('/admin/audit', { token: server.admin.token })).body.items;
      assert.ok(audit.some((entry: { action: string; subjectId: string }) => entry.action === 'comment.approve' && entry.subjectId === created.body.id));

      const rejected = (await post(threadId, author.token, { body: 'Refusé.' })).body;
      assert.equal((await admin('POST', `/admin/comments/${rejected.id}/hide`)).body.state, 'rejected');
      assert.equal((await server.api.get(`/comments/${rejected.id}`, { token: author.token })).body.moderation, 'rejected');
      expectProblem(await server.api.get(`/comments/${rejected.id}`), 404, 'not-found');
      expectProblem(await admin('POST', '/admin/comments/c_nothing/approve'), 404, 'not-found');
    });

    it('keeps hidden and deleted comments as placeholders while they have replies', async () => {
      const threadId = await createThread({ stances: true });
      const alice = await server.api.session();
      const bob = await server.api.session();
      const hidden = (await post(threadId, alice.token, { body: 'Propos déplacés', stance: 'against' })).body;
      const underHidden = (await post(threadId, bob.token, { body: 'Restons courtois.', stance: 'neutral', parentId: hidden.id })).body;
      await admin('POST', `/admin/comments/${hidden.id}/hide`);
      const placeholder = (await list(threadId)).body.items.find((item: { id: string }) => item.id === hidden.id);
      assert.deepEqual(
        { body: placeholder.body, moderation: placeholder.moderation, replies: placeholder.replies, authorName: placeholder.authorName, stance: placeholder.stance },
        { body: '', moderation: 'hidden', replies: 1, authorName: undefined, stance: undefined },
      );
      assert.deepEqual(ids(await list(threadId, `?parent=${hidden.id}`)), [underHidden.id]);

      const deleted = (await post(threadId, alice.token, { body: 'Je retire ce que j’ai dit.', stance: 'for' })).body;
      const reply = (await post(threadId, bob.token, { body: 'Trop tard, je l’ai lu.', stance: 'for', parentId: deleted.id })).body;
      const alone = (await post(threadId, alice.token, { body: 'Sans réponse.', stance: 'for' })).body;
      assert.equal((await server.api.get(`/threads/${threadId}`)).body.comments, 4);
      assert.equal((await server.api.request('DELETE', `/comments/${deleted.id}`, { token: alice.token, key: true })).status, 204);
      assert.equal((await server.api.request('DELETE', `/comments/${alone.id}`, { token: alice.token, key: true })).status, 204);
      let top = await list(threadId);
      assert.deepEqual(ids(top), [hidden.id, deleted.id]);
      assert.equal(top.body.total, 2);
      const shown = top.body.items[1];
      assert.deepEqual({ body: shown.body, deleted: shown.deleted, replies: shown.replies }, { body: '', deleted: true, replies: 1 });
      assert.equal((await server.api.get(`/threads/${threadId}`)).body.comments, 2);
      // Once its last reply goes, the deleted comment goes too.
      await server.api.request('DELETE', `/comments/${reply.id}`, { token: bob.token, key: true });
      top = await list(threadId);
      assert.deepEqual(ids(top), [hidden.id]);
      expectProblem(await server.api.get(`/comments/${deleted.id}`), 404, 'not-found');

      const restored = await admin('POST', `/admin/comments/${hidden.id}/restore`);
      assert.equal(restored.body.state, 'published');
      assert.equal((await server.api.get(`/comments/${hidden.id}`)).body.body, 'Propos déplacés');
    });

    it('flattens replies deeper than three as "in reply to" their signed parent', async () => {
      const threadId = await createThread();
      const token = await verified('resident-deep', 'Inès Q.');
      let parentId: string | undefined;
      const chain = [];
      for (let depth = 0; depth <= 4; depth += 1) {
        const created = (await post(threadId, token, { body: `Profondeur ${depth}`, ...(parentId ? { parentId } : {}) })).body;
        assert.equal(created.depth, depth);
        assert.equal(created.authorName, 'Inès Q.');
        chain.push(created);
        parentId = created.id;
      }
      assert.equal(chain[3].inReplyTo, undefined);
      assert.deepEqual(chain[4].inReplyTo, { id: chain[3].id, authorName: 'Inès Q.' });
      assert.deepEqual((await list(threadId, `?parent=${chain[3].id}`)).body.items[0].inReplyTo, { id: chain[3].id, authorName: 'Inès Q.' });
    });

    it('lets edits and deletions happen only within the window, and nothing happen in a closed thread', async () => {
      const frozen = await createThread({ editWindowSeconds: 0 });
      const { token } = await server.api.session();
      const comment = (await post(frozen, token, { body: 'Gravé dans le marbre.' })).body;
      expectProblem(await server.api.request('PATCH', `/comments/${comment.id}`, { token, key: true, body: { body: 'Retouche' } }), 403, 'forbidden');
      expectProblem(await server.api.request('DELETE', `/comments/${comment.id}`, { token, key: true }), 403, 'forbidden');

      const threadId = await createThread();
      const open = (await post(threadId, token, { body: 'Avant la clôture.' })).body;
      const closed = await admin('PATCH', `/admin/threads/${threadId}`, { closed: true });
      assert.equal(closed.status, 200);
      assert.equal(closed.body.closed, true);
      expectProblem(await post(threadId, token, { body: 'Après la clôture.' }), 403, 'closed');
      expectProblem(await server.api.request('PATCH', `/comments/${open.id}`, { token, key: true, body: { body: 'Retouche' } }), 403, 'closed');
      const other = await server.api.session();
      expectProblem(await server.api.request('PUT', `/comments/${open.id}/reaction`, { token: other.token, key: true, body: { support: true } }), 403, 'closed');
      assert.equal((await server.api.post(`/comments/${open.id}/reports`, { token: other.token, key: true, body: { reason: 'spam' } })).status, 204);

      const residents = await createThread({ requiredVerification: 'verified' });
      expectProblem(await post(residents, token, { body: 'Anonyme.' }), 403, 'forbidden');
      assert.equal((await post(residents, await verified('resident-1', 'Paul T.'), { body: 'Résident.' })).status, 201);
    });

    it('validates stances against the thread', async () => {
      const withStances = await createThread({ stances: true });
      const without = await createThread();
      const { token } = await server.api.session();
      expectProblem(await post(withStances, token, { body: 'Sans position.' }), 400, 'validation');
      expectProblem(await post(withStances, token, { body: 'Position inconnue.', stance: 'maybe' }), 400, 'validation');
      assert.equal((await post(withStances, token, { body: 'Contre.', stance: 'against' })).body.stance, 'against');
      const refused = await post(without, token, { body: 'Pour.', stance: 'for' });
      expectProblem(refused, 400, 'validation');
      assert.equal(refused.body.errors[0].field, 'stance');
      const parentElsewhere = (await post(withStances, token, { body: 'Ailleurs.', stance: 'for' })).body;
      const misplaced = await post(without, token, { body: 'Réponse égarée.', parentId: parentElsewhere.id });
      expectProblem(misplaced, 400, 'validation');
      assert.equal(misplaced.body.errors[0].field, 'parentId');
    });

    it('counts one support per participant under concurrency', async () => {
      const threadId = await createThread();
      const comment = (await post(threadId, (await server.api.session()).token, { body: 'Soutenez-moi.' })).body;
      const { token } = await server.api.session();
      const same = await Promise.all(
        Array.from({ length: 30 }, () => server.api.request('PUT', `/comments/${comment.id}/reaction`, { token, key: true, body: { support: true } })),
      );
      assert.ok(same.every((response) => response.status === 200));
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.supports, 1);
      const others = await Promise.all(Array.from({ length: 20 }, () => server.api.session()));
      await Promise.all(others.map(({ token: other }) => server.api.request('PUT', `/comments/${comment.id}/reaction`, { token: other, key: true, body: { support: true } })));
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.supports, 21);
    });

    it('hides a comment after N distinct reports, once per participant, and lets a moderator restore it', async () => {
      const threadId = await createThread({ autoHideReports: 2 });
      const comment = (await post(threadId, (await server.api.session()).token, { body: 'Contenu douteux.' })).body;
      const report = (token: string) => server.api.post(`/comments/${comment.id}/reports`, { token, key: true, body: { reason: 'abuse', details: 'Insultant.' } });
      const first = await server.api.session();
      assert.equal((await report(first.token)).status, 204);
      assert.equal((await report(first.token)).status, 204);
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.moderation, 'published');
      const concurrent = await Promise.all([first.token, first.token, first.token].map(report));
      assert.ok(concurrent.every((response) => response.status === 204));
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.moderation, 'published');
      await report((await server.api.session()).token);
      const hidden = (await server.api.get(`/comments/${comment.id}`)).body;
      assert.equal(hidden.moderation, 'hidden');
      assert.equal(hidden.body, '');
      const queue = (await server.admin.get('/admin/moderation?kind=comment&state=hidden&limit=200', { token: server.admin.token })).body.items;
      assert.equal(queue.find((item: { id: string }) => item.id === comment.id).reports, 2);
      const audit = (await server.admin.get('/admin/audit', { token: server.admin.token })).body.items;
      assert.ok(audit.some((entry: { action: string; subjectId: string }) => entry.action === 'comment.auto-hide' && entry.subjectId === comment.id));

      await admin('POST', `/admin/comments/${comment.id}/restore`);
      // Reports a moderator has weighed do not count again: it takes two new ones.
      await report((await server.api.session()).token);
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.moderation, 'published');
      await report((await server.api.session()).token);
      assert.equal((await server.api.get(`/comments/${comment.id}`)).body.moderation, 'hidden');
    });

    it('answers hostile input with 4xx problems', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const url = (path: string) => `${server.url}/api/v1${path}`;
      const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const attempts: Array<[string, RequestInit]> = [
        [`/threads/${threadId}/comments`, { method: 'POST', headers: { ...json, 'idempotency-key': 'h1' }, body: '{"body":["a"]}' }],
        [`/threads/${threadId}/comments`, { method: 'POST', headers: { ...json, 'idempotency-key': 'h2' }, body: '{"body":"a","parentId":"../../etc"}' }],
        [`/threads/${threadId}/comments`, { method: 'POST', headers: { ...json, 'idempotency-key': 'h3' }, body: '{"body":"a","__proto__":{"admin":true}}' }],
        [`/threads/${threadId}/comments`, { method: 'POST', headers: { ...json, 'idempotency-key': 'h4' }, body: 'null' }],
        [`/threads/${threadId}/comments?sort=x`, { method: 'GET' }],
        [`/threads/${threadId}/comments?limit=-1`, { method: 'GET' }],
        [`/threads/${threadId}/comments?cursor=${'A'.repeat(700)}`, { method: 'GET' }],
        [`/threads/${threadId}/comments?cursor=WyJvbGRlc3QiXQ`, { method: 'GET' }],
        [`/threads/${threadId}/comments?parent=c_none`, { method: 'GET' }],
        [`/threads/${'x'.repeat(200)}`, { method: 'GET' }],
        ['/threads/a%20b', { method: 'GET' }],
        ['/comments/c_none/reaction', { method: 'PUT', headers: { ...json, 'idempotency-key': 'h5' }, body: '{"support":true}' }],
        ['/comments/c_none/reaction', { method: 'PUT', headers: { ...json, 'idempotency-key': 'h6' }, body: '{"support":1}' }],
        ['/comments/c_none', { method: 'PATCH', headers: { ...json, 'idempotency-key': 'h7' }, body: '{"body":"x","stance":"for"}' }],
        ['/comments/c_none', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }],
        ['/admin/threads', { method: 'POST', headers: { ...json, authorization: `Bearer ${server.admin.token}`, 'idempotency-key': 'h8' }, body: '{"id":"a b","editWindowSeconds":-1}' }],
        [`/admin/threads/${threadId}`, { method: 'PATCH', headers: { ...json, authorization: `Bearer ${server.admin.token}`, 'idempotency-key': 'h9' }, body: '{"id":"renamed"}' }],
        ['/admin/moderation?kind=everything', { method: 'GET', headers: { authorization: `Bearer ${server.admin.token}` } }],
        ['/admin/comments/c_none/approve', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'h10' } }],
      ];
      for (const [path, init] of attempts) {
        const response = await fetch(url(path), init);
        const text = await response.text();
        assert.ok(response.status >= 400 && response.status < 500, `${init.method} ${path.slice(0, 60)} → ${response.status} ${text.slice(0, 200)}`);
        assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, path.slice(0, 60));
      }
      const script = '<img src=x onerror=alert(1)><script>alert(1)</script>';
      const stored = await post(threadId, token, { body: script });
      assert.equal(stored.body.body, script, 'kept as text: the widget shows it as text, never as HTML');
      expectProblem(await admin('POST', '/admin/threads', { id: threadId }), 409, 'conflict');
      expectProblem(await admin('PATCH', '/admin/threads/no-such-thread', { closed: true }), 404, 'not-found');
    });

    it('replays comment writes, refuses a reused key with another body, and lets no key through twice', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const body = { body: 'Une fois.' };
      const first = await server.api.post(`/threads/${threadId}/comments`, { token, key: 'comment-key-1', body });
      const again = await server.api.post(`/threads/${threadId}/comments`, { token, key: 'comment-key-1', body });
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, first.body);
      assert.equal((await list(threadId)).body.total, 1);
      expectProblem(await server.api.post(`/threads/${threadId}/comments`, { token, key: 'comment-key-1', body: { body: 'Autre.' } }), 422, 'validation');
      const removed = await server.api.request('DELETE', `/comments/${first.body.id}`, { token, key: 'comment-key-2' });
      const replayed = await server.api.request('DELETE', `/comments/${first.body.id}`, { token, key: 'comment-key-2' });
      assert.equal(removed.status, 204);
      assert.equal(replayed.status, 204);
      assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    });

    it('streams published comments to the thread topic, never pending ones', async () => {
      const threadId = await createThread({ preModeration: true });
      const stream = new SseStream(`${server.url}/api/v1/events?topic=${encodeURIComponent(`thread:${threadId}:comments`)}`);
      streams.push(stream);
      await stream.status;
      const author = await server.api.session();
      const pending = (await post(threadId, author.token, { body: 'Bientôt visible.' })).body;
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(stream.events.length, 0);
      await admin('POST', `/admin/comments/${pending.id}/approve`);
      const created = await stream.next();
      assert.equal(created.event, `thread:${threadId}:comments`);
      const payload = JSON.parse(created.data);
      assert.equal(payload.type, 'created');
      assert.equal(payload.comment.id, pending.id);
      assert.equal(payload.comment.body, 'Bientôt visible.');
      assert.equal(payload.comment.mine, undefined);
      assert.equal(payload.comment.supportedByMe, undefined);
      await server.api.request('DELETE', `/comments/${pending.id}`, { token: author.token, key: true });
      const removed = JSON.parse((await stream.next((event) => JSON.parse(event.data).type === 'removed')).data);
      assert.deepEqual({ id: removed.comment.id, body: removed.comment.body, deleted: removed.comment.deleted }, { id: pending.id, body: '', deleted: true });
    });

    it('exports a participant’s comments and, on erasure, keeps their text without their name', async () => {
      const threadId = await createThread();
      const token = await verified('resident-gdpr', 'Léa M.');
      const kept = (await post(threadId, token, { body: 'Mon avis reste.' })).body;
      const gone = (await post(threadId, token, { body: 'Retiré.' })).body;
      await server.api.request('DELETE', `/comments/${gone.id}`, { token, key: true });
      await server.api.request('PUT', `/comments/${kept.id}/reaction`, { token, key: true, body: { support: true } });
      const exported = (await server.api.get('/me/export', { token })).body;
      const mine = exported.comments.map((comment: { id: string; body: string; deleted: boolean; authorName?: string }) => [comment.id, comment.body, comment.deleted, comment.authorName]);
      assert.deepEqual(mine, [[kept.id, 'Mon avis reste.', false, 'Léa M.'], [gone.id, '', true, 'Léa M.']]);
      assert.deepEqual(exported.supports.map((support: { commentId: string }) => support.commentId), [kept.id]);

      assert.equal((await server.api.request('DELETE', '/me', { token })).status, 204);
      const after = (await server.api.get(`/comments/${kept.id}`)).body;
      assert.equal(after.body, 'Mon avis reste.');
      assert.equal(after.authorName, undefined);
      assert.equal(after.supports, 1);
      // The same host-site user comes back as a new participant, with no claim on the old text.
      const returning = await verified('resident-gdpr', 'Léa M.');
      assert.equal((await server.api.get(`/comments/${kept.id}`, { token: returning })).body.mine, undefined);
    });
  });
}
