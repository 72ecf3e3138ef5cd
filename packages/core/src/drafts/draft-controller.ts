import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface DraftControllerOptions {
  /** Identifies the draft, e.g. `idea-box:budget-2027`; unknown until the host is configured. */
  key: () => string | undefined;
  /** How long typing must pause before the draft is written. */
  debounceMs?: number;
  /** The storage; `globalThis.localStorage` by default (reading that may throw, e.g. when blocked). */
  storage?: () => Storage;
}

const PREFIX = 'civic-widgets:draft:';

/**
 * Keeps what a citizen is typing on the device, so that a reload or a closed tab loses nothing.
 * Writes only once `save()` is called, i.e. after the citizen acted; storage failures (quota,
 * storage disabled) are ignored: a draft is a convenience, never a reason to break the widget.
 */
export class DraftController<T> implements ReactiveController {
  private readonly key: () => string | undefined;
  private readonly debounceMs: number;
  private readonly storage: () => Storage;
  private current?: T;
  /** The key `current` belongs to; `null` until read, so that reconnecting reads again. */
  private loadedKey: string | undefined | null = null;
  private pending?: { key: string; value: T };
  private timer?: ReturnType<typeof setTimeout>;

  constructor(host: ReactiveControllerHost, options: DraftControllerOptions) {
    this.key = options.key;
    this.debounceMs = options.debounceMs ?? 400;
    this.storage = options.storage ?? (() => globalThis.localStorage);
    host.addController(this);
  }

  /**
   * The draft for the current key: restored from the device the first time it is asked for, then
   * whatever was last saved. Reading is deferred because a page's first access to localStorage is
   * slow, and most widgets show no draft field at first.
   */
  get value(): T | undefined {
    this.restore();
    return this.current;
  }

  hostConnected(): void {
    globalThis.addEventListener?.('pagehide', this.flush);
    globalThis.document?.addEventListener('visibilitychange', this.onVisibilityChange);
    this.loadedKey = null;
  }

  hostUpdate(): void {
    // Leaving a draft behind when the key changes: write it under its own key now.
    if (this.pending && this.pending.key !== this.key()) this.flush();
  }

  hostDisconnected(): void {
    globalThis.removeEventListener?.('pagehide', this.flush);
    globalThis.document?.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.flush();
  }

  /** Remembers the value and writes it once typing pauses. */
  save(value: T): void {
    const key = this.key();
    if (key === undefined) return;
    this.restore();
    this.current = value;
    this.pending = { key, value };
    clearTimeout(this.timer);
    this.timer = setTimeout(this.flush, this.debounceMs);
  }

  /** Forgets the draft, on the device too; call it once the submission is in the outbox. */
  clear(): void {
    clearTimeout(this.timer);
    this.pending = undefined;
    this.current = undefined;
    this.loadedKey = this.key();
    const key = this.key();
    if (key !== undefined) this.access((storage) => storage.removeItem(PREFIX + key));
  }

  /** Writes a pending draft now. */
  readonly flush = (): void => {
    clearTimeout(this.timer);
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.access((storage) => storage.setItem(PREFIX + pending.key, JSON.stringify(pending.value)));
  };

  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this.flush();
  };

  /** Reads the draft when the key changed since the last read. */
  private restore(): void {
    const key = this.key();
    if (key === this.loadedKey) return;
    // Leaving a draft behind: write it under its own key first.
    this.flush();
    this.loadedKey = key;
    this.current = key === undefined ? undefined : this.read(key);
  }

  private read(key: string): T | undefined {
    const text = this.access((storage) => storage.getItem(PREFIX + key));
    if (text == null) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  private access<R>(use: (storage: Storage) => R): R | undefined {
    try {
      return use(this.storage());
    } catch {
      return undefined;
    }
  }
}
