import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../db/connect.js';
import { Problem } from '../http/problem.js';
import { WindowLimiter } from '../protection/window-limiter.js';
import { decoyHash, hashPassword, verifyPassword, DEFAULT_PASSWORD_COST, type PasswordCost } from './passwords.js';
import { base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import { newToken, staffFromRow, tokenHash, type StaffMember, type StaffRow, type StaffStore } from './store.js';
import { languageOf, moment, say, wording } from './wording.js';

export interface ConsoleOptions {
  /** scrypt cost of staff passwords (2^logN); 17 by default. */
  passwordCost?: PasswordCost;
  /** A session unused this long ends, in ms; 30 minutes by default. */
  idleTimeoutMs?: number;
  /** A session ends this long after sign-in whatever its use, in ms; 12 hours by default. */
  absoluteTimeoutMs?: number;
  /** Failed sign-ins in a row that lock an account, and for how long. */
  maxFailures?: number;
  lockoutMs?: number;
  /** Failed sign-ins one address may make per lockout period, whatever the accounts. */
  failuresPerAddress?: number;
  /** Session cookies carry Secure even on plain http (behind a TLS proxy without X-Forwarded-Proto). */
  secureCookies?: boolean;
  /** The milliseconds clock: tests move time on instead of waiting. */
  clock?: () => number;
  /** Issuer named in authenticator apps. */
  totpIssuer?: string;
}

export const SESSION_COOKIE = 'civic_console';
/** The cookie goes only where the console needs it: admin routes; never to citizens' routes. */
export const SESSION_COOKIE_PATH = '/api/v1/admin';
export const CSRF_HEADER = 'x-csrf-token';
const RECOVERY_CODES = 10;

export interface ConsoleSession {
  staff: StaffRow;
  idHash: string;
  csrfToken: string;
  expiresAt: string;
}

/** Sign-in, second factor and console sessions of staff members. */
export class ConsoleAuth {
  readonly cost: PasswordCost;
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly #maxFailures: number;
  readonly #lockoutMs: number;
  readonly #addresses: WindowLimiter;
  readonly #secure: boolean;
  readonly #issuer: string;
  readonly #storage: Storage;
  readonly staff: StaffStore;
  readonly now: () => number;

  constructor(storage: Storage, staff: StaffStore, options: ConsoleOptions = {}) {
    this.#storage = storage;
    this.staff = staff;
    this.cost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
    this.idleMs = options.idleTimeoutMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteTimeoutMs ?? 12 * 3600_000;
    this.#maxFailures = options.maxFailures ?? 5;
    this.#lockoutMs = options.lockoutMs ?? 15 * 60_000;
    this.now = options.clock ?? Date.now;
    this.#addresses = new WindowLimiter(options.failuresPerAddress ?? 20, this.#lockoutMs, this.now);
    this.#secure = options.secureCookies ?? false;
    this.#issuer = options.totpIssuer ?? 'civic-widgets';
  }

  #iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }

  /**
   * Checks email, password and, where enrolled, the second factor; opens a session. Every
   * failure costs the same scrypt work, counts against the account and the address, and says
   * no more than "wrong email or password".
   */
  async signIn(
    request: FastifyRequest,
    input: { email: string; password: string; code?: string },
  ): Promise<{ row: StaffRow; session: { id: string; csrfToken: string; expiresAt: string } }> {
    const language = languageOf(request);
    const row = await this.staff.byEmail(input.email);
    const now = this.#iso();
    if (row?.locked_until && row.locked_until > now) {
      throw new Problem(429, 'rate-limited', wording.locked[language](moment(row.locked_until, language)), { headers: { 'retry-after': retryAfter(row.locked_until, this.now()) } });
    }
    const usable = row && row.disabled === 0 && row.password_hash !== null;
    const { ok, rehash } = await verifyPassword(input.password, usable ? row.password_hash! : await decoyHash(this.cost), this.cost);
    if (!usable || !ok) {
      await this.#failed(request, row);
      throw new Problem(401, 'unauthorised', say(request, wording.wrongCredentials));
    }
    if (row.totp_enabled === 1) {
      if (!input.code) throw new Problem(401, 'unauthorised', say(request, wording.codeNeeded), { errors: [{ field: 'code', message: say(request, wording.codeNeeded) }] });
      if (!(await this.#secondFactor(row, input.code))) {
        await this.#failed(request, row);
        throw new Problem(401, 'unauthorised', say(request, wording.codeWrong), { errors: [{ field: 'code', message: say(request, wording.codeWrong) }] });
      }
    }
    const passwordHash = rehash ? await hashPassword(input.password, this.cost) : undefined;
    const session = await this.#open(row.id, passwordHash);
    return { row: (await this.staff.row(row.id))!, session };
  }

  async #failed(request: FastifyRequest, row: StaffRow | undefined): Promise<void> {
    if (row) {
      const failures = row.failed_attempts + 1;
      const lockedUntil = failures >= this.#maxFailures ? this.#iso(this.#lockoutMs) : null;
      await this.staff.queue.run((trx) =>
        trx.updateTable('staff').set({ failed_attempts: lockedUntil ? 0 : failures, locked_until: lockedUntil }).where('id', '=', row.id).execute(),
      );
      if (lockedUntil) {
        const language = languageOf(request);
        throw new Problem(429, 'rate-limited', wording.locked[language](moment(lockedUntil, language)), { headers: { 'retry-after': retryAfter(lockedUntil, this.now()) } });
      }
    }
    try {
      this.#addresses.hit(request.ip);
    } catch (error) {
      const language = languageOf(request);
      const seconds = Number((error as Problem).headers?.['retry-after'] ?? 60);
      throw new Problem(429, 'rate-limited', wording.addressLimited[language](moment(this.#iso(seconds * 1000), language)), { headers: { 'retry-after': String(seconds) } });
    }
  }

  /** A TOTP code of the current window not used before, or an unused recovery code (spent here). */
  async #secondFactor(row: StaffRow, code: string): Promise<boolean> {
    const compact = code.replace(/\s+/g, '');
    if (/^[0-9]{6}$/.test(compact)) {
      const step = matchTotp(row.totp_secret!, compact, this.now(), row.totp_last_step);
      if (step === undefined) return false;
      // Only one request may spend a step: the update checks the last step again.
      const updated = await this.staff.queue.run((trx) =>
        trx
          .updateTable('staff')
          .set({ totp_last_step: step })
          .where('id', '=', row.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .executeTakeFirst(),
      );
      return Number(updated.numUpdatedRows) === 1;
    }
    const spent = await this.staff.queue.run((trx) =>
      trx
        .updateTable('staff_recovery_codes')
        .set({ used_at: this.#iso() })
        .where('staff_id', '=', row.id)
        .where('code_hash', '=', tokenHash(compact.toLowerCase()))
        .where('used_at', 'is', null)
        .executeTakeFirst(),
    );
    return Number(spent.numUpdatedRows) === 1;
  }

  async #open(staffId: number, passwordHash: string | undefined): Promise<{ id: string; csrfToken: string; expiresAt: string }> {
    const id = newToken();
    const csrfToken = newToken();
    const now = this.#iso();
    const expiresAt = this.#iso(this.absoluteMs);
    await this.staff.queue.run(async (trx) => {
      await trx.insertInto('staff_sessions').values({ id_hash: tokenHash(id), staff_id: staffId, csrf_token: csrfToken, created_at: now, last_seen_at: now, expires_at: expiresAt }).execute();
      await trx
        .updateTable('staff')
        .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: now, ...(passwordHash ? { password_hash: passwordHash } : {}) })
        .where('id', '=', staffId)
        .execute();
      // Sessions that ended are removed as new ones begin.
      await trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).where('expires_at', '<=', now).execute();
    });
    return { id, csrfToken, expiresAt };
  }

  /** Opens a session for someone an identity provider vouched for. */
  openFor(staffId: number): Promise<{ id: string; csrfToken: string; expiresAt: string }> {
    return this.#open(staffId, undefined);
  }

  /** The live session a request's cookie names, after the idle and absolute limits; undefined without a cookie. */
  async session(request: FastifyRequest): Promise<ConsoleSession | undefined> {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!id) return undefined;
    const idHash = tokenHash(id);
    const row = await this.#storage.db
      .selectFrom('staff_sessions')
      .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
      .selectAll('staff')
      .select(['staff_sessions.csrf_token', 'staff_sessions.last_seen_at', 'staff_sessions.expires_at as session_expires_at'])
      .where('staff_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    const nowMs = this.now();
    const now = new Date(nowMs).toISOString();
    if (!row || row.disabled === 1 || row.session_expires_at <= now || Date.parse(row.last_seen_at) + this.idleMs <= nowMs) {
      if (row) await this.staff.queue.run((trx) => trx.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute());
      throw new Problem(401, 'unauthorised', say(request, wording.sessionOver));
    }
    // Written at most every 15 s: a console reading a page of items does not write for each.
    if (Date.parse(row.last_seen_at) + 15_000 <= nowMs) {
      await this.staff.queue.run((trx) => trx.updateTable('staff_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute());
    }
    const { csrf_token, last_seen_at: _seen, session_expires_at, ...staff } = row;
    return { staff, idHash, csrfToken: csrf_token, expiresAt: session_expires_at };
  }

  async signOut(idHash: string): Promise<void> {
    await this.staff.queue.run((trx) => trx.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute());
  }

  async signOutEverywhere(staffId: number): Promise<void> {
    await this.staff.queue.run((trx) => trx.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute());
  }

  /** A new TOTP secret, not in force until a code from it is confirmed. */
  async startTotp(request: FastifyRequest, row: StaffRow): Promise<{ secret: string; uri: string }> {
    if (row.totp_enabled === 1) throw new Problem(409, 'conflict', say(request, wording.totpOn));
    const secret = newTotpSecret();
    await this.staff.queue.run((trx) => trx.updateTable('staff').set({ totp_secret: secret, totp_last_step: null }).where('id', '=', row.id).execute());
    return { secret, uri: otpauthUri(secret, row.email, this.#issuer) };
  }

  /** Turns TOTP on with a first code, and hands out ten recovery codes, shown this once. */
  async confirmTotp(request: FastifyRequest, row: StaffRow, code: string): Promise<string[]> {
    if (row.totp_enabled === 1) throw new Problem(409, 'conflict', say(request, wording.totpOn));
    if (!row.totp_secret) throw new Problem(409, 'conflict', say(request, wording.totpNotStarted));
    const step = matchTotp(row.totp_secret, code, this.now(), row.totp_last_step);
    if (step === undefined) throw Problem.validation([{ field: 'code', message: say(request, wording.codeWrong) }]);
    const codes = Array.from({ length: RECOVERY_CODES }, () => recoveryCode());
    await this.staff.queue.run(async (trx) => {
      await trx.updateTable('staff').set({ totp_enabled: 1, totp_last_step: step }).where('id', '=', row.id).execute();
      await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', row.id).execute();
      await trx.insertInto('staff_recovery_codes').values(codes.map((value) => ({ staff_id: row.id, code_hash: tokenHash(value), used_at: null }))).execute();
    });
    return codes;
  }

  /** Sets the session cookie: HttpOnly, SameSite=Strict, on admin routes only, Secure under TLS. */
  setCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number): void {
    const secure = this.#secure || request.protocol === 'https';
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=${SESSION_COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`,
    );
  }

  member(row: StaffRow): StaffMember {
    return staffFromRow(row);
  }
}

/** Ten groups of characters in three parts, easy to copy by hand: about 60 bits each. */
function recoveryCode(): string {
  const text = base32Encode(randomBytes(8)).toLowerCase().slice(0, 12);
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`;
}

function retryAfter(until: string, nowMs: number): string {
  return String(Math.max(1, Math.ceil((Date.parse(until) - nowMs) / 1000)));
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || undefined;
  }
  return undefined;
}
