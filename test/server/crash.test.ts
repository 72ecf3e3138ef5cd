import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { backends, dropDatabases, freshDatabase } from './support/backends.js';
import { Api } from './support/client.js';
import { ADMIN_KEY } from './support/harness.js';
import { spawnServer } from './support/process.js';

after(dropDatabases);

for (const backend of backends) {
  describe(`kill -9 during a burst of ballots on ${backend}`, () => {
    it('keeps every acknowledged ballot', async () => {
      const databaseUrl = await freshDatabase(backend);
      const args = ['--database', databaseUrl, '--seed', '--admin-key', ADMIN_KEY];
      const env = { LIMIT_PER_ADDRESS: '1000000', LIMIT_SESSIONS: '1000000' };
      const first = await spawnServer(args, env);
      const api = new Api(first.url);
      const sessions = [];
      for (let i = 0; i < 300; i += 1) sessions.push(await api.session());

      const acknowledged: Array<{ token: string; ballotId: string }> = [];
      let killed = false;
      const options = ['pistes', 'arceaux', 'zone30', 'atelier', 'double-sens'];
      await Promise.all(
        sessions.map(async ({ token }, i) => {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(i / 20) * 5));
          try {
            const response = await api.cast('velo-centre', token, { choices: [options[i % 5]!] });
            if (response.status === 201) acknowledged.push({ token, ballotId: response.body.id });
          } catch {
            // The server died under this request: it was never acknowledged.
          }
          if (!killed && acknowledged.length >= 60) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }),
      );
      await first.stop('SIGKILL');
      assert.ok(killed, `only ${acknowledged.length} ballots were acknowledged before the burst ended`);
      assert.ok(acknowledged.length >= 60);

      const second = await spawnServer(args, env);
      try {
        const again = new Api(second.url);
        for (const { token, ballotId } of acknowledged) {
          const participation = await again.get('/polls/velo-centre/participation', { token });
          assert.equal(participation.body.ballot?.id, ballotId);
        }
        // Counts moved in the same transactions as the ballots: they agree after the crash.
        const ballots = (await again.get('/admin/polls/velo-centre/ballots', { token: ADMIN_KEY })).body as Array<{ choices: string[] }>;
        const results = (await again.get('/polls/velo-centre/results')).body;
        assert.equal(results.ballots, ballots.length);
        for (const option of results.options) {
          assert.equal(option.count, ballots.filter((ballot) => ballot.choices.includes(option.optionId)).length);
        }
      } finally {
        await second.stop();
      }
    });
  });
}
