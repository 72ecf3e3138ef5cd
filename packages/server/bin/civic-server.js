#!/usr/bin/env node
// The published package runs the compiled JavaScript in dist/. In a checkout of the repository
// (where src/ is present: the package does not ship it), the sources run through tsx, so that the
// tests and `npm start` never run a stale build of the server.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/server/src/cli.js');
}
