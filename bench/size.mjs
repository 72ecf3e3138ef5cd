// Gzip sizes of the CDN build against the budgets of DESIGN.md. Reads the chunk graph that the
// build writes next to the bundle. `--check` exits non-zero when a piece is over its DESIGN budget,
// unless bench/size-ceilings.json records a ceiling for it: then it fails only above the ceiling,
// and the table still says by how much the piece is over its DESIGN budget.
// Usage: node bench/size.mjs [--check] [--json] [--modules]
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cdnDir = path.join(root, 'packages', 'embed', 'dist', 'cdn');
const manifestFile = path.join(cdnDir, 'civic-widgets.manifest.json');
const loaderFile = 'civic-widgets.js';
const apiFile = 'civic-widgets.api.js';
const KB = 1024;
const ceilingsFile = path.join(root, 'bench', 'size-ceilings.json');

/** Budgets in KB (1024 bytes) of gzip, from DESIGN.md. Widgets are keyed by package folder. */
export const budgets = {
  loader: 2,
  core: 9,
  poll: 12,
  'idea-box': 14,
  'comment-thread': 15,
  'results-tracker': 13,
  'participatory-map': 60,
};

/**
 * Recorded ceilings, in KB, for pieces still over their DESIGN budget: the measured size plus a
 * little, with the reason the budget is not met. They catch regressions; they never hide the
 * budget.
 */
export function readCeilings() {
  if (!existsSync(ceilingsFile)) return {};
  const { pieces } = JSON.parse(readFileSync(ceilingsFile, 'utf8'));
  return pieces ?? {};
}

const gzipCache = new Map();
function gzipSize(file) {
  if (!gzipCache.has(file)) {
    gzipCache.set(file, gzipSync(readFileSync(path.join(cdnDir, file)), { level: 9 }).length);
  }
  return gzipCache.get(file);
}
const total = (files) => [...files].reduce((sum, file) => sum + gzipSize(file), 0);

/**
 * Bytes as the reference server sends them to a browser that takes brotli: the `.br` copy the
 * build writes beside each script (statSync, not recompressed); undefined without one.
 */
function servedSize(file) {
  const copy = path.join(cdnDir, `${file}.br`);
  return existsSync(copy) ? statSync(copy).size : undefined;
}
const served = (files) => {
  const sizes = [...files].map(servedSize);
  return sizes.includes(undefined) ? undefined : sizes.reduce((sum, size) => sum + size, 0);
};

/** A chunk and every chunk it imports statically, transitively. */
function staticClosure(chunks, start) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of chunks[file].imports) visit(imported);
  };
  visit(start);
  return seen;
}

/** A name for a lazily loaded chunk: the package or source module it was split off for. */
function describe(chunk) {
  if (chunk.facade) return chunk.facade;
  const modules = Object.keys(chunk.modules);
  const dependency = modules.map((id) => id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).find(Boolean);
  return dependency ?? modules[0] ?? 'chunk';
}

/** Measures the CDN build; throws when it is missing. */
export function measureSizes() {
  if (!existsSync(manifestFile)) throw new Error(`no CDN build at ${path.relative(root, cdnDir)}: run npm run build`);
  const { chunks } = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (!chunks[loaderFile]) throw new Error(`the CDN build has no ${loaderFile}`);

  // The loader's dynamic imports are the tags' define chunks, one per package.
  const tagChunks = new Map(
    chunks[loaderFile].dynamicImports.map((file) => [chunks[file].facade?.split('/')[0] ?? file, file]),
  );
  const loaderStatic = staticClosure(chunks, loaderFile);

  // Core: what every widget's chunk needs besides itself (Lit, localize, core's shared modules).
  // <civic-provider> is no widget: it needs less than they do.
  const widgetChunks = [...tagChunks].filter(([folder]) => folder !== 'core').map(([, file]) => file);
  let core;
  for (const file of widgetChunks.length > 0 ? widgetChunks : tagChunks.values()) {
    const needs = new Set([...staticClosure(chunks, file)].filter((other) => other !== file));
    core = core ? new Set([...core].filter((other) => needs.has(other))) : needs;
  }
  core ??= new Set();

  const pieces = [
    { name: 'loader', files: loaderStatic, bytes: total(loaderStatic), served: served(loaderStatic), budget: budgets.loader, lazy: [] },
    { name: 'core', files: core, bytes: total(core), served: served(core), budget: budgets.core, lazy: [] },
  ];
  for (const [folder, file] of tagChunks) {
    if (folder === 'core') continue;
    const allIn = new Set([...loaderStatic, ...staticClosure(chunks, file)]);
    const lazy = [];
    for (const member of allIn) {
      // The loader's own dynamic imports are the other tags' chunks.
      if (member === loaderFile) continue;
      for (const dynamic of chunks[member].dynamicImports) {
        const extra = new Set([...staticClosure(chunks, dynamic)].filter((other) => !allIn.has(other)));
        if (extra.size > 0 && !lazy.some((entry) => entry.file === dynamic)) {
          lazy.push({ file: dynamic, name: describe(chunks[dynamic]), bytes: total(extra) });
        }
      }
    }
    pieces.push({ name: folder, files: allIn, bytes: total(allIn), served: served(allIn), budget: budgets[folder], lazy });
  }
  for (const [name, budget] of Object.entries(budgets)) {
    if (!pieces.some((piece) => piece.name === name)) pieces.push({ name, budget, bytes: undefined, files: new Set(), lazy: [] });
  }
  const ceilings = readCeilings();
  for (const piece of pieces) piece.ceiling = ceilings[piece.name]?.kb;
  const api = chunks[apiFile] ? { name: 'api entry (alone)', bytes: gzipSize(apiFile) } : undefined;
  return { pieces, api, chunks };
}

