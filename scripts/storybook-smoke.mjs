// Opens every story of the built Storybook in headless Chromium and fails a story on a page error,
// a console error, a failed request or an HTTP status ≥ 400, a `civic-*` element left undefined,
// or an axe-core violation. Each story is one test; the last line is `N passed, N failed`.
// Usage: node scripts/storybook-smoke.mjs [storybook-static]
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = path.resolve(root, process.argv[2] ?? 'storybook-static');
const axeSource = path.join(root, 'node_modules', 'axe-core', 'axe.min.js');
const storyTimeout = 20_000;
const concurrency = 2;

// The same Chromium and flags as web-test-runner.config.mjs.
export const chromiumPath = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves `dir` on a free local port; resolves with the server and its base URL. `pages` maps
 * paths to HTML served as is, for pages that exist only for a test.
 */
export function serveStatic(dir, pages = {}) {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pages[pathname] !== undefined) {
      response.writeHead(200, { 'content-type': mimeTypes['.html'] }).end(pages[pathname]);
      return;
    }
    let file = path.join(dir, decodeURIComponent(pathname));
    if (file !== dir && !file.startsWith(`${dir}${path.sep}`)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': mimeTypes[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}/` }));
  });
}

/** Problems found on one story's page, as readable sentences; none means the story passed. */
async function checkStory(browser, base, story) {
  const problems = [];
  const page = await browser.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location()?.url;
    // Chromium reports its own favicon request, which no page asked for.
    if (source && new URL(source, base).pathname === '/favicon.ico') return;
    problems.push(`console error: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() >= 400 && url.pathname !== '/favicon.ico') {
      problems.push(`HTTP ${response.status()} for ${url.pathname}`);
    }
  });
  page.on('requestfailed', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/favicon.ico') problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });

  try {
    const url = new URL(`iframe.html?id=${encodeURIComponent(story.id)}&viewMode=story`, base);
    await page.goto(url.href, { waitUntil: 'load', timeout: storyTimeout });
    await page.waitForFunction(
      () => /\bsb-show-(main|errordisplay|nopreview)\b/.test(document.body.className),
      { timeout: storyTimeout },
    );
    const shown = await page.evaluate(() => document.body.className);
    if (!/\bsb-show-main\b/.test(shown)) {
      const message = await page.evaluate(() => document.querySelector('#error-message')?.textContent ?? '');
      problems.push(`the story did not render${message ? `: ${message.trim()}` : ''}`);
      return problems;
    }
    // Let widgets fetch from their adapters and settle before judging what they show.
    await page.waitForNetworkIdle({ idleTime: 250, timeout: storyTimeout }).catch(() => {});
    const undefinedTags = await page.evaluate(async () => {
      const found = new Set();
      const pending = [];
      const walk = (node) => {
        for (const element of node.querySelectorAll('*')) {
          if (element.localName.startsWith('civic-') && !customElements.get(element.localName)) {
            found.add(element.localName);
          }
          if ('updateComplete' in element) pending.push(element.updateComplete);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      const storyRoot = document.querySelector('#storybook-root');
      if (storyRoot) walk(storyRoot);
      await Promise.all(pending);
      // Sub-elements load in chunks of their own: give each a moment to arrive, then judge.
      const late = await Promise.all(
        [...found].map((tag) =>
          Promise.race([
            customElements.whenDefined(tag).then(() => undefined),
            new Promise((resolve) => setTimeout(() => resolve(tag), 5000)),
          ]),
        ),
      );
      return late.filter(Boolean);
    });
    for (const tag of undefinedTags) problems.push(`<${tag}> is not defined`);

    await page.addScriptTag({ content: readFileSync(axeSource, 'utf8') });
    const violations = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document.querySelector('#storybook-root'), {
        resultTypes: ['violations'],
      });
      return result.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        targets: violation.nodes.map((node) => JSON.stringify(node.target)).slice(0, 3),
      }));
    });
    for (const violation of violations) {
      problems.push(`axe ${violation.id}: ${violation.help} at ${violation.targets.join(', ')}`);
    }
  } catch (error) {
    problems.push(`could not check the story: ${error.message}`);
  } finally {
    await page.close();
  }
  return problems;
}

async function main() {
  const indexFile = path.join(staticDir, 'index.json');
  if (!existsSync(indexFile)) {
    console.error(`storybook-smoke: no ${path.relative(root, indexFile)}: run npm run build-storybook first`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }
  const stories = Object.values(JSON.parse(readFileSync(indexFile, 'utf8')).entries).filter(
    (entry) => entry.type === 'story',
  );

  const { server, base } = await serveStatic(staticDir);
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  let passed = 0;
  let failed = 0;
  try {
    const queue = [...stories];
    const worker = async () => {
      for (let story = queue.shift(); story; story = queue.shift()) {
        const problems = await checkStory(browser, base, story);
        const name = `${story.title} › ${story.name}`;
        if (problems.length === 0) {
          passed += 1;
          console.log(`  ✓ ${name}`);
        } else {
          failed += 1;
          console.log(`  ✗ ${name}\n${problems.map((problem) => `      ${problem}`).join('\n')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await browser.close();
    server.close();
  }
  if (stories.length === 0) {
    console.error('storybook-smoke: the Storybook has no stories');
    failed += 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
