// The demo page as the reference server sends it, in Chromium and Firefox ESR, on a phone-sized
// and a desktop screen: bytes transferred (as sent, compressed), requests, and layout shift while
// the widgets load. Needs `npm run build`. Usage: node bench/page.mjs [--runs=3] [--json]
// - bytes and requests: the page's navigation and resource entries of the server's origin
//   (transferSize: headers and body as they came over the wire; 0 for what came from the cache, and
//   for an event stream still open; decoded: the bodies once uncompressed). The demo map's tiles
//   come from another host and are not counted (without a network they fail anyway).
// - layout shift, two ways:
//   * `cls`: the sum of Chromium's layout-shift entries (PerformanceObserver), the input that the
//     Cumulative Layout Shift metric is made of; Firefox has no such entries.
//   * `shift`: the Layout Instability formula (impact fraction × distance fraction, per frame)
//     applied to the page's own blocks (headings, paragraphs, widgets, footer), frame by frame, in
//     both browsers. It sees only the blocks of the page, not the nodes inside widgets, so it is
//     a lower bound of what Chromium reports, and comparable between the two browsers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DemoServer, freePort, launchers } from '../test/e2e/support/harness.mjs';
import { observeShifts } from '../test/e2e/support/layout-shift.mjs';

const options = Object.fromEntries(process.argv.slice(2).filter((arg) => arg.startsWith('--')).map((arg) => [...arg.slice(2).split('='), true]));
const runs = Number(options.runs ?? 3);
const SETTLE_MS = 4000;
export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };

async function measure(browser, url, viewport) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument(observeShifts);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const result = await page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation');
    const resources = performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).origin === location.origin);
    return {
      requests: 1 + resources.length,
      bytes: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
      decoded: navigation.decodedBodySize + resources.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
      cls: window.__shifts.supported ? window.__shifts.cls : undefined,
      shift: window.__shifts.shift,
      heights: Object.fromEntries([...document.querySelectorAll('main [poll], main [thread], main [box], main [map], main [tracker]')].map((element) => [`${element.localName.replace('civic-', '')}:${element.getAttribute('poll') ?? element.getAttribute('thread') ?? element.getAttribute('box') ?? element.getAttribute('map') ?? element.getAttribute('tracker')}`, Math.round(element.getBoundingClientRect().height)])),
    };
  });
  await context.close();
  return result;
}

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export async function benchPage({ runs: count = runs } = {}) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'civic-bench-page-'));
  const server = new DemoServer(path.join(scratch, 'civic.sqlite'), await freePort(), '/polls/budget-2027');
  await server.start();
  const rows = [];
  try {
    for (const [name, launch] of Object.entries(launchers)) {
      const browser = await launch();
      try {
        for (const [screen, viewport] of Object.entries(VIEWPORTS)) {
          const samples = [];
          for (let i = 0; i < count; i += 1) samples.push(await measure(browser, `${server.url}/`, viewport));
          rows.push({
            browser: name,
            screen,
            requests: median(samples.map((sample) => sample.requests)),
            kb: median(samples.map((sample) => sample.bytes)) / 1024,
            decodedKb: median(samples.map((sample) => sample.decoded)) / 1024,
            cls: median(samples.map((sample) => sample.cls)),
            shift: median(samples.map((sample) => sample.shift)),
            heights: samples.at(-1).heights,
          });
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchPage();
  if (options.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(`The demo page (${runs} runs each, medians)\n`);
    console.log('browser   screen   requests  transferred  (decoded)  CLS (layout-shift)  shift (page blocks)');
    for (const row of rows) {
      console.log(
        `${row.browser.padEnd(9)} ${row.screen.padEnd(8)} ${String(row.requests).padStart(8)}  ${`${row.kb.toFixed(1)} KB`.padStart(11)}  ${`${row.decodedKb.toFixed(0)} KB`.padStart(9)}  ${(row.cls === undefined ? '—' : row.cls.toFixed(3)).padStart(18)}  ${row.shift.toFixed(3).padStart(19)}`,
      );
    }
    if (options.heights) for (const row of rows) console.log(row.browser, row.screen, JSON.stringify(row.heights));
  }
}
