import { CivicError } from '../contract/errors.js';
import type { CivicErrorKind } from '../contract/errors.js';
import type { WriteOptions } from '../contract/types.js';
import { createOutboxStore } from './store.js';
import type { KeyValueStore } from './store.js';

/**
 * - `sending`: an attempt is under way.
 * - `waiting`: kept on the device; sent again automatically (offline, transient failure, or no
 *   sender registered yet for its kind).
 * - `failed`: the backend refused it; only the citizen can retry or discard it.
 * - `sent`: done; no longer stored, remembered for the page's life.
 */
export type OutboxStatus = 'sending' | 'waiting' | 'failed' | 'sent';

/** What is kept of a {@link CivicError}: plain data, so that it can be stored. */
export interface OutboxError {
  readonly kind: CivicErrorKind;
  readonly message: string;
  readonly fieldErrors?: Readonly<Record<string, string>>;
}

/** One submission. Entries are immutable: every change makes a new object. */
export interface OutboxEntry<P = unknown> {
  /** Also the Idempotency-Key of every attempt. */
  readonly id: string;
  /** What it is and who sends it, e.g. `poll.ballot`. */
  readonly kind: string;
  /** What it is about, e.g. the poll id. */
  readonly target: string;
  /** Must survive storage: structured-cloneable, and JSON-serialisable for the localStorage fallback. */
  readonly payload: P;
  readonly status: OutboxStatus;
  readonly attempts: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds of the next automatic attempt, when one is scheduled. */
  readonly nextAttemptAt?: number;
  readonly lastError?: OutboxError;
  /** What the sender resolved with, once sent. */
  readonly result?: unknown;
}

/** Sends one entry through an adapter; rejects (preferably with a CivicError) when it fails. */
export type OutboxSender<P = unknown> = (entry: OutboxEntry<P>, options: WriteOptions) => Promise<unknown>;

export interface OutboxSubmission<P = unknown> {
  entry: OutboxEntry<P>;
  /**
   * Resolves with the sender's result once sent; rejects with the CivicError when the entry ends
   * `failed`, or with an `AbortError` DOMException when it is discarded first.
   */
  settled: Promise<unknown>;
}

export interface OutboxBackoff {
  /** Delay ceiling after the first failed attempt; doubled after each further one. */
  baseMs: number;
  maxMs: number;
}

export interface OutboxOptions {
  store?: KeyValueStore<OutboxEntry>;
  now?: () => number;
  random?: () => number;
  backoff?: OutboxBackoff;
}

export type OutboxChangeEvent = CustomEvent<OutboxEntry>;

const SHARED = Symbol.for('civic-widgets.outbox');

interface Outcome {
  resolve(result: unknown): void;
  reject(reason: unknown): void;
}

