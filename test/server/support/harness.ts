import { startServer, type StartOptions } from '../../../packages/server/src/index.js';
import { freshDatabase, type BackendName } from './backends.js';
import { Api } from './client.js';
import { ContractChecker } from './openapi.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

/** Generous limits: the suites test limits on purpose, not by accident. */
export const RELAXED_LIMITS = { perAddress: 1_000_000, perParticipant: 1_000_000, sessionsPerAddress: 1_000_000 };

export interface TestServer {
  api: Api;
  admin: Api & { token: string };
  url: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** The server in this process on a fresh database, its responses checked against its OpenAPI. */
export async function startTestServer(backend: BackendName, options: StartOptions = {}): Promise<TestServer> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabase(backend));
  const server = await startServer({
    port: 0,
    seed: true,
    adminKey: ADMIN_KEY,
    rateLimits: RELAXED_LIMITS,
    logger: false,
    cacheMs: 0,
    live: { coalesceMs: 50 },
    ...options,
    databaseUrl,
  });
  const api = new Api(server.url);
  const doc = await api.get('/openapi.json');
  const contract = new ContractChecker(doc.body);
  api.contract = contract;
  const admin = Object.assign(new Api(server.url), { token: ADMIN_KEY });
  admin.contract = contract;
  return { api, admin, url: server.url, databaseUrl, close: () => server.close() };
}
