import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Storage } from '../db/connect.js';
import type { CommitQueue } from '../db/commit-queue.js';
import { Problem } from '../http/problem.js';
import { newId } from '../polls/store.js';
import { plainDisplayName } from '../../../core/src/content/text-rules.js';
import { signAnonymousToken, verifyAnonymousToken } from './anonymous-token.js';

/** A host site (a council's CMS) whose signed tokens make a participant verified. */
export interface HostSite {
  id: string;
  /** The `iss` claim the site puts in its tokens. */
  issuer: string;
  /** HS256 shared secret… */
  secret?: string;
  /** …or the URL of the site's JSON Web Key Set. */
  jwksUrl?: string;
  /** Expected `aud` claim, if the site sets one. */
  audience?: string;
}

export interface Participant {
  id: string;
  verification: 'anonymous' | 'verified';
  displayName?: string;
  expiresAt?: string;
}

const ISSUER = 'civic-server';
const AUDIENCE = 'civic-participant';
const TOKEN_LIFETIME_S = 365 * 24 * 3600;
/** The longest a host site's token may live, by default: a day. */
export const HOST_TOKEN_MAX_LIFETIME_S = 24 * 3600;
const CACHE_MS = 60_000;

/**
 * Issues anonymous participant tokens and recognises both kinds of bearer token. Verified results
 * are cached for a minute: checking a signature on every ballot costs more than storing it.
 */
export class Participants {
  readonly #storage: Storage;
  readonly #queue: CommitQueue;
  readonly #secret: Buffer;
  readonly #sites: Map<string, { site: HostSite; key: Uint8Array | JWTVerifyGetKey }>;
  readonly #cache = new Map<string, { participant: Participant; until: number }>();
  readonly #maxLifetimeS: number;

