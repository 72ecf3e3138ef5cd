/*
 * The live side of RestAdapter: `GET /events?topic=<topic>` read as Server-Sent Events, reconnecting
 * with backoff and `Last-Event-ID`. Loaded on the first `subscribe()`.
 */
import type { LiveListener, LiveMessage, LiveTopic } from '../contract/types.js';
import { sleep } from './sleep.js';

/** Opens the stream of a topic; `retry` when a stale anonymous token was just dropped. */
export type StreamOpener = (lastEventId: string | undefined, signal: AbortSignal) => Promise<Response | 'retry'>;

const LIVE_FIRST_DELAY_MS = 1000;
const LIVE_MAX_DELAY_MS = 30000;

/** Reads a topic's stream for `listeners`, reconnecting, until `signal` is aborted. */
export function followStream(
  topic: LiveTopic,
  listeners: ReadonlySet<LiveListener>,
  open: StreamOpener,
  signal: AbortSignal,
): Promise<void> {
  return new LiveChannel(topic, listeners, open).run(signal);
}

class LiveChannel {
  private lastEventId?: string;
  private delayMs = LIVE_FIRST_DELAY_MS;
  private serverDelayMs?: number;

  constructor(
    private readonly topic: LiveTopic,
    private readonly listeners: ReadonlySet<LiveListener>,
    private readonly open: StreamOpener,
  ) {}

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const keepGoing = await this.connect(signal).catch(() => true);
      if (!keepGoing || signal.aborted) return;
      try {
        await sleep(this.delayMs, signal);
      } catch {
        return;
      }
      this.delayMs = Math.min(this.delayMs * 2, LIVE_MAX_DELAY_MS);
    }
  }

  /** Reads one connection to its end; resolves whether to reconnect. */
  private async connect(signal: AbortSignal): Promise<boolean> {
    const response = await this.open(this.lastEventId, signal);
    if (response === 'retry') return true;
    if (!response.ok || !response.body) {
      // A missing topic or a refused participant will not change by reconnecting.
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      return !permanent;
    }
    this.delayMs = this.serverDelayMs ?? LIVE_FIRST_DELAY_MS;
    const parser = new EventStreamParser((event) => this.dispatch(event));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    // Not every fetch ties the body to the signal (polyfills, test doubles): cancel it here too.
    const cancel = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } finally {
      signal.removeEventListener('abort', cancel);
    }
    return true;
  }

  private dispatch(event: StreamEvent): void {
    if (event.retry !== undefined) {
      this.serverDelayMs = event.retry;
      this.delayMs = event.retry;
    }
    if (event.id !== undefined) this.lastEventId = event.id;
    if (event.data === undefined || (event.type !== this.topic && event.type !== 'message')) return;
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return; // A malformed event is dropped, the stream goes on.
    }
    const message: LiveMessage = { topic: this.topic, payload };
    if (this.lastEventId) message.id = this.lastEventId;
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        // One failing listener must not starve the others.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

export interface StreamEvent {
  type: string;
  data?: string;
  id?: string;
  retry?: number;
}

/** The text/event-stream format, as the HTML standard parses it. */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private id?: string;
  private retry?: number;
  private started = false;

  constructor(private readonly onEvent: (event: StreamEvent) => void) {}

  push(chunk: string): void {
    let text = this.buffer + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A trailing CR may be the first half of CRLF: keep it for the next chunk.
    const cut = text.endsWith('\r') ? text.length - 1 : text.length;
    const lines = text.slice(0, cut).split(/\r\n|\r|\n/);
    this.buffer = lines.pop()! + text.slice(cut);
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      this.flush();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
  }

  private flush(): void {
    const event: StreamEvent = { type: this.type || 'message' };
    if (this.data.length > 0) event.data = this.data.join('\n');
    if (this.id !== undefined) event.id = this.id;
    if (this.retry !== undefined) event.retry = this.retry;
    this.type = '';
    this.data = [];
    this.retry = undefined;
    // The id persists across events, as in EventSource.
    if (event.data !== undefined || event.id !== undefined || event.retry !== undefined) this.onEvent(event);
  }
}
