import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { ADMIN_KEY, startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

for (const backend of backends) {
  describe(`admin and GDPR on ${backend}`, () => {
    let server: TestServer;
    const token = ADMIN_KEY;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    const base = { resultVisibility: 'always', allowBallotChange: false, requiredVerification: 'anonymous' };

    it('closes admin routes to anyone without the key', async () => {
      expectProblem(await server.admin.get('/admin/polls'), 401, 'unauthorised');
      expectProblem(await server.admin.get('/admin/polls', { token: 'wrong-key' }), 401, 'unauthorised');
      const { token: participant } = await server.api.session();
      expectProblem(await server.admin.get('/admin/audit', { token: participant }), 401, 'unauthorised');
    });

    it('creates a poll with its council HTML sanitised, and refuses inconsistent ones', async () => {
      const created = await server.admin.post('/admin/polls', {
        token,
        key: true,
        body: {
          ...base,
          id: 'cantine',
          title: 'Cantine',
          type: 'single',
          options: [{ id: 'bio', label: 'Plus de bio' }, { id: 'local', label: 'Plus de local' }],
          description: '<p onclick="steal()">Votre avis <a href="javascript:alert(1)">ici</a> <a href="https://belvoir.example/cantine">détails</a></p><script>alert(1)</script><img src=x onerror=alert(1)>',
        },
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get('location'), '/api/v1/admin/polls/cantine');
      const description: string = created.body.description;
      assert.doesNotMatch(description, /script|onclick|onerror|javascript:|<img/i);
      assert.match(description, /<a href="https:\/\/belvoir\.example\/cantine" rel="noopener">détails<\/a>/);
      assert.equal((await server.api.get('/polls/cantine')).body.description, description);

      const noScale = await server.admin.post('/admin/polls', { token, key: true, body: { ...base, id: 'bad', title: 'Bad', type: 'rating', options: [{ id: 'a', label: 'A' }] } });
      expectProblem(noScale, 400, 'validation');
      assert.deepEqual(noScale.body.errors.map((error: { field: string }) => error.field), ['scale']);
      const twice = await server.admin.post('/admin/polls', { token, key: true, body: { ...base, id: 'cantine', title: 'Again', type: 'single', options: [{ id: 'a', label: 'A' }] } });
      expectProblem(twice, 409, 'conflict');
    });

    it('changes a poll, but not its options once ballots are cast', async () => {
      const patched = await server.admin.request('PATCH', '/admin/polls/cantine', { token, key: true, body: { title: 'La cantine de demain', closesAt: '2099-06-30T18:00:00+02:00' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.title, 'La cantine de demain');
      assert.equal(patched.body.closesAt, '2099-06-30T16:00:00.000Z');
      assert.equal((await server.api.get('/polls/cantine')).body.title, 'La cantine de demain');
      await server.api.cast('cantine', (await server.api.session()).token, { choices: ['bio'] });
      const frozen = await server.admin.request('PATCH', '/admin/polls/cantine', { token, key: true, body: { options: [{ id: 'x', label: 'X' }] } });
      expectProblem(frozen, 409, 'conflict');
    });

    it('lists polls page by page', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await server.admin.get(`/admin/polls?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 2);
        seen.push(...page.body.items.map((poll: { id: string }) => poll.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...seen].sort());
      for (const id of ['budget-2027', 'cantine', 'nom-mediatheque', 'velo-centre']) assert.ok(seen.includes(id), id);
      const budget = (await server.admin.get('/admin/polls/budget-2027', { token })).body;
      assert.equal(budget.electorate, 11_200);
      assert.equal(budget.proofOfWork, false);
    });

    it('publishes results', async () => {
      await server.admin.post('/admin/polls', {
        token,
        key: true,
        body: { ...base, id: 'kiosque', title: 'Kiosque', type: 'single', resultVisibility: 'after-publication', options: [{ id: 'oui', label: 'Oui' }, { id: 'non', label: 'Non' }] },
      });
      await server.api.cast('kiosque', (await server.api.session()).token, { choices: ['oui'] });
      expectProblem(await server.api.get('/polls/kiosque/results'), 403, 'forbidden');
      const published = await server.admin.post('/admin/polls/kiosque/publish-results', { token, key: true });
      assert.equal(published.status, 200);
      assert.ok(published.body.resultsPublishedAt);
      const results = await server.api.get('/polls/kiosque/results');
      assert.equal(results.status, 200);
      assert.equal(results.body.options[0].count, 1);
    });

    it('exports ballots and results as JSON and CSV, with formulas defused', async () => {
      const { token: participant } = await server.api.session();
      await server.api.cast('velo-centre', participant, { choices: ['pistes'], other: '=HYPERLINK("http://evil.example","clic")' });
      const json = await server.admin.get('/admin/polls/velo-centre/ballots', { token });
      assert.equal(json.status, 200);
      assert.ok(Array.isArray(json.body));
      const results = (await server.admin.get('/admin/polls/velo-centre/results', { token })).body;
      assert.equal(json.body.length, results.ballots);
      assert.ok(json.body.every((ballot: Record<string, unknown>) => !('participantId' in ballot) && !('participant_id' in ballot)));

      const csv = await fetch(`${server.url}/api/v1/admin/polls/velo-centre/ballots?format=csv`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(csv.headers.get('content-disposition') ?? '', /velo-centre-ballots\.csv/);
      const lines = (await csv.text()).trimEnd().split('\r\n');
      assert.equal(lines[0], 'ballot_id,cast_at,updated_at,choice:pistes,choice:arceaux,choice:zone30,choice:atelier,choice:double-sens,other,other_state');
      assert.equal(lines.length, results.ballots + 1);
      assert.ok(lines.some((line) => line.includes(`"'=HYPERLINK(""http://evil.example"",""clic"")"`)));

      const resultsCsv = await (await fetch(`${server.url}/api/v1/admin/polls/velo-centre/results?format=csv`, { headers: { authorization: `Bearer ${token}` } })).text();
      assert.match(resultsCsv, /^option_id,label,count,average\r\npistes,Pistes séparées sur les quais,\d+,\r\n/);
    });

    it('queues "other" answers for moderation', async () => {
      const { token: participant } = await server.api.session();
      const ballot = (await server.api.cast('budget-2027', participant, { other: 'Une piscine municipale' })).body;
      const pending = await server.admin.get('/admin/moderation', { token });
      const item = pending.body.items.find((candidate: { id: string }) => candidate.id === ballot.id);
      assert.deepEqual({ ...item, createdAt: undefined }, { kind: 'poll-other', id: ballot.id, spaceId: 'budget-2027', text: 'Une piscine municipale', state: 'pending', createdAt: undefined });
      const hidden = await server.admin.post(`/admin/moderation/poll-other/${ballot.id}`, { token, key: true, body: { action: 'hide' } });
      assert.equal(hidden.body.state, 'hidden');
      const hiddenList = await server.admin.get('/admin/moderation?state=hidden', { token });
      assert.ok(hiddenList.body.items.some((candidate: { id: string }) => candidate.id === ballot.id));
      expectProblem(await server.admin.post('/admin/moderation/poll-other/b_nothing', { token, key: true, body: { action: 'approve' } }), 404, 'not-found');
      expectProblem(await server.admin.post(`/admin/moderation/poll-other/${ballot.id}`, { token, key: true, body: { action: 'delete' } }), 400, 'validation');
    });

    it('keeps an audit log of admin actions, newest first', async () => {
      const log = await server.admin.get('/admin/audit?limit=200', { token });
      const actions = log.body.items.map((entry: { action: string; subjectId: string }) => `${entry.action} ${entry.subjectId}`);
      assert.ok(actions.includes('poll.create cantine'));
      assert.ok(actions.includes('poll.update cantine'));
      assert.ok(actions.includes('poll.publish-results kiosque'));
      assert.ok(actions.some((action: string) => action.startsWith('moderation.hide ')));
      const ids = log.body.items.map((entry: { id: number }) => entry.id);
      assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
      const second = await server.admin.get(`/admin/audit?limit=1&cursor=${ids[0]}`, { token });
      assert.equal(second.body.items[0].id, ids[1]);
    });

    it('replays admin writes with the same Idempotency-Key', async () => {
      const body = { ...base, id: 'marche-noel', title: 'Marché de Noël', type: 'single', options: [{ id: 'a', label: 'A' }] };
      const first = await server.admin.post('/admin/polls', { token, key: 'admin-create-1', body });
      const second = await server.admin.post('/admin/polls', { token, key: 'admin-create-1', body });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(second.body, first.body);
      expectProblem(await server.admin.post('/admin/polls', { token, key: 'admin-create-1', body: { ...body, title: 'Autre' } }), 422, 'validation');
    });

    it("exports a participant's own data and erases their identity, keeping their ballots counted", async () => {
      const { token: participant, participantId } = await server.api.session();
      await server.api.cast('velo-centre', participant, { choices: ['atelier'] });
      await server.api.cast('satisfaction-parcs', participant, { ratings: { entretien: 5, proprete: 5, horaires: 5, jeux: 5 } });
      const exported = await server.api.get('/me/export', { token: participant });
      assert.equal(exported.status, 200);
      assert.equal(exported.body.participant.id, participantId);
      assert.deepEqual(exported.body.ballots.map((entry: { ballot: { pollId: string } }) => entry.ballot.pollId).sort(), ['satisfaction-parcs', 'velo-centre']);
      assert.ok(exported.body.ballots.every((entry: { pollTitle: string }) => entry.pollTitle.length > 0));

      const before = (await server.api.get('/polls/velo-centre/results')).body;
      const erased = await server.api.request('DELETE', '/me', { token: participant });
      assert.equal(erased.status, 204);
      expectProblem(await server.api.get('/session', { token: participant }), 401, 'unauthorised');
      expectProblem(await server.api.get('/me/export', { token: participant }), 401, 'unauthorised');
      expectProblem(await server.api.cast('budget-2027', participant, { choices: ['jardins'] }), 401, 'unauthorised');
      const afterwards = (await server.api.get('/polls/velo-centre/results')).body;
      assert.equal(afterwards.ballots, before.ballots);
      const participation = await server.api.get('/polls/velo-centre/participation', { token: participant });
      assert.equal(participation.body.ballot, undefined);
    });
  });
}
