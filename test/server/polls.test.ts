import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { contractSuite, expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

const SITE_SECRET = 'belvoir-cms-shared-secret-for-tests';

async function createPoll(server: TestServer, poll: Record<string, unknown>) {
  const response = await server.admin.post('/admin/polls', {
    token: server.admin.token,
    key: true,
    body: { resultVisibility: 'always', allowBallotChange: true, requiredVerification: 'anonymous', ...poll },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

for (const backend of backends) {
  describe(`polls on ${backend}`, () => {
    let server: TestServer;
    let jwks: ReturnType<typeof createServer>;
    let jwksUrl: string;
    let privateKey: CryptoKey;

    before(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey as CryptoKey;
      const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
      jwks = createServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
      const address = jwks.address() as { port: number };
      jwksUrl = `http://127.0.0.1:${address.port}/jwks.json`;
      server = await startTestServer(backend, {
        hostSites: [
          { id: 'belvoir', issuer: 'https://www.belvoir-sur-loire.example', secret: SITE_SECRET },
          { id: 'agglo', issuer: 'https://agglo.example', jwksUrl, audience: 'civic' },
        ],
      });
    });
    after(async () => {
      await server.close();
      jwks.close();
    });

    contractSuite(() => server.api);

    it('serves an OpenAPI 3.1 document describing every route', async () => {
      const doc = (await server.api.get('/openapi.json')).body;
      assert.equal(doc.openapi, '3.1.0');
      for (const path of ['/api/v1/session', '/api/v1/polls/{id}', '/api/v1/polls/{id}/ballots', '/api/v1/polls/{id}/results', '/api/v1/events', '/api/v1/me', '/api/v1/admin/polls']) {
        assert.ok(doc.paths[path], `${path} missing`);
      }
      assert.ok(doc.paths['/api/v1/polls/{id}/ballots'].post.responses['409'].content['application/problem+json']);
    });

    it('keeps exact Borda points, mean ranks and rating averages', async () => {
      await createPoll(server, {
        id: `rank-${backend}`,
        title: 'Rank',
        type: 'ranking',
        options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }, { id: 'c', label: 'C' }],
      });
      const cast = async (ranking: string[]) => assert.equal((await server.api.cast(`rank-${backend}`, (await server.api.session()).token, { ranking })).status, 201);
      await cast(['a', 'b', 'c']);
      await cast(['a', 'c', 'b']);
      await cast(['b', 'a', 'c']);
      const results = (await server.api.get(`/polls/rank-${backend}/results`)).body;
      assert.equal(results.ballots, 3);
      assert.deepEqual(results.options, [
        { optionId: 'a', count: 5, average: 1.333 },
        { optionId: 'b', count: 3, average: 2 },
        { optionId: 'c', count: 1, average: 2.667 },
      ]);

      await createPoll(server, {
        id: `rate-${backend}`,
        title: 'Rate',
        type: 'rating',
        scale: { min: 0, max: 10 },
        options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }],
      });
      const { token } = await server.api.session();
      await server.api.cast(`rate-${backend}`, token, { ratings: { x: 10, y: 0 } });
      await server.api.cast(`rate-${backend}`, (await server.api.session()).token, { ratings: { x: 5, y: 1 } });
      // A changed ballot moves the totals: its old values leave, its new ones arrive.
      assert.equal((await server.api.cast(`rate-${backend}`, token, { ratings: { x: 0, y: 3 } })).status, 200);
      const rated = (await server.api.get(`/polls/rate-${backend}/results`)).body;
      assert.equal(rated.ballots, 2);
      assert.deepEqual(rated.options, [
        { optionId: 'x', count: 2, average: 2.5 },
        { optionId: 'y', count: 2, average: 2 },
      ]);
    });

    it('counts "other" answers, quorum and electorate', async () => {
      await createPoll(server, {
        id: `other-${backend}`,
        title: 'Other',
        type: 'single',
        allowOther: true,
        quorum: 2,
        electorate: 1000,
        options: [{ id: 'a', label: 'A' }],
      });
      await server.api.cast(`other-${backend}`, (await server.api.session()).token, { other: 'Autre chose' });
      let results = (await server.api.get(`/polls/other-${backend}/results`)).body;
      assert.deepEqual({ ...results, updatedAt: undefined }, {
        pollId: `other-${backend}`, ballots: 1, options: [{ optionId: 'a', count: 0 }], otherCount: 1,
        quorum: 2, quorumReached: false, electorate: 1000, updatedAt: undefined,
      });
      await server.api.cast(`other-${backend}`, (await server.api.session()).token, { choices: ['a'] });
      results = (await server.api.get(`/polls/other-${backend}/results`)).body;
      assert.equal(results.quorumReached, true);
      expectProblem(await server.api.cast(`other-${backend}`, (await server.api.session()).token, { choices: ['a'], other: 'both' }), 400, 'validation');
    });

    it('verifies participants from a host site (shared secret) and keeps their id stable', async () => {
      const token = await new SignJWT({ name: 'Camille D.' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://www.belvoir-sur-loire.example')
        .setSubject('cms-user-42')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SITE_SECRET));
      const first = await server.api.get('/session', { token });
      assert.equal(first.status, 200);
      assert.equal(first.body.verification, 'verified');
      assert.equal(first.body.displayName, 'Camille D.');
      assert.doesNotMatch(first.body.participantId, /cms-user-42/);
      const again = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://www.belvoir-sur-loire.example')
        .setSubject('cms-user-42')
        .setExpirationTime('2h')
        .sign(new TextEncoder().encode(SITE_SECRET));
      assert.equal((await server.api.get('/session', { token: again })).body.participantId, first.body.participantId);

      const wrongSecret = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://www.belvoir-sur-loire.example')
        .setSubject('cms-user-42')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not the secret at all, really'));
      expectProblem(await server.api.get('/session', { token: wrongSecret }), 401, 'unauthorised');
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://www.belvoir-sur-loire.example')
        .setSubject('cms-user-42')
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(SITE_SECRET));
      expectProblem(await server.api.get('/session', { token: expired }), 401, 'unauthorised');
    });

    it('verifies participants from a host site (JWKS) and lets only them vote where required', async () => {
      await createPoll(server, {
        id: `verified-${backend}`,
        title: 'Residents only',
        type: 'single',
        requiredVerification: 'verified',
        allowBallotChange: false,
        options: [{ id: 'a', label: 'A' }],
      });
      const anonymous = await server.api.session();
      expectProblem(await server.api.cast(`verified-${backend}`, anonymous.token, { choices: ['a'] }), 403, 'forbidden');
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('https://agglo.example')
        .setAudience('civic')
        .setSubject('resident-7')
        .setExpirationTime('1h')
        .sign(privateKey);
      assert.equal((await server.api.get('/session', { token })).body.verification, 'verified');
      assert.equal((await server.api.cast(`verified-${backend}`, token, { choices: ['a'] })).status, 201);
      expectProblem(await server.api.cast(`verified-${backend}`, token, { choices: ['a'] }), 409, 'conflict');
    });
  });

  describe(`idempotency in flight on ${backend}`, () => {
    let server: TestServer;
    before(async () => {
      // A wide group-commit window keeps the first request in flight long enough to be seen.
      server = await startTestServer(backend, { commitWindowMs: 300 });
    });
    after(() => server.close());

    it('answers 409 conflict to a second request with the key while the first is running', async () => {
      const { token } = await server.api.session();
      const body = { choices: ['pistes'] };
      const [first, second] = await Promise.all([
        server.api.cast('velo-centre', token, body, 'same-key-1'),
        new Promise((resolve) => setTimeout(resolve, 50)).then(() => server.api.cast('velo-centre', token, body, 'same-key-1')),
      ]);
      assert.equal(first.status, 201);
      expectProblem(second, 409, 'conflict');
      const replay = await server.api.cast('velo-centre', token, body, 'same-key-1');
      assert.equal(replay.status, 201);
      assert.deepEqual(replay.body, first.body);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    });
  });
}
