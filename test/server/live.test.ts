import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { SseStream } from './support/sse.js';

after(dropDatabases);

for (const backend of backends) {
  describe(`live events on ${backend}`, () => {
    let server: TestServer;
    const streams: SseStream[] = [];
    const open = (query: string, headers?: Record<string, string>) => {
      const stream = new SseStream(`${server.url}/api/v1/events?${query}`, headers);
      streams.push(stream);
      return stream;
    };

    before(async () => {
      server = await startTestServer(backend, { live: { coalesceMs: 200, keepAliveMs: 200 }, allowedOrigins: ['https://www.belvoir-sur-loire.example'] });
    });
    after(async () => {
      for (const stream of streams) stream.close();
      await server.close();
    });

    it('pushes new results to subscribers as Server-Sent Events', async () => {
      const stream = open('topic=poll:velo-centre:results', { origin: 'https://www.belvoir-sur-loire.example' });
      const { status, headers } = await stream.status;
      assert.equal(status, 200);
      assert.match(headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(headers.get('access-control-allow-origin'), 'https://www.belvoir-sur-loire.example');
      const { token } = await server.api.session();
      const before = (await server.api.get('/polls/velo-centre/results')).body;
      await server.api.cast('velo-centre', token, { choices: ['atelier'] });
      const event = await stream.next();
      assert.equal(event.event, 'poll:velo-centre:results');
      assert.match(event.id ?? '', /^[0-9]+$/);
      const payload = JSON.parse(event.data);
      assert.equal(payload.pollId, 'velo-centre');
      assert.equal(payload.ballots, before.ballots + 1);
    });

    it('sends keep-alive comments', async () => {
      const stream = open('topic=poll:velo-centre:results');
      await stream.status;
      await stream.waitFor(() => stream.comments.includes('keep-alive'), 3000);
    });

    it('coalesces a burst of ballots into a few pushes carrying the final count', async () => {
      const stream = open('topic=poll:satisfaction-parcs:results');
      await stream.status;
      const start = (await server.api.get('/polls/satisfaction-parcs/results')).body.ballots;
      const ratings = { entretien: 3, proprete: 3, horaires: 3, jeux: 3 };
      const sessions = await Promise.all(Array.from({ length: 40 }, () => server.api.session()));
      for (const { token } of sessions) {
        await server.api.cast('satisfaction-parcs', token, { ratings });
      }
      const last = await stream.next((event) => JSON.parse(event.data).ballots === start + 40, 5000);
      assert.ok(last);
      assert.ok(stream.events.length < 40 / 2, `${stream.events.length} pushes for 40 ballots`);
    });

    it('replays what a reconnecting client missed (Last-Event-ID)', async () => {
      const first = open('topic=poll:velo-centre:results&topic=poll:satisfaction-parcs:results');
      await first.status;
      await server.api.cast('velo-centre', (await server.api.session()).token, { choices: ['pistes'] });
      const seen = await first.next((event) => event.event === 'poll:velo-centre:results');
      first.close();
      await server.api.cast('velo-centre', (await server.api.session()).token, { choices: ['arceaux'] });
      const current = (await server.api.get('/polls/velo-centre/results')).body;
      await sleep(400);
      const again = open('topic=poll:velo-centre:results', { 'last-event-id': seen.id! });
      const replayed = await again.next((event) => event.event === 'poll:velo-centre:results', 3000);
      assert.ok(Number(replayed.id) > Number(seen.id));
      assert.equal(JSON.parse(replayed.data).ballots, current.ballots);
    });

    it('sends results that are not public only to participants allowed to see them', async () => {
      const voter = await server.api.session();
      const outsider = await server.api.session();
      await server.api.cast('budget-2027', voter.token, { choices: ['jardins'] });
      const anonymous = open('topic=poll:budget-2027:results');
      const stranger = open('topic=poll:budget-2027:results', { authorization: `Bearer ${outsider.token}` });
      const allowed = open('topic=poll:budget-2027:results', { authorization: `Bearer ${voter.token}` });
      await Promise.all([anonymous.status, stranger.status, allowed.status]);
      await server.api.cast('budget-2027', (await server.api.session()).token, { choices: ['skatepark'] });
      await allowed.next();
      await sleep(300);
      assert.equal(anonymous.events.length, 0);
      assert.equal(stranger.events.length, 0);
    });

    it('refuses unknown topics with a problem', async () => {
      const response = await fetch(`${server.url}/api/v1/events?topic=everything`);
      assert.equal(response.status, 400);
      const missing = await server.api.get('/events');
      expectProblem(missing, 400, 'validation');
    });
  });
}
