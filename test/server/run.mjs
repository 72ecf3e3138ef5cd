// Runs the server suite with node's test runner (TAP, ending in `# pass N` / `# fail N`) against
// SQLite and PostgreSQL. Uses DATABASE_URL when set (a PostgreSQL server this suite may create
// databases on); otherwise starts a throwaway cluster and stops it at the end.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startPostgres } from './support/postgres.mjs';

// CIVIC_TEST_FILES lists files, or short names: `maps,open311` for test/server/maps.test.ts and open311.test.ts.
const files = process.env.CIVIC_TEST_FILES ? process.env.CIVIC_TEST_FILES.split(',').map((name) => (name.includes('/') ? name : `test/server/${name}.test.ts`)) : [
  'test/server/polls.test.ts',
  'test/server/protection.test.ts',
  'test/server/admin.test.ts',
  'test/server/staff.test.ts',
  'test/server/oidc.test.ts',
  'test/server/comments.test.ts',
  'test/server/ideas.test.ts',
  'test/server/maps.test.ts',
  'test/server/open311.test.ts',
  'test/server/open311-xml.test.ts',
  'test/server/open311-client.test.ts',
  'test/server/tracker.test.ts',
  'test/server/live.test.ts',
  'test/server/concurrency.test.ts',
  'test/server/crash.test.ts',
  'test/server/static.test.ts',
  'test/server/hardening.test.ts',
  // The contract fuzzer: a fixed time per database (FUZZ_BUDGET_MS), about two minutes in all.
  'test/server/fuzz.test.ts',
];
const root = fileURLToPath(new URL('../../', import.meta.url));

let cluster;
let pgUrl = process.env.DATABASE_URL;
if (!pgUrl) {
  cluster = await startPostgres();
  pgUrl = cluster?.url;
}
if (!pgUrl) process.stderr.write('PostgreSQL is neither configured (DATABASE_URL) nor installed (pg_ctl): its half of the suite will fail.\n');

// The cluster goes with this process, however it ends.
let stopped = false;
const stopCluster = () => {
  if (stopped) return;
  stopped = true;
  cluster?.stop();
};
process.on('exit', stopCluster);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    child.kill(signal);
    process.exit(1);
  });
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CIVIC_TEST_PG_URL: pgUrl ?? '' } },
);
const code = await new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
stopCluster();
process.exit(code);