  private constructor(storage: Storage, queue: CommitQueue, secret: Buffer, sites: HostSite[], maxLifetimeS: number) {
    this.#maxLifetimeS = maxLifetimeS;
    this.#storage = storage;
    this.#queue = queue;
    this.#secret = secret;
    this.#sites = new Map(
      sites.map((site) => {
        if (!site.secret && !site.jwksUrl) throw new Error(`Host site "${site.id}" needs a secret or a jwksUrl.`);
        const key = site.secret ? new TextEncoder().encode(site.secret) : createRemoteJWKSet(new URL(site.jwksUrl!));
        return [site.issuer, { site, key }];
      }),
    );
  }

  /**
   * The signing secret comes from the configuration, or is made once and kept in the database so
   * that every instance and every restart accept the same tokens.
   */
  static async open(
    storage: Storage,
    queue: CommitQueue,
    sites: HostSite[],
    configuredSecret?: string,
    hostTokenMaxLifetimeS = HOST_TOKEN_MAX_LIFETIME_S,
  ): Promise<Participants> {
    let secret = configuredSecret;
    if (!secret) {
      const candidate = randomBytes(32).toString('base64url');
      secret = await queue.run(async (trx) => {
        await trx
          .insertInto('server_settings')
          .values({ key: 'token-secret', value: candidate })
          .onConflict((conflict) => conflict.column('key').doNothing())
          .execute();
        const row = await trx.selectFrom('server_settings').select('value').where('key', '=', 'token-secret').executeTakeFirstOrThrow();
        return row.value;
      });
    }
    return new Participants(storage, queue, Buffer.from(secret, 'utf8'), sites, hostTokenMaxLifetimeS);
  }

  async createAnonymous(): Promise<{ token: string; participant: Participant & { expiresAt: string } }> {
    const id = newId('p');
    const now = new Date();
    await this.#queue.run((trx) =>
      trx.insertInto('participants').values({ id, verification: 'anonymous', site_id: null, subject: null, created_at: now.toISOString() }).execute(),
    );
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + TOKEN_LIFETIME_S;
    const token = signAnonymousToken({ iss: ISSUER, aud: AUDIENCE, sub: id, iat, exp, lvl: 'anonymous' }, this.#secret);
    const expiresAt = new Date(exp * 1000).toISOString();
    return { token, participant: { id, verification: 'anonymous', expiresAt } };
  }

  /** The participant behind an `Authorization` header, or a 401 problem. */
  async authenticate(header: string | undefined): Promise<Participant> {
    const token = bearer(header);
    if (!token) throw new Problem(401, 'unauthorised', 'Send a participant token: Authorization: Bearer <token>.');
    const cached = this.#cache.get(token);
    if (cached && cached.until > Date.now()) return cached.participant;
    const participant = await this.#verify(token);
    if (this.#cache.size > 50_000) this.#cache.clear();
    // Never past the token's own expiry.
    this.#cache.set(token, { participant, until: Math.min(Date.now() + CACHE_MS, Date.parse(participant.expiresAt!)) });
    return participant;
  }

  async authenticateOptional(header: string | undefined): Promise<Participant | undefined> {
    return header ? this.authenticate(header) : undefined;
  }

  /** After erasure: the token must stop working here at once (other instances within a minute). */
  forget(participantId: string): void {
    for (const [token, entry] of this.#cache) if (entry.participant.id === participantId) this.#cache.delete(token);
  }

  async exists(participantId: string): Promise<boolean> {
    const row = await this.#storage.reader.selectFrom('participants').select('id').where('id', '=', participantId).executeTakeFirst();
    return row !== undefined;
  }

  async #verify(token: string): Promise<Participant> {
    const ours = verifyAnonymousToken(token, this.#secret, { iss: ISSUER, aud: AUDIENCE });
    if (ours) return { id: ours.sub, verification: 'anonymous', expiresAt: new Date(ours.exp * 1000).toISOString() };
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalidToken();
    }
    const entry = issuer === undefined ? undefined : this.#sites.get(issuer);
    if (!entry) throw invalidToken();
    let payload;
    try {
      const options = {
        issuer: entry.site.issuer,
        ...(entry.site.audience ? { audience: entry.site.audience } : {}),
        algorithms: entry.site.secret ? ['HS256'] : ['RS256', 'ES256', 'EdDSA', 'PS256'],
      };
      payload = (entry.key instanceof Uint8Array ? await jwtVerify(token, entry.key, options) : await jwtVerify(token, entry.key, options)).payload;
    } catch {
      throw invalidToken();
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken();
    // A token must say when it ends (jose has checked that this is still ahead), and not too far off.
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.exp !== 'number' || payload.exp - now > this.#maxLifetimeS) throw invalidToken();
    if (typeof payload.iat === 'number' && payload.exp - payload.iat > this.#maxLifetimeS) throw invalidToken();
    const id = await this.#verifiedParticipant(entry.site.id, payload.sub);
    const displayName = typeof payload.name === 'string' ? plainDisplayName(payload.name) : undefined;
    return { id, verification: 'verified', ...(displayName ? { displayName } : {}), expiresAt: new Date(payload.exp * 1000).toISOString() };
  }

  /** The host site's subject maps to our own opaque id; names are never stored. */
  async #verifiedParticipant(siteId: string, subject: string): Promise<string> {
    const existing = await this.#storage.reader
      .selectFrom('participants')
      .select('id')
      .where('site_id', '=', siteId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    if (existing) return existing.id;
    return this.#queue.run(async (trx) => {
      await trx
        .insertInto('participants')
        .values({ id: newId('p'), verification: 'verified', site_id: siteId, subject, created_at: new Date().toISOString() })
        .onConflict((conflict) => conflict.columns(['site_id', 'subject']).doNothing())
        .execute();
      const row = await trx.selectFrom('participants').select('id').where('site_id', '=', siteId).where('subject', '=', subject).executeTakeFirstOrThrow();
      return row.id;
    });
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+([A-Za-z0-9._~+/=-]{10,4096})\s*$/);
  return match?.[1];
}

function invalidToken(): Problem {
  return new Problem(401, 'unauthorised', 'The participant token is not valid or has expired.');
}
