import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Trx = Transaction<Database>;

/**
 * Changes a job hands to the end of its batch instead of writing them itself: running totals,
 * which every job of a batch would otherwise update row by row. Only the effects of jobs that
 * succeeded reach the finisher.
 */
export interface BatchEffects {
  add(kind: string, effect: unknown): void;
}

/** Applies the effects of one kind, once per batch, just before the commit. */
export type Finisher = (trx: Trx, effects: unknown[]) => Promise<void>;

type Work<T> = (trx: Trx, effects: BatchEffects) => Promise<T>;

type Job<T> = {
  work: Work<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  attempts: number;
};

/** PostgreSQL's deadlock and serialisation failures: the job did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

export interface CommitQueueOptions {
  /** Batches committed at once: 1 for SQLite's single writer, a few for a PostgreSQL pool. */
  concurrency: number;
  /** Most jobs in one commit. */
  maxBatch?: number;
  /** Extra time to gather a batch, in ms; 0 takes whatever queued while the last commit ran. */
  windowMs?: number;
}

/**
 * Group commit: writes that arrive while a commit is under way are gathered into the next
 * transaction, each inside its own savepoint, and made durable by one fsync. A job that fails
 * rolls back to its savepoint and rejects alone; a failed commit rejects the whole batch, so no
 * caller is ever told that an unwritten change was stored.
 *
 * Hot rows (a poll's tally) are touched once per batch, by finishers, in a fixed order: batches
 * running side by side on PostgreSQL, on one instance or several, hold them only for the end of
 * their transaction and cannot deadlock on them. A job that still meets a deadlock goes back in
 * the queue.
 */
export class CommitQueue {
  readonly #db: Kysely<Database>;
  readonly #concurrency: number;
  readonly #maxBatch: number;
  readonly #windowMs: number;
  readonly #finishers = new Map<string, Finisher>();
  #queue: Job<any>[] = [];
  #running = 0;
  #scheduled = false;

  constructor(db: Kysely<Database>, options: CommitQueueOptions) {
    this.#db = db;
    this.#concurrency = options.concurrency;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#windowMs = options.windowMs ?? 0;
  }

  /** Finishers run in the order of their kinds' names. */
  finisher(kind: string, finish: Finisher): void {
    this.#finishers.set(kind, finish);
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject, attempts: 0 });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    const start = () => {
      this.#scheduled = false;
      if (this.#running >= this.#concurrency || this.#queue.length === 0) return;
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running += 1;
      void this.#commit(batch).finally(() => {
        this.#running -= 1;
        this.#schedule();
      });
    };
    if (this.#windowMs > 0) setTimeout(start, this.#windowMs);
    else setImmediate(start);
  }

  #retryOrReject(job: Job<any>, error: unknown): () => void {
    job.attempts += 1;
    if (RETRYABLE.has((error as { code?: string } | null)?.code ?? '') && job.attempts < MAX_ATTEMPTS) {
      return () => {
        this.#queue.push(job);
        this.#schedule();
      };
    }
    return () => job.reject(error);
  }

  async #commit(batch: Job<any>[]): Promise<void> {
    const settled: Array<() => void> = [];
    const effects = new Map<string, unknown[]>();
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    try {
      for (const job of batch) {
        const staged: Array<[string, unknown]> = [];
        const collect: BatchEffects = { add: (kind, effect) => void staged.push([kind, effect]) };
        if (batch.length === 1) {
          // No savepoint needed: the job's failure rolls back the whole (one-job) transaction.
          const value = await job.work(trx, collect);
          keep(effects, staged);
          settled.push(() => job.resolve(value));
          continue;
        }
        const savepoint = await trx.savepoint('job').execute();
        try {
          const value = await job.work(savepoint, collect);
          await savepoint.releaseSavepoint('job').execute();
          keep(effects, staged);
          settled.push(() => job.resolve(value));
        } catch (error) {
          await savepoint.rollbackToSavepoint('job').execute();
          settled.push(this.#retryOrReject(job, error));
        }
      }
      for (const kind of [...effects.keys()].sort()) {
        const finish = this.#finishers.get(kind);
        if (!finish) throw new Error(`No finisher for "${kind}" effects`);
        await finish(trx, effects.get(kind)!);
      }
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      for (const job of batch) this.#retryOrReject(job, error)();
      return;
    }
    for (const settle of settled) settle();
  }
}

function keep(effects: Map<string, unknown[]>, staged: Array<[string, unknown]>): void {
  for (const [kind, effect] of staged) {
    let list = effects.get(kind);
    if (!list) effects.set(kind, (list = []));
    list.push(effect);
  }
}
