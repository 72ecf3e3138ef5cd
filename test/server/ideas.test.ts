import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { ideaContractSuite } from './conformance/ideas.js';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { SseStream } from './support/sse.js';

after(dropDatabases);

const SITE = { id: 'belvoir', issuer: 'https://www.belvoir-sur-loire.example', secret: 'belvoir-cms-shared-secret-for-ideas' };
const PNG = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n-tiny').toString('base64')}`;

for (const backend of backends) {
  describe(`idea boxes on ${backend}`, () => {
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

    ideaContractSuite(() => server.api);

    const admin = (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
    const createBox = async (settings: Record<string, unknown> = {}) => {
      const id = `box-${backend}-${(serial += 1)}`;
      const response = await admin('POST', '/admin/idea-boxes', { id, title: 'Idées de test', ...settings });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return id;
    };
    const propose = (boxId: string, token: string, fields: Record<string, unknown> = {}) =>
      server.api.post(`/idea-boxes/${boxId}/ideas`, { token, key: true, body: { title: 'Un jardin partagé', body: 'Des parcelles pour les habitants du quartier.', ...fields } });
    const support = (ideaId: string, token: string) => server.api.request('PUT', `/ideas/${ideaId}/support`, { token, key: true });
    const list = (boxId: string, query = '', token?: string) => server.api.get(`/idea-boxes/${boxId}/ideas${query}`, token ? { token } : {});
    const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);

    it('documents every idea route in the OpenAPI document', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      for (const [path, method] of [
        ['/api/v1/idea-boxes/{id}', 'get'], ['/api/v1/idea-boxes/{id}/ideas', 'get'], ['/api/v1/idea-boxes/{id}/ideas', 'post'],
        ['/api/v1/idea-boxes/{id}/similar', 'get'], ['/api/v1/ideas/{id}', 'get'], ['/api/v1/ideas/{id}/support', 'put'],
        ['/api/v1/ideas/{id}/support', 'delete'], ['/api/v1/ideas/{id}/reports', 'post'], ['/api/v1/admin/idea-boxes', 'post'],
        ['/api/v1/admin/idea-boxes/{id}', 'patch'], ['/api/v1/admin/ideas/{id}/answer', 'post'], ['/api/v1/admin/ideas/{id}/merge', 'post'],
        ['/api/v1/admin/ideas/{id}', 'patch'], ['/api/v1/admin/ideas/{id}/approve', 'post'], ['/api/v1/admin/ideas/{id}/hide', 'post'],
        ['/api/v1/admin/ideas/{id}/restore', 'post'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method} ${path} missing`);
      }
    });

    it('seeds the Belvoir box: statuses, answers, a duplicate, a tracked project, discussions and a hidden idea', async () => {
      const box = (await server.api.get('/idea-boxes/belvoir-idees')).body;
      assert.equal(box.categories.length, 4);
      const all = (await list('belvoir-idees', '?limit=50')).body;
      // Ten seeded and published, plus those the contract suite above proposed.
      assert.ok(all.total >= 10);
      assert.equal(all.items.filter((idea: { authorName?: string }) => idea.authorName !== undefined).length, 9);
      assert.ok(!all.items.some((idea: { title: string }) => idea.title.startsWith('PROMO')));
      const statuses = new Set(all.items.map((idea: { status: string }) => idea.status));
      for (const status of ['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate']) assert.ok(statuses.has(status), status);
      const piste = all.items.find((idea: { trackedProjectId?: string }) => idea.trackedProjectId === 'piste-lycee');
      assert.equal(piste.status, 'accepted');
      assert.match(piste.answer.body, /^<p>/);
      assert.equal(piste.comments, 2);
      const thread = (await server.api.get(`/threads/${encodeURIComponent(`idea:${piste.id}`)}`)).body;
      assert.equal(thread.comments, 2);
      const duplicate = all.items.find((idea: { status: string }) => idea.status === 'duplicate');
      assert.equal(duplicate.duplicateOf, piste.id);
      const discussed = ids(await list('belvoir-idees', '?sort=most-discussed&limit=1'));
      assert.equal(discussed[0], piste.id);
    });

    it('sorts by supports, pages a seeded random order stably, and filters by category and status', async () => {
      const supported = (await list('belvoir-idees', '?sort=most-supported&limit=50')).body.items.map((idea: { supports: number }) => idea.supports);
      assert.deepEqual(supported, [...supported].sort((a, b) => b - a));
      const whole = ids(await list('belvoir-idees', '?sort=random&seed=abc&limit=50'));
      const first = await list('belvoir-idees', '?sort=random&seed=abc&limit=4');
      const second = await list('belvoir-idees', `?sort=random&seed=abc&limit=4&cursor=${first.body.nextCursor}`);
      assert.deepEqual([...ids(first), ...ids(second)], whole.slice(0, 8));
      assert.notDeepEqual(ids(await list('belvoir-idees', '?sort=random&seed=xyz&limit=50')), whole);
      const mobility = (await list('belvoir-idees', '?category=mobilite&limit=50')).body;
      assert.ok(mobility.total >= 3 && mobility.items.every((idea: { categoryId: string }) => idea.categoryId === 'mobilite'));
      const done = (await list('belvoir-idees', '?status=done')).body;
      assert.equal(done.total, 1);
      expectProblem(await list('belvoir-idees', `?sort=newest&cursor=${first.body.nextCursor}`), 400, 'validation');
    });

    it('searches title and body whatever the case and the accents', async () => {
      for (const q of ['MÉDIATHÈQUE', 'mediatheque', 'Dimanche Médiathèque']) {
        const found = (await list('belvoir-idees', `?q=${encodeURIComponent(q)}`)).body;
        assert.equal(found.total, 1, q);
        assert.match(found.items[0].title, /médiathèque/);
      }
      assert.equal((await list('belvoir-idees', `?q=${encodeURIComponent('100%_')}`)).body.total, 0);
    });

    it('finds similar ideas by shared significant words, published only', async () => {
      const similar = (await server.api.get(`/idea-boxes/belvoir-idees/similar?q=${encodeURIComponent('Une PISTE CYCLABLE pour aller au lycée')}`)).body;
      assert.ok(similar.length >= 2 && similar.length <= 5);
      assert.match(similar[0].title, /piste/i);
      const spam = (await server.api.get(`/idea-boxes/belvoir-idees/similar?q=${encodeURIComponent('cuisines équipées promo')}`)).body;
      assert.deepEqual(spam, []);
    });

    it('checks proposals against the box: categories, location, images, lengths', async () => {
      const plain = await createBox();
      const rich = await createBox({ categories: [{ id: 'parcs', label: 'Parcs' }], allowLocation: true, allowImages: true });
      const { token } = await server.api.session();
      let response = await propose(plain, token, { categoryId: 'parcs', location: { address: '1 rue du Port' }, image: PNG });
      expectProblem(response, 400, 'validation');
      assert.deepEqual(response.body.errors.map((e: { field: string }) => e.field).sort(), ['categoryId', 'image', 'location']);
      response = await propose(rich, token);
      assert.deepEqual(response.body.errors.map((e: { field: string }) => e.field), ['categoryId']);
      expectProblem(await propose(rich, token, { categoryId: 'parcs', location: { point: { lat: 91, lng: 0 } } }), 400, 'validation');
      expectProblem(await propose(rich, token, { categoryId: 'parcs', image: 'data:image/svg+xml;base64,PHN2Zz4=' }), 400, 'validation');
      expectProblem(await propose(rich, token, { categoryId: 'parcs', image: 'javascript:alert(1)' }), 400, 'validation');
      expectProblem(await propose(rich, token, { categoryId: 'parcs', title: 'x'.repeat(141) }), 400, 'validation');
      expectProblem(await propose(rich, token, { categoryId: 'parcs', body: `   ${'court'}   ` }), 400, 'validation');
      response = await propose(rich, token, { categoryId: 'parcs', location: { address: ' 1 rue du Port ', point: { lat: 47.3, lng: 0.7 } }, image: PNG });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.deepEqual(response.body.location, { address: '1 rue du Port', point: { lat: 47.3, lng: 0.7 } });
      assert.equal(response.body.imageUrl, PNG);
    });

    it('keeps hostile text inert and refuses malformed requests with problems', async () => {
      const box = await createBox();
      const { token } = await server.api.session();
      const hostile = '<img src=x onerror=alert(1)> <script>alert(1)</script> et du texte';
      const created = await propose(box, token, { title: hostile.slice(0, 60), body: hostile });
      assert.equal(created.status, 201);
      assert.equal(created.body.body, hostile, 'stored as written: the widget shows it as text');
      for (const raw of ['{', '[]', '"x"', '{"title": 1, "body": null}']) {
        const response = await server.api.post(`/idea-boxes/${box}/ideas`, { token, key: true, raw });
        assert.ok(response.status >= 400 && response.status < 500, raw);
        assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      }
      expectProblem(await server.api.post(`/idea-boxes/${box}/ideas`, { token, body: { title: 'Sans clé du tout', body: 'Aucune clé d’idempotence envoyée.' } }), 400, 'validation');
      expectProblem(await server.api.get(`/idea-boxes/${box}/ideas?limit=abc`), 400, 'validation');
      expectProblem(await server.api.get('/idea-boxes/..%2Fetc/ideas'), 400, 'validation');
    });

    it('closes proposals and supports outside the box dates', async () => {
      const { token } = await server.api.session();
      const open = await createBox();
      const idea = (await propose(open, token)).body;
      await admin('PATCH', `/admin/idea-boxes/${open}`, { closesAt: new Date(Date.now() - 1000).toISOString() });
      expectProblem(await propose(open, token), 403, 'closed');
      expectProblem(await support(idea.id, token), 403, 'closed');
      const later = await createBox({ opensAt: new Date(Date.now() + 86_400_000).toISOString() });
      expectProblem(await propose(later, token), 403, 'closed');
    });

    it('holds the support limit, frees one on withdrawal, and allows supporting one’s own idea', async () => {
      const box = await createBox({ supportLimit: 2 });
      const { token } = await server.api.session();
      const mine = (await propose(box, token)).body;
      const other = (await propose(box, (await server.api.session()).token)).body;
      const third = (await propose(box, (await server.api.session()).token)).body;
      assert.equal((await support(mine.id, token)).status, 200);
      assert.equal((await support(other.id, token)).status, 200);
      const refused = await support(third.id, token);
      expectProblem(refused, 409, 'conflict');
      assert.equal(refused.body.detail, 'support limit reached');
      assert.equal((await support(other.id, token)).status, 200, 'supporting again an idea one supports stays within the limit');
      assert.equal((await server.api.request('DELETE', `/ideas/${other.id}/support`, { token, key: true })).body.supports, 0);
      const now = await support(third.id, token);
      assert.equal(now.status, 200);
      assert.equal(now.body.supports, 1);
      // The box tells each participant how many of their supports are given.
      assert.equal((await server.api.get(`/idea-boxes/${box}`, { token })).body.supportsGiven, 2);
      assert.equal((await server.api.get(`/idea-boxes/${box}`)).body.supportsGiven, 0);
      assert.equal((await server.api.get('/idea-boxes/belvoir-idees')).body.supportLimit, 10);
    });

    it('holds the limit under concurrent supports from one participant', async () => {
      const box = await createBox({ supportLimit: 3 });
      const ideas: Array<{ id: string }> = [];
      for (let i = 0; i < 8; i += 1) ideas.push((await propose(box, (await server.api.session()).token, { title: `Idée numéro ${i}` })).body);
      const { token } = await server.api.session();
      const answers = await Promise.all(ideas.map((idea) => support(idea.id, token)));
      assert.equal(answers.filter((response) => response.status === 200).length, 3);
      assert.equal(answers.filter((response) => response.status === 409).length, 5);
      const total = (await list(box, '?limit=50')).body.items.reduce((sum: number, idea: { supports: number }) => sum + idea.supports, 0);
      assert.equal(total, 3);
      // And many participants on one idea at once: each counts once.
      const sessions = await Promise.all(Array.from({ length: 20 }, () => server.api.session()));
      await Promise.all(sessions.flatMap(({ token: t }) => [support(ideas[0].id, t), support(ideas[0].id, t)]));
      assert.equal((await server.api.get(`/ideas/${ideas[0].id}`)).body.supports, 20 + Number(answers[0]!.status === 200));
    });

    it('pre-moderates: the author sees "pending", approval publishes and opens the discussion', async () => {
      const box = await createBox({ preModeration: true });
      const { token } = await server.api.session();
      const pending = (await propose(box, token)).body;
      assert.equal(pending.moderation, 'pending');
      assert.equal((await list(box)).body.total, 0);
      assert.deepEqual(ids(await list(box, '', token)), [pending.id]);
      expectProblem(await server.api.get(`/ideas/${pending.id}`), 404, 'not-found');
      expectProblem(await server.api.get(`/threads/${encodeURIComponent(`idea:${pending.id}`)}`), 404, 'not-found');
      const queue = (await server.admin.get('/admin/moderation?kind=idea', { token: server.admin.token })).body;
      assert.ok(queue.items.some((item: { id: string; kind: string }) => item.id === pending.id && item.kind === 'idea'));
      const approved = await admin('POST', `/admin/ideas/${pending.id}/approve`);
      assert.equal(approved.body.moderation, 'published');
      assert.equal((await list(box)).body.total, 1);
      assert.equal((await server.api.get(`/threads/${encodeURIComponent(`idea:${pending.id}`)}`)).status, 200);
      const other = (await propose(box, token, { title: 'Une idée refusée' })).body;
      assert.equal((await admin('POST', `/admin/ideas/${other.id}/hide`)).body.moderation, 'rejected');
      const own = (await list(box, '', token)).body.items.find((idea: { id: string }) => idea.id === other.id);
      assert.equal(own.moderation, 'rejected');
    });

    it('hides an idea after the box’s distinct reports, and a restore weighs them', async () => {
      const box = await createBox({ autoHideReports: 2 });
      const idea = (await propose(box, (await server.api.session()).token)).body;
      const reporter = await server.api.session();
      await server.api.post(`/ideas/${idea.id}/reports`, { token: reporter.token, key: true, body: { reason: 'spam' } });
      await server.api.post(`/ideas/${idea.id}/reports`, { token: reporter.token, key: true, body: { reason: 'spam' } });
      assert.equal((await list(box)).body.total, 1, 'a repeated report counts once');
      await server.api.post(`/ideas/${idea.id}/reports`, { token: (await server.api.session()).token, key: true, body: { reason: 'abuse', details: 'Insultant' } });
      assert.equal((await list(box)).body.total, 0);
      const queue = (await server.admin.get('/admin/moderation?kind=idea&state=hidden', { token: server.admin.token })).body;
      assert.equal(queue.items.find((item: { id: string }) => item.id === idea.id).reports, 2);
      await admin('POST', `/admin/ideas/${idea.id}/restore`);
      await server.api.post(`/ideas/${idea.id}/reports`, { token: (await server.api.session()).token, key: true, body: { reason: 'spam' } });
      assert.equal((await list(box)).body.total, 1);
      const audit = (await server.admin.get('/admin/audit?limit=20', { token: server.admin.token })).body.items;
      assert.ok(audit.some((entry: { action: string; subjectId: string }) => entry.action === 'idea.auto-hide' && entry.subjectId === idea.id));
      assert.ok(audit.some((entry: { action: string; subjectId: string }) => entry.action === 'idea.restore' && entry.subjectId === idea.id));
    });

    it('answers with sanitised council HTML, names duplicates, and links the tracked project', async () => {
      const box = await createBox();
      const idea = (await propose(box, (await server.api.session()).token)).body;
      const answered = await admin('POST', `/admin/ideas/${idea.id}/answer`, { status: 'accepted', body: '<p onclick="x()">Oui <script>alert(1)</script><a href="javascript:alert(1)">lien</a></p>', author: 'Mairie' });
      assert.equal(answered.status, 200);
      assert.equal(answered.body.status, 'accepted');
      assert.equal(answered.body.answer.body, '<p>Oui <a rel="noopener">lien</a></p>');
      assert.equal(answered.body.answer.author, 'Mairie');
      expectProblem(await admin('POST', `/admin/ideas/${idea.id}/answer`, { status: 'duplicate', body: '<p>Doublon</p>' }), 400, 'validation');
      expectProblem(await admin('POST', `/admin/ideas/${idea.id}/answer`, { status: 'duplicate', body: '<p>Doublon</p>', duplicateOf: idea.id }), 400, 'validation');
      expectProblem(await admin('POST', `/admin/ideas/${idea.id}/answer`, { status: 'done', body: '<script></script>' }), 400, 'validation');
      const tracked = await admin('PATCH', `/admin/ideas/${idea.id}`, { trackedProjectId: 'jardin-2027' });
      assert.equal(tracked.body.trackedProjectId, 'jardin-2027');
      assert.equal((await admin('PATCH', `/admin/ideas/${idea.id}`, { trackedProjectId: null })).body.trackedProjectId, undefined);
      expectProblem(await admin('POST', '/admin/ideas/no-such-idea/answer', { status: 'done', body: '<p>x</p>' }), 404, 'not-found');
    });

    it('merges a duplicate: supports move, and whoever supported both keeps one', async () => {
      const box = await createBox({ supportLimit: 5 });
      const original = (await propose(box, (await server.api.session()).token)).body;
      const copy = (await propose(box, (await server.api.session()).token, { title: 'Un jardin partagé aussi' })).body;
      const both = await server.api.session();
      const copyOnly = await server.api.session();
      await support(original.id, both.token);
      await support(copy.id, both.token);
      await support(copy.id, copyOnly.token);
      const merged = await admin('POST', `/admin/ideas/${copy.id}/merge`, { into: original.id });
      assert.equal(merged.status, 200);
      assert.deepEqual({ status: merged.body.status, duplicateOf: merged.body.duplicateOf, supports: merged.body.supports }, { status: 'duplicate', duplicateOf: original.id, supports: 0 });
      const into = (await server.api.get(`/ideas/${original.id}`, { token: copyOnly.token })).body;
      assert.equal(into.supports, 2);
      assert.equal(into.supportedByMe, true);
      // The participant who supported both holds one support now: four more fit in a limit of five.
      const more: Array<{ id: string }> = [];
      for (let i = 0; i < 4; i += 1) more.push((await propose(box, (await server.api.session()).token, { title: `Encore une idée ${i}` })).body);
      for (const idea of more) assert.equal((await support(idea.id, both.token)).status, 200);
      expectProblem(await admin('POST', `/admin/ideas/${original.id}/merge`, { into: copy.id }), 400, 'validation');
    });

    it('mirrors the discussion’s count on the idea', async () => {
      const box = await createBox();
      const idea = (await propose(box, (await server.api.session()).token)).body;
      const { token } = await server.api.session();
      for (const body of ['Bonne idée.', 'Je suis pour.']) {
        assert.equal((await server.api.post(`/threads/${encodeURIComponent(`idea:${idea.id}`)}/comments`, { token, key: true, body: { body } })).status, 201);
      }
      assert.equal((await server.api.get(`/ideas/${idea.id}`)).body.comments, 2);
    });

    it('sends a new idea and supports live to the box topic, never a pending one', async () => {
      const box = await createBox();
      const stream = new SseStream(`${server.url}/api/v1/events?topic=${encodeURIComponent(`idea-box:${box}:ideas`)}`);
      streams.push(stream);
      await stream.status;
      const { token } = await server.api.session();
      const idea = (await propose(box, token)).body;
      const created = JSON.parse((await stream.next()).data);
      assert.equal(created.type, 'created');
      assert.equal(created.idea.id, idea.id);
      assert.equal(created.idea.mine, undefined);
      await support(idea.id, (await server.api.session()).token);
      const updated = JSON.parse((await stream.next((event) => JSON.parse(event.data).type === 'updated')).data);
      assert.equal(updated.idea.supports, 1);
      assert.equal(updated.idea.supportedByMe, undefined);
      await admin('PATCH', `/admin/idea-boxes/${box}`, { preModeration: true });
      await propose(box, token, { title: 'Pas encore visible' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(stream.events.length, 2);
    });

    it('asks verified participants only where the box says so', async () => {
      const box = await createBox({ requiredVerification: 'verified' });
      expectProblem(await propose(box, (await server.api.session()).token), 403, 'forbidden');
      const token = await new SignJWT({ name: 'Léa M.' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(SITE.issuer).setSubject('resident-idea').setExpirationTime('1h').sign(new TextEncoder().encode(SITE.secret));
      const created = await propose(box, token);
      assert.equal(created.status, 201);
      assert.equal(created.body.authorName, 'Léa M.');
    });

    it('exports a participant’s ideas and supports, and erasure keeps ideas anonymous', async () => {
      const box = await createBox();
      const token = await new SignJWT({ name: 'Paul R.' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(SITE.issuer).setSubject('resident-idea-gdpr').setExpirationTime('1h').sign(new TextEncoder().encode(SITE.secret));
      const idea = (await propose(box, token)).body;
      await support(idea.id, token);
      await server.api.post(`/ideas/${idea.id}/reports`, { token, key: true, body: { reason: 'other' } });
      const exported = (await server.api.get('/me/export', { token })).body;
      assert.deepEqual(exported.ideas.map((item: { id: string }) => item.id), [idea.id]);
      assert.equal(exported.ideas[0].authorName, 'Paul R.');
      assert.deepEqual(exported.ideaSupports.map((item: { ideaId: string }) => item.ideaId), [idea.id]);
      assert.equal(exported.ideaReports.length, 1);
      assert.equal((await server.api.request('DELETE', '/me', { token })).status, 204);
      const kept = (await server.api.get(`/ideas/${idea.id}`)).body;
      assert.equal(kept.authorName, undefined);
      assert.equal(kept.title, idea.title);
      assert.equal(kept.supports, 1);
    });
  });
}
