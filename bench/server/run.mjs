// `npm run bench:server`: the reference server measured beside a bare Fastify hello-world, in one
// run, on loopback. Load generator and servers share this machine's cores: compare ratios.
//   results reads      GET /polls/{id}/results, ≥ 30 % of hello-world requests per second
//   durable ballots    POST /polls/{id}/ballots on SQLite (WAL, synchronous=FULL): ≥ 3,000/s, p99 ≤ 50 ms;
//                      the PostgreSQL figure beside it
//   live               5,000 open event streams, one result change reaching all within 1 s
// Usage: node bench/server/run.mjs [--duration=5] [--ballots=15000] [--streams=5000] [--check]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startPostgres } from '../../test/server/support/postgres.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const options = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
const duration = Number(options.duration ?? 5);
const ballotCount = Number(options.ballots ?? 15_000);
const streamCount = Number(options.streams ?? 5_000);
const ADMIN_KEY = 'bench-admin-key';

function spawnUntilListening(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start: ${output}`)), 30_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stop: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))) });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

function civicServer(databaseUrl) {
  return spawnUntilListening(['packages/server/bin/civic-server.js', '--port', '0', '--seed', '--log-level', 'warn', '--database', databaseUrl, '--admin-key', ADMIN_KEY], {
    LIMIT_PER_ADDRESS: '100000000',
    LIMIT_PER_PARTICIPANT: '100000000',
    LIMIT_SESSIONS: '100000000',
  });
}

function load(config) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 64, ...config }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const figure = (result) => ({
  requestsPerSecond: Math.round(result.requests.average),
  p99Ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

async function sessions(url, count) {
  const tokens = [];
  await load({
    url,
    amount: count,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/session',
        onResponse: (status, body) => {
          if (status === 201) tokens.push(JSON.parse(body).token);
        },
      },
    ],
  });
  return tokens;
}

async function ballots(url, count) {
  const tokens = await sessions(url, count);
  const choices = ['pistes', 'arceaux', 'zone30', 'atelier', 'double-sens'];
  let next = 0;
  const result = await load({
    url,
    amount: tokens.length,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/polls/velo-centre/ballots',
        setupRequest: (request) => {
          const i = next++;
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}`, 'idempotency-key': randomUUID() },
            body: JSON.stringify({ choices: [choices[i % choices.length]] }),
          };
        },
      },
    ],
  });
  const stored = await (await fetch(`${url}/api/v1/polls/velo-centre/results`)).json();
  return { ...figure(result), sent: tokens.length, acknowledged: result['2xx'], storedBallots: stored.ballots };
}

