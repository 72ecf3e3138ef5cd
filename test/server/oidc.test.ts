import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import { expectProblem } from './conformance/contract.js';
import { backends, dropDatabases } from './support/backends.js';
import { ADMIN_KEY, startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

interface Person {
  email: string;
  name: string;
  role?: string;
}

/**
 * A real OpenID Connect provider in this process (oidc-provider), whose login and consent
 * pages sign in `person` at once: the browser's part of the flow is followed by hand, cookies
 * and redirects included.
 */
async function startProvider(): Promise<{ issuer: string; configure(redirectUris: string[]): void; person: Person; close(): Promise<void> }> {
  let provider: Provider | undefined;
  const state = { person: { email: 'nobody@belvoir.example', name: 'Nobody' } as Person };
  const server = http.createServer((request, response) => {
    void (async () => {
      if (!provider) return void response.writeHead(503).end();
      if (request.url?.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(request, response);
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(request, response, { login: { accountId: state.person.email } }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope));
        const missing = (details.prompt.details as { missingOIDCClaims?: string[] }).missingOIDCClaims;
        if (missing) grant.addOIDCClaims(missing);
        await provider.interactionFinished(request, response, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
        return;
      }
      provider.callback()(request, response);
    })().catch((error: unknown) => response.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    get person() {
      return state.person;
    },
    set person(value: Person) {
      state.person = value;
    },
    configure(redirectUris: string[]) {
      provider = new Provider(issuer, {
        clients: [{ client_id: 'civic', client_secret: 'civic-secret', redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
        async findAccount(_context: unknown, id: string) {
          const person = state.person;
          return { accountId: id, claims: async () => ({ sub: id, email: person.email, email_verified: true, name: person.name, ...(person.role ? { civic_role: person.role } : {}) }) };
        },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], civic: ['civic_role'] },
        scopes: ['openid', 'email', 'profile', 'civic'],
        interactions: { url: (_context: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        features: { devInteractions: { enabled: false } },
        pkce: { required: () => true },
        cookies: { keys: ['test-cookie-key'] },
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as never;
}

/** The browser: start at the server, through the provider's redirects, back to the callback. */
async function signInThroughProvider(serverUrl: string): Promise<{ callback: Response; flowCookie: string; callbackUrl: string }> {
  const start = await fetch(`${serverUrl}/api/v1/console/oidc/start`, { redirect: 'manual' });
  assert.equal(start.status, 302);
  const flowCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith('civic_oidc='))!;
  assert.match(flowCookie, /; Path=\/api\/v1\/console\/oidc; HttpOnly; SameSite=Lax/);
  const authorise = new URL(start.headers.get('location')!);
  assert.equal(authorise.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(authorise.searchParams.get('state') && authorise.searchParams.get('nonce') && authorise.searchParams.get('code_challenge'));
  const jar = new Map<string, string>();
  let url = authorise;
  for (let hop = 0; hop < 12; hop += 1) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') } });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!, value.join('='));
    }
    const location = response.headers.get('location');
    assert.ok(location, `the provider stopped at ${url} with ${response.status}: ${await response.text()}`);
    const next = new URL(location, url);
    if (next.href.startsWith(`${serverUrl}/api/v1/console/oidc/callback`)) {
      const cookie = flowCookie.split(';')[0]!;
      return { callback: await fetch(next, { redirect: 'manual', headers: { cookie } }), flowCookie: cookie, callbackUrl: next.href };
    }
    url = next;
  }
  throw new Error('The provider never sent the browser back.');
}

for (const backend of backends) {
  describe(`OpenID Connect staff sign-in on ${backend}`, () => {
    let provider: Awaited<ReturnType<typeof startProvider>>;
    let open: TestServer;
    let closed: TestServer;

    before(async () => {
      provider = await startProvider();
      const oidc = { issuer: provider.issuer, clientId: 'civic', clientSecret: 'civic-secret', allowInsecure: true, scope: 'openid email profile civic' };
      open = await startTestServer(backend, { seed: false, oidc: { ...oidc, createAccounts: true, roleClaim: 'civic_role', defaultRole: 'analyst', allowedDomains: ['belvoir.example'] } });
      closed = await startTestServer(backend, { seed: false, oidc });
      provider.configure([open, closed].map((server) => `${server.url}/api/v1/console/oidc/callback`));
    });
    after(async () => {
      await open.close();
      await closed.close();
      await provider.close();
    });

    const session = async (server: TestServer, callback: Response) => {
      assert.equal(callback.status, 302, await callback.clone().text());
      assert.equal(callback.headers.get('location'), `${server.url}/console/`);
      const cookie = callback.headers.getSetCookie().find((value) => value.startsWith('civic_console='))!;
      assert.match(cookie, /; Path=\/api\/v1\/admin; HttpOnly; SameSite=Strict/);
      return (await server.admin.get('/admin/session', { headers: { cookie: cookie.split(';')[0]! } })).body;
    };

    it('signs in an existing account by its email, keeping its role', async () => {
      const invited = await open.admin.post('/admin/staff', { token: ADMIN_KEY, body: { email: 'Parcs@Belvoir.example', name: 'Service des parcs', role: 'editor', scopes: ['ideas:parcs'] } });
      assert.equal(invited.status, 201);
      provider.person = { email: 'parcs@belvoir.example', name: 'Autre nom', role: 'admin' };
      const { callback } = await signInThroughProvider(open.url);
      const current = await session(open, callback);
      assert.deepEqual([current.staff.id, current.staff.role, current.staff.scopes], [invited.body.staff.id, 'editor', ['ideas:parcs']]);
      const log = await open.admin.get(`/admin/audit?target=staff:${invited.body.staff.id}&action=staff.sign-in`, { token: ADMIN_KEY });
      assert.deepEqual(
        log.body.items.map((entry: { actor: string; details: Record<string, unknown> }) => [entry.actor, entry.details.through]),
        [['Parcs@Belvoir.example', 'openid-connect']],
      );
    });

    it('creates an account from the role claim or the default role, within the allowed domains', async () => {
      provider.person = { email: 'voirie@belvoir.example', name: 'Service voirie', role: 'moderator' };
      const created = await session(open, (await signInThroughProvider(open.url)).callback);
      assert.deepEqual([created.staff.email, created.staff.name, created.staff.role], ['voirie@belvoir.example', 'Service voirie', 'moderator']);
      provider.person = { email: 'culture@belvoir.example', name: 'Culture' };
      assert.equal((await session(open, (await signInThroughProvider(open.url)).callback)).staff.role, 'analyst');
      provider.person = { email: 'someone@elsewhere.example', name: 'Ailleurs', role: 'admin' };
      const refused = await signInThroughProvider(open.url);
      expectProblem({ status: refused.callback.status, headers: refused.callback.headers, body: await refused.callback.json() }, 403, 'forbidden');
      const staff = (await open.admin.get('/admin/staff', { token: ADMIN_KEY })).body.items.map((member: { email: string }) => member.email);
      assert.ok(!staff.includes('someone@elsewhere.example'));
    });

    it('refuses a callback replayed, or without the browser that started the flow', async () => {
      provider.person = { email: 'parcs@belvoir.example', name: 'Parcs' };
      const { callbackUrl, flowCookie } = await signInThroughProvider(open.url);
      const replayed = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: flowCookie } });
      expectProblem({ status: replayed.status, headers: replayed.headers, body: await replayed.json() }, 401, 'unauthorised');
      const start = await fetch(`${open.url}/api/v1/console/oidc/start`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location')!).searchParams.get('state');
      const stranger = await fetch(`${open.url}/api/v1/console/oidc/callback?code=abc&state=${state}`, { redirect: 'manual' });
      expectProblem({ status: stranger.status, headers: stranger.headers, body: await stranger.json() }, 401, 'unauthorised');
    });

    it('creates no account where configuration does not allow it', async () => {
      provider.person = { email: 'nouveau@belvoir.example', name: 'Nouveau', role: 'admin' };
      const { callback } = await signInThroughProvider(closed.url);
      expectProblem({ status: callback.status, headers: callback.headers, body: await callback.json() }, 403, 'forbidden');
      const staff = (await closed.admin.get('/admin/staff', { token: ADMIN_KEY })).body.items;
      assert.deepEqual(staff, []);
    });

    it('is off without configuration', async () => {
      const plain = await startTestServer(backend, { seed: false });
      try {
        expectProblem(await plain.api.get('/console/oidc/start'), 404, 'not-found');
      } finally {
        await plain.close();
      }
    });
  });
}
