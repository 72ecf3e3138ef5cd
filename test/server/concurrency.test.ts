import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backends, dropDatabases, freshDatabase } from './support/backends.js';
import { ADMIN_KEY, startTestServer, type TestServer } from './support/harness.js';
import { Api } from './support/client.js';
import { spawnServer, type ServerProcess } from './support/process.js';
import { SseStream } from './support/sse.js';

after(dropDatabases);

for (const backend of backends) {
  describe(`concurrency on ${backend}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('stores one ballot when one participant sends 100 at once', async () => {
      const { token } = await server.api.session();
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => server.api.cast('budget-2027', token, { choices: [i % 2 ? 'jardins' : 'skatepark'] })),
      );
      const statuses = responses.map((response) => response.status);
      assert.equal(statuses.filter((status) => status === 201).length, 1, statuses.join());
      assert.ok(statuses.every((status) => status === 201 || status === 409), statuses.join());
      const exported = await server.admin.get('/admin/polls/budget-2027/ballots', { token: ADMIN_KEY });
      const winner = responses.find((response) => response.status === 201)!.body;
      assert.equal(exported.body.filter((ballot: { id: string }) => ballot.id === winner.id).length, 1);
      const results = (await server.api.get('/polls/budget-2027/results', { token })).body;
      assert.equal(results.ballots, exported.body.length);
      const counted = results.options.reduce((sum: number, option: { count: number }) => sum + option.count, 0) + results.otherCount;
      assert.equal(counted, results.ballots);
    });

    it('keeps counts equal to the stored ballots under concurrent changes', async () => {
      const sessions = await Promise.all(Array.from({ length: 30 }, () => server.api.session()));
      const options = ['pistes', 'arceaux', 'zone30', 'atelier', 'double-sens'];
      await Promise.all(
        sessions.flatMap(({ token }, i) => [
          server.api.cast('velo-centre', token, { choices: [options[i % 5]!] }),
          server.api.cast('velo-centre', token, { choices: [options[(i + 1) % 5]!, options[(i + 2) % 5]!] }),
        ]),
      );
      const ballots = (await server.admin.get('/admin/polls/velo-centre/ballots', { token: ADMIN_KEY })).body as Array<{ choices: string[]; other?: string }>;
      const results = (await server.api.get('/polls/velo-centre/results')).body;
      assert.equal(results.ballots, ballots.length);
      for (const option of results.options) {
        assert.equal(option.count, ballots.filter((ballot) => ballot.choices.includes(option.optionId)).length, option.optionId);
      }
      assert.equal(results.otherCount, ballots.filter((ballot) => ballot.other !== undefined).length);
    });
  });
}

describe('two instances on one PostgreSQL', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let stream: SseStream;
  before(async () => {
    const databaseUrl = await freshDatabase('postgresql');
    // Both start (and migrate) at once: the advisory lock keeps them from racing.
    [a, b] = await Promise.all([
      spawnServer(['--database', databaseUrl, '--seed', '--admin-key', ADMIN_KEY]),
      spawnServer(['--database', databaseUrl, '--seed', '--admin-key', ADMIN_KEY]),
    ]);
  });
  after(async () => {
    stream?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('delivers a ballot cast on one instance to a live stream on the other', async () => {
    stream = new SseStream(`${a.url}/api/v1/events?topic=poll:velo-centre:results`);
    assert.equal((await stream.status).status, 200);
    const onB = new Api(b.url);
    const before = (await onB.get('/polls/velo-centre/results')).body.ballots;
    const { token } = await onB.session();
    assert.equal((await onB.cast('velo-centre', token, { choices: ['zone30'] })).status, 201);
    const event = await stream.next((candidate) => JSON.parse(candidate.data).ballots === before + 1, 5000);
    assert.equal(event.event, 'poll:velo-centre:results');
    // The token B issued works on A: both read the signing secret from the database.
    const onA = new Api(a.url);
    assert.equal((await onA.get('/session', { token })).status, 200);
    assert.equal((await onA.cast('velo-centre', token, { choices: ['pistes'] })).status, 200);
  });
});
