// `npm run conformance -- --base-url URL`: the contract suite against any backend. Responses are
// checked against the reference OpenAPI document, built here from the reference server's routes.
import { before } from 'node:test';
import { buildApp, migrate, openStorage } from '../../../packages/server/src/index.js';
import { Api } from '../support/client.js';
import { ContractChecker } from '../support/openapi.js';
import { commentContractSuite } from './comments.js';
import { ideaContractSuite } from './ideas.js';
import { trackerContractSuite } from './tracker.js';
import { mapContractSuite } from './maps.js';
import { contractSuite } from './contract.js';

const base = process.env.CIVIC_BASE_URL;
if (!base) throw new Error('Set CIVIC_BASE_URL (npm run conformance -- --base-url http://host:port).');
const api = new Api(base);

before(async () => {
  const storage = await openStorage(':memory:');
  await migrate(storage);
  const app = await buildApp({ storage });
  await app.ready();
  api.contract = new ContractChecker(app.swagger() as never);
  await app.close();
  await storage.close();
});

contractSuite(() => api);
commentContractSuite(() => api);
ideaContractSuite(() => api);
trackerContractSuite(() => api);
mapContractSuite(() => api);
