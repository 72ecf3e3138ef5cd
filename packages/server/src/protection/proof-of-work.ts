import { randomBytes } from 'node:crypto';
import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { Problem } from '../http/problem.js';

const CHALLENGE_LIFETIME_S = 600;

/**
 * Optional proof of work per space (ALTCHA v2, no third party): the browser fetches a challenge,
 * spends a moment of CPU on it and sends `X-Civic-Proof: base64(JSON { challenge, solution })`.
 * A solution is spent by one write per instance; it expires after ten minutes anyway.
 */
export class ProofOfWork {
  readonly #secret: string;
  readonly #cost: number;
  /** Nonces spent, with the request (participant and Idempotency-Key) that spent each. */
  readonly #used = new Map<string, { until: number; owner: string }>();

  constructor(options: { secret?: string; cost?: number } = {}) {
    this.#secret = options.secret ?? randomBytes(32).toString('base64url');
    this.#cost = options.cost ?? 5_000;
  }

  challenge(): Promise<Challenge> {
    return createChallenge({
      algorithm: 'SHA-256',
      cost: this.#cost,
      deriveKey,
      hmacSignatureSecret: this.#secret,
      expiresAt: Math.floor(Date.now() / 1000) + CHALLENGE_LIFETIME_S,
    });
  }

  /** `owner` names the write: its retries (same Idempotency-Key) may present the same proof. */
  async verify(header: string | undefined, owner: string): Promise<void> {
    if (!header) throw required('This poll asks for a proof of work: get one from /api/v1/challenge and send it in X-Civic-Proof.');
    let proof: { challenge: Challenge; solution: Solution };
    try {
      proof = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    } catch {
      throw required('X-Civic-Proof is not base64-encoded JSON.');
    }
    const nonce = proof?.challenge?.parameters?.nonce;
    const spent = typeof nonce === 'string' ? this.#used.get(nonce) : undefined;
    if (spent?.owner === owner) return;
    if (typeof nonce !== 'string' || spent) throw required('This proof of work was already used; solve a new challenge.');
    let verified = false;
    try {
      verified = (await verifySolution({ challenge: proof.challenge, solution: proof.solution, deriveKey, hmacSignatureSecret: this.#secret })).verified;
    } catch {
      verified = false;
    }
    if (!verified) throw required('The proof of work is not valid or has expired.');
    this.#prune();
    this.#used.set(nonce, { until: Date.now() + CHALLENGE_LIFETIME_S * 1000, owner });
  }

  #prune(): void {
    if (this.#used.size < 10_000) return;
    const now = Date.now();
    for (const [nonce, { until }] of this.#used) if (until < now) this.#used.delete(nonce);
  }
}

function required(detail: string): Problem {
  return new Problem(403, 'forbidden', detail, { errors: [{ field: 'X-Civic-Proof', message: detail }] });
}