// The event map of the outbox's `change` events, typed on its EventTarget methods.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Outbox {
  addEventListener(
    type: 'change',
    listener: (event: OutboxChangeEvent) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener(
    type: 'change',
    listener: (event: OutboxChangeEvent) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

/**
 * Every write a widget makes goes through the outbox: it is stored on the device before the first
 * attempt, sent with a stable idempotency key, retried with backoff while offline or failing for a
 * transient reason, and kept until the citizen retries or discards it when the backend refuses it.
 *
 * Fires `change` (detail: the entry) whenever an entry changes, and when one is discarded (detail:
 * the entry as it was; `entries()` no longer lists it).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Outbox extends EventTarget {
  /** The page-wide outbox, shared by every widget and by every copy of the library on the page. */
  static shared(): Outbox {
    const page = globalThis as typeof globalThis & { [SHARED]?: Outbox };
    return (page[SHARED] ??= new Outbox());
  }

  private readonly store: KeyValueStore<OutboxEntry>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: OutboxBackoff;
  private readonly items = new Map<string, OutboxEntry>();
  private readonly senders = new Map<string, OutboxSender[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private disposed = false;
  private readonly outcomes = new Map<string, Outcome>();
  /** Entries read from the store: another tab may have sent or discarded them since. */
  private readonly adopted = new Set<string>();
  private readonly discarded = new Set<string>();
  private readonly onOnline = (): void => void this.flush();

  constructor(options: OutboxOptions = {}) {
    super();
    this.store = options.store ?? createOutboxStore<OutboxEntry>();
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? { baseMs: 2000, maxMs: 5 * 60_000 };
    globalThis.addEventListener?.('online', this.onOnline);
  }

  /**
   * Stops listening, cancels scheduled attempts, and lets an attempt under way end without writing
   * to the store or scheduling another, as when its page is closed (for tests; the shared outbox
   * lives on).
   */
  dispose(): void {
    this.disposed = true;
    globalThis.removeEventListener?.('online', this.onOnline);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /**
   * Sets the sender for a kind and sends what is waiting for it, including what a previous page
   * stored. The latest registration wins; unregistering restores the previous one.
   */
  register<P>(kind: string, sender: OutboxSender<P>): () => void {
    const stack = this.senders.get(kind) ?? [];
    stack.push(sender as OutboxSender);
    this.senders.set(kind, stack);
    void this.flush(kind);
    return () => {
      const index = stack.lastIndexOf(sender as OutboxSender);
      if (index >= 0) stack.splice(index, 1);
    };
  }

  /** Stores a new submission, then sends it at once (or keeps it waiting when it cannot). */
  submit<P>(kind: string, target: string, payload: P): OutboxSubmission<P> {
    const entry: OutboxEntry<P> = {
      id: newIdempotencyKey(),
      kind,
      target,
      payload,
      status: this.sender(kind) && isOnline() ? 'sending' : 'waiting',
      attempts: 0,
      createdAt: this.now(),
    };
    const settled = new Promise<unknown>((resolve, reject) => this.outcomes.set(entry.id, { resolve, reject }));
    // The entry's status tells the same story; a widget need not listen to this promise.
    settled.catch(() => undefined);
    this.update(entry);
    this.track(
      entry.id,
      this.persist(entry).then(() => this.send(entry.id)),
    );
    return { entry, settled };
  }

  /** Entries, oldest first, optionally only those of one kind and target. */
  entries(kind?: string, target?: string): OutboxEntry[] {
    return [...this.items.values()]
      .filter((entry) => (kind === undefined || entry.kind === kind) && (target === undefined || entry.target === target))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Sends a `failed` or `waiting` entry now. */
  retry(id: string): Promise<void> {
    const entry = this.items.get(id);
    if (!entry || entry.status === 'sent') return Promise.resolve();
    return this.attempt(id);
  }

  /**
   * Forgets an entry, on the device too. Returns false, doing nothing, while it is being sent: the
   * backend may already have it.
   */
  async discard(id: string): Promise<boolean> {
    const entry = this.items.get(id);
    if (!entry) return false;
    if (entry.status === 'sending') return false;
    this.clearTimer(id);
    this.items.delete(id);
    this.discarded.add(id);
    this.outcomes.get(id)?.reject(new DOMException('The submission was discarded', 'AbortError'));
    this.outcomes.delete(id);
    this.dispatchEvent(new CustomEvent('change', { detail: entry }));
    await this.unpersist(id);
    return true;
  }

  /**
   * Picks up what the store holds and sends every waiting entry now (of one kind, if given);
   * resolves once those attempts, and any already running, are over.
   */
  async flush(kind?: string): Promise<void> {
    await this.load();
    const due = [...this.items.values()].filter(
      (entry) =>
        (entry.status === 'waiting' || this.inFlight.has(entry.id)) && (kind === undefined || entry.kind === kind),
    );
    await Promise.all(due.map((entry) => this.attempt(entry.id)));
  }

  private async load(): Promise<void> {
    let stored: OutboxEntry[];
    try {
      stored = await this.store.values();
    } catch {
      return;
    }
    for (const entry of stored) {
      if (this.items.has(entry.id) || this.discarded.has(entry.id)) continue;
      this.adopted.add(entry.id);
      // `sending` means the page closed mid-attempt; the idempotency key makes another one safe.
      this.update(entry.status === 'sending' ? { ...entry, status: 'waiting' } : entry);
    }
  }

  /** One attempt at a time per entry: a second call joins the running one. */
  private attempt(id: string): Promise<void> {
    return this.inFlight.get(id) ?? this.track(id, this.send(id));
  }

  private track(id: string, running: Promise<void>): Promise<void> {
    const settled = running.finally(() => {
      if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    });
    this.inFlight.set(id, settled);
    return settled;
  }

  private async send(id: string): Promise<void> {
    if (this.disposed) return;
    this.clearTimer(id);
    const entry = this.items.get(id);
    if (!entry || entry.status === 'sent') return;
    const sender = this.sender(entry.kind);
    if (!sender || !isOnline()) {
      const lastError = isOnline() ? entry.lastError : offlineError();
      if (entry.status !== 'waiting' || entry.nextAttemptAt !== undefined || entry.lastError?.kind !== lastError?.kind) {
        await this.save({ ...entry, status: 'waiting', nextAttemptAt: undefined, lastError });
      }
      return;
    }
    const locks = globalThis.navigator?.locks;
    if (!locks) {
      await this.transmit(id, sender);
      return;
    }
    // Another tab of the same site may be sending this very entry.
    const sentHere = await locks.request(`civic-outbox-${id}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await this.transmit(id, sender);
      return true;
    });
    const current = this.items.get(id);
    if (!sentHere && current && current.status !== 'sent') {
      await this.wait(current, this.delay(current.attempts + 1));
    }
  }

  private async transmit(id: string, sender: OutboxSender): Promise<void> {
    if (this.adopted.has(id) && (await this.stored(id)) === null) {
      // Another tab sent or discarded it meanwhile.
      const gone = this.items.get(id);
      if (gone && gone.status !== 'sent') {
        this.items.delete(id);
        this.dispatchEvent(new CustomEvent('change', { detail: gone }));
      }
      return;
    }
    const current = this.items.get(id);
    if (!current || current.status === 'sent') return;
    const entry: OutboxEntry = { ...current, status: 'sending', attempts: current.attempts + 1, nextAttemptAt: undefined };
    this.update(entry);
    try {
      const result = await sender(entry, { idempotencyKey: id });
      this.update({ ...entry, status: 'sent', result, lastError: undefined });
      await this.unpersist(id);
      this.outcomes.get(id)?.resolve(result);
      this.outcomes.delete(id);
    } catch (thrown) {
      const error = CivicError.from(thrown);
      if (error.transient) {
        await this.wait({ ...entry, lastError: storable(error) }, this.delay(entry.attempts, error.retryAfter));
      } else {
        await this.save({ ...entry, status: 'failed', lastError: storable(error) });
        this.outcomes.get(id)?.reject(error);
        this.outcomes.delete(id);
      }
    }
  }

  private async wait(entry: OutboxEntry, delayMs: number): Promise<void> {
    if (this.disposed) return;
    const nextAttemptAt = this.now() + delayMs;
    await this.save({ ...entry, status: 'waiting', nextAttemptAt });
    this.clearTimer(entry.id);
    this.timers.set(
      entry.id,
      setTimeout(() => {
        this.timers.delete(entry.id);
        void this.attempt(entry.id);
      }, delayMs),
    );
  }

  /** Exponential, capped, with jitter so that many pages do not retry in step after an outage. */
  private delay(attempts: number, retryAfterSeconds = 0): number {
    const { baseMs, maxMs } = this.backoff;
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    const jittered = ceiling / 2 + (this.random() * ceiling) / 2;
    return Math.max(jittered, retryAfterSeconds * 1000);
  }

  private sender(kind: string): OutboxSender | undefined {
    return this.senders.get(kind)?.at(-1);
  }

  private update(entry: OutboxEntry): void {
    this.items.set(entry.id, entry);
    this.dispatchEvent(new CustomEvent('change', { detail: entry }));
  }

  private async save(entry: OutboxEntry): Promise<void> {
    if (this.disposed) return;
    this.update(entry);
    await this.persist(entry);
  }

  // A store failure must not stop the sending: the device copy is a safety net, not the goal.
  private async persist(entry: OutboxEntry): Promise<void> {
    try {
      await this.store.set(entry.id, entry);
    } catch {
      /* kept in memory for the page's life */
    }
  }

  private async unpersist(id: string): Promise<void> {
    try {
      await this.store.delete(id);
    } catch {
      /* a stale copy is sent again later under the same idempotency key: harmless */
    }
  }

  /** The stored copy, `null` when there is none, `undefined` when the store cannot tell. */
  private async stored(id: string): Promise<OutboxEntry | null | undefined> {
    try {
      return (await this.store.get(id)) ?? null;
    } catch {
      return undefined;
    }
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(id);
  }
}

function isOnline(): boolean {
  return globalThis.navigator?.onLine !== false;
}

function offlineError(): OutboxError {
  return { kind: 'offline', message: 'The browser is offline' };
}

function storable(error: CivicError): OutboxError {
  return error.fieldErrors
    ? { kind: error.kind, message: error.message, fieldErrors: { ...error.fieldErrors } }
    : { kind: error.kind, message: error.message };
}

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context, and some council sites are still served over plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
