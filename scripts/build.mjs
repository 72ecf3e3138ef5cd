// `npm run build`: for every browser package, unbundled ESM, declarations and custom-elements.json
// in packages/<p>/, with the typings frameworks and editors read (scripts/framework-types.mjs); then the CDN bundle in packages/embed/dist/cdn; then the own `build` script of
// any package that opts out of the browser build (`"civic-build": false`, e.g. the Node server).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { browserPackages, cdnConfig, isBrowserPackage, packageConfig, readPackage } from '../rollup.config.mjs';
import { writeFrameworkTypes } from './framework-types.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = path.join(root, '.tmp', 'types');
const started = performance.now();

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
}

async function bundle(config) {
  const build = await rollup(config);
  try {
    await build.write(config.output);
  } finally {
    await build.close();
  }
}

const packages = browserPackages();
const names = packages.map((pkg) => pkg.folder).join(', ');
const failed = [];

/** Runs one stage; a failing stage does not hide what the others would report. */
async function stage(title, work) {
  console.log(`build: ${title}`);
  try {
    await work();
  } catch (error) {
    console.error(`build: ${title} failed: ${error.message ?? error}`);
    if (error.frame) console.error(error.frame);
    failed.push(title);
  }
}

for (const pkg of packages) rmSync(path.join(pkg.dir, 'dist'), { recursive: true, force: true });

await stage(`ESM modules of ${names}`, () => Promise.all(packages.map((pkg) => bundle(packageConfig(pkg)))));

await stage('declarations', () => {
  rmSync(typesDir, { recursive: true, force: true });
  run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
  for (const pkg of packages) {
    const emitted = path.join(typesDir, pkg.folder, 'src');
    if (existsSync(emitted)) cpSync(emitted, path.join(pkg.dir, 'dist'), { recursive: true });
  }
});

await stage('custom-elements.json', () => {
  const cem = path.join(root, 'node_modules', '@custom-elements-manifest', 'analyzer', 'cem.js');
  const config = path.join(root, 'custom-elements-manifest.config.mjs');
  // Core first: the widgets' manifests copy what their elements inherit from its CivicElement.
  const core = packages.filter((pkg) => pkg.folder === 'core');
  for (const pkg of [...core, ...packages.filter((pkg) => pkg.folder !== 'core')]) {
    if (pkg.manifest.customElements) run(process.execPath, [cem, 'analyze', '--config', config], { cwd: pkg.dir });
  }
});

await stage('tag map, React and Vue typings, editor data', () => {
  for (const pkg of packages) if (pkg.manifest.customElements) writeFrameworkTypes(pkg);
});

if (packages.some((pkg) => pkg.folder === 'embed')) await stage('CDN bundle', () => bundle(cdnConfig()));

const ownBuilds = readdirSync(path.join(root, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'packages', entry.name, 'package.json')))
  .map((entry) => readPackage(entry.name))
  .filter((pkg) => !isBrowserPackage(pkg) && pkg.manifest.scripts?.build);
for (const pkg of ownBuilds) {
  await stage(`${pkg.manifest.name} (its own build script)`, () => run('npm', ['run', 'build', '--workspace', pkg.manifest.name]));
}

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed.length > 0) {
  console.error(`build: failed in ${seconds} s: ${failed.join(', ')}`);
  process.exitCode = 1;
} else console.log(`build: done in ${seconds} s`);
