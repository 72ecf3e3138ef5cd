/**
 * Council staff: their accounts, one-time links, console sessions and recovery codes (migration
 * 006-staff). Secrets are never stored as such: passwords as scrypt hashes, links, sessions and
 * recovery codes as SHA-256 digests of random tokens.
 */
import type { Generated } from 'kysely';

export type StaffRole = 'admin' | 'editor' | 'moderator' | 'analyst';

export interface StaffTable {
  id: Generated<number>;
  email: string;
  /** The email lower-cased: the unique key, so that Ana@… and ana@… are one account. */
  email_key: string;
  name: string;
  role: StaffRole;
  /** JSON: string[] of `kind:id` scopes; empty for the whole council. */
  scopes: string;
  disabled: number;
  /** `scrypt$logN$r$p$salt$hash`, or null until an invitation is accepted. */
  password_hash: string | null;
  /** Base32 TOTP secret; enabled once a first code confirmed it. */
  totp_secret: string | null;
  totp_enabled: number;
  /** The last time step whose code was accepted: a code is never taken twice. */
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
  last_sign_in_at: string | null;
}

export interface StaffLinkTable {
  token_hash: string;
  staff_id: number;
  purpose: 'invitation' | 'reset';
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface StaffSessionTable {
  id_hash: string;
  staff_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface StaffRecoveryCodeTable {
  staff_id: number;
  code_hash: string;
  used_at: string | null;
}

export interface StaffTables {
  staff: StaffTable;
  staff_links: StaffLinkTable;
  staff_sessions: StaffSessionTable;
  staff_recovery_codes: StaffRecoveryCodeTable;
}