async function liveStreams(url, count) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  let opened = 0;
  const openOne = () =>
    new Promise((resolve, reject) => {
      const stream = { receivedAt: 0 };
      const request = http.get(`${url}/api/v1/events?topic=poll:velo-centre:results`, { agent }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`stream answered ${response.statusCode}`));
        response.setEncoding('utf8');
        response.on('data', (text) => {
          if (!stream.receivedAt && text.includes('event: poll:velo-centre:results')) stream.receivedAt = performance.now();
        });
        opened += 1;
        resolve();
      });
      request.on('error', reject);
      stream.request = request;
      streams.push(stream);
    });
  for (let i = 0; i < count; i += 250) await Promise.all(Array.from({ length: Math.min(250, count - i) }, openOne));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const token = (await (await fetch(`${url}/api/v1/session`, { method: 'POST' })).json()).token;
  const start = performance.now();
  const cast = await fetch(`${url}/api/v1/polls/velo-centre/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ choices: ['pistes'] }),
  });
  if (cast.status !== 201) throw new Error(`ballot answered ${cast.status}`);
  const deadline = start + 10_000;
  while (streams.some((stream) => !stream.receivedAt) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const reached = streams.filter((stream) => stream.receivedAt);
  const slowest = Math.max(...reached.map((stream) => stream.receivedAt - start));
  for (const stream of streams) stream.request.destroy();
  agent.destroy();
  return { streams: opened, reached: reached.length, allWithinMs: Math.round(slowest) };
}

const scratch = mkdtempSync(join(tmpdir(), 'civic-bench-'));
const report = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, durationSeconds: duration };
let pg;
let pgStopped = false;
const stopPostgres = () => {
  if (pgStopped || !pg) return;
  pgStopped = true;
  pg.stop();
};
process.on('exit', stopPostgres);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(1));
try {
  const hello = await spawnUntilListening(['bench/server/hello.mjs']);
  await load({ url: hello.url, duration: 1 });
  report.helloWorld = figure(await load({ url: hello.url, duration }));
  await hello.stop();

  const sqlite = await civicServer(join(scratch, 'civic.sqlite'));
  const resultsUrl = `${sqlite.url}/api/v1/polls/velo-centre/results`;
  await load({ url: resultsUrl, duration: 1 });
  report.resultsReads = figure(await load({ url: resultsUrl, duration }));
  report.resultsReads.ratioToHelloWorld = Math.round((report.resultsReads.requestsPerSecond / report.helloWorld.requestsPerSecond) * 1000) / 1000;
  report.ballotsSqlite = await ballots(sqlite.url, ballotCount);
  report.live = await liveStreams(sqlite.url, streamCount);
  await sqlite.stop();

  pg = await startPostgres();
  if (pg) {
    const postgres = await civicServer(pg.url);
    report.ballotsPostgres = await ballots(postgres.url, Math.round(ballotCount / 2));
    await postgres.stop();
  }
} finally {
  stopPostgres();
  rmSync(scratch, { recursive: true, force: true });
}

const targets = [
  ['results reads ≥ 30 % of hello-world', report.resultsReads.ratioToHelloWorld >= 0.3],
  ['SQLite ballots ≥ 3,000/s', report.ballotsSqlite.requestsPerSecond >= 3000],
  ['SQLite ballots p99 ≤ 50 ms', report.ballotsSqlite.p99Ms <= 50],
  ['every acknowledged SQLite ballot stored', report.ballotsSqlite.acknowledged === report.ballotsSqlite.sent && report.ballotsSqlite.storedBallots >= report.ballotsSqlite.sent],
  [`${streamCount} streams reached within 1 s`, report.live.reached === streamCount && report.live.allWithinMs <= 1000],
];
const n = (value) => value.toLocaleString('en');
const lines = [
  `hello-world (bare Fastify)  ${n(report.helloWorld.requestsPerSecond)} req/s, p99 ${report.helloWorld.p99Ms} ms`,
  `results reads              ${n(report.resultsReads.requestsPerSecond)} req/s, p99 ${report.resultsReads.p99Ms} ms = ${Math.round(report.resultsReads.ratioToHelloWorld * 100)} % of hello-world`,
  `durable ballots, SQLite    ${n(report.ballotsSqlite.requestsPerSecond)} /s, p99 ${report.ballotsSqlite.p99Ms} ms (${n(report.ballotsSqlite.acknowledged)} acknowledged, ${n(report.ballotsSqlite.storedBallots)} stored)`,
  report.ballotsPostgres
    ? `durable ballots, PostgreSQL ${n(report.ballotsPostgres.requestsPerSecond)} /s, p99 ${report.ballotsPostgres.p99Ms} ms (${n(report.ballotsPostgres.acknowledged)} acknowledged)`
    : 'durable ballots, PostgreSQL not measured (PostgreSQL is not installed)',
  `live                       ${n(report.live.reached)} of ${n(report.live.streams)} streams got the change, the last after ${report.live.allWithinMs} ms`,
  '',
  ...targets.map(([name, met]) => `${met ? 'met   ' : 'MISSED'} ${name}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/server.json'), `${JSON.stringify({ ...report, targets: Object.fromEntries(targets) }, null, 2)}\n`);
if ('check' in options && targets.some(([, met]) => !met)) process.exitCode = 1;