/** The modules of a piece, biggest first, by unminified bytes rendered into the bundle. */
export function formatModules({ pieces, chunks }, limit = 15) {
  const lines = [];
  for (const piece of pieces) {
    if (piece.bytes === undefined) continue;
    const modules = [...piece.files].flatMap((file) => Object.entries(chunks[file].modules));
    const sum = modules.reduce((total, [, bytes]) => total + bytes, 0);
    lines.push('', `${piece.name}: ${modules.length} modules, ${kb(sum)} before minification and gzip`);
    for (const [id, bytes] of modules.sort((a, b) => b[1] - a[1]).slice(0, limit)) {
      lines.push(`  ${kb(bytes).padStart(9)}  ${id}`);
    }
  }
  return lines.join('\n');
}

const kb = (bytes) => `${(bytes / KB).toFixed(2)} KB`;

export function formatSizes({ pieces, api }) {
  const rows = [['piece', 'gzip', 'served (br)', 'budget', 'status']];
  for (const piece of pieces) {
    if (piece.bytes === undefined) {
      rows.push([piece.name, '—', '—', `${piece.budget} KB`, 'not built yet']);
      continue;
    }
    const budget = piece.budget === undefined ? 'none' : `${piece.budget} KB`;
    rows.push([piece.name, kb(piece.bytes), piece.served === undefined ? '—' : kb(piece.served), budget, status(piece)]);
    for (const lazy of piece.lazy) rows.push([`  + later: ${lazy.name}`, kb(lazy.bytes), '', '', 'loaded on demand']);
  }
  if (api) rows.push([api.name, kb(api.bytes), '', '', 'for pages that configure from script']);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [
    line(rows[0]),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.slice(1).map(line),
    '',
    'gzip: level 9 per file, what budgets and ceilings speak of; served (br): the brotli copies the',
    'build writes and the reference server sends (gzip ones to browsers without brotli). KB = 1024',
    'bytes. A widget "all in" is the loader plus every chunk its define chunk imports statically',
    '(core included); lazy chunks are listed apart.',
  ].join('\n');
}

function status(piece) {
  const over = piece.budget !== undefined && piece.bytes > piece.budget * KB;
  if (!over) return piece.ceiling === undefined ? 'ok' : 'ok (its recorded ceiling can go)';
  const by = `over DESIGN budget by ${kb(piece.bytes - piece.budget * KB)}`;
  if (piece.ceiling === undefined) return `${by}, no ceiling recorded: FAILS`;
  return piece.bytes > piece.ceiling * KB ? `${by}, above its ceiling ${piece.ceiling} KB: FAILS` : `${by}; within ceiling ${piece.ceiling} KB`;
}

/** Pieces over their DESIGN budget, whether or not a ceiling lets CI pass them. */
export function overBudget({ pieces }) {
  return pieces.filter((piece) => piece.bytes !== undefined && piece.budget !== undefined && piece.bytes > piece.budget * KB);
}

/** What fails `--check`: over the DESIGN budget with no ceiling recorded, or over the ceiling. */
export function checkFailures(sizes) {
  return overBudget(sizes).filter((piece) => piece.ceiling === undefined || piece.bytes > piece.ceiling * KB);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Set(process.argv.slice(2));
  try {
    const sizes = measureSizes();
    if (args.has('--json')) {
      const plain = sizes.pieces.map(({ files, ...piece }) => ({ ...piece, files: [...files] }));
      console.log(JSON.stringify({ pieces: plain, api: sizes.api }, null, 2));
    } else {
      console.log(formatSizes(sizes));
      if (args.has('--modules')) console.log(formatModules(sizes));
    }
    const over = overBudget(sizes);
    if (over.length > 0 && !args.has('--json')) {
      console.log(`\nover DESIGN budget: ${over.map((piece) => `${piece.name} ${kb(piece.bytes)} > ${piece.budget} KB`).join(', ')}`);
      console.log(`(ceilings and their reasons: ${path.relative(root, ceilingsFile)})`);
    }
    const failures = checkFailures(sizes);
    if (args.has('--check') && failures.length > 0) {
      const limit = (piece) => (piece.ceiling === undefined ? `budget ${piece.budget} KB, no ceiling` : `ceiling ${piece.ceiling} KB`);
      console.error(`size: too big: ${failures.map((piece) => `${piece.name} ${kb(piece.bytes)} > ${limit(piece)}`).join(', ')}`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(`size: ${error.message}`);
    process.exitCode = 1;
  }
}
