import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { StaffRole } from '../db/schema-staff.js';
import { Problem } from '../http/problem.js';
import { problems } from '../http/schemas.js';
import { readCookie } from './auth.js';
import { ROLES } from './permissions.js';
import { recordSession } from './session-audit.js';
import { emailKey, tokenHash } from './store.js';
import { say, wording } from './wording.js';

/** Sign-in through the council's identity provider (OpenID Connect, authorisation code with PKCE). */
export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Where the provider sends people back; by default `<origin>/api/v1/console/oidc/callback`. */
  redirectUri?: string;
  /** Scopes asked for; `openid email profile` by default. */
  scope?: string;
  /** Claims read: `email` and `name` by default. */
  emailClaim?: string;
  nameClaim?: string;
  /** A claim whose value is a role (admin, editor, moderator, analyst), for new accounts. */
  roleClaim?: string;
  /** The role of new accounts when the role claim is absent; without either, none is created. */
  defaultRole?: StaffRole;
  /** Only addresses of these domains may sign in this way (any when empty). */
  allowedDomains?: string[];
  /** Whether someone without an account gets one; otherwise an admin creates it first. */
  createAccounts?: boolean;
  /** Plain http to the provider: tests and a local provider only. */
  allowInsecure?: boolean;
}

/** The browser's side of a flow in progress: HttpOnly, and sent back on the provider's redirect (Lax). */
const FLOW_COOKIE = 'civic_oidc';
const FLOW_PATH = '/api/v1/console/oidc';
const FLOW_TTL_MS = 10 * 60_000;

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

/**
 * `/console/oidc/start` sends the browser to the provider with state, nonce and a PKCE challenge;
 * `/console/oidc/callback` checks all three, maps the person to a staff account by email, and
 * opens a console session. Flows in progress are kept in this process for ten minutes (behind
 * several instances, the proxy keeps a browser on one instance for that long).
 */
export async function oidcRoutes(api: FastifyInstance, services: Services, options: OidcOptions | undefined, consoleUrl: (request: FastifyRequest) => string): Promise<void> {
  const tags = ['console'];
  const flows = new Map<string, Flow>();
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () => {
    configuration ??= client
      .discovery(
        new URL(options!.issuer),
        options!.clientId,
        undefined,
        options!.clientSecret ? client.ClientSecretPost(options!.clientSecret) : client.None(),
        options!.allowInsecure ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };
  const redirectUri = (request: FastifyRequest) => options?.redirectUri ?? `${consoleUrl(request)}/api/v1/console/oidc/callback`;
  const flowCookie = (request: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number) => {
    const secure = request.protocol === 'https';
    reply.header('set-cookie', `${FLOW_COOKIE}=${value}; Path=${FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`);
  };
  const enabled = (request: FastifyRequest) => {
    if (!options) throw new Problem(404, 'not-found', say(request, wording.oidcOff));
    return options;
  };

  api.get(
    '/console/oidc/start',
    {
      schema: {
        summary: 'Sign in through the council’s identity provider',
        description: 'Redirects (302) to the OpenID Connect provider; 404 when none is configured.',
        tags,
        response: { 302: Type.Null({ description: 'To the provider' }), ...problems(404, 502) },
      },
    },
    async (request, reply) => {
      enabled(request);
      const config = await discover().catch(() => {
        throw new Problem(502, 'server', 'The identity provider does not answer.');
      });
      const now = services.console.now();
      for (const [key, flow] of flows) if (flow.expiresAt <= now) flows.delete(key);
      const browser = randomBytes(32).toString('base64url');
      const flow: Flow = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        redirectUri: redirectUri(request),
        expiresAt: now + FLOW_TTL_MS,
      };
      flows.set(tokenHash(browser), flow);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: flow.redirectUri,
        scope: options!.scope ?? 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      flowCookie(request, reply, browser, FLOW_TTL_MS / 1000);
      return reply.status(302).header('location', url.href).send();
    },
  );

  api.get<{ Querystring: Record<string, string> }>(
    '/console/oidc/callback',
    {
      schema: {
        summary: 'Where the identity provider sends the browser back',
        description: 'Checks state, nonce and PKCE, maps the person to a staff account by email, sets the console session cookie and redirects (302) to /console/.',
        tags,
        querystring: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 4000 })),
        response: { 302: Type.Null({ description: 'To the console' }), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const settings = enabled(request);
      const browser = readCookie(request.headers.cookie, FLOW_COOKIE);
      const flow = browser ? flows.get(tokenHash(browser)) : undefined;
      if (browser) flows.delete(tokenHash(browser));
      flowCookie(request, reply, '', 0);
      if (!flow || flow.expiresAt <= services.console.now()) throw new Problem(401, 'unauthorised', say(request, wording.sessionOver));
      const config = await discover();
      let claims: Record<string, unknown>;
      try {
        const current = new URL(flow.redirectUri);
        current.search = new URLSearchParams(request.query).toString();
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = { ...tokens.claims() };
        const missing = [settings.emailClaim ?? 'email', settings.nameClaim ?? 'name', settings.roleClaim].some((claim) => claim && claims[claim] === undefined);
        if (missing && tokens.access_token) claims = { ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
      } catch (error) {
        request.log.warn({ err: { message: (error as Error).message } }, 'identity provider sign-in refused');
        throw new Problem(401, 'unauthorised', say(request, wording.oidcRefused));
      }
      const staffId = await staffFor(services, settings, claims);
      if (staffId === undefined) throw new Problem(403, 'forbidden', say(request, wording.oidcRefused));
      const session = await services.console.openFor(staffId);
      const member = await services.staff.row(staffId);
      if (member) await recordSession(services, { id: member.id, label: member.email, name: member.name }, 'staff.sign-in', { through: 'openid-connect' });
      services.console.setCookie(request, reply, session.id, Math.round(services.console.absoluteMs / 1000));
      return reply.status(302).header('location', `${consoleUrl(request)}/console/`).send();
    },
  );
}

/** The account the provider's claims name, made when configuration allows; undefined to refuse. */
async function staffFor(services: Services, settings: OidcOptions, claims: Record<string, unknown>): Promise<number | undefined> {
  const email = claims[settings.emailClaim ?? 'email'];
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || claims.email_verified === false) return undefined;
  const domain = emailKey(email).split('@')[1]!;
  if (settings.allowedDomains?.length && !settings.allowedDomains.map((allowed) => allowed.toLowerCase()).includes(domain)) return undefined;
  const existing = await services.staff.byEmail(email);
  if (existing) return existing.disabled === 1 ? undefined : existing.id;
  if (!settings.createAccounts) return undefined;
  const claimed = settings.roleClaim ? claims[settings.roleClaim] : undefined;
  const role = typeof claimed === 'string' && ROLES.includes(claimed as StaffRole) ? (claimed as StaffRole) : settings.defaultRole;
  if (!role) return undefined;
  const name = claims[settings.nameClaim ?? 'name'];
  const now = new Date(services.console.now()).toISOString();
  const row = await services.staff.queue.run(async (trx) => {
    const row = await services.staff.create(trx, { email, name: typeof name === 'string' && name.trim() ? name.slice(0, 120) : email, role }, now);
    await services.audit.record(trx, { at: now, actor: 'system', action: 'staff.create-from-provider', subjectKind: 'staff', subjectId: String(row.id), details: { email: row.email, role } });
    return row;
  });
  return row.id;
}
