import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Storage } from '../db/connect.js';
import type { StaffRole } from '../db/schema-staff.js';
import { Problem } from '../http/problem.js';
import type { ConsoleAuth, ConsoleSession } from './auth.js';
import { CSRF_HEADER } from './auth.js';
import { operationOf, roleAllows, scopesOf, type Operation } from './permissions.js';
import { say, wording } from './wording.js';

/** Who is behind an admin request: the admin key, or a signed-in staff member. */
export interface Actor {
  /** Staff id; null for the admin key. */
  id: number | null;
  /** What the audit log shows: the email, or `admin key`. */
  label: string;
  name: string;
  role: StaffRole;
  /** Empty for the whole council. */
  scopes: string[];
  /** Idempotency keys are scoped to their caller. */
  owner: string;
  session?: ConsoleSession;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const KEY_ACTOR: Actor = Object.freeze({ id: null, label: 'admin key', name: 'admin key', role: 'admin', scopes: [], owner: 'admin' }) as Actor;

/** The actor of a request that went through the guard. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('An admin route ran without the staff guard.');
  return request.actor;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The admin routes' onRequest hook: who calls (the key, or a console session with its CSRF
 * token), then what the permission table allows their role, in their scopes. It runs before the
 * body is read, so a refused call has nothing to change.
 */
export function staffGuard(storage: Storage, auth: ConsoleAuth, adminKey: string | undefined, prefix: string) {
  const expected = adminKey ? digest(adminKey) : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = authorization.match(/^Bearer\s+(\S+)\s*$/);
      if (!expected) throw new Problem(401, 'unauthorised', 'Admin access is not configured on this server (set ADMIN_KEY).');
      if (!match || !timingSafeEqual(digest(match[1]!), expected)) throw new Problem(401, 'unauthorised', 'Send the admin key: Authorization: Bearer <key>.');
      request.actor = KEY_ACTOR;
      return;
    }
    const session = await auth.session(request);
    if (!session) throw new Problem(401, 'unauthorised', say(request, wording.signInNeeded));
    if (!SAFE_METHODS.has(request.method)) {
      const site = request.headers['sec-fetch-site'];
      const token = request.headers[CSRF_HEADER];
      const sameSite = site === undefined || site === 'same-origin' || site === 'none';
      if (!sameSite || typeof token !== 'string' || !sameText(token, session.csrfToken)) throw new Problem(403, 'forbidden', say(request, wording.csrf));
    }
    const { staff } = session;
    request.actor = {
      id: staff.id,
      label: staff.email,
      name: staff.name,
      role: staff.role,
      scopes: JSON.parse(staff.scopes) as string[],
      owner: `staff:${staff.id}`,
      session,
    };
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const path = (request.routeOptions.url ?? '').slice(prefix.length);
    await authorise(storage, request, request.actor, operationOf(method, path));
  };
}

async function authorise(storage: Storage, request: FastifyRequest, actor: Actor, operation: Operation | undefined): Promise<void> {
  if (!operation || !roleAllows(actor.role, operation.permission)) throw new Problem(403, 'forbidden', say(request, wording.forbidden));
  if (!actor.scopes.length || operation.target === 'list' || operation.target === 'items' || operation.target === 'self') return;
  if (operation.target === 'global') throw new Problem(403, 'forbidden', say(request, wording.outOfScope));
  const id = (request.params as { id?: string }).id ?? '';
  const scopes = await scopesOf(storage.db, operation.target, id);
  // Nothing by that id: the route answers 404 itself.
  if (scopes && !scopes.some((scope) => actor.scopes.includes(scope))) throw new Problem(403, 'forbidden', say(request, wording.outOfScope));
}

/** Whether a limited staff member may act on a space with these scopes (bulk moderation checks each item). */
export function inScope(actor: Actor, scopes: readonly string[]): boolean {
  return !actor.scopes.length || scopes.some((scope) => actor.scopes.includes(scope));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function sameText(a: string, b: string): boolean {
  const left = digest(a);
  const right = digest(b);
  return timingSafeEqual(left, right);
}
