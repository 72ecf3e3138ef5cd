import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CivicError } from '../contract/errors.js';
import { Outbox } from './outbox.js';
import type { OutboxChangeEvent, OutboxEntry, OutboxSender, OutboxStatus, OutboxSubmission } from './outbox.js';

export interface OutboxControllerOptions<P> {
  /** The kind of write, e.g. `poll.ballot`. */
  kind: string;
  /** What the writes are about (e.g. the poll id); unknown until the host is configured. */
  target: () => string | undefined;
  /** Sends one entry through the host's adapter. */
  send: OutboxSender<P>;
  /** The page-wide outbox unless given (tests). */
  outbox?: Outbox;
}

/** A submission whose status changed since the host last asked. */
export interface OutboxChange<P> {
  entry: OutboxEntry<P>;
  /** Its status when last seen; `undefined` for a submission this page has not seen before. */
  before?: OutboxStatus;
  /** It waits for the first time since it was seen: the moment to say so, once. */
  nowWaiting: boolean;
}

/**
 * Connects a widget to the outbox: registers its sender while connected and re-renders the host
 * whenever one of its submissions (same kind and target) changes. It also remembers which statuses
 * the host has acted on, so that the host acts once on each change (`changes()`).
 */
export class OutboxController<P = unknown> implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly options: OutboxControllerOptions<P>;
  private readonly outbox: Outbox;
  private unregister?: () => void;
  private connected = false;
  private readonly seen = new Map<string, OutboxStatus>();
  private readonly toldWaiting = new Set<string>();

  constructor(host: ReactiveControllerHost, options: OutboxControllerOptions<P>) {
    this.host = host;
    this.options = options;
    this.outbox = options.outbox ?? Outbox.shared();
    host.addController(this);
  }

  /** This host's submissions for its current target, newest first. */
  get entries(): OutboxEntry<P>[] {
    const target = this.options.target();
    if (target === undefined) return [];
    return (this.outbox.entries(this.options.kind, target) as OutboxEntry<P>[]).reverse();
  }

  /** The newest submission, if any. */
  get latest(): OutboxEntry<P> | undefined {
    return this.entries[0];
  }

  /** Takes what the outbox holds now (earlier on this page, or before a reload) as history, not news. */
  markSeen(): void {
    for (const entry of this.entries) this.seen.set(entry.id, entry.status);
  }

  /** The submissions whose status changed since the last call, newest first, each change once. */
  changes(): OutboxChange<P>[] {
    const changes: OutboxChange<P>[] = [];
    for (const entry of this.entries) {
      const before = this.seen.get(entry.id);
      if (before === entry.status) continue;
      this.seen.set(entry.id, entry.status);
      const nowWaiting = entry.status === 'waiting' && before !== undefined && !this.toldWaiting.has(entry.id);
      if (nowWaiting) this.toldWaiting.add(entry.id);
      changes.push({ entry, before, nowWaiting });
    }
    return changes;
  }

  hostConnected(): void {
    this.connected = true;
    this.outbox.addEventListener('change', this.onChange);
    this.registerWhenReady();
  }

  hostUpdate(): void {
    // The target may become known after connection (attribute set later).
    this.registerWhenReady();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.outbox.removeEventListener('change', this.onChange);
    this.unregister?.();
    this.unregister = undefined;
  }

  /**
   * Stores and sends a submission for the current target. Its status now counts as seen, and a
   * submission that waits at once (offline) counts as told: the host says so as it submits.
   */
  submit(payload: P): OutboxSubmission<P> {
    const target = this.options.target();
    if (target === undefined) {
      throw new CivicError('misconfigured', `No target for ${this.options.kind}: the widget has no id yet`);
    }
    const submission = this.outbox.submit(this.options.kind, target, payload);
    const { entry } = submission;
    this.seen.set(entry.id, entry.status);
    if (entry.status === 'waiting') this.toldWaiting.add(entry.id);
    return submission;
  }

  retry(id: string): Promise<void> {
    return this.outbox.retry(id);
  }

  discard(id: string): Promise<boolean> {
    return this.outbox.discard(id);
  }

  private registerWhenReady(): void {
    if (this.connected && !this.unregister && this.options.target() !== undefined) {
      this.unregister = this.outbox.register(this.options.kind, this.options.send);
    }
  }

  private readonly onChange = (event: OutboxChangeEvent): void => {
    const entry = event.detail;
    if (entry.kind === this.options.kind && entry.target === this.options.target()) {
      this.host.requestUpdate();
    }
  };
}
