// `npm start`: the demo. Builds the widgets if needed, then runs the reference server on SQLite
// (data/civic.sqlite) with the Belvoir-sur-Loire demo town, serving a council page that embeds the
// widgets through the real loader, and prints a demo console account (demo only). Flags after `--` go to the server (e.g. `npm start -- --port 9000`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { cdnDir } = await import('../rollup.config.mjs');

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (!(await buildIsFresh())) {
  console.log('start: building the widgets…');
  const status = await run(['scripts/build.mjs']);
  if (status !== 0) process.exit(status);
}

process.exit(
  await run([
    'packages/server/bin/civic-server.js',
    '--seed',
    // Demo only: a console admin with a password printed at each start.
    '--demo-account',
    '--static',
    path.join(root, 'packages/embed/demo'),
    '--static',
    cdnDir,
    ...process.argv.slice(2),
  ]),
);
