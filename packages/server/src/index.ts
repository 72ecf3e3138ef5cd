import { resolve } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import { openStorage } from './db/connect.js';
import { migrate } from './db/migrations.js';
import { seedDemo } from './seed.js';
import { ensureDemoAccount } from './staff/demo.js';
import { DEFAULT_PASSWORD_COST } from './staff/passwords.js';

export { buildApp, API_PREFIX, type AppOptions, type RateLimits } from './app.js';
export { openStorage, type Storage } from './db/connect.js';
export { migrate } from './db/migrations.js';
export { seedDemo, demoPolls } from './seed.js';
export type { HostSite } from './session/participants.js';

/**
 * data/civic.sqlite in the current folder, as the command line has it: never beside the code,
 * which an install puts inside node_modules.
 */
export const DEFAULT_DATABASE = resolve('data', 'civic.sqlite');

export interface StartOptions extends Omit<AppOptions, 'storage' | 'logger'> {
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; 0.0.0.0 or :: to listen on every interface. */
  host?: string;
  /** `postgres://…` for PostgreSQL, otherwise a SQLite file path. */
  databaseUrl?: string;
  /** Load the demo town (polls that exist are kept). */
  seed?: boolean;
  /** Demo only: the console admin demo@example.org gets a new random password, answered in `demoAccount`. */
  demoAccount?: boolean;
  logger?: FastifyServerOptions['logger'];
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** With `demoAccount`: how to sign in to the console. */
  demoAccount?: { email: string; password: string };
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { port = 8787, host = '127.0.0.1', databaseUrl = DEFAULT_DATABASE, seed = false, demoAccount = false, ...appOptions } = options;
  const storage = await openStorage(databaseUrl);
  try {
    await migrate(storage);
    if (seed) await seedDemo(storage);
    const demo = demoAccount ? await ensureDemoAccount(storage, appOptions.console?.passwordCost ?? DEFAULT_PASSWORD_COST) : undefined;
    const app = await buildApp({ ...appOptions, storage });
    app.addHook('onClose', async () => storage.close());
    await app.listen({ port, host });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
    return { app, url, port: actualPort, ...(demo ? { demoAccount: demo } : {}), close: () => app.close() };
  } catch (error) {
    await storage.close().catch(() => {});
    throw error;
  }
}
