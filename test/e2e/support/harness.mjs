// What the end-to-end suites share: the reference server serving the demo page and the CDN build
// on a fresh SQLite file, the two browsers, and the page helpers that reach into shadow roots.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { cdnDir } = await import(path.join(root, 'rollup.config.mjs'));

export const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** The reference server as `npm start` runs it, on its own database and port. */
export class DemoServer {
  /**
   * `readyPath` is an API path that answers once the seed is in; `adminKey`, when given, opens
   * `/api/v1/admin` to the council's calls of `admin()`.
   */
  constructor(database, port, readyPath, { adminKey } = {}) {
    this.database = database;
    this.port = port;
    this.readyPath = readyPath;
    this.adminKey = adminKey;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** A call of the admin API, as the council's back office makes it; resolves with its JSON. */
  async admin(method, path, body) {
    assert.ok(this.adminKey, 'admin() needs a server started with an adminKey');
    const response = await fetch(`${this.url}/api/v1/admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.adminKey}`,
        'idempotency-key': randomUUID(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    assert.ok(response.ok, `${method} /admin${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  async start() {
    this.child = spawn(
      process.execPath,
      [
        path.join(root, 'packages/server/bin/civic-server.js'),
        '--seed',
        '--port', String(this.port),
        '--database', this.database,
        '--static', path.join(root, 'packages/embed/demo'),
        '--static', cdnDir,
        ...(this.adminKey ? ['--admin-key', this.adminKey] : []),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    this.child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/api/v1${this.readyPath}`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    throw new Error('the server did not start');
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export const launchers = {
  chromium: () =>
    puppeteer.launch({
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    }),
  firefox: () =>
    puppeteer.launch({ browser: 'firefox', executablePath: process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr', headless: true }),
};

/**
 * Registers, in the enclosing `describe`, a demo server on a scratch database and a browser for
 * its tests; the returned object holds them once `before` has run. `options` go to the server.
 */
export function demoSuite(launch, readyPath, options) {
  const demo = {};
  let scratch;
  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'civic-e2e-'));
    demo.server = new DemoServer(path.join(scratch, 'civic.sqlite'), await freePort(), readyPath, options);
    await demo.server.start();
    demo.browser = await launch();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  return demo;
}

/** Trimmed text of the element `selector` finds inside the shadow root of `host`, or null. */
export const shadowText = (page, host, selector) =>
  page.evaluate((h, sel) => document.querySelector(h)?.shadowRoot?.querySelector(sel)?.textContent?.trim() ?? null, host, selector);

/**
 * Runs `fn(root, ...args)` in the page on the shadow root of the element `host` selects, or on
 * null while there is none. `fn` runs in the page: it sees only its arguments.
 */
export async function inShadow(page, host, fn, ...args) {
  const root = await page.evaluateHandle((selector) => document.querySelector(selector)?.shadowRoot ?? null, host);
  try {
    return await page.evaluate(fn, root, ...args);
  } finally {
    await root.dispose();
  }
}

/** Text with its runs of white space as one space, as a reader takes it. */
export const sameText = (text) => text.replace(/\s+/g, ' ').trim();

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Council HTML as the page shows its text: tags gone, as `textContent` reads it. */
export const htmlText = (html) => sameText(html.replace(/<[^>]*>/g, '').replace(/&(\w+);/g, (entity, name) => ENTITIES[name] ?? entity));

export async function waitFor(condition, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * The tile server of the demo page's map (`tileUrl` in packages/server/src/maps/seed.ts): the one
 * third-party host the page reaches, as DESIGN allows for the tile server a council configures.
 * participatory-map.e2e.test.mjs holds it equal to the seeded map's and checks that the page asks
 * nothing else of any other host.
 */
export const DEMO_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** The URLs of the tiles a Leaflet URL template names. */
export function tilePattern(template) {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\{[xyz]\}/g, '\\d+').replace(/\{s\}/g, '[a-z0-9-]+').replace(/\{r\}/g, '(@2x)?')}$`);
}

const demoTiles = tilePattern(DEMO_TILE_URL);

/**
 * Without a network (CI has none), every tile of the demo map fails, and Chromium reports each
 * failed image as a console error that no code of the page wrote; the widget itself says so on
 * the map and keeps working. Those, and only those (a failed load of a demo tile URL), are not
 * counted: any other failed load, on any other host, still is.
 */
const failedDemoTile = (message) => /^Failed to load resource\b/.test(message.text()) && demoTiles.test(message.location()?.url ?? '');

/** Collects the page's uncaught errors and console errors, but for those `ignore` matches and failed demo tiles. */
export function errorsOf(page, ignore) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !failedDemoTile(message) && !ignore?.test(message.text())) errors.push(message.text());
  });
  return errors;
}
