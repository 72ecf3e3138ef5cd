import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CivicError } from '../contract/errors.js';

export type ResourceStatus = 'initial' | 'pending' | 'complete' | 'error';

export interface ResourceOptions<A extends readonly unknown[], T> {
  /**
   * The inputs, read before each update of the host (the widget's id, its adapter's domain, a
   * sort…). When one of them changes (`!==`), the resource reads again and aborts the read it
   * replaces. While one of them is `undefined` or `''`, nothing is read and the status is `initial`.
   */
  args(): A;
  /** Reads the resource. `signal` aborts when the inputs change, on `run()`, and on disconnection. */
  task(args: A, signal: AbortSignal): Promise<T>;
  /** Told of each failure (the widget's `civic-error` event), except aborts. */
  onError?(error: CivicError): void;
  /**
   * Called when the inputs change after a first read, before the new read starts: where a widget
   * forgets what belonged to the old inputs (what was opened, typed filters).
   */
  onReset?(): void;
}

export interface ResourceRenderers<T, R> {
  initial?(): R;
  pending?(): R;
  complete?(value: T): R;
  error?(error: CivicError): R;
}

const empty = (value: unknown) => value === undefined || value === '';

/**
 * One read that a widget shows: a poll, a thread's first page, a tracker with its projects. Modelled
 * on `@lit/task`, with what every widget of the kit needs of it:
 * - it reads again when its inputs change, and aborts the read it replaces, whose answer is dropped
 *   even when the backend ignores the signal (a late answer never replaces a newer one);
 * - after a failure the network may mend (offline, a timeout, 5xx), it reads again once the
 *   browser is back online;
 * - the last value stays shown while the same inputs are read again, so that a reload never
 *   empties the widget under the reader's eyes; new inputs forget it (and call `onReset`);
 * - `settled` lets `getUpdateComplete()` wait for the read (tests, and the loading room).
 */
export class ResourceController<A extends readonly unknown[], T> implements ReactiveController {
  status: ResourceStatus = 'initial';
  value?: T;
  error?: CivicError;

  private lastArgs?: A;
  private read = 0;
  private controller?: AbortController;
  private running?: Promise<void>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ResourceOptions<A, T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    globalThis.addEventListener?.('online', this.onOnline);
    // Put back on the page after a read was cut short: the next update reads again.
    if (!this.lastArgs) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    globalThis.removeEventListener?.('online', this.onOnline);
    // A widget taken off the page stops reading; put back, it reads again.
    if (this.status === 'pending') {
      this.abort();
      this.status = this.value === undefined ? 'initial' : 'complete';
      this.lastArgs = undefined;
    }
  }

  hostUpdate(): void {
    const args = this.options.args();
    const last = this.lastArgs;
    if (last && args.length === last.length && args.every((arg, index) => arg === last[index])) return;
    this.lastArgs = args;
    if (last && !last.some(empty)) {
      // What was read belongs to the old inputs: never shown for the new ones.
      this.value = this.error = undefined;
      this.options.onReset?.();
    }
    if (args.some(empty)) {
      this.abort();
      this.status = 'initial';
      return;
    }
    void this.run(args);
  }

  /** Reads again now, with the current inputs (a "try again" button, a change the inputs don't show). */
  run(args: A = this.options.args()): Promise<void> {
    if (args.some(empty)) return Promise.resolve();
    this.abort();
    const read = ++this.read;
    const controller = (this.controller = new AbortController());
    this.status = 'pending';
    this.error = undefined;
    this.host.requestUpdate();
    const running = this.options.task(args, controller.signal).then(
      (value) => {
        if (read !== this.read) return;
        this.value = value;
        this.status = 'complete';
        this.host.requestUpdate();
      },
      (thrown: unknown) => {
        if (read !== this.read || controller.signal.aborted) return;
        this.error = CivicError.from(thrown);
        this.status = 'error';
        this.options.onError?.(this.error);
        this.host.requestUpdate();
      },
    );
    this.running = running;
    void running.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return running;
  }

  /** Shows a value the widget got another way (a live event, its own write), as if read. */
  set(value: T): void {
    this.abort();
    this.value = value;
    this.status = 'complete';
    this.error = undefined;
    this.host.requestUpdate();
  }

  /** Whether the last read of the current inputs has answered: false while one is under way. */
  get ready(): boolean {
    return this.status === 'complete';
  }

  /** Resolves once no read is under way. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  render<R>(renderers: ResourceRenderers<T, R>): R | undefined {
    switch (this.status) {
      case 'initial':
        return renderers.initial?.();
      case 'pending':
        // A reload keeps what it replaces in view until its answer comes.
        return this.value !== undefined && renderers.complete ? renderers.complete(this.value) : renderers.pending?.();
      case 'complete':
        return renderers.complete?.(this.value as T);
      case 'error':
        return renderers.error?.(this.error!);
    }
  }

  private abort(): void {
    // Bumping the count drops the answer even when the backend ignores the signal.
    this.read++;
    this.controller?.abort();
    this.controller = undefined;
  }

  private readonly onOnline = (): void => {
    if (this.status === 'error' && this.error?.transient) void this.run();
  };
}
