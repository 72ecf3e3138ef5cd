import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Storage } from '../db/connect.js';
import type { CommitQueue, Trx } from '../db/commit-queue.js';
import type { StaffRole, StaffTable } from '../db/schema-staff.js';
import { Problem } from '../http/problem.js';

export interface StaffMember {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  /** `kind:id` scopes; empty for the whole council. */
  scopes: string[];
  disabled: boolean;
  /** Whether the account has a password yet (an invitation not accepted has none). */
  active: boolean;
  totp: boolean;
  createdAt: string;
  lastSignInAt?: string;
}

export type StaffRow = Selectable<StaffTable>;

export interface OneTimeLink {
  token: string;
  expiresAt: string;
}

export const INVITATION_TTL_MS = 72 * 3600_000;
export const RESET_TTL_MS = 3600_000;

/** SHA-256 of a random token: what is stored for links, sessions and recovery codes. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function staffFromRow(row: StaffRow): StaffMember {
  const member: StaffMember = {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    scopes: JSON.parse(row.scopes) as string[],
    disabled: row.disabled === 1,
    active: row.password_hash !== null,
    totp: row.totp_enabled === 1,
    createdAt: row.created_at,
  };
  if (row.last_sign_in_at) member.lastSignInAt = row.last_sign_in_at;
  return member;
}

/** Staff accounts and their one-time links. Writes go through the commit queue, as every write does. */
export class StaffStore {
  readonly #storage: Storage;
  readonly #queue: CommitQueue;

  constructor(storage: Storage, queue: CommitQueue) {
    this.#storage = storage;
    this.#queue = queue;
  }

  get queue(): CommitQueue {
    return this.#queue;
  }

  async list(): Promise<StaffMember[]> {
    const rows = await this.#storage.reader.selectFrom('staff').selectAll().orderBy('email_key').execute();
    return rows.map(staffFromRow);
  }

  async row(id: number, trx?: Trx): Promise<StaffRow | undefined> {
    return (trx ?? this.#storage.db).selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byEmail(email: string, trx?: Trx): Promise<StaffRow | undefined> {
    return (trx ?? this.#storage.db).selectFrom('staff').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.#storage.db.selectFrom('staff').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A new account, without a password: its invitation link sets one. 409 when the email is taken. */
  async create(trx: Trx, input: { email: string; name: string; role: StaffRole; scopes?: string[] }, now: string): Promise<StaffRow> {
    if (await this.byEmail(input.email, trx)) throw new Problem(409, 'conflict', 'A staff account with this email exists already.');
    return trx
      .insertInto('staff')
      .values({
        email: input.email.trim(),
        email_key: emailKey(input.email),
        name: input.name.trim(),
        role: input.role,
        scopes: JSON.stringify([...new Set(input.scopes ?? [])].sort()),
        disabled: 0,
        totp_enabled: 0,
        failed_attempts: 0,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A new account with its invitation link; the audit entry is the caller's, who knows who acts. */
  async invite(trx: Trx, input: { email: string; name: string; role: StaffRole; scopes?: string[] }, ttlMs: number, nowMs: number): Promise<{ row: StaffRow; link: OneTimeLink }> {
    const row = await this.create(trx, input, new Date(nowMs).toISOString());
    return { row, link: await this.issueLink(trx, row.id, 'invitation', ttlMs, nowMs) };
  }

  async update(trx: Trx, id: number, patch: { name?: string; role?: StaffRole; scopes?: string[]; disabled?: boolean }): Promise<StaffRow> {
    const values: Partial<Record<keyof StaffTable, unknown>> = {};
    if (patch.name !== undefined) values.name = patch.name.trim();
    if (patch.role !== undefined) values.role = patch.role;
    if (patch.scopes !== undefined) values.scopes = JSON.stringify([...new Set(patch.scopes)].sort());
    if (patch.disabled !== undefined) values.disabled = patch.disabled ? 1 : 0;
    const query = trx.updateTable('staff').set(values as never).where('id', '=', id);
    const row = await (Object.keys(values).length ? query.returningAll().executeTakeFirst() : this.row(id, trx));
    if (!row) throw new Problem(404, 'not-found', 'There is no such staff member.');
    // A disabled account, or one whose rights change, signs in again.
    if (patch.disabled || patch.role !== undefined || patch.scopes !== undefined) await trx.deleteFrom('staff_sessions').where('staff_id', '=', id).execute();
    return row;
  }

  /** A one-time link for an invitation or a password reset; earlier unused links of the account stop working. */
  async issueLink(trx: Trx, staffId: number, purpose: 'invitation' | 'reset', ttlMs: number, nowMs: number): Promise<OneTimeLink> {
    const token = newToken();
    const now = new Date(nowMs).toISOString();
    const expiresAt = new Date(nowMs + ttlMs).toISOString();
    await trx.updateTable('staff_links').set({ used_at: now }).where('staff_id', '=', staffId).where('used_at', 'is', null).execute();
    await trx.insertInto('staff_links').values({ token_hash: tokenHash(token), staff_id: staffId, purpose, expires_at: expiresAt, created_at: now }).execute();
    return { token, expiresAt };
  }

  /**
   * Sets the password a link was for, once: the link is spent in the same transaction. An
   * unknown, spent or expired link gets one answer, so that none can be told from the others.
   */
  async redeemLink(token: string, passwordHash: string, nowMs: number): Promise<StaffRow> {
    const now = new Date(nowMs).toISOString();
    return this.#queue.run(async (trx) => {
      const link = await trx
        .updateTable('staff_links')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['staff_id'])
        .executeTakeFirst();
      if (!link) throw new Problem(410, 'not-found', 'This link has expired or was used already; ask an administrator for a new one.');
      const row = await trx
        .updateTable('staff')
        .set({ password_hash: passwordHash, failed_attempts: 0, locked_until: null })
        .where('id', '=', link.staff_id)
        .where('disabled', '=', 0)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new Problem(410, 'not-found', 'This link has expired or was used already; ask an administrator for a new one.');
      // A new password ends every session the old one opened.
      await trx.deleteFrom('staff_sessions').where('staff_id', '=', row.id).execute();
      return row;
    });
  }
}
