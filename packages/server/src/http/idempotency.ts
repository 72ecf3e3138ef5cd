import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { BatchEffects, CommitQueue } from '../db/commit-queue.js';
import type { Database } from '../db/schema.js';
import { Problem } from './problem.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface WriteResult<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

/**
 * Idempotency-Key handling for every write. The key row is inserted in the write's own
 * transaction, so the stored response and the change it describes commit (or vanish) together.
 * Keys are scoped to a participant (or `admin`) and kept 24 hours.
 */
export class Idempotency {
  readonly #queue: CommitQueue;
  /** Requests under way in this instance; on PostgreSQL another instance's wait on the key row. */
  readonly #inFlight = new Map<string, string>();

  constructor(queue: CommitQueue) {
    this.#queue = queue;
  }

  async run<T>(
    scope: string,
    key: string,
    request: { method: string; path: string; body: unknown },
    work: (trx: Transaction<Database>, now: string, effects: BatchEffects) => Promise<{ status: number; body: T }>,
  ): Promise<WriteResult<T>> {
    const hash = requestHash(request);
    const slot = `${scope}\u0000${key}`;
    const running = this.#inFlight.get(slot);
    if (running !== undefined) throw running === hash ? stillRunning() : keyReused();
    this.#inFlight.set(slot, hash);
    try {
      return await this.#queue.run(async (trx, effects) => {
        const now = new Date().toISOString();
        const inserted = await trx
          .insertInto('idempotency_keys')
          .values({ scope, key, request_hash: hash, response_status: null, response_body: null, created_at: now })
          .onConflict((conflict) => conflict.columns(['scope', 'key']).doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!inserted) {
          const earlier = await trx.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
          if (Date.parse(earlier.created_at) > Date.now() - IDEMPOTENCY_TTL_MS) {
            if (earlier.request_hash !== hash) throw keyReused();
            if (earlier.response_status === null || earlier.response_body === null) throw stillRunning();
            return { status: earlier.response_status, body: JSON.parse(earlier.response_body) as T, replayed: true };
          }
          await trx
            .updateTable('idempotency_keys')
            .set({ request_hash: hash, response_status: null, response_body: null, created_at: now })
            .where('scope', '=', scope)
            .where('key', '=', key)
            .execute();
        }
        const result = await work(trx, now, effects);
        await trx
          .updateTable('idempotency_keys')
          .set({ response_status: result.status, response_body: JSON.stringify(result.body) })
          .where('scope', '=', scope)
          .where('key', '=', key)
          .execute();
        return { ...result, replayed: false };
      });
    } finally {
      this.#inFlight.delete(slot);
    }
  }

  /** Drops keys older than 24 hours. */
  async prune(): Promise<void> {
    const before = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    await this.#queue.run((trx) => trx.deleteFrom('idempotency_keys').where('created_at', '<', before).execute());
  }
}

export function requestHash(request: { method: string; path: string; body: unknown }): string {
  return createHash('sha256').update(`${request.method} ${request.path}\n${canonicalJson(request.body)}`).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function keyReused(): Problem {
  return new Problem(422, 'validation', 'This Idempotency-Key was already used with a different request.', {
    errors: [{ field: 'Idempotency-Key', message: 'Use a new key for a different request.' }],
  });
}

function stillRunning(): Problem {
  return new Problem(409, 'conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.');
}
