// A contract fuzzer: requests generated from the server's own OpenAPI document, valid and invalid,
// for every operation, as anonymous, participant and admin callers, against the real server on
// SQLite and PostgreSQL, within a fixed time per database.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { openStorage } from '../../packages/server/src/index.js';
import { mutations, REFUSED, valid, type Schema } from './support/arbitrary.js';
import { parseXml, xmlValue } from './support/open311.js';
import { backends, dropDatabases } from './support/backends.js';
import { ADMIN_KEY, startTestServer } from './support/harness.js';

after(dropDatabases);

/** Time given to requests on each database, in ms: the whole run stays well within three minutes. */
export const FUZZ_BUDGET_MS = 55_000;
const SEED = Number(process.env.CIVIC_FUZZ_SEED ?? 20261207);

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
};
type Caller = 'anonymous' | 'participant' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'participant', 'admin'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Planned {
  template: string;
  path: string;
  params: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: string;
  contentType?: string;
  /** What was broken on purpose, for an invalid request. */
  broken?: string;
}

/** Every counter kept alongside rows, as `counter − rows` per row: a fuzzed write must not move it. */
const COUNTERS = {
  'poll ballots': sql<{ id: string; drift: number }>`select t.poll_id as id, t.ballots - (select count(*) from ballots b where b.poll_id = t.poll_id) as drift from poll_tallies t`,
  'thread comments': sql<{ id: string; drift: number }>`select t.id as id, t.comments - (select count(*) from comments c where c.thread_id = t.id and c.deleted = 0 and c.moderation = 'published') as drift from threads t`,
  'comment supports': sql<{ id: string; drift: number }>`select c.id as id, c.supports - (select count(*) from comment_supports s where s.comment_id = c.id) as drift from comments c`,
  'idea supports': sql<{ id: string; drift: number }>`select i.id as id, i.supports - (select count(*) from idea_supports s where s.idea_id = i.id) as drift from ideas i`,
};

async function counters(databaseUrl: string): Promise<Record<string, Record<string, number>>> {
  const storage = await openStorage(databaseUrl);
  try {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, query] of Object.entries(COUNTERS)) {
      const { rows } = await query.execute(storage.reader);
      out[name] = Object.fromEntries(rows.map((row) => [row.id, Number(row.drift)]));
    }
    return out;
  } finally {
    await storage.close();
  }
}

/** What the demo seed holds, by collection. */
const SEEDED: Record<string, string[]> = {
  polls: ['budget-2027', 'velo-centre', 'priorites-quartier', 'satisfaction-parcs'],
  threads: ['budget-2027'],
  'idea-boxes': ['belvoir-idees'],
  maps: ['signalements'],
  trackers: ['realisations'],
};

/** The collection a path ends in: its last segment that is not a parameter, under a few aliases. */
function collectionOf(path: string): string {
  const segment = path.split('/').filter((part) => part && !part.startsWith('{')).at(-1) ?? '';
  const name = segment.replace(/\.(json|xml)$/, '');
  return ({ reports: 'map-reports', requests: 'map-reports', updates: 'project-updates' } as Record<string, string>)[name] ?? name;
}

/** The path of a template with its parameters in place. */
function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
}

function isProblem(status: number, type: string, body: unknown): boolean {
  return type.startsWith('application/problem+json') && typeof body === 'object' && body !== null && (body as { status?: unknown }).status === status && typeof (body as { code?: unknown }).code === 'string';
}

/** An Open311 error list: JSON, or XML (`<errors><error><code/><description/>`) on an `.xml` path. */
function isOpen311Errors(status: number, type: string, body: unknown): boolean {
  if (type.startsWith('text/xml')) {
    try {
      const root = parseXml(String(body));
      // xmlValue checks that each entry is an <error>.
      const list = root.name === 'errors' ? (xmlValue(root) as Array<{ code?: unknown; description?: unknown }>) : [];
      return list.length > 0 && list.every((entry) => typeof entry.description === 'string' && entry.code === String(status));
    } catch {
      return false;
    }
  }
  return Array.isArray(body) && body.length > 0 && body.every((entry) => entry && typeof entry.description === 'string' && entry.code === status);
}

