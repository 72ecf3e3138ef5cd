// End to end: the demo council page, the real loader and CDN build, <civic-poll> with the
// RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox ESR.
// Needs the build (`npm run build`); `npm test` builds first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { cdnDir } = await import(path.join(root, 'rollup.config.mjs'));

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** The reference server as `npm start` runs it, on its own database and port. */
class DemoServer {
  constructor(database, port) {
    this.database = database;
    this.port = port;
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
        if ((await fetch(`${this.url}/api/v1/polls/budget-2027`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start');
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }

  async ballots(pollId) {
    const response = await fetch(`${this.url}/api/v1/admin/polls/${pollId}/results`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    if (response.ok) return (await response.json()).ballots;
    // Fall back on the public results when the poll shows them to anyone.
    return (await (await fetch(`${this.url}/api/v1/polls/${pollId}/results`)).json()).ballots;
  }
}

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
process.env.ADMIN_KEY = ADMIN_KEY;

const launchers = {
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

/** Text of an element inside a poll's shadow root, or null. */
const pollText = (page, pollId, selector) =>
  page.evaluate(
    (id, sel) => document.querySelector(`civic-poll[poll="${id}"]`)?.shadowRoot?.querySelector(sel)?.textContent?.trim() ?? null,
    pollId,
    selector,
  );

async function waitForText(page, pollId, selector, expected, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await pollText(page, pollId, selector);
    if (last !== null && last.includes(expected)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${pollId} ${selector}: expected “${expected}”, last saw “${last}”`);
}

/** Keyboard only: focus the first option, move to the second with an arrow, Tab to “Voter”, Enter. */
async function voteSecondOptionWithKeyboard(page, pollId) {
  await page.evaluate((id) => document.querySelector(`civic-poll[poll="${id}"]`).shadowRoot.querySelector('input[type=radio]').focus(), pollId);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate((id) => document.querySelector(`civic-poll[poll="${id}"]`).shadowRoot.activeElement?.textContent?.trim(), pollId);
  assert.equal(focused, 'Voter');
  await page.keyboard.press('Enter');
}

const errorsOf = (page) => {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A vote attempted while the server is down logs the browser's own network error.
    if (message.type() === 'error' && !/Failed to load resource|NetworkError|ERR_CONNECTION/.test(message.text())) errors.push(message.text());
  });
  return errors;
};

for (const [name, launch] of Object.entries(launchers)) {
  describe(`demo page in ${name}`, () => {
    let server;
    let browser;
    let scratch;

    before(async () => {
      scratch = mkdtempSync(path.join(tmpdir(), 'civic-e2e-'));
      server = new DemoServer(path.join(scratch, 'civic.sqlite'), await freePort());
      await server.start();
      browser = await launch();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('votes with the keyboard, then finds the vote again after a reload', async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const before = await server.ballots('budget-2027');
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '[part~=title]', 'Budget participatif 2027');
      await voteSecondOptionWithKeyboard(page, 'budget-2027');
      await waitForText(page, 'budget-2027', '#outcome', 'Merci, votre vote est enregistré');
      assert.equal(await server.ballots('budget-2027'), before + 1);

      await page.reload({ waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '#outcome', 'Vous avez voté à cette consultation');
      assert.equal(await server.ballots('budget-2027'), before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('keeps a vote made while the server is down, and sends it once when it is back', async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const before = await server.ballots('budget-2027');
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '[part~=title]', 'Budget participatif 2027');
      await server.stop();
      await voteSecondOptionWithKeyboard(page, 'budget-2027');
      await waitForText(page, 'budget-2027', '#outcome', 'Votre vote est enregistré sur cet appareil');
      await server.start();
      // The outbox retries on its own with backoff; the browser's "online" event makes it try at once.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitForText(page, 'budget-2027', '#outcome', 'Merci, votre vote est enregistré', 30_000);
      assert.equal(await server.ballots('budget-2027'), before + 1);
      // Flushing again sends nothing twice.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await server.ballots('budget-2027'), before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
