import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Staff passwords: scrypt, memory-hard. The cost is N = 2^logN with r = 8, p = 1; 17 by default
 * (128 MiB a hash, and up to a second on a busy 2-core machine), lower in tests. Each hash carries its own
 * parameters, so raising the cost rehashes a password at its next sign-in.
 */
export interface PasswordCost {
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: PasswordCost = { logN: 17, r: 8, p: 1 };
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: PasswordCost): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** cost.logN, r: cost.r, p: cost.p, maxmem: 128 * 2 ** cost.logN * cost.r * 2 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: PasswordCost): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether the password matches, and whether its hash should be made again at today's cost. */
export async function verifyPassword(password: string, stored: string, cost: PasswordCost): Promise<{ ok: boolean; rehash: boolean }> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return { ok: false, rehash: false };
  const used = { logN: Number(logN), r: Number(r), p: Number(p) };
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), used);
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  return { ok, rehash: ok && (used.logN !== cost.logN || used.r !== cost.r || used.p !== cost.p) };
}

/** A hash to compare against when there is no account, so that a wrong email takes as long as a wrong password. */
let decoy: Promise<string> | undefined;
export function decoyHash(cost: PasswordCost): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return decoy;
}
