// End to end: the demo council page, the real loader and CDN build, <civic-comment-thread> with
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
      if ((await fetch(`${url}/api/v1/threads/budget-2027`)).ok) return { child, url };
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

const THREAD = 'civic-comment-thread[thread="budget-2027"]';

/** Whether a comment of the thread shows `text`. */
const showsComment = (page, text) =>
  page.evaluate(
    (selector, expected) =>
      [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('[part~=comment] [part~=body]') ?? [])].some((body) => body.textContent.includes(expected)),
    THREAD,
    text,
  );

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
  describe(`comment thread on the demo page in ${name}`, () => {
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

    it('posts a comment with the keyboard, then finds it again after a reload', async () => {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const text = `Un banc à l’ombre près de l’arrêt de car, s’il vous plaît (${name}).`;
      const before = (await (await fetch(`${server.url}/api/v1/threads/budget-2027`)).json()).comments;
      await page.goto(server.url + '/', { waitUntil: 'load' });
      await waitFor(() => showsComment(page, 'jardins partagés du Clos-Moreau'), 'the seeded debate');

      // Keyboard only: the first stance of the composer, Space to choose it, Tab to the text, type, Tab to "post", Enter.
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('form.composer input[type=radio]').focus(), THREAD);
      await page.keyboard.press(' ');
      await page.keyboard.press('Tab');
      const field = await page.evaluate((selector) => document.querySelector(selector).shadowRoot.activeElement?.tagName, THREAD);
      assert.equal(field, 'TEXTAREA');
      await page.keyboard.type(text);
      let submit;
      for (let i = 0; i < 5 && !submit; i += 1) {
        await page.keyboard.press('Tab');
        submit = await page.evaluate((selector) => {
          const active = document.querySelector(selector).shadowRoot.activeElement;
          return active?.getAttribute('type') === 'submit' ? active.textContent.trim() : undefined;
        }, THREAD);
      }
      assert.ok(submit, 'Tab reaches the submit button');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await (await fetch(`${server.url}/api/v1/threads/budget-2027`)).json()).comments === before + 1, 'the comment on the server');
      await waitFor(() => showsComment(page, text), 'the posted comment on the page');

      await page.reload({ waitUntil: 'load' });
      await waitFor(() => showsComment(page, text), 'the comment after a reload');
      assert.equal((await (await fetch(`${server.url}/api/v1/threads/budget-2027`)).json()).comments, before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
