import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The server's own participant tokens: compact JWS, HS256. Signed and checked here with
 * node:crypto, synchronously: every ballot carries one, and WebCrypto's asynchronous HMAC would
 * cost each request a trip through the thread pool and split group commits.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface AnonymousClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  lvl: 'anonymous';
}

export function signAnonymousToken(claims: AnonymousClaims, secret: Buffer): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The claims of a valid, unexpired token of ours, or undefined. */
export function verifyAnonymousToken(token: string, secret: Buffer, expected: { iss: string; aud: string }): AnonymousClaims | undefined {
  const parts = token.split('.');
  // Strict base64url: Node's decoder would also take '+', '/' and '=' padding, so one token would
  // have several spellings.
  if (parts.length !== 3 || parts[0] !== HEADER || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const signature = Buffer.from(parts[2]!, 'base64url');
  const wanted = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  if (signature.length !== wanted.length || !timingSafeEqual(signature, wanted)) return undefined;
  let claims: AnonymousClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as AnonymousClaims;
  } catch {
    return undefined;
  }
  if (claims.iss !== expected.iss || claims.aud !== expected.aud || typeof claims.sub !== 'string' || !claims.sub) return undefined;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return undefined;
  return claims;
}
