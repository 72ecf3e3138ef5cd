import { expect, waitUntil, aTimeout } from '@open-wc/testing';
import type { RestAdapterOptions } from '../../packages/core/src/adapters/rest-adapter.js';
import { createRestAdapter } from '../../packages/core/src/adapters/rest/all.js';
import type { CivicErrorKind } from '../../packages/core/src/contract/errors.js';
import type { LiveMessage } from '../../packages/core/src/contract/types.js';
import { BASE, fakeFetch, json, problem, rejection, type Call, type Reply } from '../support/rest.js';
import { POLL_IDS, createPolls } from './fixtures/polls.js';

const STORAGE_KEY = `civic-widgets:session:${BASE}`;

/** A fetch reply that only ends when the request is aborted, as a hung server. */
function hang(call: Call): Promise<Response> {
  return new Promise((_, reject) => {
    if (call.signal?.aborted) reject(call.signal.reason);
    call.signal?.addEventListener('abort', () => reject(call.signal!.reason), { once: true });
  });
}

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  const storage = {
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
  return storage as Storage;
}

const session = (token = 'anon-1') => ({
  token,
  participantId: `participant-${token}`,
  verification: 'anonymous',
  expiresAt: '2099-01-01T00:00:00Z',
});
const poll = createPolls(new Date('2027-03-01T00:00:00Z'))[0]!;
const ballot = { id: 'b1', pollId: poll.id, castAt: '2027-03-02T10:00:00Z', choices: ['simone-veil'] };

/** A small server for the happy paths: sessions, polls and ballots. */
function happyServer(): Reply {
  let sessions = 0;
  return (call) => {
    const path = call.url.slice(BASE.length);
    if (call.method === 'POST' && path === '/session') return json(201, session(`anon-${++sessions}`));
    if (call.method === 'GET' && path === '/session') return json(200, { participantId: 'participant-anon-1', verification: 'anonymous' });
    if (call.method === 'POST' && path.endsWith('/ballots')) return json(201, ballot);
    if (path.endsWith('/participation')) return json(200, { canSeeResults: false });
    if (path.endsWith('/results')) return json(200, { pollId: poll.id, ballots: 0, options: [], updatedAt: '2027-03-02T10:00:00Z' });
    return json(200, poll);
  };
}

function adapterWith(reply: Reply, options: Partial<RestAdapterOptions> = {}) {
  const server = fakeFetch(reply);
  const storage = options.storage === undefined ? memoryStorage() : options.storage;
  const adapter = createRestAdapter({ baseUrl: BASE, fetch: server.fetch, storage, ...options });
  return { adapter, calls: server.calls, storage };
}

const write = (key = 'key-1') => ({ idempotencyKey: key });

