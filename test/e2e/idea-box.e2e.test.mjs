// End to end: the demo council page, the real loader and CDN build, <civic-idea-box> with
// the RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox
// ESR. Needs the build (`npm run build`); `npm test` builds first.
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
async function startServer(database, port) {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'packages/server/bin/civic-server.js'),
      '--seed',
      '--port', String(port),
      '--database', database,
      '--static', path.join(root, 'packages/embed/demo'),
      '--static', cdnDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/v1/idea-boxes/belvoir-idees`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('the server did not start');
}

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

const BOX = 'civic-idea-box[box="belvoir-idees"]';
const API = (server, path) => fetch(`${server.url}/api/v1${path}`).then((response) => response.json());

/** Titles of the ideas the element lists. */
const titles = (page) =>
  page.evaluate((selector) => [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('[part~=idea-title]') ?? [])].map((title) => title.textContent.trim()), BOX);

/** The element's focused control: its id, or its type for buttons. */
const active = (page) =>
  page.evaluate((selector) => {
    const element = document.querySelector(selector).shadowRoot.activeElement;
    return element ? element.id || element.getAttribute('type') || element.tagName : undefined;
  }, BOX);

/** Tabs until the element's focus is on `target` (an id, or `submit`). */
async function tabTo(page, target) {
  for (let i = 0; i < 12; i += 1) {
    if ((await active(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab does not reach ${target}`);
}

async function waitFor(condition, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const errorsOf = (page) => {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
};

for (const [name, launch] of Object.entries(launchers)) {
  describe(`idea box on the demo page in ${name}`, () => {
    let server;
    let browser;
    let scratch;

    before(async () => {
      scratch = mkdtempSync(path.join(tmpdir(), 'civic-e2e-'));
      server = await startServer(path.join(scratch, 'civic.sqlite'), await freePort());
      browser = await launch();
    });

    after(async () => {
      await browser?.close();
      if (server && server.child.exitCode === null) {
        const exited = new Promise((r) => server.child.once('exit', r));
        server.child.kill('SIGTERM');
        await exited;
      }
      rmSync(scratch, { recursive: true, force: true });
    });

    it('proposes an idea with the keyboard, supports another, and finds both after a reload', async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const title = `Des toilettes publiques au port (${name})`;
      const body = 'Les promeneurs des quais et les familles du port n’ont aucune toilette publique ouverte le week-end.';
      const seeded = 'Des bancs le long des quais de Loire';
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await waitFor(async () => (await titles(page)).includes(seeded), 'the seeded ideas');

      // Keyboard only: Enter on "propose", type the title, Tab to the text, type, Tab to the category, pick one, Tab to "send", Enter.
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#propose').focus(), BOX);
      await page.keyboard.press('Enter');
      await waitFor(async () => page.evaluate((selector) => Boolean(document.querySelector(selector).shadowRoot.querySelector('#idea-title')), BOX), 'the proposal form');
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#idea-title').focus(), BOX);
      await page.keyboard.type(title);
      await tabTo(page, 'idea-body');
      await page.keyboard.type(body);
      await tabTo(page, 'idea-category');
      await page.keyboard.press('ArrowDown');
      await waitFor(
        async () => page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#idea-category').value !== '', BOX),
        'a category chosen with the keyboard',
      );
      await tabTo(page, 'submit');
      await page.keyboard.press('Enter');
      const search = `/idea-boxes/belvoir-idees/ideas?q=${encodeURIComponent(title)}`;
      await waitFor(async () => (await API(server, search)).total === 1, 'the idea on the server');
      await waitFor(async () => (await titles(page)).includes(title), 'the proposed idea on the page');

      // Support a seeded idea.
      const target = (await API(server, '/idea-boxes/belvoir-idees/ideas?limit=50')).items.find((idea) => idea.title === seeded);
      await page.evaluate((selector, id) => document.querySelector(selector).shadowRoot.querySelector(`[data-action=support][data-id="${id}"]`).click(), BOX, target.id);
      await waitFor(async () => (await API(server, `/ideas/${target.id}`)).supports === target.supports + 1, 'the support on the server');

      await page.reload({ waitUntil: 'load' });
      await waitFor(async () => (await titles(page)).includes(title), 'the proposed idea after a reload');
      await waitFor(
        async () =>
          page.evaluate(
            (selector, id) => document.querySelector(selector).shadowRoot.querySelector(`[data-action=support][data-id="${id}"]`)?.getAttribute('aria-pressed') === 'true',
            BOX,
            target.id,
          ),
        'the support shown as given after a reload',
      );
      assert.equal((await API(server, `/ideas/${target.id}`)).supports, target.supports + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
