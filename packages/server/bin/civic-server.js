#!/usr/bin/env node
// Runs the TypeScript sources directly: the server ships as source and tsx compiles on load.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
