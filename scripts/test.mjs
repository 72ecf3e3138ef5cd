// `npm test`: the type-check, the translation check, the browser tests in Chromium and Firefox,
// the server tests, the size check, the packages as published and the end-to-end tests (demo
// page, loader and server). Each suite's output streams through; the last line is the sum alone, `N passed, N failed`, and the exit status is non-zero when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const totals = { passed: 0, failed: 0 };
const failures = [];

const minutes = 60_000;
let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) killGroup(running);
    process.exit(1);
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs a command in its own process group, streaming its output; resolves with its exit status
 * and its standard output. A suite that hangs past `timeout` is killed with everything it started.
 */
function run(command, args, { env = {}, timeout = 10 * minutes } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    running = child;
    let output = '';
    const timer = setTimeout(() => {
      console.error(`test: ${command} ${args.join(' ')} still running after ${timeout / minutes} min: stopped`);
      killGroup(child);
    }, timeout);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    const done = (status) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ status, output });
    };
    child.on('error', (error) => {
      output += `\n${error.message}`;
      done(1);
    });
    child.on('close', (status, signal) => done(status ?? (signal ? 1 : 0)));
  });
}

function record(suite, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  if (failed > 0) failures.push(`${suite}: ${failed} failed`);
  console.log(`\ntest: ${suite}: ${passed} passed, ${failed} failed\n`);
}

/** A suite that is one test: it passes when the command exits 0. */
async function single(suite, command, args, options) {
  console.log(`test: ${suite}`);
  const { status } = await run(command, args, options);
  record(suite, status === 0 ? 1 : 0, status === 0 ? 0 : 1);
}

/** Counts from node's test runner TAP summary; skipped, todo and cancelled tests count as failed. */
function tapCounts(output) {
  const count = (name) => Number(output.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const found = /^# pass \d+$/m.test(output);
  return { found, passed: count('pass'), failed: count('fail') + count('cancelled') + count('skipped') + count('todo') };
}

async function tapSuite(suite, command, args) {
  console.log(`test: ${suite}`);
  const { status, output } = await run(command, args, { timeout: 12 * minutes });
  const counts = tapCounts(output);
  // A run that broke before or after its tests still fails once.
  const broke = !counts.found || (status !== 0 && counts.failed === 0);
  record(suite, counts.passed, counts.failed + (broke ? 1 : 0));
}

function filesUnder(dir, pattern) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

await single('type-check', process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']);

// The packages' public types as an app sees them: events typed from the indexes alone.
if (existsSync(path.join(root, 'test', 'types', 'tsconfig.json'))) {
  await single('public types', process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'test/types/tsconfig.json']);
}

// ESLint over the packages' sources (eslint.config.mjs): zero errors and zero warnings.
await single('lint', process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings=0', 'packages/*/src/**/*.ts']);

if (existsSync(path.join(root, 'scripts', 'localize.mjs'))) {
  await single('translations', process.execPath, ['scripts/localize.mjs', 'check']);
}

{
  console.log('test: browser');
  const scratch = mkdtempSync(path.join(tmpdir(), 'civic-test-'));
  const countFile = path.join(scratch, 'counts.json');
  const { status } = await run(bin('web-test-runner'), [], { env: { CIVIC_COUNT_FILE: countFile }, timeout: 15 * minutes });
  const counted = existsSync(countFile);
  const counts = counted ? JSON.parse(readFileSync(countFile, 'utf8')) : { passed: 0, failed: 0 };
  rmSync(scratch, { recursive: true, force: true });
  const broke = !counted || (status !== 0 && counts.failed === 0);
  if (broke) console.log(`test: web-test-runner exited with status ${status}${counted ? '' : ', leaving no counts,'} without a failing test to account for it`);
  record('browser', counts.passed, counts.failed + (broke ? 1 : 0));
}

if (rootManifest.scripts?.['test:server']) {
  await tapSuite('server', 'npm', ['run', '--silent', 'test:server']);
} else {
  const serverTests = filesUnder(path.join(root, 'test', 'server'), /\.test\.(ts|mts|js|mjs)$/);
  if (serverTests.length > 0 && existsSync(path.join(root, 'node_modules', 'tsx'))) {
    await tapSuite('server', process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', ...serverTests]);
  }
}

{
  let built = await buildIsFresh();
  if (!built) {
    console.log('test: the build is missing or stale; building first');
    built = (await run(process.execPath, ['scripts/build.mjs'])).status === 0;
  }
  if (built) await single('size', process.execPath, ['bench/size.mjs', '--check']);
  else record('size (the build failed)', 0, 1);

  // What the build wrote for developers' tools (custom-elements.json).
  const buildChecks = filesUnder(path.join(root, 'test', 'build'), /\.test\.mjs$/);
  if (buildChecks.length > 0) {
    if (built) await tapSuite('build output', process.execPath, ['--test', ...buildChecks]);
    else record('build output (the build failed)', 0, 1);
  }

  // The packages as published: packed, linted, installed into example apps (test/packages).
  const packageChecks = filesUnder(path.join(root, 'test', 'packages'), /\.test\.mjs$/);
  if (packageChecks.length > 0) {
    if (built) await tapSuite('packages', process.execPath, ['--test', '--test-concurrency=1', ...packageChecks]);
    else record('packages (the build failed)', 0, 1);
  }

  // The demo page, the loader and the widgets against the reference server, in both browsers.
  const endToEnd = filesUnder(path.join(root, 'test', 'e2e'), /\.e2e\.test\.mjs$/);
  if (endToEnd.length > 0) {
    if (built) await tapSuite('end to end', process.execPath, ['--test', '--test-concurrency=1', ...endToEnd]);
    else record('end to end (the build failed)', 0, 1);
  }
}

if (failures.length > 0) console.log(`test: failing suites: ${failures.join('; ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exitCode = totals.failed > 0 ? 1 : 0;
