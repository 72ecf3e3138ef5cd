// `npm run bench:inbox`: the moderation inbox with 10,000 items waiting (comments, ideas, map
// reports and "other" answers, all pre-moderated), read page by page from the first to the last,
// on SQLite and on a throwaway PostgreSQL. Target: every page of 50 in at most 100 ms.
// Usage: node --import tsx bench/server/inbox.mjs [--items=10000] [--limit=50] [--check]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startServer } from '../../packages/server/src/index.ts';
import { startPostgres } from '../../test/server/support/postgres.mjs';

const options = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const itemCount = Number(options.items ?? 10_000);
const pageSize = Number(options.limit ?? 50);
const TARGET_MS = 100;
const ADMIN_KEY = 'bench-admin-key';
const unlimited = { perAddress: 100_000_000, perParticipant: 100_000_000, sessionsPerAddress: 100_000_000 };

async function call(base, method, path, { token, body } = {}) {
  const headers = { 'idempotency-key': randomUUID() };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `count` tasks, `width` at a time. */
async function inParallel(count, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await task(next++);
  }));
}

async function fill(base) {
  const admin = (method, path, body) => call(base, method, path, { token: ADMIN_KEY, body });
  await admin('POST', '/admin/threads', { id: 'bench-thread', preModeration: true });
  await admin('POST', '/admin/idea-boxes', { id: 'bench-box', title: 'Boîte', preModeration: true });
  await admin('POST', '/admin/maps', { id: 'bench-map', title: 'Carte', center: { lat: 47.39, lng: 0.69 }, zoom: 14, preModeration: true, categories: [{ id: 'voirie', label: 'Voirie', fields: [] }] });
  await admin('POST', '/admin/polls', { id: 'bench-poll', title: 'Sondage', type: 'single', options: [{ id: 'a', label: 'A' }], allowOther: true, resultVisibility: 'always', allowBallotChange: false, requiredVerification: 'anonymous' });
  const { token } = await call(base, 'POST', '/session');
  const shares = { comment: 0.4, idea: 0.3, report: 0.2 };
  const comments = Math.round(itemCount * shares.comment);
  const ideas = Math.round(itemCount * shares.idea);
  const reports = Math.round(itemCount * shares.report);
  const others = itemCount - comments - ideas - reports;
  await inParallel(comments, 32, (i) => call(base, 'POST', '/threads/bench-thread/comments', { token, body: { body: `Commentaire en attente ${i}.` } }));
  await inParallel(ideas, 32, (i) => call(base, 'POST', '/idea-boxes/bench-box/ideas', { token, body: { title: `Idée en attente ${i}`, body: 'Une proposition qui attend la modération.' } }));
  await inParallel(reports, 32, (i) => call(base, 'POST', '/maps/bench-map/reports', { token, body: { categoryId: 'voirie', point: { lat: 47.39 + i / 1e6, lng: 0.69 }, description: `Signalement en attente ${i}.` } }));
  await inParallel(others, 32, async (i) => {
    const voter = await call(base, 'POST', '/session');
    await call(base, 'POST', '/polls/bench-poll/ballots', { token: voter.token, body: { choices: [], other: `Autre réponse ${i}` } });
  });
}

async function measure(name, databaseUrl) {
  const server = await startServer({ port: 0, databaseUrl, adminKey: ADMIN_KEY, rateLimits: unlimited, logger: false });
  try {
    const started = performance.now();
    await fill(server.url);
    const filled = Math.round((performance.now() - started) / 1000);
    const times = [];
    let cursor;
    let items = 0;
    do {
      const t0 = performance.now();
      const page = await call(server.url, 'GET', `/admin/inbox?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`, { token: ADMIN_KEY });
      times.push(performance.now() - t0);
      items += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    times.sort((a, b) => a - b);
    const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
    return { database: name, items, pages: times.length, fillS: filled, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Math.round(times.at(-1) * 10) / 10 };
  } finally {
    await server.close();
  }
}

const results = [];
const dir = mkdtempSync(join(tmpdir(), 'civic-bench-inbox-'));
try {
  results.push(await measure('sqlite', join(dir, 'civic.sqlite')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const cluster = process.env.DATABASE_URL ? undefined : await startPostgres();
const pgAdmin = process.env.DATABASE_URL ?? cluster?.url;
if (pgAdmin) {
  const name = `civic_bench_inbox_${process.pid}`;
  const client = new pg.Client({ connectionString: pgAdmin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdmin);
  url.pathname = `/${name}`;
  try {
    results.push(await measure('postgresql', url.toString()));
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
    cluster?.stop();
  }
} else {
  process.stderr.write('No PostgreSQL (DATABASE_URL or pg_ctl): its figure is left out.\n');
}

for (const result of results) {
  process.stdout.write(
    `inbox, ${result.database}: ${result.items} items waiting, ${result.pages} pages of ${pageSize}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, slowest ${result.maxMs} ms (target ≤ ${TARGET_MS} ms; filled in ${result.fillS} s)\n`,
  );
}
if ('check' in options && results.some((result) => result.maxMs > TARGET_MS || result.items !== itemCount)) {
  process.stderr.write('The inbox missed its target.\n');
  process.exit(1);
}
