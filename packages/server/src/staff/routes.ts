import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { Problem } from '../http/problem.js';
import { pageOf, problems } from '../http/schemas.js';
import { SESSION_COOKIE_PATH } from './auth.js';
import { actorOf } from './guard.js';
import { recordRefusal, recordSession } from './session-audit.js';
import { hashPassword, PASSWORD_MIN_LENGTH } from './passwords.js';
import {
  ConsoleSessionSchema,
  OneTimeLinkSchema,
  RecoveryCodesSchema,
  SetPasswordSchema,
  SignInSchema,
  StaffCreateSchema,
  StaffMemberSchema,
  StaffParams,
  StaffPatchSchema,
  TotpConfirmSchema,
  TotpEnrolmentSchema,
  type StaffCreate,
  type StaffPatch,
} from './schemas.js';
import { INVITATION_TTL_MS, RESET_TTL_MS, staffFromRow, type OneTimeLink } from './store.js';
import { say, wording } from './wording.js';

export interface StaffRouteOptions {
  /** Where the console is served, for links: by default the origin the request came to. */
  publicUrl?: string;
  invitationTtlMs?: number;
  resetTtlMs?: number;
}

/** The console's address for a one-time link; the token goes in the fragment, which no server logs. */
export function consoleLink(base: string, purpose: 'invitation' | 'reset', link: OneTimeLink): { url: string; expiresAt: string } {
  return { url: `${base.replace(/\/$/, '')}/console/#${purpose}=${link.token}`, expiresAt: link.expiresAt };
}

/** The console's origin: the configured public address, or the one the request came to. */
export function baseUrl(request: FastifyRequest, options: StaffRouteOptions): string {
  return options.publicUrl ?? `${request.protocol}://${request.host}`;
}