describe('RestAdapter', () => {
  describe('requests', () => {
    it('reads a poll at its URL-encoded path with JSON accepted, no token and nothing stored', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer());
      const result = await adapter.polls.get('budget 2027/quartier#1');
      expect(result).to.deep.equal(poll);
      expect(calls).to.have.length(1);
      expect(calls[0]!.url).to.equal(`${BASE}/polls/budget%202027%2Fquartier%231`);
      expect(calls[0]!.method).to.equal('GET');
      expect(calls[0]!.headers.get('Accept')).to.contain('application/json');
      expect(calls[0]!.headers.has('Authorization')).to.be.false;
      expect(storage!.length).to.equal(0);
    });

    it('asks for participation and results without a token before any write', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer());
      expect(await adapter.polls.participation(POLL_IDS.single)).to.deep.equal({ canSeeResults: false });
      await adapter.polls.results(POLL_IDS.single);
      expect(calls.map((c) => c.url)).to.deep.equal([
        `${BASE}/polls/${POLL_IDS.single}/participation`,
        `${BASE}/polls/${POLL_IDS.single}/results`,
      ]);
      expect(calls.every((c) => !c.headers.has('Authorization'))).to.be.true;
      expect(storage!.length).to.equal(0);
    });

    it('creates an anonymous session on the first write only, stores it and sends it after', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer());
      const result = await adapter.polls.castBallot(poll.id, { choices: ['simone-veil'] }, write('k-1'));
      expect(result).to.deep.equal(ballot);

      expect(calls.map((c) => `${c.method} ${c.url.slice(BASE.length)}`)).to.deep.equal([
        'POST /session',
        `POST /polls/${poll.id}/ballots`,
      ]);
      expect(calls[0]!.headers.has('Authorization')).to.be.false;
      const cast = calls[1]!;
      expect(cast.headers.get('Authorization')).to.equal('Bearer anon-1');
      expect(cast.headers.get('Idempotency-Key')).to.equal('k-1');
      expect(cast.headers.get('Content-Type')).to.equal('application/json');
      expect(JSON.parse(cast.body!)).to.deep.equal({ choices: ['simone-veil'] });
      expect(JSON.parse(storage!.getItem(STORAGE_KEY)!).token).to.equal('anon-1');

      await adapter.polls.castBallot(poll.id, { choices: ['jules-verne'] }, write('k-2'));
      await adapter.polls.participation(poll.id);
      expect(calls.filter((c) => c.url.endsWith('/session'))).to.have.length(1);
      expect(calls.slice(2).every((c) => c.headers.get('Authorization') === 'Bearer anon-1')).to.be.true;
    });

    it('reuses the stored anonymous token in a later page', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify(session('kept')));
      const { adapter, calls } = adapterWith(happyServer(), { storage });
      await adapter.polls.participation(poll.id);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer kept');
    });

    it('ignores an expired or unreadable stored token', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify({ ...session('old'), expiresAt: '2000-01-01T00:00:00Z' }));
      const first = adapterWith(happyServer(), { storage });
      await first.adapter.polls.get(poll.id);
      expect(first.calls[0]!.headers.has('Authorization')).to.be.false;
      expect(storage.getItem(STORAGE_KEY)).to.be.null;

      storage.setItem(STORAGE_KEY, '{not json');
      const second = adapterWith(happyServer(), { storage });
      await second.adapter.polls.get(poll.id);
      expect(second.calls[0]!.headers.has('Authorization')).to.be.false;
    });

    it('creates one session for concurrent first writes', async () => {
      const { adapter, calls } = adapterWith(happyServer());
      await Promise.all([
        adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('k-1')),
        adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('k-2')),
      ]);
      expect(calls.filter((c) => c.url === `${BASE}/session`)).to.have.length(1);
    });

    it('keeps the anonymous token in memory when storage is null', async () => {
      const { adapter, calls } = adapterWith(happyServer(), { storage: null });
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('k-1'));
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('k-2'));
      expect(calls.filter((c) => c.url === `${BASE}/session`)).to.have.length(1);
      expect(calls[2]!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });

    it('survives a storage that throws', async () => {
      const denied = memoryStorage();
      denied.getItem = () => {
        throw new DOMException('denied', 'SecurityError');
      };
      denied.setItem = denied.getItem;
      const { adapter, calls } = adapterWith(happyServer(), { storage: denied });
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write());
      expect(calls[1]!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });

    it('uses the host token provider instead of an anonymous session and stores nothing', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer(), { token: async () => 'signed-by-cms' });
      await adapter.polls.get(poll.id);
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write());
      expect(calls.map((c) => c.url)).not.to.include(`${BASE}/session`);
      expect(calls.every((c) => c.headers.get('Authorization') === 'Bearer signed-by-cms')).to.be.true;
      expect(storage!.length).to.equal(0);
    });

    it('sends extra headers and tolerates a trailing slash in the base URL', async () => {
      const { adapter, calls } = adapterWith(happyServer(), { baseUrl: `${BASE}/`, headers: { 'X-Council': 'val-dorgon' } });
      await adapter.polls.get(poll.id);
      expect(calls[0]!.url).to.equal(`${BASE}/polls/${poll.id}`);
      expect(calls[0]!.headers.get('X-Council')).to.equal('val-dorgon');
    });

    it('knows nobody before the first write: reading the session sends and stores nothing', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer());
      expect(await adapter.session.current()).to.be.undefined;
      await adapter.polls.get(poll.id);
      await adapter.polls.participation(poll.id);
      expect(calls.map((c) => `${c.method} ${c.url.slice(BASE.length)} ${c.headers.get('Authorization')}`)).to.deep.equal([
        `GET /polls/${poll.id} null`,
        `GET /polls/${poll.id}/participation null`,
      ]);
      expect(storage!.length).to.equal(0);
    });

    it('gets the session of the participant that the first write created', async () => {
      const { adapter, calls } = adapterWith(happyServer());
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write());
      const current = await adapter.session.current();
      expect(current?.participantId).to.equal('participant-anon-1');
      expect(calls.map((c) => `${c.method} ${c.url.slice(BASE.length)}`)).to.deep.equal(['POST /session', `POST /polls/${poll.id}/ballots`, 'GET /session']);
      expect(calls[2]!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });

    it('gets the session of a host token without creating an anonymous participant', async () => {
      const { adapter, calls, storage } = adapterWith(happyServer(), { token: () => 'signed-by-cms' });
      await adapter.session.current();
      expect(calls.map((c) => `${c.method} ${c.url.slice(BASE.length)} ${c.headers.get('Authorization')}`)).to.deep.equal(['GET /session Bearer signed-by-cms']);
      expect(storage!.length).to.equal(0);
    });

    it('drops a refused anonymous token, gets a new one once and retries the write', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify(session('revoked')));
      const server = happyServer();
      const { adapter, calls } = adapterWith(
        (call, index) => (call.headers.get('Authorization') === 'Bearer revoked' ? problem(401, { code: 'unauthorised' }) : server(call, index)),
        { storage },
      );
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('k'));
      expect(calls.map((c) => `${c.method} ${c.url.slice(BASE.length)} ${c.headers.get('Authorization')}`)).to.deep.equal([
        `POST /polls/${poll.id}/ballots Bearer revoked`,
        'POST /session null',
        `POST /polls/${poll.id}/ballots Bearer anon-1`,
      ]);
      expect(calls[2]!.headers.get('Idempotency-Key')).to.equal('k');
      expect(JSON.parse(storage.getItem(STORAGE_KEY)!).token).to.equal('anon-1');
    });

    it('retries a read without a token after its anonymous token is refused', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify(session('revoked')));
      const { adapter, calls } = adapterWith(
        (call) => (call.headers.has('Authorization') ? problem(401, {}) : json(200, { canSeeResults: true })),
        { storage },
      );
      expect(await adapter.polls.participation(poll.id)).to.deep.equal({ canSeeResults: true });
      expect(calls).to.have.length(2);
      expect(storage.getItem(STORAGE_KEY)).to.be.null;
    });

    it('gives up after one new anonymous token', async () => {
      const { adapter, calls } = adapterWith((call) => (call.url.endsWith('/session') ? json(201, session(`t${Math.random()}`)) : problem(401, {})));
      const error = await rejection(adapter.polls.castBallot(poll.id, { choices: ['a'] }, write()));
      expect(error.kind).to.equal('unauthorised');
      expect(calls.filter((c) => c.url.endsWith('/session'))).to.have.length(2);
      expect(calls).to.have.length(4);
    });

    it('does not replace a refused host token with an anonymous one', async () => {
      const { adapter, calls } = adapterWith(() => problem(401, { detail: 'Token expired' }), { token: () => 'host' });
      const error = await rejection(adapter.polls.castBallot(poll.id, { choices: ['a'] }, write()));
      expect(error.kind).to.equal('unauthorised');
      expect(error.message).to.equal('Token expired');
      expect(calls).to.have.length(1);
    });
  });

  describe('errors', () => {
    const cases: Array<[string, () => Response, CivicErrorKind]> = [
      ['400', () => problem(400, {}), 'validation'],
      ['422', () => problem(422, {}), 'validation'],
      ['401', () => problem(401, {}), 'unauthorised'],
      ['403', () => problem(403, { code: 'forbidden' }), 'forbidden'],
      ['404', () => problem(404, {}), 'not-found'],
      ['409', () => problem(409, {}), 'conflict'],
      ['410', () => problem(410, {}), 'closed'],
      ['403 with code closed', () => problem(403, { code: 'closed' }), 'closed'],
      ['422 with an unknown code', () => problem(422, { code: 'ballot-shape' }), 'validation'],
      ['429', () => problem(429, {}), 'rate-limited'],
      ['500', () => problem(500, {}), 'server'],
      ['503 with an HTML page', () => new Response('<html><body>Bad gateway</body></html>', { status: 503, headers: { 'Content-Type': 'text/html' } }), 'server'],
      ['405 with an empty body', () => new Response(null, { status: 405 }), 'misconfigured'],
      ['200 that is not JSON', () => new Response('<html></html>', { status: 200 }), 'server'],
      ['a problem body that is a JSON array', () => new Response('[1,2]', { status: 404 }), 'not-found'],
    ];
    for (const [name, reply, kind] of cases) {
      it(`maps ${name} to ${kind}`, async () => {
        const { adapter } = adapterWith(reply);
        const error = await rejection(adapter.polls.get(poll.id));
        expect(error.kind).to.equal(kind);
        expect(error.message).to.be.a('string').and.not.empty;
      });
    }

    it('keeps field errors, detail, type and status of a problem', async () => {
      const { adapter } = adapterWith(() =>
        problem(422, {
          type: 'https://civic-widgets.example/problems/invalid-ballot',
          detail: 'The ballot does not fit the poll',
          errors: [
            { field: 'choices', message: 'Choose at most 3 answers' },
            { field: 'other', message: 'Too long' },
            { field: 42, message: 'ignored' },
            'ignored',
          ],
        }),
      );
      const error = await rejection(adapter.polls.castBallot(poll.id, { choices: ['a'] }, write()));
      expect(error.kind).to.equal('validation');
      expect(error.message).to.equal('The ballot does not fit the poll');
      expect(error.status).to.equal(422);
      expect(error.type).to.equal('https://civic-widgets.example/problems/invalid-ballot');
      expect(error.fieldErrors).to.deep.equal({ choices: 'Choose at most 3 answers', other: 'Too long' });
    });

    it('reads Retry-After in seconds, or from the problem', async () => {
      const header = await rejection(adapterWith(() => problem(429, {}, { 'Retry-After': '42' })).adapter.polls.get(poll.id));
      expect(header.retryAfter).to.equal(42);
      const body = await rejection(adapterWith(() => problem(429, { retryAfter: 7 })).adapter.polls.get(poll.id));
      expect(body.retryAfter).to.equal(7);
    });

    it('reports a failed fetch as network, or offline when the browser is offline', async () => {
      const failing = () => Promise.reject(new TypeError('Failed to fetch'));
      expect((await rejection(adapterWith(failing).adapter.polls.get(poll.id))).kind).to.equal('network');

      Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
      try {
        expect((await rejection(adapterWith(failing).adapter.polls.get(poll.id))).kind).to.equal('offline');
      } finally {
        delete (navigator as { onLine?: boolean }).onLine;
      }
      expect(navigator.onLine).to.be.a('boolean');
    });

    it('times out a request that hangs', async () => {
      const { adapter, calls } = adapterWith(hang, { timeoutMs: 40 });
      const error = await rejection(adapter.polls.get(poll.id));
      expect(error.kind).to.equal('timeout');
      expect(calls[0]!.signal!.aborted).to.be.true;
    });

    it('passes a caller abort through as an AbortError', async () => {
      const { adapter } = adapterWith(hang);
      const controller = new AbortController();
      const pending = adapter.polls.get(poll.id, { signal: controller.signal });
      controller.abort();
      try {
        await pending;
        expect.fail('should have been aborted');
      } catch (error) {
        expect(error).to.be.instanceOf(DOMException);
        expect((error as DOMException).name).to.equal('AbortError');
      }
    });
  });

  describe('retries', () => {
    it('retries a read after transient failures', async () => {
      const replies = [() => Promise.reject(new TypeError('reset')), () => problem(503, {}), () => json(200, poll)];
      const { adapter, calls } = adapterWith((_, i) => replies[i]!(), { retry: { retries: 2, baseDelayMs: 5 } });
      expect(await adapter.polls.get(poll.id)).to.deep.equal(poll);
      expect(calls).to.have.length(3);
    });

    it('retries a timed out read', async () => {
      const { adapter, calls } = adapterWith((call, i) => (i === 0 ? hang(call) : json(200, poll)), {
        timeoutMs: 30,
        retry: { retries: 1, baseDelayMs: 5 },
      });
      expect(await adapter.polls.get(poll.id)).to.deep.equal(poll);
      expect(calls).to.have.length(2);
    });

    it('waits for Retry-After before retrying a rate-limited request', async () => {
      const { adapter, calls } = adapterWith((_, i) => (i === 0 ? problem(429, {}, { 'Retry-After': '1' }) : json(200, poll)), {
        retry: { retries: 1, baseDelayMs: 5 },
      });
      const started = performance.now();
      await adapter.polls.get(poll.id);
      expect(performance.now() - started).to.be.at.least(950);
      expect(calls).to.have.length(2);
    });

    it('leaves a Retry-After longer than the timeout to the caller', async () => {
      const { adapter, calls } = adapterWith(() => problem(429, {}, { 'Retry-After': '60' }), { retry: { retries: 3, baseDelayMs: 5 } });
      const error = await rejection(adapter.polls.get(poll.id));
      expect(error.kind).to.equal('rate-limited');
      expect(error.retryAfter).to.equal(60);
      expect(calls).to.have.length(1);
    });

    it('does not retry a failure that would fail again', async () => {
      const { adapter, calls } = adapterWith(() => problem(404, {}), { retry: { retries: 3, baseDelayMs: 5 } });
      expect((await rejection(adapter.polls.get(poll.id))).kind).to.equal('not-found');
      expect(calls).to.have.length(1);
    });

    it('stops after the configured retries with the last error', async () => {
      const { adapter, calls } = adapterWith(() => problem(502, { detail: 'upstream' }), { retry: { retries: 2, baseDelayMs: 5 } });
      const error = await rejection(adapter.polls.get(poll.id));
      expect(error.kind).to.equal('server');
      expect(calls).to.have.length(3);
    });

    it('retries a write with the same Idempotency-Key, session creation included', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify(session('kept')));
      const { adapter, calls } = adapterWith((_, i) => (i === 0 ? problem(500, {}) : json(201, ballot)), {
        storage,
        retry: { retries: 1, baseDelayMs: 5 },
      });
      await adapter.polls.castBallot(poll.id, { choices: ['a'] }, write('same-key'));
      expect(calls.map((c) => c.headers.get('Idempotency-Key'))).to.deep.equal(['same-key', 'same-key']);

      const fresh = adapterWith(() => problem(503, {}), { retry: { retries: 2, baseDelayMs: 5 } });
      expect((await rejection(fresh.adapter.polls.castBallot(poll.id, { choices: ['a'] }, write()))).kind).to.equal('server');
      // POST /session has no idempotency key, so it is sent once per attempt of the ballot.
      expect(fresh.calls.every((c) => c.url === `${BASE}/session`)).to.be.true;
      expect(fresh.calls).to.have.length(3);
    });

    it('does not retry without a retry policy', async () => {
      const { adapter, calls } = adapterWith(() => problem(503, {}));
      await rejection(adapter.polls.get(poll.id));
      expect(calls).to.have.length(1);
    });
  });

  describe('live events', () => {
    function eventStream() {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
      });
      const encoder = new TextEncoder();
      return {
        body,
        send: (text: string) => controller.enqueue(encoder.encode(text)),
        sendBytes: (bytes: Uint8Array) => controller.enqueue(bytes),
        close: () => controller.close(),
      };
    }

    function sseServer() {
      const streams: Array<ReturnType<typeof eventStream>> = [];
      const reply: Reply = (call) => {
        if (!call.url.includes('/events?')) return json(200, poll);
        const stream = eventStream();
        streams.push(stream);
        return new Response(stream.body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
      };
      return { streams, reply };
    }

    it('parses events, multi-line data, comments, CRLF and split chunks', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply);
      const received: LiveMessage[] = [];
      const unsubscribe = adapter.subscribe('poll:budget 2027:results', (message) => received.push(message));
      await waitUntil(() => streams.length === 1);

      const call = calls[0]!;
      expect(call.url).to.equal(`${BASE}/events?topic=poll%3Abudget%202027%3Aresults`);
      expect(call.headers.get('Accept')).to.equal('text/event-stream');
      expect(call.headers.has('Authorization')).to.be.false;
      expect(call.headers.has('Last-Event-ID')).to.be.false;

      const stream = streams[0]!;
      stream.send(': keep-alive\n\n');
      stream.send('id: 1\nevent: poll:budget 2027:results\ndata: {"ballots":\ndata: 3}\n\n');
      stream.send('id: 2\r\nevent: poll:other:results\r\ndata: {"ballots": 99}\r\n\r\n');
      stream.send('id: 3\nevent: poll:budget 2027:res');
      stream.send('ults\ndata: {"label": "caf');
      const bytes = new TextEncoder().encode('é"}\n\n');
      stream.sendBytes(bytes.slice(0, 1));
      stream.sendBytes(bytes.slice(1));
      stream.send('id: 4\ndata: not json\n\n');
      await waitUntil(() => received.length === 2);
      await aTimeout(20);

      expect(received).to.deep.equal([
        { topic: 'poll:budget 2027:results', id: '1', payload: { ballots: 3 } },
        { topic: 'poll:budget 2027:results', id: '3', payload: { label: 'café' } },
      ]);
      unsubscribe();
    });

    it('reconnects after the stream ends, with Last-Event-ID and the token', async () => {
      const storage = memoryStorage();
      storage.setItem(STORAGE_KEY, JSON.stringify(session('kept')));
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply, { storage });
      const received: unknown[] = [];
      const unsubscribe = adapter.subscribe('poll:p:results', (message) => received.push(message.payload));
      await waitUntil(() => streams.length === 1);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer kept');

      streams[0]!.send('retry: 10\nid: 41\nevent: poll:p:results\ndata: {"ballots": 1}\n\n');
      await waitUntil(() => received.length === 1);
      streams[0]!.close();
      await waitUntil(() => streams.length === 2, 'reconnected', { timeout: 2000 });
      expect(calls[1]!.headers.get('Last-Event-ID')).to.equal('41');

      streams[1]!.send('id: 42\nevent: poll:p:results\ndata: {"ballots": 2}\n\n');
      await waitUntil(() => received.length === 2);
      expect(received).to.deep.equal([{ ballots: 1 }, { ballots: 2 }]);
      unsubscribe();
    });

    it('reconnects after a network failure or a server error', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith((call, i) => {
        if (i === 0) return Promise.reject(new TypeError('Failed to fetch'));
        if (i === 1) return problem(503, {});
        return reply(call, i);
      });
      const unsubscribe = adapter.subscribe('poll:p:results', () => undefined);
      await waitUntil(() => streams.length === 1, 'connected after failures', { timeout: 5000 });
      expect(calls).to.have.length(3);
      unsubscribe();
    });

    it('does not reconnect to a topic the server refuses', async () => {
      const { adapter, calls } = adapterWith(() => problem(404, {}));
      const unsubscribe = adapter.subscribe('poll:gone:results', () => undefined);
      await waitUntil(() => calls.length === 1);
      await aTimeout(1200);
      expect(calls).to.have.length(1);
      unsubscribe();
    });

    it('carries every topic in one connection and closes it when the last listener leaves', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply);
      const first: unknown[] = [];
      const second: unknown[] = [];
      const results: unknown[] = [];
      const stopFirst = adapter.subscribe('poll:p:results', (m) => first.push(m.payload));
      const stopSecond = adapter.subscribe('poll:p:results', (m) => second.push(m.payload));
      const stopThread = adapter.subscribe('thread:t:comments', (m) => results.push(m.payload));
      await waitUntil(() => streams.length === 1);
      await aTimeout(60);
      expect(calls).to.have.length(1);
      expect(calls[0]!.url).to.equal(`${BASE}/events?topic=poll%3Ap%3Aresults&topic=thread%3At%3Acomments`);

      streams[0]!.send('event: poll:p:results\ndata: 1\n\nevent: thread:t:comments\ndata: "c"\n\n');
      await waitUntil(() => first.length === 1 && second.length === 1 && results.length === 1);

      stopFirst();
      stopFirst();
      await aTimeout(60);
      // Another listener of the same topic remains: the stream is the same.
      expect(calls).to.have.length(1);
      expect(calls[0]!.signal!.aborted).to.be.false;
      streams[0]!.send('event: poll:p:results\ndata: 2\n\n');
      await waitUntil(() => second.length === 2);
      expect(first).to.deep.equal([1]);

      stopSecond();
      stopThread();
      expect(calls[0]!.signal!.aborted).to.be.true;
      await aTimeout(1200);
      expect(calls).to.have.length(1);
    });

    it('reconnects from the last id when a topic is added or dropped, losing nothing', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply);
      const poll: unknown[] = [];
      const thread: unknown[] = [];
      const stopPoll = adapter.subscribe('poll:p:results', (m) => poll.push(m.payload));
      await waitUntil(() => streams.length === 1);
      // The server starts a stream with the id it starts at.
      streams[0]!.send('retry: 3000\n: connected\n\nid: 7\n\n');
      await aTimeout(20);

      const stopThread = adapter.subscribe('thread:t:comments', (m) => thread.push(m.payload));
      await waitUntil(() => streams.length === 2);
      expect(calls[0]!.signal!.aborted).to.be.true;
      expect(calls[1]!.url).to.equal(`${BASE}/events?topic=poll%3Ap%3Aresults&topic=thread%3At%3Acomments`);
      expect(calls[1]!.headers.get('Last-Event-ID')).to.equal('7');
      // What was published between the two connections is replayed, and delivered once.
      streams[1]!.send('id: 8\nevent: poll:p:results\ndata: 8\n\nid: 9\nevent: thread:t:comments\ndata: 9\n\n');
      streams[1]!.send('id: 8\nevent: poll:p:results\ndata: 8\n\n');
      await waitUntil(() => poll.length === 1 && thread.length === 1);

      stopPoll();
      await waitUntil(() => streams.length === 3);
      expect(calls[2]!.url).to.equal(`${BASE}/events?topic=thread%3At%3Acomments`);
      expect(calls[2]!.headers.get('Last-Event-ID')).to.equal('9');
      streams[2]!.send('id: 10\nevent: thread:t:comments\ndata: 10\n\n');
      await waitUntil(() => thread.length === 2);
      expect(poll).to.deep.equal([8]);
      expect(thread).to.deep.equal([9, 10]);
      // At no time were two streams open.
      expect(calls.filter((call) => !call.signal!.aborted)).to.have.length(1);
      stopThread();
    });

    it('drops a topic the server refuses and keeps the others live', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith((call, index) =>
        call.url.includes('gone')
          ? problem(404, { errors: [{ field: 'topic', message: 'No such topic: "poll:gone:results"' }] })
          : reply(call, index),
      );
      const received: unknown[] = [];
      const warn = console.warn;
      const warnings: unknown[] = [];
      console.warn = (...args: unknown[]) => void warnings.push(args[0]);
      try {
        const stopGone = adapter.subscribe('poll:gone:results', () => undefined);
        const stop = adapter.subscribe('poll:p:results', (m) => received.push(m.payload));
        await waitUntil(() => streams.length === 1);
        expect(calls.map((call) => call.url)).to.deep.equal([
          `${BASE}/events?topic=poll%3Agone%3Aresults&topic=poll%3Ap%3Aresults`,
          `${BASE}/events?topic=poll%3Ap%3Aresults`,
        ]);
        streams[0]!.send('event: poll:p:results\ndata: 3\n\n');
        await waitUntil(() => received.length === 1);
        expect(String(warnings[0])).to.contain('poll:gone:results');
        stopGone();
        stop();
      } finally {
        console.warn = warn;
      }
    });

    it('carries at most 20 topics at once; the next waits until one ends', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply);
      const warn = console.warn;
      console.warn = () => undefined;
      try {
        const stops = Array.from({ length: 21 }, (_, i) => adapter.subscribe(`poll:p${i}:results`, () => undefined));
        await waitUntil(() => streams.length === 1);
        expect(new URL(calls[0]!.url).searchParams.getAll('topic')).to.have.length(20);
        expect(calls[0]!.url).not.to.contain('p20');
        stops[0]!();
        await waitUntil(() => streams.length === 2);
        const topics = new URL(calls[1]!.url).searchParams.getAll('topic');
        expect(topics).to.have.length(20);
        expect(topics).to.include('poll:p20:results').and.not.include('poll:p0:results');
        for (const stop of stops) stop();
      } finally {
        console.warn = warn;
      }
    });

    it('closes the stream of a hidden page after the grace period and catches up when shown', async () => {
      const { streams, reply } = sseServer();
      const { adapter, calls } = adapterWith(reply, { liveHiddenGraceMs: 100 });
      const received: unknown[] = [];
      let state: DocumentVisibilityState = 'visible';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
      try {
        const stop = adapter.subscribe('poll:p:results', (m) => received.push(m.payload));
        await waitUntil(() => streams.length === 1);
        streams[0]!.send('id: 4\nevent: poll:p:results\ndata: 4\n\n');
        await waitUntil(() => received.length === 1);

        state = 'hidden';
        document.dispatchEvent(new Event('visibilitychange'));
        await aTimeout(50);
        expect(calls[0]!.signal!.aborted).to.be.false;
        await waitUntil(() => calls[0]!.signal!.aborted, 'closed once hidden long enough');
        await aTimeout(100);
        expect(calls).to.have.length(1);

        state = 'visible';
        document.dispatchEvent(new Event('visibilitychange'));
        await waitUntil(() => streams.length === 2);
        expect(calls[1]!.headers.get('Last-Event-ID')).to.equal('4');
        stop();
      } finally {
        delete (document as { visibilityState?: unknown }).visibilityState;
      }
    });

    it('shares one stream between adapters (and tabs) of one backend through a leader', async () => {
      const { streams, reply } = sseServer();
      const leader = adapterWith(reply, { shareLiveStream: true });
      const follower = adapterWith(reply, { shareLiveStream: true });
      const byLeader: unknown[] = [];
      const byFollower: unknown[] = [];
      const stopLeader = leader.adapter.subscribe('poll:p:results', (m) => byLeader.push(m.payload));
      await waitUntil(() => streams.length === 1);
      const stopFollower = follower.adapter.subscribe('thread:t:comments', (m) => byFollower.push(m.payload));
      // The leader carries the follower's topic too, in its one stream.
      await waitUntil(() => streams.length === 2);
      expect(follower.calls).to.have.length(0);
      expect(leader.calls[1]!.url).to.equal(`${BASE}/events?topic=poll%3Ap%3Aresults&topic=thread%3At%3Acomments`);
      streams[1]!.send('id: 5\nevent: thread:t:comments\ndata: 5\n\nid: 6\nevent: poll:p:results\ndata: 6\n\n');
      await waitUntil(() => byFollower.length === 1 && byLeader.length === 1);

      // The leader goes: the follower takes over, from the last id it was passed.
      stopLeader();
      await waitUntil(() => follower.calls.length === 1, 'the follower took over');
      expect(follower.calls[0]!.url).to.equal(`${BASE}/events?topic=thread%3At%3Acomments`);
      expect(follower.calls[0]!.headers.get('Last-Event-ID')).to.equal('6');
      expect(leader.calls.every((call) => call.signal!.aborted)).to.be.true;
      stopFollower();
      expect(byFollower).to.deep.equal([5]);
    });

    it('keeps delivering to other listeners when one throws', async () => {
      const { streams, reply } = sseServer();
      const { adapter } = adapterWith(reply);
      const received: unknown[] = [];
      const errors: unknown[] = [];
      const onError = (event: ErrorEvent) => {
        errors.push(event.error);
        event.preventDefault();
      };
      window.addEventListener('error', onError);
      const previous = window.onerror;
      window.onerror = () => true;
      try {
        const stopFaulty = adapter.subscribe('poll:p:results', () => {
          throw new Error('listener bug');
        });
        const stop = adapter.subscribe('poll:p:results', (m) => received.push(m.payload));
        await waitUntil(() => streams.length === 1);
        streams[0]!.send('event: poll:p:results\ndata: 5\n\n');
        await waitUntil(() => received.length === 1 && errors.length === 1);
        expect((errors[0] as Error).message).to.equal('listener bug');
        stopFaulty();
        stop();
      } finally {
        window.removeEventListener('error', onError);
        window.onerror = previous;
      }
    });
  });
});
