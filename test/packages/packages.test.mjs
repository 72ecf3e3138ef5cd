// The packages as npm would publish them: every workspace packed (its prepack builds when needed),
// each tarball checked by publint and arethetypeswrong (ESM-only profile) and for its licence;
// then the apps of examples/ installed from those tarballs: React 19, Vue 3 and plain TypeScript
// type-check strictly, build with Vite and vote in a poll in Chromium against the MemoryAdapter,
// and a bare HTML page does the same with the CDN bundle reached through a redirect; and the
// server, installed from its tarball, starts with `npx civic-server --seed` and keeps its data in
// the folder it runs in. The whole suite has a time budget: BUDGET_MS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { freePort, launchers } from '../e2e/support/harness.mjs';

const BUDGET_MS = 5 * 60_000;
const started = Date.now();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'civic-packages-'));
const tarballs = path.join(scratch, 'tarballs');
const apps = path.join(scratch, 'examples');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const workspaces = readdirSync(path.join(root, 'packages')).filter((folder) => existsSync(path.join(root, 'packages', folder, 'package.json')));
const manifestOf = (folder) => JSON.parse(readFileSync(path.join(root, 'packages', folder, 'package.json'), 'utf8'));

/** Runs a command, failing with its output; what is left of the budget bounds it. */
async function sh(command, args, options = {}) {
  const timeout = Math.max(1_000, BUDGET_MS - (Date.now() - started));
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd: root, timeout, maxBuffer: 64 << 20, ...options });
    return stdout;
  } catch (error) {
    assert.fail(`${[command, ...args].join(' ')} failed (${error.code ?? error.signal}):\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

after(() => rmSync(scratch, { recursive: true, force: true }));

const packed = new Map();
before(async () => {
  mkdirSync(tarballs);
  const output = await sh('npm', ['pack', '--workspaces', '--json', '--pack-destination', tarballs]);
  for (const entry of JSON.parse(output)) packed.set(entry.name, { file: path.join(tarballs, entry.filename), files: entry.files.map((file) => file.path) });
});

describe('every package, packed', () => {
  const license = readFileSync(path.join(root, 'LICENSE'), 'utf8');

  it('packs every workspace, each with the EUPL-1.2 text and public access', () => {
    assert.deepEqual([...packed.keys()].sort(), workspaces.map((folder) => manifestOf(folder).name).sort());
    assert.match(license, /^EUROPEAN UNION PUBLIC LICENCE v\. 1\.2/);
    for (const folder of workspaces) {
      assert.equal(readFileSync(path.join(root, 'packages', folder, 'LICENSE'), 'utf8'), license, `packages/${folder}/LICENSE`);
      const { name, publishConfig, repository, homepage, bugs, keywords } = manifestOf(folder);
      assert.ok(packed.get(name).files.includes('LICENSE'), `${name} packs its LICENSE`);
      assert.equal(publishConfig?.access, 'public', name);
      assert.ok(repository?.url && repository.directory === `packages/${folder}` && homepage && bugs && keywords?.length > 0, `${name}: repository, homepage, bugs, keywords`);
    }
  });

  it('passes publint with no error', async () => {
    const problems = [];
    for (const [name, { file }] of packed) {
      const tarball = readFileSync(file);
      const { messages, pkg } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length) } });
      for (const message of messages) {
        const line = `${name}: ${message.type}: ${formatMessage(message, pkg)}`;
        if (message.type === 'error') problems.push(line);
        else console.log(line);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('passes arethetypeswrong (ESM-only profile) with no problem', async () => {
    for (const { file } of packed.values()) await sh(bin('attw'), [file, '--profile', 'esm-only', '--format', 'ascii']);
  });

  it('ships the server as JavaScript with declarations, and the source maps one way only', () => {
    const server = packed.get('@civic-widgets/server').files;
    assert.ok(server.includes('dist/server/src/cli.js') && server.includes('dist/server/src/index.d.ts'), 'compiled server');
    // The text rules it shares with the MemoryAdapter, compiled in: the server needs no browser package.
    assert.ok(server.includes('dist/core/src/content/text-rules.js'), 'the shared text rules');
    assert.ok(!server.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), 'no TypeScript source in the server package');
    const bin = manifestOf('server').bin['civic-server'];
    assert.ok(server.includes(bin.replace(/^\.\//, '')) && bin.endsWith('.js'));
    // Browser packages ship src/, which their maps point at instead of carrying a copy.
    const map = JSON.parse(readFileSync(path.join(root, 'packages/poll/dist/poll.js.map'), 'utf8'));
    assert.equal(map.sourcesContent, undefined);
    assert.ok(packed.get('@civic-widgets/poll').files.includes(path.posix.join('dist', map.sources[0]).replace(/^dist\/\.\.\//, '')));
  });
});

describe('the example apps, installed from the tarballs', () => {
  let browser;
  let site;
  const redirects = [];

  before(async () => {
    cpSync(path.join(root, 'examples'), apps, { recursive: true });
    await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-save', ...[...packed.values()].map(({ file }) => file)], { cwd: apps });
    browser = await launchers.chromium();
  });
  after(async () => {
    await browser?.close();
    site?.close();
  });

  const tsc = (...args) => sh(process.execPath, [path.join(apps, 'node_modules/typescript/bin/tsc'), ...args], { cwd: apps });
  const vite = (app) => sh(process.execPath, [path.join(apps, 'node_modules/vite/bin/vite.js'), 'build', app], { cwd: apps });

  it('uses the installed tarballs, not the workspace', () => {
    const poll = path.join(apps, 'node_modules/@civic-widgets/poll');
    assert.ok(!lstatSync(poll).isSymbolicLink() && existsSync(path.join(poll, 'dist/react.d.ts')) && existsSync(path.join(poll, 'LICENSE')));
  });

  it('type-checks strictly: React 19 JSX, Vue strictTemplates, TypeScript with exactOptionalPropertyTypes and skipLibCheck false', async () => {
    await tsc('-p', 'react');
    await sh(process.execPath, [path.join(apps, 'node_modules/vue-tsc/bin/vue-tsc.js'), '-p', 'vue'], { cwd: apps });
    await tsc('-p', 'typescript');
    await tsc('-p', 'typescript/tsconfig.tags.json');
  });

  it('builds each app with Vite', async () => {
    for (const app of ['react', 'vue', 'typescript']) await vite(app);
  });

  it('votes in a poll in Chromium from each app and from the CDN bundle behind a redirect', async () => {
    const cdn = path.join(apps, 'node_modules/@civic-widgets/embed/dist/cdn');
    const version = JSON.parse(readFileSync(path.join(apps, 'node_modules/@civic-widgets/embed/package.json'), 'utf8')).version;
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };
    const port = await freePort();
    site = createServer((request, response) => {
      const url = new URL(request.url, 'http://localhost');
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      const range = url.pathname.match(/^\/cdn@0\/(.*)$/);
      if (range) {
        redirects.push(range[1]);
        response.writeHead(302, { location: `/cdn@${version}/${range[1]}` }).end();
        return;
      }
      const exact = url.pathname.match(/^\/cdn@[^/]+\/(.*)$/);
      let file = exact ? path.join(cdn, exact[1]) : path.join(apps, url.pathname.replace(/^\/(react|vue|typescript)\//, '/$1/dist/'));
      if (file.endsWith('/')) file += 'index.html';
      if (!file.startsWith(apps) || !existsSync(file) || !statSync(file).isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(response);
    }).listen(port, '127.0.0.1');

    for (const [app, thanks] of [
      ['react', 'Thank you, your vote is recorded'],
      ['vue', 'Thank you, your vote is recorded'],
      ['typescript', 'Thank you, your vote is recorded'],
      // French from the loader's data-locale: proof that it found its script tag.
      ['cdn', 'Merci, votre vote est enregistré'],
    ]) {
      const page = await browser.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
      await page.goto(`http://127.0.0.1:${port}/${app}/`);
      const poll = await page.waitForFunction(() => document.querySelector('civic-poll')?.shadowRoot?.querySelector('input[type=radio]') && document.querySelector('civic-poll'), { timeout: 15_000 });
      await poll.evaluate((element) => element.shadowRoot.querySelector('input[type=radio]').click());
      await poll.evaluate((element) => element.shadowRoot.querySelector('form [type=submit]').click());
      await page
        .waitForFunction((element, text) => element.shadowRoot.textContent.includes(text), { timeout: 15_000 }, poll, thanks)
        .catch(async () => assert.fail(`${app}: no “${thanks}”; the poll shows: ${await poll.evaluate((element) => element.shadowRoot.textContent.replace(/\s+/g, ' '))}`));
      if (app === 'react') {
        // The app hears the vote through its typed `oncivic-vote` prop.
        await page
          .waitForFunction(() => document.querySelector('#vote-event')?.textContent === 'sent', { timeout: 5_000 })
          .catch(async () => assert.fail(`react: oncivic-vote was not called; the page says “${await page.$eval('#vote-event', (p) => p.textContent)}”`));
      }
      assert.deepEqual(problems, [], `${app}: errors in the page`);
      await page.close();
    }
    assert.ok(redirects.includes('civic-widgets.js'), 'the CDN page reached the loader through the redirect');
  });

  it('starts the server with `npx civic-server --seed`, its data in the current folder', async () => {
    const module = await sh(process.execPath, ['--input-type=module', '-e', "const m = await import('@civic-widgets/server'); console.log(typeof m.startServer)"], { cwd: apps });
    assert.equal(module.trim(), 'function', 'import("@civic-widgets/server") runs as JavaScript');
    const port = await freePort();
    const server = spawn('npx', ['--no-install', 'civic-server', '--seed', '--port', String(port)], { cwd: apps, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    try {
      let answer;
      for (const deadline = Date.now() + 30_000; Date.now() < deadline && !answer?.ok; await new Promise((resolve) => setTimeout(resolve, 200))) {
        answer = await fetch(`http://127.0.0.1:${port}/api/v1/polls/budget-2027`).catch(() => undefined);
      }
      assert.ok(answer?.ok, `no seeded poll from the server: ${output}`);
      assert.equal((await answer.json()).id, 'budget-2027');
      assert.ok(existsSync(path.join(apps, 'data/civic.sqlite')), 'data/civic.sqlite in the folder the command ran in');
      const inside = readdirSync(path.join(apps, 'node_modules/@civic-widgets/server'), { recursive: true }).filter((file) => /\.sqlite/.test(file));
      assert.deepEqual(inside, [], 'no database inside node_modules');
    } finally {
      process.kill(-server.pid, 'SIGTERM');
    }
  });
});

it(`stays within its budget of ${BUDGET_MS / 60_000} minutes`, () => {
  const seconds = (Date.now() - started) / 1000;
  console.log(`# packages suite: ${seconds.toFixed(0)} s`);
  assert.ok(seconds * 1000 <= BUDGET_MS, `${seconds.toFixed(0)} s`);
});
