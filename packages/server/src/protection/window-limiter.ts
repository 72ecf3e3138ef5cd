import { Problem } from '../http/problem.js';

/**
 * A fixed-window counter per key, for limits that stack on the per-address one that
 * @fastify/rate-limit applies (it runs once per request, so it cannot count twice). In memory,
 * per instance: behind several instances, the proxy's sticky routing or per-address limits
 * at the proxy complete it.
 */
export class WindowLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #counts = new Map<string, { count: number; resetAt: number }>();
  readonly #clock: () => number;

  constructor(max: number, windowMs: number, clock: () => number = Date.now) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  /** Counts one hit for `key`, or throws a 429 problem with Retry-After. */
  hit(key: string): void {
    const now = this.#clock();
    let entry = this.#counts.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.#counts.size > 100_000) this.#prune(now);
      entry = { count: 0, resetAt: now + this.#windowMs };
      this.#counts.set(key, entry);
    }
    entry.count += 1;
    if (entry.count > this.#max) {
      throw new Problem(429, 'rate-limited', 'Too many requests; wait a moment and try again.', {
        headers: { 'retry-after': String(Math.max(1, Math.ceil((entry.resetAt - now) / 1000))) },
      });
    }
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#counts) if (entry.resetAt <= now) this.#counts.delete(key);
  }
}
