import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openStorage } from '../../packages/server/src/index.js';
import { Progress } from '../../packages/server/src/tracker/progress.js';
import { expectProblem } from './conformance/contract.js';
import { parseXml, trackerContractSuite } from './conformance/tracker.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { runCommand as cli } from './support/process.js';
import { SseStream } from './support/sse.js';

after(dropDatabases);

const files = mkdtempSync(join(tmpdir(), 'civic-tracker-'));
after(() => rmSync(files, { recursive: true, force: true }));

const HEADER = 'id,title,summary,status,progress,budget_planned,budget_spent,starts_at,ends_at,district,category,image_url,image_alt,origins';

describe('command line', () => {
  it('answers a mistyped option with its name and the usage, not a stack trace', async () => {
    const run = await cli(['--prot', '9000']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^civic-server: Unknown option '--prot'/);
    assert.match(run.stderr, /--port <n>/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('command-line progress', () => {
  const sink = (tty: boolean) => {
    const written: string[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => void (written.push(String(chunk)), done()) });
    return { stream: Object.assign(stream, { isTTY: tty, columns: 100 }), written };
  };

  it('redraws a bar in place on a terminal: amount read, rows, rate and time left', async () => {
    const { stream, written } = sink(true);
    const progress = new Progress(stream, 'Checking projets.csv', 4 * 1024 * 1024, 'bytes');
    await new Promise((resolve) => setTimeout(resolve, 150));
    progress.update(1024 * 1024, 5000);
    progress.finish();
    assert.match(written[0]!, /^\r\x1b\[2K\[#+-+\] Checking projets\.csv: 1\.0 of 4\.0 MB \(25%\), 5,000 rows, [\d,]+ rows\/s about .+ left$/);
    assert.match(written.at(-1)!, /^Checking projets\.csv: 4\.0 of 4\.0 MB \(100%\), 5,000 rows, [\d,]+ rows\/s in .+ s\n$/);
    assert.equal(written.at(-2), '\r\x1b[2K', 'the bar is cleared before the last line');
  });

  it('writes plain lines, no more than one per period, when stderr is not a terminal', () => {
    const { stream, written } = sink(false);
    const progress = new Progress(stream, 'Writing', 10, 'rows', { plainEveryMs: 60_000 });
    for (let rows = 1; rows <= 10; rows += 1) progress.update(rows, rows);
    progress.finish();
    assert.deepEqual(written.length, 1);
    assert.match(written[0]!, /^Writing: 100%, 10 rows, [\d,]+ rows\/s in .+ s\n$/);
    assert.doesNotMatch(written.join(''), /\x1b|\r/);
  });
});

for (const backend of backends) {
  describe(`results tracker on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    const streams: SseStream[] = [];

    before(async () => {
      server = await startTestServer(backend);
    });
    after(async () => {
      for (const stream of streams) stream.close();
      await server.close();
    });

    trackerContractSuite(() => server.api);

    const admin = (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
    const createTracker = async (settings: Record<string, unknown> = {}) => {
      const id = `suivi-${backend}-${(serial += 1)}`;
      const response = await admin('POST', '/admin/trackers', { id, title: 'Suivi de test', currency: 'EUR', ...settings });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return id;
    };
    const createProject = async (trackerId: string, fields: Record<string, unknown>) => {
      const response = await admin('POST', `/admin/trackers/${trackerId}/projects`, { title: 'Un projet', ...fields });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };
    const postUpdate = (projectId: string, body: Record<string, unknown>) => admin('POST', `/admin/projects/${projectId}/updates`, body);
    const list = (trackerId: string, query = '') => server.api.get(`/trackers/${trackerId}/projects${query}`);
    const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);
    const exportCsv = async (trackerId: string) => {
      const response = await fetch(`${server.url}/api/v1/admin/trackers/${trackerId}/projects.csv`, { headers: { authorization: `Bearer ${server.admin.token}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
      return Buffer.from(await response.arrayBuffer());
    };
    const importCsv = (trackerId: string, text: string | Buffer, query = '') =>
      server.admin.request('POST', `/admin/trackers/${trackerId}/projects.csv${query}`, { token: server.admin.token, raw: text.toString(), headers: { 'content-type': 'text/csv; charset=utf-8' } });
    const seededIdea = async (title: string) => {
      const ideas = (await server.api.get(`/idea-boxes/belvoir-idees/ideas?limit=50&q=${encodeURIComponent(title)}`)).body.items;
      return ideas.find((idea: { title: string }) => idea.title === title);
    };

    it('documents every tracker route in the OpenAPI document', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      for (const [path, method] of [
        ['/api/v1/trackers/{id}', 'get'], ['/api/v1/trackers/{id}/projects', 'get'], ['/api/v1/projects/{id}', 'get'],
        ['/api/v1/trackers/{id}/my-contributions', 'get'], ['/api/v1/trackers/{id}/feed.atom', 'get'],
        ['/api/v1/admin/trackers', 'post'], ['/api/v1/admin/trackers/{id}', 'get'], ['/api/v1/admin/trackers/{id}', 'patch'],
        ['/api/v1/admin/trackers/{id}/projects', 'post'], ['/api/v1/admin/projects/{id}', 'patch'], ['/api/v1/admin/projects/{id}', 'delete'],
        ['/api/v1/admin/projects/{id}/updates', 'post'], ['/api/v1/admin/projects/{id}/origins', 'put'],
        ['/api/v1/admin/trackers/{id}/projects.csv', 'get'], ['/api/v1/admin/trackers/{id}/projects.csv', 'post'],
      ] as const) {
        assert.ok(doc.paths[path]?.[method], `${method} ${path} missing`);
      }
    });

    it('seeds the Belvoir realisations: every status, council labels, budgets, updates and origins with live counts', async () => {
      const tracker = (await server.api.get('/trackers/realisations')).body;
      assert.equal(tracker.currency, 'EUR');
      assert.equal(tracker.statusLabels['in-progress'], 'En travaux');
      for (const row of tracker.overview) assert.ok(row.projects > 0, row.status);
      assert.equal(tracker.overview.reduce((sum: number, row: { projects: number }) => sum + row.projects, 0), 12);
      const piste = (await server.api.get('/projects/piste-lycee')).body;
      assert.equal(piste.status, 'in-progress');
      assert.equal(piste.progress, 45);
      assert.equal(piste.updates.length, 3);
      const kinds = piste.origins.map((origin: { kind: string }) => origin.kind);
      for (const kind of ['idea', 'poll', 'map-report']) assert.ok(kinds.includes(kind), kind);
      const idea = piste.origins.find((origin: { kind: string }) => origin.kind === 'idea');
      assert.equal(idea.count, (await server.api.get(`/ideas/${idea.id}`)).body.supports);
      const report = piste.origins.find((origin: { kind: string }) => origin.kind === 'map-report');
      assert.equal(report.count, (await server.api.get(`/map-reports/${report.id}`)).body.followers);
      assert.equal((await server.api.get(`/ideas/${idea.id}`)).body.trackedProjectId, 'piste-lycee');
      assert.equal((await server.api.get(`/threads/${encodeURIComponent('project:piste-lycee')}`)).status, 200);
    });

    it('totals the overview per status and lists districts and categories in French order', async () => {
      const trackerId = await createTracker();
      let tracker = (await server.api.get(`/trackers/${trackerId}`)).body;
      assert.deepEqual(tracker.overview, ['planned', 'in-progress', 'done', 'cancelled'].map((status) => ({ status, projects: 0, budgetPlanned: 0, budgetSpent: 0 })));
      assert.deepEqual([tracker.districts, tracker.categories], [[], []]);
      await createProject(trackerId, { title: 'Écluse', budgetPlanned: 100, district: 'Forêt', category: 'voirie' });
      await createProject(trackerId, { title: 'Dunes', status: 'in-progress', budgetPlanned: 250.5, budgetSpent: 100, district: 'Écluse', category: 'Espaces verts' });
      await createProject(trackerId, { title: 'Sans budget', status: 'done', district: 'dunes' });
      await createProject(trackerId, { title: 'Deuxième', status: 'in-progress', budgetSpent: 20, district: '  ' });
      tracker = (await server.api.get(`/trackers/${trackerId}`)).body;
      assert.deepEqual(tracker.overview, [
        { status: 'planned', projects: 1, budgetPlanned: 100, budgetSpent: 0 },
        { status: 'in-progress', projects: 2, budgetPlanned: 250.5, budgetSpent: 120 },
        { status: 'done', projects: 1, budgetPlanned: 0, budgetSpent: 0 },
        { status: 'cancelled', projects: 0, budgetPlanned: 0, budgetSpent: 0 },
      ]);
      assert.deepEqual(tracker.districts, ['dunes', 'Écluse', 'Forêt']);
      assert.deepEqual(tracker.categories, ['Espaces verts', 'voirie']);
    });

    it('filters, searches without case or accents, sorts and pages, with the latest update only', async () => {
      const trackerId = await createTracker();
      const school = await createProject(trackerId, { title: 'École des Îles', summary: 'Cour végétalisée', district: 'Îles', category: 'écoles', status: 'in-progress', budgetPlanned: 50, startsAt: '2027-03-01T00:00:00+01:00' });
      const bridge = await createProject(trackerId, { title: 'Pont de fer', summary: 'Réfection du tablier, près de l’école', district: 'Centre', status: 'planned', budgetPlanned: 900, startsAt: '2026-01-01T00:00:00Z' });
      const square = await createProject(trackerId, { title: 'abri vélos', summary: 'Vingt places', district: 'Centre', status: 'done' });
      const closed = await createProject(trackerId, { title: 'Zone bleue', summary: 'Stationnement', status: 'cancelled', budgetPlanned: 900, startsAt: '2026-06-01T00:00:00Z' });
      await postUpdate(school.id, { title: 'Premier', body: '<p>Un</p>' });
      await postUpdate(school.id, { title: 'Second', body: '<p>Deux</p>' });

      assert.deepEqual(ids(await list(trackerId, '?q=ECOLE')).sort(), [school.id, bridge.id].sort());
      assert.deepEqual(ids(await list(trackerId, `?q=${encodeURIComponent('végétalisée')}`)), [school.id]);
      assert.deepEqual(ids(await list(trackerId, '?q=vegetalisee%20cour')), [school.id]);
      assert.equal((await list(trackerId, `?q=${encodeURIComponent('100%_')}`)).body.total, 0);
      assert.deepEqual(ids(await list(trackerId, '?district=Centre&sort=title')), [square.id, bridge.id]);
      assert.deepEqual(ids(await list(trackerId, `?category=${encodeURIComponent('écoles')}`)), [school.id]);
      assert.deepEqual(ids(await list(trackerId, '?status=done')), [square.id]);

      assert.deepEqual(ids(await list(trackerId)), [school.id, closed.id, square.id, bridge.id], 'most recently updated first');
      assert.deepEqual(ids(await list(trackerId, '?sort=title')), [square.id, school.id, bridge.id, closed.id]);
      assert.deepEqual(ids(await list(trackerId, '?sort=status')), [bridge.id, school.id, square.id, closed.id]);
      assert.deepEqual(ids(await list(trackerId, '?sort=budget')), [bridge.id, closed.id, school.id, square.id]);
      assert.deepEqual(ids(await list(trackerId, '?sort=start')), [bridge.id, closed.id, school.id, square.id]);

      const first = await list(trackerId, '?sort=title&limit=3');
      assert.equal(first.body.total, 4);
      const second = await list(trackerId, `?sort=title&limit=3&cursor=${first.body.nextCursor}`);
      assert.deepEqual([...ids(first), ...ids(second)], [square.id, school.id, bridge.id, closed.id]);
      assert.equal(second.body.nextCursor, undefined);
      expectProblem(await list(trackerId, `?sort=budget&cursor=${first.body.nextCursor}`), 400, 'validation');

      const listed = (await list(trackerId, '?q=ecole%20iles')).body.items[0];
      assert.deepEqual(listed.updates.map((update: { title: string }) => update.title), ['Second']);
      const full = (await server.api.get(`/projects/${school.id}`)).body;
      assert.deepEqual(full.updates.map((update: { title: string }) => update.title), ['Second', 'Premier']);
    });

    it('moves status and progress with each update, records only what changed, and logs every council action', async () => {
      const trackerId = await createTracker();
      const project = await createProject(trackerId, { title: 'Passerelle' });
      assert.deepEqual([project.status, project.progress, project.comments, project.updates], ['planned', 0, 0, []]);
      let response = await postUpdate(project.id, { title: 'Travaux', body: '<p>Début</p>', status: 'in-progress', progress: 30 });
      assert.equal(response.status, 201);
      assert.deepEqual([response.body.status, response.body.progress], ['in-progress', 30]);
      assert.deepEqual([response.body.updates[0].status, response.body.updates[0].progress], ['in-progress', 30]);
      response = await postUpdate(project.id, { body: '<p>Avancement</p>', status: 'in-progress', progress: 60 });
      assert.equal(response.body.updates[0].status, undefined, 'the status did not change');
      assert.equal(response.body.updates[0].progress, 60);
      assert.equal(response.body.updates.length, 2);
      expectProblem(await postUpdate(project.id, { body: '<p>x</p>', progress: 101 }), 400, 'validation');
      expectProblem(await postUpdate(project.id, { body: '<script>alert(1)</script>' }), 400, 'validation');
      expectProblem(await postUpdate('no-such-project', { body: '<p>x</p>' }), 404, 'not-found');

      const patched = await admin('PATCH', `/admin/projects/${project.id}`, { budgetPlanned: 1000, district: 'Port', summary: ' Une passerelle piétonne ' });
      assert.deepEqual([patched.body.budgetPlanned, patched.body.district, patched.body.summary], [1000, 'Port', 'Une passerelle piétonne']);
      const cleared = await admin('PATCH', `/admin/projects/${project.id}`, { budgetPlanned: null });
      assert.equal(cleared.body.budgetPlanned, undefined);
      assert.equal(cleared.body.district, 'Port');
      const wrong = await admin('PATCH', `/admin/projects/${project.id}`, { startsAt: '2027-05-01T00:00:00Z', endsAt: '2027-04-01T00:00:00Z' });
      expectProblem(wrong, 400, 'validation');
      assert.deepEqual(wrong.body.errors.map((error: { field: string }) => error.field), ['endsAt']);
      expectProblem(await admin('PATCH', `/admin/projects/${project.id}`, { imageAlt: 'Une photo' }), 400, 'validation');
      expectProblem(await admin('PATCH', `/admin/projects/${project.id}`, { imageUrl: 'javascript:alert(1)' }), 400, 'validation');
      expectProblem(await admin('POST', `/admin/trackers/${trackerId}/projects`, { id: project.id, title: 'Doublon' }), 409, 'conflict');
      expectProblem(await admin('POST', '/admin/trackers/no-such-tracker/projects', { title: 'Orphelin' }), 404, 'not-found');
      expectProblem(await admin('POST', '/admin/trackers', { id: trackerId, title: 'Encore', currency: 'EUR' }), 409, 'conflict');
      expectProblem(await admin('POST', '/admin/trackers', { id: 'x-tracker', title: 'Devise', currency: 'euro' }), 400, 'validation');
      expectProblem(await server.api.request('POST', `/admin/trackers/${trackerId}/projects`, { key: true, body: { title: 'Sans clé' } }), 401, 'unauthorised');

      const tracker = await admin('PATCH', `/admin/trackers/${trackerId}`, { pageUrl: 'https://ville.example/suivi', statusLabels: { done: 'Livré' } });
      assert.equal(tracker.body.pageUrl, 'https://ville.example/suivi');
      assert.equal((await server.api.get(`/trackers/${trackerId}`)).body.pageUrl, undefined, 'the page is a council setting');
      const unset = await admin('PATCH', `/admin/trackers/${trackerId}`, { pageUrl: null, description: null });
      assert.deepEqual([unset.body.pageUrl, unset.body.description, unset.body.statusLabels], [undefined, undefined, { done: 'Livré' }]);
      assert.equal((await admin('DELETE', `/admin/projects/${project.id}`)).status, 204);
      expectProblem(await server.api.get(`/projects/${project.id}`), 404, 'not-found');
      expectProblem(await admin('DELETE', `/admin/projects/${project.id}`), 404, 'not-found');

      const audit = (await server.admin.get('/admin/audit?limit=50', { token: server.admin.token })).body.items;
      const actions = audit.filter((entry: { subjectId: string; details: { trackerId?: string } }) => entry.subjectId === project.id || entry.subjectId === trackerId).map((entry: { action: string }) => entry.action);
      for (const action of ['tracker.create', 'tracker.update', 'project.create', 'project.update', 'project.post-update', 'project.delete']) assert.ok(actions.includes(action), action);
    });

    it('stores council HTML sanitised: tracker descriptions and project updates', async () => {
      const hostile = '<p onclick="steal()">Bonjour <script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">lien</a> <a href="https://ville.example">ok</a><iframe src="https://evil.example"></iframe></p>';
      const trackerId = await createTracker({ description: hostile });
      const description = (await server.api.get(`/trackers/${trackerId}`)).body.description;
      const project = await createProject(trackerId, { title: 'Sain' });
      const body = (await postUpdate(project.id, { body: hostile })).body.updates[0].body;
      for (const html of [description, body]) {
        assert.doesNotMatch(html, /script|onclick|onerror|javascript:|<img|<iframe/i);
        assert.match(html, /<p>Bonjour /);
        assert.match(html, /<a href="https:\/\/ville\.example" rel="noopener">ok<\/a>/);
      }
    });

    it('links origins with live counts, keeps the title of a source that is gone, and refuses unknown ones', async () => {
      const trackerId = await createTracker();
      const project = await createProject(trackerId, { title: 'Origines' });
      const idea = await seededIdea('Un terrain de basket en accès libre aux Îles');
      const threadId = `fil-${backend}-${serial}`;
      assert.equal((await admin('POST', '/admin/threads', { id: threadId, title: 'Fil temporaire' })).status, 201);
      const points = (await server.api.get('/maps/signalements/reports?limit=1')).body.items[0];
      const origins = [
        { kind: 'idea', id: idea.id, url: 'https://ville.example/idees/basket' },
        { kind: 'poll', id: 'velo-centre' },
        { kind: 'comment-thread', id: threadId },
        { kind: 'map-report', id: points.id },
      ];
      let response = await admin('PUT', `/admin/projects/${project.id}/origins`, origins);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body.origins.map((origin: { kind: string }) => origin.kind), ['idea', 'poll', 'comment-thread', 'map-report']);
      assert.equal(response.body.origins[0].title, idea.title);
      assert.equal(response.body.origins[0].url, 'https://ville.example/idees/basket');
      assert.equal(response.body.origins[0].count, idea.supports);
      assert.equal(response.body.origins[2].title, 'Fil temporaire');

      const { token } = await server.api.session();
      assert.equal((await server.api.request('PUT', `/ideas/${idea.id}/support`, { token, key: true })).status, 200);
      assert.equal((await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'Une question sur ce projet.' } })).status, 201);
      response = await server.api.get(`/projects/${project.id}`);
      assert.equal(response.body.origins[0].count, idea.supports + 1);
      assert.equal(response.body.origins[2].count, 1);

      const storage = await openStorage(server.databaseUrl);
      try {
        await storage.db.deleteFrom('threads').where('id', '=', threadId).execute();
      } finally {
        await storage.close();
      }
      response = await server.api.get(`/projects/${project.id}`);
      assert.deepEqual([response.body.origins[2].title, response.body.origins[2].count], ['Fil temporaire', 0]);
      response = await admin('PUT', `/admin/projects/${project.id}/origins`, [origins[2], origins[0]]);
      assert.equal(response.status, 200, 'an origin the project had stays, even when its source is gone');
      assert.deepEqual(response.body.origins.map((origin: { id: string }) => origin.id), [threadId, idea.id]);

      response = await admin('PUT', `/admin/projects/${project.id}/origins`, [{ kind: 'idea', id: 'no-such-idea' }, { kind: 'poll', id: 'velo-centre' }, { kind: 'poll', id: 'velo-centre' }]);
      expectProblem(response, 400, 'validation');
      assert.deepEqual(response.body.errors.map((error: { field: string }) => error.field), ['0', '2']);
      expectProblem(await admin('PUT', `/admin/projects/${project.id}/origins`, [{ kind: 'petition', id: 'x' }]), 400, 'validation');
    });

    it('tells the author of an idea or report that moderation did not publish it', async () => {
      const { token } = await server.api.session();
      const idea = await server.api.post('/idea-boxes/belvoir-idees/ideas', { token, key: true, body: { title: 'Idée écartée par la modération', body: 'Une proposition que la modération ne publiera pas.', categoryId: 'mobilite' } });
      assert.equal(idea.status, 201);
      const report = await server.api.post('/maps/signalements/reports', { token, key: true, body: { categoryId: 'espaces-verts', address: '5 rue des Lilas', description: 'Un signalement que la modération écartera.' } });
      assert.equal(report.status, 201);
      const kept = await server.api.post('/maps/signalements/reports', { token, key: true, body: { categoryId: 'espaces-verts', address: '7 rue des Lilas', description: 'Un signalement qui reste publié.' } });
      assert.equal((await admin('POST', `/admin/ideas/${idea.body.id}/hide`)).status, 200);
      assert.equal((await admin('POST', `/admin/map-reports/${report.body.id}/hide`)).status, 200);

      const page = await server.api.get('/trackers/realisations/my-contributions', { token });
      assert.equal(page.status, 200);
      const outcomes = Object.fromEntries(page.body.items.map((item: { id: string; outcome: string }) => [item.id, item.outcome]));
      assert.deepEqual(outcomes, { [idea.body.id]: 'not-published', [report.body.id]: 'not-published', [kept.body.id]: 'awaiting' });
    });

    it('tells a participant what became of each contribution, newest first and paged', async () => {
      const { token } = await server.api.session();
      const propose = async (title: string) => {
        const response = await server.api.post('/idea-boxes/belvoir-idees/ideas', { token, key: true, body: { title, body: 'Une proposition détaillée pour la ville de Belvoir.', categoryId: 'mobilite' } });
        assert.equal(response.status, 201);
        return response.body.id as string;
      };
      const waiting = await propose('Idée en attente de réponse');
      const rejected = await propose('Idée qui sera refusée');
      const tracked = await propose('Idée devenue un projet');
      await admin('POST', `/admin/ideas/${rejected}/answer`, { status: 'rejected', body: '<p>Hors compétence communale.</p>' });
      await admin('POST', `/admin/ideas/${tracked}/answer`, { status: 'accepted', body: '<p>Retenue.</p>' });
      assert.equal((await admin('PATCH', `/admin/ideas/${tracked}`, { trackedProjectId: 'bancs-quais' })).status, 200);
      assert.equal((await server.api.cast('velo-centre', token, { choices: ['pistes'] })).status, 201);
      assert.equal((await server.api.cast('satisfaction-parcs', token, { ratings: { entretien: 4, proprete: 3, horaires: 2, jeux: 5 } })).status, 201);
      for (const body of ['Je soutiens les jardins.', 'Et le skatepark aussi.']) {
        assert.equal((await server.api.post('/threads/budget-2027/comments', { token, key: true, body: { body, stance: 'for' } })).status, 201);
      }
      assert.equal((await server.api.post(`/threads/${encodeURIComponent(`idea:${rejected}`)}/comments`, { token, key: true, body: { body: 'Dommage.' } })).status, 201);
      const report = async (description: string) => {
        const response = await server.api.post('/maps/signalements/reports', { token, key: true, body: { categoryId: 'espaces-verts', address: '3 rue des Lilas', description } });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return response.body.id as string;
      };
      const open = await report('Une haie déborde sur le trottoir de la rue.');
      const seen = await report('Un arbre penché menace la clôture de l’école.');
      const closed = await report('Des feuilles bouchent la grille d’égout.');
      const projected = await report('Le banc du square est cassé depuis un mois.');
      await admin('POST', `/admin/map-reports/${seen}/updates`, { body: '<p>Un agent passe cette semaine.</p>', status: 'acknowledged' });
      await admin('POST', `/admin/map-reports/${closed}/updates`, { body: '<p>Grille nettoyée.</p>', status: 'closed' });
      assert.equal((await admin('PATCH', `/admin/map-reports/${projected}`, { trackedProjectId: 'piste-lycee' })).status, 200);

      const page = await server.api.get('/trackers/realisations/my-contributions?limit=50', { token });
      assert.equal(page.status, 200);
      const byId = new Map(page.body.items.map((item: { id: string }) => [item.id, item]));
      const fate = (id: string) => byId.get(id) as { kind: string; outcome: string; answer?: string; project?: { id: string; title: string; status: string }; title: string };
      assert.equal(page.body.total, 11, 'three ideas, two ballots, two threads, four reports');
      assert.equal(fate(waiting).outcome, 'awaiting');
      assert.deepEqual([fate(rejected).outcome, fate(rejected).answer], ['rejected', '<p>Hors compétence communale.</p>']);
      assert.equal(fate(tracked).outcome, 'in-project');
      assert.deepEqual(fate(tracked).project, { id: 'bancs-quais', title: 'Bancs et ombrages le long des quais', status: 'planned' });
      assert.deepEqual([fate('velo-centre').kind, fate('velo-centre').outcome, fate('velo-centre').project?.id], ['poll', 'in-project', 'piste-lycee']);
      assert.deepEqual([fate('satisfaction-parcs').outcome, fate('satisfaction-parcs').project], ['counted', undefined]);
      assert.equal(page.body.items.filter((item: { id: string }) => item.id === 'budget-2027').length, 1, 'two comments, one thread');
      const debate = page.body.items.find((item: { id: string; kind: string }) => item.kind === 'comment-thread' && item.id === 'budget-2027');
      assert.equal(debate.outcome, 'in-project');
      assert.deepEqual([fate(`idea:${rejected}`).kind, fate(`idea:${rejected}`).outcome, fate(`idea:${rejected}`).title], ['comment-thread', 'counted', 'Idée qui sera refusée']);
      assert.deepEqual([fate(open).kind, fate(open).outcome, fate(open).answer], ['map-report', 'awaiting', undefined]);
      assert.deepEqual([fate(seen).outcome, fate(seen).answer], ['under-review', '<p>Un agent passe cette semaine.</p>']);
      assert.equal(fate(closed).outcome, 'done');
      assert.deepEqual([fate(projected).outcome, fate(projected).project?.id], ['in-project', 'piste-lycee']);
      assert.equal(fate(open).title, 'Une haie déborde sur le trottoir de la rue.');
      const times = page.body.items.map((item: { at: string }) => Date.parse(item.at));
      assert.deepEqual(times, [...times].sort((a: number, b: number) => b - a));

      const pages: string[] = [];
      let cursor: string | undefined;
      do {
        const next = await server.api.get(`/trackers/realisations/my-contributions?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { token });
        pages.push(...next.body.items.map((item: { kind: string; id: string }) => `${item.kind}:${item.id}`));
        cursor = next.body.nextCursor;
      } while (cursor);
      assert.deepEqual(pages, page.body.items.map((item: { kind: string; id: string }) => `${item.kind}:${item.id}`));
      expectProblem(await server.api.get('/trackers/realisations/my-contributions?cursor=nope', { token }), 400, 'validation');
    });

    it('keeps projects whole when a participant erases themselves: their contributions stay, anonymous', async () => {
      const trackerId = await createTracker();
      const { token } = await server.api.session();
      const idea = (await server.api.post('/idea-boxes/belvoir-idees/ideas', { token, key: true, body: { title: 'Un verger partagé', body: 'Planter des arbres fruitiers ouverts à tous au parc.', categoryId: 'environnement' } })).body;
      const supporter = await server.api.session();
      await server.api.request('PUT', `/ideas/${idea.id}/support`, { token: supporter.token, key: true });
      const project = await createProject(trackerId, { title: 'Verger', origins: [{ kind: 'idea', id: idea.id }] });
      assert.equal(project.origins[0].count, 1);
      assert.equal((await server.api.request('DELETE', '/me', { token: supporter.token })).status, 204);
      assert.equal((await server.api.request('DELETE', '/me', { token })).status, 204);
      const after = (await server.api.get(`/projects/${project.id}`)).body;
      assert.deepEqual([after.origins[0].title, after.origins[0].count], ['Un verger partagé', 1]);
      const kept = (await server.api.get(`/ideas/${idea.id}`)).body;
      assert.equal(kept.mine, undefined);
      const mine = await server.api.get(`/trackers/${trackerId}/my-contributions`, { token });
      assert.deepEqual([mine.status, mine.body.items], [200, []], 'nothing leads back to the erased participant');
    });

    it('sends created and updated projects on the tracker topic, as listed', async () => {
      const trackerId = await createTracker();
      const stream = new SseStream(`${server.url}/api/v1/events?topic=${encodeURIComponent(`tracker:${trackerId}:projects`)}`);
      streams.push(stream);
      assert.equal((await stream.status).status, 200);
      const project = await createProject(trackerId, { title: 'En direct' });
      const created = JSON.parse((await stream.next()).data);
      assert.deepEqual([created.type, created.project.id, created.project.trackerId], ['created', project.id, trackerId]);
      await postUpdate(project.id, { title: 'Un', body: '<p>1</p>' });
      await postUpdate(project.id, { title: 'Deux', body: '<p>2</p>', status: 'done', progress: 100 });
      await stream.waitFor(() => stream.events.length >= 3);
      const updated = JSON.parse(stream.events[2]!.data);
      assert.equal(updated.type, 'updated');
      assert.deepEqual([updated.project.status, updated.project.updates.map((update: { title: string }) => update.title)], ['done', ['Deux']]);
    });

    it('serves a well-formed Atom feed: escaped text, stable ids, newest 50, conditional requests', async () => {
      const trackerId = await createTracker({ title: 'Suivi & <compagnie> "quotes" \'apostrophe\'', pageUrl: 'https://ville.example/suivi?a=1&b=2' });
      // Control characters, which XML cannot carry, are refused on the way in.
      const control = await admin('POST', `/admin/trackers/${trackerId}/projects`, { title: 'Rue \u0001 basse' });
      assert.deepEqual([control.status, control.body.errors?.[0]?.field], [400, 'title']);
      const project = await createProject(trackerId, { title: 'Rue <Haute> & basse' });
      await postUpdate(project.id, { title: 'Étape <1> & suite', body: '<p>Texte avec <strong>gras</strong> &amp; entité, et <script>alert(1)</script></p>' });
      await postUpdate(project.id, { body: '<p>Fini</p>', status: 'done' });
      const path = `/trackers/${trackerId}/feed.atom`;
      const first = await server.api.get(path);
      assert.equal(first.status, 200);
      assert.match(first.headers.get('content-type') ?? '', /^application\/atom\+xml; charset=utf-8/);
      assert.ok(first.headers.get('last-modified'));
      const feed = parseXml(first.body).documentElement;
      const child = (parent: Element, name: string) => [...parent.children].find((element) => element.localName === name);
      assert.equal(child(feed, 'title')!.textContent, 'Suivi & <compagnie> "quotes" \'apostrophe\'');
      assert.match(child(feed, 'id')!.textContent!, /^tag:ville\.example,\d{4}-\d{2}-\d{2}:tracker:/);
      assert.ok(child(feed, 'author')?.textContent);
      const links = [...feed.children].filter((element) => element.localName === 'link');
      assert.ok(links.some((link) => link.getAttribute('rel') === 'alternate' && link.getAttribute('href') === 'https://ville.example/suivi?a=1&b=2'));
      assert.ok(links.some((link) => link.getAttribute('rel') === 'self'));
      const entries = [...feed.children].filter((element) => element.localName === 'entry');
      assert.equal(entries.length, 2);
      assert.equal(child(entries[0]!, 'title')!.textContent, 'Rue <Haute> & basse — Done');
      assert.equal(child(entries[1]!, 'title')!.textContent, 'Rue <Haute> & basse — Étape <1> & suite');
      const content = child(entries[1]!, 'content')!;
      assert.equal(content.getAttribute('type'), 'html');
      assert.equal(content.textContent, '<p>Texte avec <strong>gras</strong> &amp; entité, et </p>');
      assert.equal(child(feed, 'updated')!.textContent, child(entries[0]!, 'updated')!.textContent);

      const again = await server.api.get(path);
      assert.equal(again.body, first.body, 'the same feed, the same ids');
      const etag = first.headers.get('etag')!;
      assert.equal((await server.api.get(path, { headers: { 'if-none-match': etag } })).status, 304);
      assert.equal((await server.api.get(path, { headers: { 'if-modified-since': first.headers.get('last-modified')! } })).status, 304);
      assert.equal((await server.api.get(path, { headers: { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status, 200);

      await new Promise((resolve) => setTimeout(resolve, 1100));
      for (let i = 0; i < 49; i += 1) await postUpdate(project.id, { title: `Note ${i}`, body: `<p>${i}</p>` });
      const changed = await server.api.get(path, { headers: { 'if-none-match': etag, 'if-modified-since': first.headers.get('last-modified')! } });
      assert.equal(changed.status, 200);
      const newest = [...parseXml(changed.body).documentElement.children].filter((element) => element.localName === 'entry');
      assert.equal(newest.length, 50);
      assert.match(child(newest[0]!, 'title')!.textContent!, /Note 48$/);
      assert.equal(child(newest.at(-1)!, 'id')!.textContent, child(entries[0]!, 'id')!.textContent, 'an entry keeps its id');
    });

    it('exports projects as CSV and imports the export as a no-op, byte for byte', async () => {
      const trackerId = await createTracker();
      await createProject(trackerId, {
        title: '=SOMME(A1:A3)',
        summary: 'Ligne un, avec "guillemets"\nLigne deux ; point-virgule',
        status: 'in-progress', progress: 40, budgetPlanned: 12500.5, budgetSpent: 0,
        startsAt: '2027-03-01T09:00:00+01:00', district: '  Les Îles ', category: "'+apostrophe", imageUrl: 'https://ville.example/a.jpg', imageAlt: '-tiret',
        origins: [{ kind: 'poll', id: 'velo-centre', url: 'https://ville.example/velo' }, { kind: 'comment-thread', id: 'budget-2027' }],
      });
      await createProject(trackerId, { title: 'Sobre' });
      const exported = await exportCsv(trackerId);
      assert.deepEqual([...exported.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte order mark');
      const text = exported.toString('utf8').slice(1);
      assert.ok(text.startsWith(`${HEADER}\r\n`));
      assert.ok(text.includes('"Ligne un, avec ""guillemets""\nLigne deux ; point-virgule"'));
      assert.ok(text.includes(`'=SOMME(A1:A3)`), 'formulas are defused');
      assert.ok(text.includes('poll:velo-centre comment-thread:budget-2027'));
      const imported = await importCsv(trackerId, exported);
      assert.equal(imported.status, 200, JSON.stringify(imported.body));
      assert.deepEqual(imported.body, { created: 0, updated: 0, errors: [] });
      assert.deepEqual(await exportCsv(trackerId), exported);
      const project = (await list(trackerId, '?sort=title')).body.items.find((item: { title: string }) => item.title.startsWith('='));
      assert.equal(project.category, "'+apostrophe");
      assert.equal(project.origins[0].url, 'https://ville.example/velo', 'links the file does not carry stay');
    });

    it('imports all or nothing, with each error on its line, a dry run, updates and semicolons', async () => {
      const trackerId = await createTracker({ statusLabels: { 'in-progress': 'En travaux' } });
      const other = await createTracker();
      const foreign = await createProject(other, { title: 'Ailleurs' });
      const bad = [
        HEADER,
        ',Bon projet,"Un résumé\nsur deux lignes",planned,10,100,,,,,,,,poll:velo-centre',
        ',Statut inconnu,,finished,,,,,,,,,,',
        ',Budget faux,,planned,,12 €,-3,,,,,,,',
        `${foreign.id},Autre suivi,,,,,,,,,,,,`,
        ',Origines,,,,,,,,,,,,idea:nope petition:1',
        ',Dates,,,,,,2027-05-01,2027-04-01,,,,,',
        ',,sans titre,,,,,,,,,,,',
      ].join('\r\n');
      const before = (await list(trackerId)).body.total;
      let response = await importCsv(trackerId, bad);
      assert.equal(response.status, 422);
      assert.deepEqual([response.body.created, response.body.updated], [0, 0]);
      assert.deepEqual(
        response.body.errors.map((error: { line: number; field: string }) => `${error.line}:${error.field}`),
        ['4:status', '5:budget_planned', '5:budget_spent', '6:id', '7:origins', '7:origins', '8:ends_at', '9:title'],
      );
      assert.equal((await list(trackerId)).body.total, before, 'nothing written');

      const good = [
        'title;status;progress;budget_planned;district;origins',
        'Premier;En travaux;25 %;1 250,50;Centre;poll:velo-centre',
        'Second;;;;;',
      ].join('\n');
      response = await importCsv(trackerId, good, '?dryRun=true');
      assert.deepEqual(response.body, { created: 2, updated: 0, errors: [] });
      assert.equal((await list(trackerId)).body.total, 0, 'a dry run writes nothing');
      response = await importCsv(trackerId, good);
      assert.deepEqual(response.body, { created: 2, updated: 0, errors: [] });
      const first = (await list(trackerId, '?sort=title')).body.items[0];
      assert.deepEqual([first.title, first.status, first.progress, first.budgetPlanned, first.district, first.origins[0].id], ['Premier', 'in-progress', 25, 1250.5, 'Centre', 'velo-centre']);
      assert.equal((await server.api.get(`/threads/${encodeURIComponent(`project:${first.id}`)}`)).status, 200, 'imported projects get their discussion');

      response = await importCsv(trackerId, `id,progress\r\n${first.id},80\r\nnouveau-id,5\r\n`);
      assert.equal(response.status, 422, 'a new project needs a title');
      response = await importCsv(trackerId, `id,title,progress\r\n${first.id},Premier,80\r\nnouveau-${backend},Nouveau,5\r\n`);
      assert.deepEqual(response.body, { created: 1, updated: 1, errors: [] });
      const updated = (await server.api.get(`/projects/${first.id}`)).body;
      assert.deepEqual([updated.progress, updated.budgetPlanned, updated.origins.length], [80, 1250.5, 1], 'columns left out stay as they are');
      assert.equal((await server.api.get(`/projects/nouveau-${backend}`)).body.title, 'Nouveau');

      response = await importCsv(trackerId, 'title,colour\r\nX,red\r\n');
      assert.deepEqual(response.body.errors, [{ line: 1, field: 'colour', message: response.body.errors[0].message }]);
      response = await importCsv(trackerId, 'title,summary\r\nX,"pas fermé\r\n');
      assert.deepEqual(response.body.errors.map((error: { line: number; field: string }) => `${error.line}:${error.field}`), ['2:file']);
      response = await importCsv(trackerId, 'title\r\nun "guillemet"\r\n');
      assert.deepEqual(response.body.errors.map((error: { line: number; field: string }) => `${error.line}:${error.field}`), ['2:file']);
      const legacy = await fetch(`${server.url}/api/v1/admin/trackers/${trackerId}/projects.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.admin.token}`, 'content-type': 'text/csv' },
        body: Buffer.from('title\r\nCaf\xe9\r\n', 'latin1'),
      });
      assert.equal(legacy.status, 422);
      assert.match((await legacy.json()).errors[0].message, /not UTF-8/);
      response = await importCsv(trackerId, '');
      assert.equal(response.status, 422);
      response = await importCsv(trackerId, 'id,title\r\ndouble,A\r\ndouble,B\r\n');
      assert.deepEqual(response.body.errors.map((error: { line: number; field: string }) => `${error.line}:${error.field}`), ['3:id']);
      expectProblem(await importCsv('no-such-tracker', 'title\r\nX\r\n'), 404, 'not-found');
      expectProblem(await server.admin.request('POST', `/admin/trackers/${trackerId}/projects.csv`, { token: server.admin.token, raw: 'title\nX', headers: { 'content-type': 'text/plain' } }), 415, 'validation');
    });

    it('runs import-projects and export-projects from the command line, with progress on stderr', async () => {
      const trackerId = await createTracker();
      const file = join(files, `${trackerId}.csv`);
      writeFileSync(file, `${HEADER}\r\n,Depuis la ligne de commande,Résumé,done,100,42,,,,Centre,,,,poll:velo-centre\r\n,Second,,planned,,,,,,,,,,\r\n`);
      const database = ['--database', server.databaseUrl];

      let run = await cli(['import-projects', '--tracker', trackerId, file, '--dry-run', ...database]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /2 rows checked: 2 to create, 0 to update, 0 unchanged\. Dry run/);
      assert.match(run.stderr, /^Checking .*: .* MB \(100%\), 2 rows, .* rows\/s in /m);
      assert.doesNotMatch(run.stderr, /\x1b/, 'no terminal codes when stderr is not a terminal');
      assert.equal((await list(trackerId)).body.total, 0);

      run = await cli(['import-projects', '--tracker', trackerId, file, ...database]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /2 rows imported: 2 created, 0 updated, 0 unchanged/);
      assert.match(run.stderr, /^Writing: 100%, 2 rows/m);
      assert.equal((await list(trackerId)).body.total, 2);

      const out = join(files, `${trackerId}-out.csv`);
      run = await cli(['export-projects', '--tracker', trackerId, out, ...database]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /2 projects written/);
      assert.deepEqual(readFileSync(out), await exportCsv(trackerId));
      run = await cli(['export-projects', '--tracker', trackerId, ...database]);
      assert.equal(run.stdout, (await exportCsv(trackerId)).toString('utf8'));
      run = await cli(['import-projects', '--tracker', trackerId, out, ...database]);
      assert.match(run.stdout, /0 created, 0 updated, 2 unchanged/);

      writeFileSync(file, `title,status\r\nBon,planned\r\nMauvais,fini\r\n`);
      run = await cli(['import-projects', '--tracker', trackerId, file, ...database]);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /nothing was written[\s\S]*line 3, status: Unknown status "fini"/);
      run = await cli(['import-projects', file, ...database]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--tracker/);
      run = await cli(['export-projects', '--tracker', 'no-such-tracker', ...database]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /There is no tracker "no-such-tracker"/);
    });

    it('imports 50,000 rows from the command line in one transaction', async (t) => {
      const trackerId = await createTracker();
      const file = join(files, `${trackerId}-50k.csv`);
      const statuses = ['planned', 'in-progress', 'done', 'cancelled'];
      const rows = [HEADER];
      for (let i = 0; i < 50_000; i += 1) {
        rows.push(`gen-${backend}-${i},"Projet n° ${i}, « phase » ${i % 7}","Résumé ${i}\nsur deux lignes",${statuses[i % 4]},${i % 101},${i * 10 + 0.5},,2027-01-${String((i % 28) + 1).padStart(2, '0')},,Quartier ${i % 9},Catégorie ${i % 5},,,poll:velo-centre`);
      }
      writeFileSync(file, `${rows.join('\r\n')}\r\n`);
      const started = Date.now();
      const run = await cli(['import-projects', '--tracker', trackerId, file, '--database', server.databaseUrl]);
      const seconds = (Date.now() - started) / 1000;
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /50000 rows imported: 50000 created/);
      t.diagnostic(`${backend}: 50,000 rows imported in ${seconds.toFixed(1)} s (${run.stderr.trim().split('\n').filter((line) => / in /.test(line)).join('; ')})`);
      const tracker = (await server.api.get(`/trackers/${trackerId}`)).body;
      assert.deepEqual(tracker.overview.map((row: { projects: number }) => row.projects), [12_500, 12_500, 12_500, 12_500]);
      assert.equal(tracker.districts.length, 9);
    });
  });
}
