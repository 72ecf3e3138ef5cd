// npm run conformance -- --base-url http://127.0.0.1:8787
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'base-url': { type: 'string' } } });
const base = values['base-url'] ?? process.env.CIVIC_BASE_URL;
if (!base) {
  process.stderr.write('Usage: npm run conformance -- --base-url http://host:port\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/server/conformance/contract.test.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CIVIC_BASE_URL: base } },
);
child.on('exit', (code) => process.exit(code ?? 1));
