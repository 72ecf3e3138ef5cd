// What the end-to-end suites share: the reference server serving the demo page and the CDN build
// on a fresh SQLite file, the two browsers, and the page helpers that reach into shadow roots.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
  /** `readyPath` is an API path that answers once the seed is in. */
  constructor(database, port, readyPath) {
    this.database = database;
    this.port = port;
    this.readyPath = readyPath;
    this.url = `http://127.0.0.1:${port}`;
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
 * its tests; the returned object holds them once `before` has run.
 */
export function demoSuite(launch, readyPath) {
  const demo = {};
  let scratch;
  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'civic-e2e-'));
    demo.server = new DemoServer(path.join(scratch, 'civic.sqlite'), await freePort(), readyPath);
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

export async function waitFor(condition, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Collects the page's uncaught errors and console errors, but for those `ignore` matches. */
export function errorsOf(page, ignore) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !ignore?.test(message.text())) errors.push(message.text());
  });
  return errors;
}