for (const backend of backends) {
  describe(`contract fuzzer on ${backend}`, () => {
    it(`answers generated requests within the contract for ${FUZZ_BUDGET_MS / 1000} s`, { timeout: FUZZ_BUDGET_MS + 120_000 }, async (t) => {
      const server = await startTestServer(backend);
      try {
        const doc = (await server.api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
        const checker = server.api.contract!;
        const operations = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method]! })));
        assert.ok(operations.length > 80, `${operations.length} operations`);
        const before = await counters(server.databaseUrl);

        let participant = (await server.api.session()).token;
        // Ids seen in answers, by the collection they belong to, so that generated requests also reach
        // things that exist: `/threads/{id}/comments` lists comments, `/polls/{id}` is a poll.
        const ids = new Map<string, Set<string>>(
          Object.entries(SEEDED).map(([collection, list]) => [collection, new Set(list)]),
        );
        const harvest = (template: string, body: unknown): void => {
          const collection = collectionOf(template.replace(/\/\{[^}]+\}(\.json)?$/, ''));
          const found = ids.get(collection) ?? new Set<string>();
          ids.set(collection, found);
          const items = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown })?.items) ? (body as { items: unknown[] }).items : [body];
          for (const item of items.slice(0, 20)) {
            const id = (item as { id?: unknown; service_request_id?: unknown } | null)?.id ?? (item as { service_request_id?: unknown } | null)?.service_request_id;
            if (typeof id === 'string' && id.length <= 64 && found.size < 200) found.add(id);
          }
        };
        let draw = SEED;
        const sample = <T>(arbitrary: fc.Arbitrary<T>): T => fc.sample(arbitrary, { numRuns: 1, seed: (draw = (draw * 1103515245 + 12345) % 2 ** 31) })[0]!;

        const plan = (path: string, operation: Operation): Planned => {
          const planned: Planned = { template: path, path, params: {}, query: [], headers: {} };
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in === 'path') {
              const known = [...(ids.get(collectionOf(path.slice(0, path.indexOf(`{${parameter.name}}`) - 1))) ?? [])];
              // A path segment is never empty.
              const value = sample(fc.boolean()) && known.length ? known[sample(fc.nat(known.length - 1))]! : String(sample(valid(parameter.schema).filter((one) => String(one) !== '')));
              planned.params[parameter.name] = value;
            } else if (parameter.required || sample(fc.boolean())) {
              const value = parameter.name === 'idempotency-key' ? randomUUID() : sample(valid(parameter.schema));
              if (parameter.in === 'query') for (const one of Array.isArray(value) ? value : [value]) planned.query.push([parameter.name, String(one)]);
              else planned.headers[parameter.name] = String(value);
            }
          }
          planned.path = fill(path, planned.params);
          const content = operation.requestBody?.content;
          if (content?.['application/json']) {
            planned.body = JSON.stringify(sample(valid(content['application/json'].schema)));
            planned.contentType = 'application/json';
          } else if (content?.['text/csv']) {
            planned.body = `title;summary\nProjet ${sample(fc.nat(999))};Un projet importé\n`;
            planned.contentType = 'text/csv';
          }
          return planned;
        };

        /** One way to break a planned request, chosen among those the operation allows. */
        const breakIt = (planned: Planned, operation: Operation): Planned | undefined => {
          const options: Planned[] = [];
          const schema = operation.requestBody?.content['application/json']?.schema;
          if (schema && planned.body !== undefined) {
            for (const mutation of mutations(schema, JSON.parse(planned.body))) options.push({ ...planned, body: JSON.stringify(mutation.value), broken: `body: ${mutation.kind}` });
            options.push({ ...planned, body: '{"unterminated', broken: 'body: not JSON' });
          }
          const refused = REFUSED[sample(fc.nat(REFUSED.length - 1))]!;
          for (const parameter of operation.parameters ?? []) {
            if (parameter.in === 'query') options.push({ ...planned, query: [...planned.query.filter(([name]) => name !== parameter.name), [parameter.name, `x${refused}y`]], broken: `query ${parameter.name}: refused character` });
            if (parameter.in === 'query' && parameter.required) options.push({ ...planned, query: planned.query.filter(([name]) => name !== parameter.name), broken: `query ${parameter.name} left out` });
            if (parameter.in === 'header' && parameter.required) {
              const { [parameter.name]: _, ...headers } = planned.headers;
              options.push({ ...planned, headers, broken: `header ${parameter.name} left out` });
            }
          }
          const [name, value] = Object.entries(planned.params)[0] ?? [];
          if (name !== undefined) options.push({ ...planned, path: fill(planned.template, { ...planned.params, [name]: `${value}${refused}` }), broken: `path ${name}: refused character` });
          return options.length ? options[sample(fc.nat(options.length - 1))] : undefined;
        };

        const failures: string[] = [];
        const counts = new Map<string, { valid: number; invalid: number; statuses: Map<number, number> }>();
        const send = async (method: string, template: string, planned: Planned, caller: Caller): Promise<void> => {
          const headers: Record<string, string> = { ...planned.headers };
          if (caller === 'participant') headers.authorization = `Bearer ${participant}`;
          if (caller === 'admin') headers.authorization = `Bearer ${ADMIN_KEY}`;
          if (planned.contentType) headers['content-type'] = planned.contentType;
          const query = new URLSearchParams(planned.query).toString();
          const url = `${server.url}${planned.path}${query ? `?${query}` : ''}`;
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 10_000);
          let response: Response;
          try {
            response = await fetch(url, { method: method.toUpperCase(), headers, body: planned.body, signal: controller.signal });
          } catch (error) {
            failures.push(`${method.toUpperCase()} ${url} as ${caller}: ${(error as Error).message}`);
            return;
          } finally {
            clearTimeout(timer);
          }
          const type = response.headers.get('content-type') ?? '';
          let body: unknown;
          if (type.startsWith('text/event-stream')) {
            controller.abort();
            await response.body?.cancel().catch(() => {});
          } else {
            const text = await response.text();
            body = text && type.includes('json') ? JSON.parse(text) : text || undefined;
          }
          const label = `${method.toUpperCase()} ${template}`;
          const tally = counts.get(label) ?? { valid: 0, invalid: 0, statuses: new Map() };
          counts.set(label, tally);
          tally[planned.broken ? 'invalid' : 'valid'] += 1;
          tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
          const what = `${label} (${planned.broken ?? 'valid'}) as ${caller} → ${response.status}`;
          if (response.status >= 500) failures.push(`${what}: ${url} ${planned.body ?? ''} → ${JSON.stringify(body)}`);
          try {
            checker.check(method, planned.path, response.status, type, body);
          } catch (error) {
            failures.push(`${what}: ${(error as Error).message}`);
          }
          if (type.startsWith('text/xml')) {
            try {
              parseXml(String(body));
            } catch (error) {
              failures.push(`${what}: not well-formed XML: ${(error as Error).message.slice(0, 200)}`);
            }
          }
          if (planned.broken) {
            const open311 = template.startsWith('/open311/');
            if (response.status < 400 || response.status >= 500) failures.push(`${what}: an invalid request was not refused`);
            else if (open311 ? !isOpen311Errors(response.status, type, body) : !isProblem(response.status, type, body)) failures.push(`${what}: not ${open311 ? 'an Open311 error list' : 'a problem document'}`);
          }
          if (response.ok) harvest(template, body);
          if (caller === 'participant' && method === 'delete' && template === '/api/v1/me' && response.status === 204) participant = (await server.api.session()).token;
        };

        // First the reads, to learn ids the writes can aim at; then rounds over every operation until the time is up.
        for (const { path, method, operation } of operations) if (method === 'get') await send(method, path, plan(path, operation), 'admin');
        const deadline = Date.now() + FUZZ_BUDGET_MS;
        let round = 0;
        while (Date.now() < deadline && failures.length < 25) {
          for (const { path, method, operation } of operations) {
            if (Date.now() >= deadline) break;
            const caller = CALLERS[(round + operations.indexOf(operations.find((candidate) => candidate.path === path && candidate.method === method)!)) % CALLERS.length]!;
            const planned = plan(path, operation);
            await send(method, path, planned, caller);
            const broken = breakIt(planned, operation);
            if (broken) await send(method, path, broken, CALLERS[(round + 1) % CALLERS.length]!);
          }
          round += 1;
        }

        let total = 0;
        for (const { path, method } of operations) {
          const tally = counts.get(`${method.toUpperCase()} ${path}`);
          total += (tally?.valid ?? 0) + (tally?.invalid ?? 0);
          const statuses = [...(tally?.statuses ?? new Map())].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
          t.diagnostic(`${method.toUpperCase()} ${path}: ${tally?.valid ?? 0} valid, ${tally?.invalid ?? 0} invalid (${statuses})`);
        }
        t.diagnostic(`${backend}: ${total} requests over ${operations.length} operations in ${round} rounds`);
        assert.ok(operations.every(({ path, method }) => (counts.get(`${method.toUpperCase()} ${path}`)?.valid ?? 0) > 0), 'every operation was called');
        assert.deepEqual(failures, []);

        await server.close();
        const afterCounts = await counters(server.databaseUrl);
        const rows = Object.values(afterCounts).reduce((sum, drifts) => sum + Object.keys(drifts).length, 0);
        const seeded = Object.values(before).reduce((sum, drifts) => sum + Object.values(drifts).filter((drift) => drift !== 0).length, 0);
        t.diagnostic(`${backend}: ${rows} stored counters checked against their rows (${seeded} differed before the run)`);
        for (const [name, drifts] of Object.entries(afterCounts)) {
          for (const [id, drift] of Object.entries(drifts)) {
            const was = Object.hasOwn(before[name] ?? {}, id) ? before[name]![id] : 0;
            assert.equal(drift, was, `${name} of ${id}: the counter and its rows differ by ${drift} (${was} before)`);
          }
        }
      } finally {
        await server.close().catch(() => {});
      }
    });
  });
}
