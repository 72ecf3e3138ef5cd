// `npm run bench`: the size table, then every timing bench of bench/timing/*.bench.mjs in headless
// Chromium with the CPU slowed down 4×, each run in a fresh browser context (cold module cache).
// Prints the median and spread of each metric against its budget. Needs `npm run build` first.
// Usage: node bench/run.mjs [--runs=15] [--throttle=4] [name filter]
// Timings depend on the machine: they are never part of CI.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath, serveStatic } from '../scripts/storybook-smoke.mjs';
import { formatSizes, measureSizes, overBudget } from './size.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const options = Object.fromEntries(
  process.argv.slice(2).filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')),
);
const filter = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const runs = Number(options.runs ?? 15);
const throttle = Number(options.throttle ?? 4);

/** An empty page on the bench server's origin, where benches build what they measure. */
const blankPage = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body></body></html>';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function loadBenches() {
  const dir = path.join(root, 'bench', 'timing');
  const files = readdirSync(dir).filter((file) => file.endsWith('.bench.mjs')).sort();
  const benches = [];
  for (const file of files) {
    const bench = (await import(pathToFileURL(path.join(dir, file)).href)).default;
    if (!filter || bench.name.includes(filter)) benches.push(bench);
  }
  return benches;
}

async function main() {
  let failed = false;
  console.log('Sizes\n');
  try {
    const sizes = measureSizes();
    console.log(formatSizes(sizes));
    failed ||= overBudget(sizes).length > 0;
  } catch (error) {
    console.error(`size: ${error.message}`);
    process.exitCode = 1;
    return;
  }

  const benches = await loadBenches();
  const { server, base } = await serveStatic(root, { '/bench/blank.html': blankPage });
  const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    for (const bench of benches) {
      console.log(`\n${bench.name} (${runs} runs, CPU ${throttle}× slower)\n`);
      const samples = {};
      // The first run warms the browser and the server up; it is not counted.
      for (let run = -1; run < runs; run += 1) {
        const context = await browser.createBrowserContext();
        const page = await context.newPage();
        try {
          await page.goto(new URL('bench/blank.html', base).href);
          await page.emulateCPUThrottling(throttle);
          const before = await page.metrics();
          const result = await bench.measure({ page, base, cdn: new URL('packages/embed/dist/cdn/', base).href });
          const after = await page.metrics();
          // Main-thread JavaScript time (compile and run) during the measure, from Chromium itself.
          result.scriptTime = (after.ScriptDuration - before.ScriptDuration) * 1000;
          if (run >= 0) for (const [metric, value] of Object.entries(result)) (samples[metric] ??= []).push(value);
        } finally {
          await context.close();
        }
      }
      for (const [metric, values] of Object.entries(samples)) {
        const budget = bench.budgets?.[metric];
        const value = median(values);
        const over = budget !== undefined && value > budget;
        failed ||= over;
        const spread = `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`;
        const verdict = budget === undefined ? '' : `  budget ${budget} ms ${over ? 'OVER BUDGET' : 'ok'}`;
        console.log(`  ${metric.padEnd(14)} median ${value.toFixed(1).padStart(7)} ms  (${spread})${verdict}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
