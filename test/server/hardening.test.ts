// The findings of the outside audit (issue 12), each checked on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { SseStream } from './support/sse.js';
import type { ApiResponse } from './support/client.js';
import { MemoryComments } from '../../packages/core/src/adapters/memory-comments.js';

after(dropDatabases);

const SITE = { id: 'belvoir', issuer: 'https://www.belvoir-sur-loire.example', secret: 'belvoir-cms-shared-secret-for-hardening' };
const CENTER = { lat: 47.2716, lng: 0.2167 };

/** A request through node:http, which sends any method and any header as given. */
function raw(url: string, method: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Bytes written on a socket as they are; the answer as text. */
function rawSocket(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(text, 'latin1')));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

function fields(response: ApiResponse): string[] {
  return (response.body.errors ?? []).map((error: { field: string }) => error.field);
}

for (const backend of backends) {
  describe(`audit findings on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    const streams: SseStream[] = [];
    const staticDir = mkdtempSync(join(tmpdir(), 'civic-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Belvoir</title>');

    before(async () => {
      server = await startTestServer(backend, {
        hostSites: [SITE],
        hostTokenMaxLifetimeS: 3 * 3600,
        staticDirs: [staticDir],
        trustProxy: true,
        live: { coalesceMs: 50, streamsPerAddress: 2, maxStreams: 4 },
      });
    });
    after(async () => {
      for (const stream of streams) stream.close();
      await server.close();
    });

    const admin = (method: string, path: string, body?: unknown) => server.admin.request(method, path, { token: server.admin.token, key: true, ...(body === undefined ? {} : { body }) });
    const createThread = async () => {
      const id = `h:${backend}:${(serial += 1)}`;
      assert.equal((await admin('POST', '/admin/threads', { id })).status, 201);
      return id;
    };
    const signed = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (jwt) => jwt) =>
      build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer(SITE.issuer).setSubject(`s-${(serial += 1)}`)).sign(new TextEncoder().encode(SITE.secret));
    /** Every event a reconnecting client would be given for a topic, from the start. */
    const replay = async (topic: string): Promise<string> => {
      const stream = new SseStream(`${server.url}/api/v1/events?topic=${encodeURIComponent(topic)}`, { 'last-event-id': '0', 'x-forwarded-for': `10.9.${serial % 250}.${(serial += 1) % 250}` });
      assert.equal((await stream.status).status, 200);
      await sleep(300);
      stream.close();
      return stream.events.map((event) => event.data).join('\n');
    };
    const untilReplayed = async (topic: string, text: string) => {
      for (let i = 0; i < 40 && !(await replay(topic)).includes(text); i += 1) await sleep(50);
      assert.ok((await replay(topic)).includes(text), 'the event was stored');
    };

    // ---------------------------------------------------------------- 1
    it('1: forgets stored live events about a deleted or hidden comment, and a hidden idea or map report', async () => {
      const threadId = await createThread();
      const topic = `thread:${threadId}:comments`;
      const { token } = await server.api.session();
      const deleted = await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'Texte qui sera supprimé par son auteur.' } });
      const hidden = await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'Texte qui sera masqué par la modération.' } });
      await untilReplayed(topic, 'supprimé par son auteur');
      await untilReplayed(topic, 'masqué par la modération');
      assert.equal((await server.api.request('DELETE', `/comments/${deleted.body.id}`, { token, key: true })).status, 204);
      assert.equal((await admin('POST', `/admin/comments/${hidden.body.id}/hide`)).status, 200);
      const after = await replay(topic);
      assert.ok(!after.includes('supprimé par son auteur'), after);
      assert.ok(!after.includes('masqué par la modération'), after);

      const idea = await server.api.post('/idea-boxes/belvoir-idees/ideas', {
        token,
        key: true,
        body: { title: 'Une idée bientôt masquée', body: 'Une description assez longue pour être acceptée.', categoryId: 'mobilite' },
      });
      assert.equal(idea.status, 201, JSON.stringify(idea.body));
      await untilReplayed('idea-box:belvoir-idees:ideas', 'bientôt masquée');
      assert.equal((await admin('POST', `/admin/ideas/${idea.body.id}/hide`)).status, 200);
      assert.ok(!(await replay('idea-box:belvoir-idees:ideas')).includes('bientôt masquée'));

      const report = await server.api.post('/maps/signalements/reports', {
        token,
        key: true,
        body: { categoryId: 'voirie', point: CENTER, description: 'Un signalement bientôt masqué par la mairie.', attributes: { gravite: 'gene' } },
      });
      assert.equal(report.status, 201, JSON.stringify(report.body));
      await untilReplayed('map:signalements:reports', 'bientôt masqué par la mairie');
      assert.equal((await admin('POST', `/admin/map-reports/${report.body.id}/hide`)).status, 200);
      assert.ok(!(await replay('map:signalements:reports')).includes('bientôt masqué par la mairie'));
    });

    // ---------------------------------------------------------------- 2
    it('2: answers 400 naming the field to U+0000 and other control characters in paths, queries, bodies and headers', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const query = await server.api.get('/maps/signalements/reports?category=a%00b');
      expectProblem(query, 400, 'validation');
      assert.deepEqual(fields(query), ['category']);
      const cursor = await server.api.get(`/threads/${threadId}/comments?cursor=${encodeURIComponent('x\u0000y')}`);
      expectProblem(cursor, 400, 'validation');
      assert.deepEqual(fields(cursor), ['cursor']);
      const body = await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'avant\u0000après' } });
      expectProblem(body, 400, 'validation');
      assert.deepEqual(fields(body), ['body']);
      const escape = await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'une\u001b[31m couleur' } });
      assert.deepEqual(fields(escape), ['body']);
      // Written on the socket: HTTP clients refuse to send control characters in headers, and Node's parser
      // refuses them before there is a request; the answer is still a problem document.
      const header = await rawSocket(
        server.url,
        `POST /api/v1/threads/${threadId}/comments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nIdempotency-Key: a\u0085b\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{"body":"Salut"}`,
      );
      assert.match(header, /^HTTP\/1.1 400/);
      assert.match(header, /content-type: application\/problem\+json/i);
      assert.equal(JSON.parse(header.slice(header.indexOf('\r\n\r\n') + 4)).status, 400);
      const open311 = await raw(`${server.url}/open311/v2/tokens/a%00b.json`, 'GET');
      assert.equal(open311.status, 400);
      assert.equal(JSON.parse(open311.text)[0].code, 400);
      // Tab and line feed are text.
      const fine = await server.api.post(`/threads/${threadId}/comments`, { token, key: true, body: { body: 'Deux lignes,\n\tla seconde en retrait.' } });
      assert.equal(fine.status, 201);
    });

    // ---------------------------------------------------------------- 3
    it('3: refuses host-site tokens without exp or living too long, and never answers from the cache past exp', async () => {
      const withoutExp = await signed({ name: 'Sans fin' });
      expectProblem(await server.api.get('/session', { token: withoutExp }), 401, 'unauthorised');
      const tooLong = await signed({}, (jwt) => jwt.setIssuedAt().setExpirationTime('4h'));
      expectProblem(await server.api.get('/session', { token: tooLong }), 401, 'unauthorised');
      const backdated = await signed({}, (jwt) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 10 * 3600).setExpirationTime('1h'));
      expectProblem(await server.api.get('/session', { token: backdated }), 401, 'unauthorised');
      const fine = await signed({}, (jwt) => jwt.setIssuedAt().setExpirationTime('2h'));
      assert.equal((await server.api.get('/session', { token: fine })).status, 200);

      const short = await signed({}, (jwt) => jwt.setExpirationTime(Math.floor(Date.now() / 1000) + 2));
      assert.equal((await server.api.get('/session', { token: short })).status, 200);
      await sleep(2100 - (Date.now() % 1000));
      while (Date.now() / 1000 < JSON.parse(Buffer.from(short.split('.')[1]!, 'base64url').toString()).exp) await sleep(100);
      expectProblem(await server.api.get('/session', { token: short }), 401, 'unauthorised');
    });

    // ---------------------------------------------------------------- 4
    it('4: answers 401 to admin and participant writes without rights before validating or reading the body', async () => {
      const poll = await server.api.request('POST', '/admin/polls', { raw: '{"not":"a poll"}' });
      expectProblem(poll, 401, 'unauthorised');
      assert.equal(poll.body.errors, undefined);
      const wrongKey = await server.api.request('POST', '/admin/polls', { token: 'not-the-admin-key', raw: '{' });
      expectProblem(wrongKey, 401, 'unauthorised');
      // A body far over the limit is not read.
      const big = await raw(`${server.url}/api/v1/admin/threads`, 'POST', { 'content-type': 'application/json' }, `{"id":"${'x'.repeat(200_000)}"}`);
      assert.equal(big.status, 401);
      const threadId = await createThread();
      const comment = await server.api.post(`/threads/${threadId}/comments`, { body: { nothing: true } });
      expectProblem(comment, 401, 'unauthorised');
      assert.equal(comment.body.errors, undefined);
    });

    // ---------------------------------------------------------------- 5
    it('5: caps event streams per address and per process with 429 and Retry-After, and takes only topics that exist', async () => {
      const open = (address: string, topic = 'poll:velo-centre:results') => {
        const stream = new SseStream(`${server.url}/api/v1/events?topic=${encodeURIComponent(topic)}`, { 'x-forwarded-for': address });
        streams.push(stream);
        return stream;
      };
      const first = [open('10.1.0.1'), open('10.1.0.1')];
      for (const stream of first) assert.equal((await stream.status).status, 200);
      const third = await fetch(`${server.url}/api/v1/events?topic=poll:velo-centre:results`, { headers: { 'x-forwarded-for': '10.1.0.1' } });
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
      assert.match(third.headers.get('content-type') ?? '', /^application\/problem\+json/);
      first[0]!.close();
      let again: Response | undefined;
      for (let i = 0; i < 40; i += 1) {
        again = await fetch(`${server.url}/api/v1/events?topic=poll:velo-centre:results`, { headers: { 'x-forwarded-for': '10.1.0.1' }, signal: AbortSignal.timeout(300) }).catch(() => undefined);
        if (again?.status === 200) break;
        await sleep(50);
      }
      assert.equal(again?.status, 200, 'a closed stream gives its place back');
      void again?.body?.cancel();
      await sleep(100);
      for (const stream of first) stream.close();
      await sleep(300);
      // Per process: 4 at most, whatever the address.
      const others = [open('10.2.0.1'), open('10.2.0.1'), open('10.2.0.2'), open('10.2.0.2')];
      for (const stream of others) assert.equal((await stream.status).status, 200);
      const over = await fetch(`${server.url}/api/v1/events?topic=poll:velo-centre:results`, { headers: { 'x-forwarded-for': '10.3.0.1' } });
      assert.equal(over.status, 429);
      assert.ok(Number(over.headers.get('retry-after')) >= 1);
      for (const stream of others) stream.close();
      await sleep(300);

      const unknown = await server.api.get('/events?topic=poll:velo-centre:results&topic=poll:no-such-poll:results');
      expectProblem(unknown, 404, 'not-found');
      assert.match(unknown.body.detail, /poll:no-such-poll:results/);
      const doc = (await server.api.get('/openapi.json')).body;
      const topics = doc.paths['/api/v1/events'].get.parameters.find((parameter: { name: string }) => parameter.name === 'topic');
      assert.ok(topics.schema.maxItems >= 20);
      assert.match(doc.paths['/api/v1/events'].get.description, /up to 20 topics/);
    });

    // ---------------------------------------------------------------- 6
    it('6: takes anonymous tokens only in strict base64url', async () => {
      let token = '';
      while (!/[-_]/.test(token.split('.')[2] ?? '')) token = (await server.api.session()).token;
      assert.equal((await server.api.get('/session', { token })).status, 200);
      const [header, payload, signature] = token.split('.');
      const standard = `${header}.${payload}.${signature!.replace(/-/g, '+').replace(/_/g, '/')}`;
      expectProblem(await server.api.get('/session', { token: standard }), 401, 'unauthorised');
      expectProblem(await server.api.get('/session', { token: `${token}=` }), 401, 'unauthorised');
    });

    // ---------------------------------------------------------------- 7
    it('7: answers 414, 431 and 405 as problems, unknown Open311 paths as Open311 errors, and documents the CSV import body', async () => {
      // (POST: with static files, a GET this long would be the files' 404.)
      const long = await server.api.post(`/polls/${'a'.repeat(150)}/ballots`, { body: {} });
      expectProblem(long, 414, 'validation');
      const headers = await raw(`${server.url}/api/v1/polls/budget-2027`, 'GET', { 'x-padding': 'p'.repeat(20_000) });
      assert.equal(headers.status, 431);
      assert.match(String(headers.headers['content-type']), /^application\/problem\+json/);
      assert.equal(JSON.parse(headers.text).status, 431);
      for (const method of ['TRACE', 'PUT', 'QUERY']) {
        const response = await raw(`${server.url}/api/v1/polls/budget-2027`, method);
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.allow, 'GET, HEAD, OPTIONS');
        assert.equal(JSON.parse(response.text).status, 405);
      }
      const open311 = await raw(`${server.url}/open311/v2/no-such-thing.json`, 'GET');
      assert.equal(open311.status, 404);
      assert.deepEqual(Object.keys(JSON.parse(open311.text)[0]).sort(), ['code', 'description']);
      const doc = (await server.api.get('/openapi.json')).body;
      assert.ok(doc.paths['/api/v1/admin/trackers/{id}/projects.csv'].post.requestBody.content['text/csv']);
      const comment = doc.paths['/api/v1/threads/{id}/comments'].post.requestBody.content['application/json'].schema;
      assert.equal(comment.properties.website.maxLength, 0);
      assert.equal(comment.properties.body.pattern, '\\S');
      const audit = doc.paths['/api/v1/admin/audit'].get.parameters.find((parameter: { name: string }) => parameter.name === 'cursor');
      assert.ok(audit.schema.pattern);
      const bbox = doc.paths['/api/v1/maps/{id}/reports'].get.parameters.find((parameter: { name: string }) => parameter.name === 'bbox');
      assert.ok(!new RegExp(bbox.schema.pattern).test('1.2.3,0,1,1'));
    });

    it('answers Open311 requests with an empty id or code list with an empty list (PostgreSQL answered 500)', async () => {
      for (const query of ['service_request_id=', 'service_code=', 'service_request_id=%20,%20']) {
        const response = await raw(`${server.url}/open311/v2/requests.json?${query}`, 'GET');
        assert.deepEqual([response.status, JSON.parse(response.text)], [200, []], query);
      }
    });

    it('serves the Atom feed of a tracker whose page URL fits the schema but does not parse (it answered 500)', async () => {
      const id = `feed-${backend}`;
      const created = await admin('POST', '/admin/trackers', { id, title: 'Suivi', currency: 'EUR', pageUrl: 'http://[' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const feed = await server.api.get(`/trackers/${id}/feed.atom`);
      assert.equal(feed.status, 200);
      assert.match(feed.body, /<id>tag:127\.0\.0\.1,/);
    });

    // ---------------------------------------------------------------- 8
    it('8: refuses bidirectional overrides and invisible-only text, counts code points, stores host names without markup, drops //host links', async () => {
      const threadId = await createThread();
      const { token } = await server.api.session();
      const post = (body: string, as = token) => server.api.post(`/threads/${threadId}/comments`, { token: as, key: true, body: { body } });
      for (const trick of ['\u202Egnp.exe', 'a\u2066b\u2069', 'x\u0085y']) assert.deepEqual(fields(await post(trick)), ['body'], JSON.stringify(trick));
      assert.deepEqual(fields(await post('\u200B\u200B\u200B')), ['body']);
      assert.deepEqual(fields(await post(' \u2060\uFEFF\u00AD ')), ['body']);
      const emoji = await post('🌳'.repeat(5000));
      assert.equal(emoji.status, 201, JSON.stringify(emoji.body));
      assert.deepEqual(fields(await post('🌳'.repeat(5001))), ['body']);

      const named = await signed({ name: '<b>Jeanne</b> <img src=x onerror=alert(1)>Martin' }, (jwt) => jwt.setExpirationTime('1h'));
      const byName = await post('Un commentaire signé.', named);
      assert.equal(byName.status, 201);
      assert.equal(byName.body.authorName, 'Jeanne Martin');

      const created = await admin('POST', '/admin/polls', {
        id: `links-${backend}`,
        title: 'Liens',
        type: 'single',
        resultVisibility: 'always',
        allowBallotChange: false,
        requiredVerification: 'anonymous',
        description: '<p><a href="//evil.example/">a</a> <a href="/\\evil.example/">b</a> <a href="/\t/evil.example">c</a> <a href="/budget">d</a></p>',
        options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B' }],
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const description: string = (await server.api.get(`/polls/links-${backend}`)).body.description;
      assert.ok(!/evil/.test(description.match(/href="[^"]*"/g)?.join(' ') ?? ''), description);
      assert.match(description, /href="\/budget"/);
    });
  });
}

describe('the MemoryAdapter keeps the same text rules', () => {
  it('refuses control characters, bidirectional overrides and invisible-only comments, and counts code points', () => {
    const comments = new MemoryComments({ threads: [{ id: 't', title: 'T' }] } as never, () => new Date(), () => {});
    const viewer = { id: 'p1', verification: 'anonymous' } as never;
    const refused = (body: string) =>
      assert.throws(() => comments.post('t', { body }, viewer), (error: { kind?: string; fieldErrors?: Record<string, string> }) => error.kind === 'validation' && 'body' in (error.fieldErrors ?? {}));
    refused('a\u0000b');
    refused('\u202Eabc');
    refused('\u200B\u200B');
    assert.equal(comments.post('t', { body: '🌳'.repeat(5000) }, viewer).body, '🌳'.repeat(5000));
    refused('🌳'.repeat(5001));
  });
});
