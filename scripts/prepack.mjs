// `prepack` of every published package (npm runs it in the package's folder before `npm pack` and
// `npm publish`), so that a clean clone never packs a package without its build: a browser
// package runs the whole build when it is missing or older than its sources (one build serves
// them all, so packing every workspace builds once); a package with its own `build` script (the
// server) runs it when its output is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsFresh, newestChange } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { isBrowserPackage } = await import('../rollup.config.mjs');
const dir = process.cwd();
const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (isBrowserPackage({ dir, manifest })) {
  if (!(await buildIsFresh())) run(process.execPath, [path.join(root, 'scripts', 'build.mjs')], root);
} else if (manifest.scripts?.build) {
  // Its inputs against its output, the folder its `types` live in (dist/ for the server).
  const inputs = ['src', 'package.json', ...readdirSync(dir).filter((file) => /^tsconfig.*\.json$/.test(file))];
  const output = path.dirname(path.join(dir, manifest.types ?? 'dist/index.d.ts'));
  if (!existsSync(output) || newestChange(inputs.map((file) => path.join(dir, file))) > oldestFile(output)) run('npm', ['run', 'build'], dir);
}

function oldestFile(folder) {
  return Math.min(
    ...readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs),
  );
}
