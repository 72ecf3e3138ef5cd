import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Job<T> = {
  work: (trx: Transaction<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  order: string;
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
 * On PostgreSQL several batches run at once. Each batch runs its jobs sorted by `order` (the
 * space they write to), so every batch, on every instance, takes the hot row locks (a poll's
 * tally) in the same order and batches cannot deadlock on them; a job that still meets a deadlock
 * goes back in the queue.
 */
export class CommitQueue {
  readonly #db: Kysely<Database>;
  readonly #concurrency: number;
  readonly #maxBatch: number;
  readonly #windowMs: number;
  #queue: Job<any>[] = [];
  #running = 0;
  #scheduled = false;

  constructor(db: Kysely<Database>, options: CommitQueueOptions) {
    this.#db = db;
    this.#concurrency = options.concurrency;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#windowMs = options.windowMs ?? 0;
  }

  run<T>(work: (trx: Transaction<Database>) => Promise<T>, order = ''): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject, order, attempts: 0 });
      this.#schedule();
    });
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

  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    const start = () => {
      this.#scheduled = false;
      if (this.#running >= this.#concurrency || this.#queue.length === 0) return;
      const batch = this.#queue.splice(0, this.#maxBatch).sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      this.#running += 1;
      void this.#commit(batch).finally(() => {
        this.#running -= 1;
        this.#schedule();
      });
    };
    if (this.#windowMs > 0) setTimeout(start, this.#windowMs);
    else setImmediate(start);
  }

  async #commit(batch: Job<any>[]): Promise<void> {
    const settled: Array<() => void> = [];
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    try {
      for (const job of batch) {
        if (batch.length === 1) {
          // No savepoint needed: the job's failure rolls back the whole (one-job) transaction.
          const value = await job.work(trx);
          settled.push(() => job.resolve(value));
          continue;
        }
        const savepoint = await trx.savepoint('job').execute();
        try {
          const value = await job.work(savepoint);
          await savepoint.releaseSavepoint('job').execute();
          settled.push(() => job.resolve(value));
        } catch (error) {
          await savepoint.rollbackToSavepoint('job').execute();
          settled.push(this.#retryOrReject(job, error));
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      if (batch.length === 1) this.#retryOrReject(batch[0]!, error)();
      else for (const job of batch) job.reject(error);
      return;
    }
    for (const settle of settled) settle();
  }
}