/** Staff management for admins, inside the admin scope (its guard checks the `staff` permission). */
export async function staffAdminRoutes(
  admin: FastifyInstance,
  services: Services,
  options: StaffRouteOptions,
  doc: { tags: string[]; security: Array<Record<string, string[]>> },
): Promise<void> {
  const { staff, audit, console: auth } = services;
  const { tags, security } = doc;

  admin.get(
    '/admin/staff',
    { schema: { summary: 'List staff accounts', tags, security, response: { 200: pageOf(StaffMemberSchema), ...problems(401, 403) } } },
    async () => ({ items: await staff.list() }),
  );

  admin.post<{ Body: StaffCreate }>(
    '/admin/staff',
    {
      schema: {
        summary: 'Invite a staff member',
        description: 'Creates the account and answers a one-time invitation link (72 h by default) that sets its password. Only a hash of the link is kept.',
        tags,
        security,
        body: StaffCreateSchema,
        response: { 201: Type.Object({ staff: StaffMemberSchema, invitation: OneTimeLinkSchema }), ...problems(401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const nowMs = auth.now();
      const now = new Date(nowMs).toISOString();
      const { row, link } = await staff.queue.run(async (trx) => {
        const { row, link } = await staff.invite(trx, request.body, options.invitationTtlMs ?? INVITATION_TTL_MS, nowMs);
        await audit.record(trx, { at: now, actor, action: 'staff.invite', subjectKind: 'staff', subjectId: String(row.id), details: { email: row.email, role: row.role, scopes: JSON.parse(row.scopes) } });
        return { row, link };
      });
      return reply.status(201).send({ staff: staffFromRow(row), invitation: consoleLink(baseUrl(request, options), 'invitation', link) });
    },
  );

  admin.patch<{ Params: { id: string }; Body: StaffPatch }>(
    '/admin/staff/:id',
    {
      schema: {
        summary: 'Change a staff member’s name, role, scopes, or disable them',
        description: 'A change of role or scopes, or disabling, ends the member’s sessions.',
        tags,
        security,
        params: StaffParams,
        body: StaffPatchSchema,
        response: { 200: StaffMemberSchema, ...problems(401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const id = Number(request.params.id);
      const now = new Date(auth.now()).toISOString();
      const row = await staff.queue.run(async (trx) => {
        const row = await staff.update(trx, id, request.body);
        await audit.record(trx, { at: now, actor, action: 'staff.update', subjectKind: 'staff', subjectId: String(id), details: { email: row.email, ...request.body } });
        return row;
      });
      return staffFromRow(row);
    },
  );

  admin.post<{ Params: { id: string } }>(
    '/admin/staff/:id/reset-link',
    {
      schema: {
        summary: 'A password reset link for a staff member',
        description: 'One-time, 1 h by default; earlier links of the account stop working.',
        tags,
        security,
        params: StaffParams,
        response: { 201: OneTimeLinkSchema, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = Number(request.params.id);
      const nowMs = auth.now();
      const now = new Date(nowMs).toISOString();
      const { row, link } = await staff.queue.run(async (trx) => {
        const row = await staff.row(id, trx);
        if (!row) throw new Problem(404, 'not-found', 'There is no such staff member.');
        // An account never activated gets a fresh invitation rather than a reset.
        const purpose = row.password_hash === null ? 'invitation' : 'reset';
        const ttl = purpose === 'invitation' ? (options.invitationTtlMs ?? INVITATION_TTL_MS) : (options.resetTtlMs ?? RESET_TTL_MS);
        const link = await staff.issueLink(trx, id, purpose, ttl, nowMs);
        await audit.record(trx, { at: now, actor, action: `staff.${purpose === 'invitation' ? 'invite' : 'reset-link'}`, subjectKind: 'staff', subjectId: String(id), details: { email: row.email } });
        return { row, link };
      });
      return reply.status(201).send(consoleLink(baseUrl(request, options), row.password_hash === null ? 'invitation' : 'reset', link));
    },
  );

  // The signed-in member's own session and second factor: cookie sessions only.
  const own = (request: FastifyRequest) => {
    const session = actorOf(request).session;
    if (!session) throw new Problem(403, 'forbidden', say(request, wording.noSession));
    return session;
  };
  const sessionBody = (session: ReturnType<typeof own>) => ({
    staff: staffFromRow(session.staff),
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    idleTimeoutS: Math.round(auth.idleMs / 1000),
  });
  const clearCookie = (request: FastifyRequest, reply: Parameters<typeof auth.setCookie>[1]) => auth.setCookie(request, reply, '', 0);

  admin.get(
    '/admin/session',
    { schema: { summary: 'The console session: who is signed in, and the CSRF token', tags, security: [{ console: [] }], response: { 200: ConsoleSessionSchema, ...problems(401, 403) } } },
    async (request) => sessionBody(own(request)),
  );

  admin.delete(
    '/admin/session',
    { schema: { summary: 'Sign out', tags, security: [{ console: [] }], response: { 204: Type.Null(), ...problems(401, 403) } } },
    async (request, reply) => {
      await auth.signOut(own(request).idHash);
      await recordSession(services, actorOf(request), 'staff.sign-out');
      clearCookie(request, reply);
      return reply.status(204).send();
    },
  );

  admin.delete(
    '/admin/sessions',
    { schema: { summary: 'Sign out everywhere: every session of the signed-in member ends', tags, security: [{ console: [] }], response: { 204: Type.Null(), ...problems(401, 403) } } },
    async (request, reply) => {
      await auth.signOutEverywhere(own(request).staff.id);
      await recordSession(services, actorOf(request), 'staff.sign-out-everywhere');
      clearCookie(request, reply);
      return reply.status(204).send();
    },
  );

  admin.post(
    '/admin/totp',
    {
      schema: {
        summary: 'Start two-step sign-in (TOTP)',
        description: 'A new secret and its otpauth:// URI; in force once POST /admin/totp/confirm gets a code from it.',
        tags,
        security: [{ console: [] }],
        response: { 200: TotpEnrolmentSchema, ...problems(401, 403, 409) },
      },
    },
    async (request) => auth.startTotp(request, own(request).staff),
  );

  admin.post<{ Body: { code: string } }>(
    '/admin/totp/confirm',
    {
      schema: {
        summary: 'Confirm two-step sign-in with a first code',
        description: 'Answers ten one-time recovery codes, shown this once.',
        tags,
        security: [{ console: [] }],
        body: TotpConfirmSchema,
        response: { 200: RecoveryCodesSchema, ...problems(401, 403, 409, 413, 415) },
      },
    },
    async (request) => {
      const row = await staff.row(own(request).staff.id);
      return { recoveryCodes: await auth.confirmTotp(request, row!, request.body.code) };
    },
  );
}

/** Sign-in and one-time links: open routes under /console, which set the session cookie and never read one. */
export async function consoleRoutes(api: FastifyInstance, services: Services): Promise<void> {
  const { console: auth, staff } = services;
  const tags = ['console'];

  api.post<{ Body: { email: string; password: string; code?: string } }>(
    '/console/sign-in',
    {
      schema: {
        summary: 'Sign in to the council console',
        description:
          `Sets an HttpOnly, SameSite=Strict session cookie for ${SESSION_COOKIE_PATH} and answers the CSRF token that every change must carry in X-CSRF-Token. ` +
          'Where two-step sign-in is on, `code` is a TOTP code or a recovery code (401 with a `code` field error without it). ' +
          'Repeated failures lock the account for a while (429, saying until when).',
        tags,
        body: SignInSchema,
        response: { 200: ConsoleSessionSchema, ...problems(401, 413, 415) },
      },
    },
    async (request, reply) => {
      let signedIn: Awaited<ReturnType<typeof auth.signIn>>;
      try {
        signedIn = await auth.signIn(request, request.body);
      } catch (error) {
        // A refusal of a known account is on the record (who was tried, and why); an unknown
        // email is not, so that nobody can write what they like into the log.
        const tried = error instanceof Problem ? await staff.byEmail(request.body.email) : undefined;
        if (tried) await recordRefusal(services, tried.id, error as Problem);
        throw error;
      }
      const { row, session } = signedIn;
      await recordSession(services, { id: row.id, label: row.email, name: row.name }, 'staff.sign-in');
      auth.setCookie(request, reply, session.id, Math.round(auth.absoluteMs / 1000));
      return { staff: staffFromRow(row), csrfToken: session.csrfToken, expiresAt: session.expiresAt, idleTimeoutS: Math.round(auth.idleMs / 1000) };
    },
  );

  api.post<{ Body: { token: string; password: string } }>(
    '/console/password',
    {
      schema: {
        summary: 'Set a password with a one-time link (invitation or reset)',
        description: 'The token is the fragment of the link. The link is spent; every session of the account ends. 410 for an expired or spent link.',
        tags,
        body: SetPasswordSchema,
        response: { 204: Type.Null(), ...problems(410, 413, 415) },
      },
    },
    async (request, reply) => {
      if ([...request.body.password].length < PASSWORD_MIN_LENGTH) throw Problem.validation([{ field: 'password', message: say(request, wording.passwordShort) }]);
      const hash = await hashPassword(request.body.password, auth.cost);
      try {
        await staff.redeemLink(request.body.token, hash, auth.now());
      } catch (error) {
        if (error instanceof Problem && error.status === 410) throw new Problem(410, 'not-found', say(request, wording.linkSpent));
        throw error;
      }
      return reply.status(204).send();
    },
  );
}
