// Whether the package and CDN build is up to date with its sources: `npm test` and `npm start`
// build first when it is not.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The latest modification time of the files and folders given (recursively), 0 when none exists. */
export function newestChange(paths) {
  let newest = 0;
  for (const file of paths) {
    if (!existsSync(file)) continue;
    const stat = statSync(file);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
      }
    } else newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/** The CDN manifest is the build's last output: the build is stale when any input is newer. */
export async function buildIsFresh() {
  const { browserPackages, cdnDir, cdnManifestFile } = await import('../rollup.config.mjs');
  const output = path.join(cdnDir, cdnManifestFile);
  if (!existsSync(output)) return false;
  const inputs = [
    path.join(root, 'rollup.config.mjs'),
    path.join(root, 'tsconfig.json'),
    ...browserPackages().flatMap((pkg) => [path.join(pkg.dir, 'src'), path.join(pkg.dir, 'package.json')]),
  ];
  return newestChange(inputs) <= statSync(output).mtimeMs;
}
