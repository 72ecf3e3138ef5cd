import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { expectProblem } from './conformance/contract.js';
import { dropDatabases } from './support/backends.js';
import { ADMIN_KEY, startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

const ORIGIN = 'https://www.belvoir-sur-loire.example';

describe('protection', () => {
  let server: TestServer;
  let logs = '';
  const staticDir = mkdtempSync(join(tmpdir(), 'civic-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Belvoir-sur-Loire</title>');
  writeFileSync(join(staticDir, 'civic-widgets.js'), 'export {};\n');

  before(async () => {
    server = await startTestServer('sqlite', {
      allowedOrigins: [ORIGIN],
      staticDirs: [staticDir],
      rateLimits: { perAddress: 10_000, perParticipant: 5, sessionsPerAddress: 10_000 },
      logger: {
        level: 'info',
        stream: new Writable({
          write(chunk, _encoding, done) {
            logs += chunk;
            done();
          },
        }),
      },
    });
  });
  after(() => server.close());

  it('allows the API only to listed origins, and the public files to any', async () => {
    const allowed = await fetch(`${server.url}/api/v1/polls/budget-2027/ballots`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
    const reaction = await fetch(`${server.url}/api/v1/comments/c_x/reaction`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    assert.match(reaction.headers.get('access-control-allow-methods') ?? '', /PUT/);
    const missing = await fetch(`${server.url}/api/v1/no-such-route`, { headers: { origin: ORIGIN } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), ORIGIN);
    const other = await fetch(`${server.url}/api/v1/polls/budget-2027`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    const script = await fetch(`${server.url}/civic-widgets.js`, { headers: { origin: 'https://evil.example' } });
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('access-control-allow-origin'), '*');
    const page = await fetch(`${server.url}/`);
    assert.match(await page.text(), /Belvoir-sur-Loire/);
  });

  it('sends security headers', async () => {
    const response = await fetch(`${server.url}/api/v1/polls/budget-2027`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
  });

  it('limits writes per participant with 429, Retry-After and a problem', async () => {
    const { token } = await server.api.session();
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i += 1) {
      const response = await server.api.cast('velo-centre', token, { choices: ['pistes'] });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    assert.deepEqual(statuses, [201, 200, 200, 200, 200, 429, 429]);
    expectProblem(limited!, 429, 'rate-limited');
    assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
    // Another participant from the same address is not held back.
    assert.equal((await server.api.cast('velo-centre', (await server.api.session()).token, { choices: ['pistes'] })).status, 201);
  });

  it('limits comments per participant with 429 and Retry-After', async () => {
    const { token } = await server.api.session();
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 6; i += 1) {
      const response = await server.api.post('/threads/budget-2027/comments', { token, key: true, body: { body: `Message ${i}`, stance: 'neutral' } });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429]);
    expectProblem(limited!, 429, 'rate-limited');
    assert.ok(Number(limited!.headers.get('retry-after')) >= 1);
  });

  it('asks for a proof of work where a poll wants one', async () => {
    await server.admin.post('/admin/polls', {
      token: ADMIN_KEY,
      key: true,
      body: { id: 'pow', title: 'PoW', type: 'single', options: [{ id: 'a', label: 'A' }], resultVisibility: 'always', allowBallotChange: false, requiredVerification: 'anonymous', proofOfWork: true },
    });
    const { token } = await server.api.session();
    const missing = await server.api.cast('pow', token, { choices: ['a'] });
    expectProblem(missing, 403, 'forbidden');
    assert.equal(missing.body.errors[0].field, 'X-Civic-Proof');

    const altcha = await import(createRequire(new URL('../../packages/server/package.json', import.meta.url)).resolve('altcha-lib'));
    const { deriveKey } = await import(createRequire(new URL('../../packages/server/package.json', import.meta.url)).resolve('altcha-lib/algorithms/sha'));
    const challenge = (await server.api.get('/challenge')).body;
    const solution = await altcha.solveChallenge({ challenge, deriveKey });
    const proof = Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
    const key = 'pow-ballot-1';
    const cast = await server.api.cast('pow', token, { choices: ['a'] }, key);
    expectProblem(cast, 403, 'forbidden');
    const withProof = await server.api.post('/polls/pow/ballots', { token, key, body: { choices: ['a'] }, headers: { 'x-civic-proof': proof } });
    assert.equal(withProof.status, 201);
    const retry = await server.api.post('/polls/pow/ballots', { token, key, body: { choices: ['a'] }, headers: { 'x-civic-proof': proof } });
    assert.equal(retry.status, 201);
    const other = await server.api.session();
    const reused = await server.api.post('/polls/pow/ballots', { token: other.token, key: true, body: { choices: ['a'] }, headers: { 'x-civic-proof': proof } });
    expectProblem(reused, 403, 'forbidden');
    const forged = Buffer.from(JSON.stringify({ challenge: { ...challenge, parameters: { ...challenge.parameters, nonce: 'f00' } }, solution })).toString('base64');
    expectProblem(await server.api.post('/polls/pow/ballots', { token: other.token, key: true, body: { choices: ['a'] }, headers: { 'x-civic-proof': forged } }), 403, 'forbidden');
  });

  it('answers every kind of bad request with a 4xx problem and stays up', async () => {
    const { token } = await server.api.session();
    const url = (path: string) => `${server.url}/api/v1${path}`;
    const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const attempts: Array<[string, RequestInit]> = [
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'x'.repeat(500) }, body: '{"choices":["pistes"]}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'k a' }, body: '{"choices":["pistes"]}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n1' }, body: '{"__proto__":{"admin":true},"choices":["pistes"]}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n2' }, body: '{"constructor":{"prototype":{"x":1}}}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n3' }, body: `${'['.repeat(5000)}${']'.repeat(5000)}` }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n4' }, body: JSON.stringify({ choices: Array(5000).fill('pistes') }) }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n5' }, body: '{"choices":[null]}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n6' }, body: 'null' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n7' }, body: '"text"' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n8' }, body: Buffer.from([0xff, 0xfe, 0x7b, 0x00]) }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n9' }, body: '{"ratings":{"x":"1e999"}}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { ...json, 'idempotency-key': 'n10' }, body: '{"choices":["<script>"]}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x.y.z-not-a-token', 'idempotency-key': 'n11' }, body: '{}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz', 'idempotency-key': 'n12' }, body: '{}' }],
      ['/polls/velo-centre/ballots', { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}`, 'idempotency-key': 'n13' }, body: 'hello' }],
      ['/polls/velo-centre/ballots', { method: 'PUT', headers: json, body: '{}' }],
      ['/polls/../../etc/passwd', { method: 'GET' }],
      [`/polls/${'a'.repeat(3000)}`, { method: 'GET' }],
      ['/polls/%00%ff', { method: 'GET' }],
      ['/admin/polls?limit=5&sort=evil', { method: 'GET', headers: { authorization: `Bearer ${ADMIN_KEY}` } }],
      ['/events?topic=poll:velo-centre:results', { method: 'GET', headers: { 'last-event-id': 'yesterday' } }],
      ['/admin/polls?limit=abc', { method: 'GET', headers: { authorization: `Bearer ${ADMIN_KEY}` } }],
      ['/admin/polls', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': 'n14' }, body: '{"id":"../x","title":"","type":"poll","options":[]}' }],
      ['/admin/polls/velo-centre', { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': 'n15' }, body: '{"opensAt":"tomorrow"}' }],
    ];
    for (const [path, init] of attempts) {
      const response = await fetch(url(path), init);
      const text = await response.text();
      assert.ok(response.status >= 400 && response.status < 500, `${init.method} ${path.slice(0, 60)} → ${response.status} ${text.slice(0, 200)}`);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, `${path.slice(0, 60)}: ${text.slice(0, 100)}`);
      const body = JSON.parse(text);
      assert.equal(body.status, response.status);
      assert.ok(['validation', 'unauthorised', 'forbidden', 'not-found', 'conflict', 'rate-limited', 'closed'].includes(body.code), body.code);
    }
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    assert.equal((await fetch(url('/polls/velo-centre'))).status, 200);
  });

  it('logs requests without addresses, tokens or query strings', async () => {
    const { token } = await server.api.session();
    await server.api.get('/polls/budget-2027/participation?secret=q', { token });
    const requests = logs.split('\n').filter((line) => line.includes('"msg":"request"'));
    assert.ok(requests.some((line) => line.includes('"route":"/api/v1/polls/:id/participation"')));
    for (const line of requests) {
      assert.doesNotMatch(line, /127\.0\.0\.1|remoteAddress|authorization|Bearer|secret=q|"url"/i);
      assert.ok(!line.includes(token));
    }
    assert.ok(!logs.includes(token));
  });
});
