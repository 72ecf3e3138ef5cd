/*
 * The live side of RestAdapter, loaded on the first `subscribe()`: every topic that the widgets of
 * a page follow travels in ONE Server-Sent Events stream, `GET /events?topic=a&topic=b…`.
 *
 * Why one: a browser keeps at most six HTTP/1.1 connections per host, and an open stream holds
 * one of them for as long as it lives. A stream per widget starves every other request of a page
 * that carries five widgets.
 *
 * - Adding or dropping a topic reconnects with `Last-Event-ID`, so nothing published between the
 *   two connections is lost (the server starts each stream with the id it starts at).
 * - At most {@link MAX_TOPICS} topics travel at once (the server's limit per stream); topics past
 *   that wait, in the order they were asked for, until others end; a console warning says so.
 * - A page hidden for {@link HIDDEN_GRACE_MS} closes its stream, and catches up with
 *   `Last-Event-ID` when it is shown again.
 * - Tabs of one site share one stream where the browser has Web Locks and BroadcastChannel: the
 *   tab holding the lock (the leader) carries every tab's topics and passes their events on; when
 *   it closes, the next tab takes the lock and resumes from the last id it was passed.
 * - A topic the server refuses (it does not exist) is dropped from the stream, and the others go on.
 */
import type { LiveListener, LiveMessage, LiveTopic } from '../contract/types.js';
import { sleep } from './sleep.js';

/** Opens one stream of `topics`; `retry` when a stale anonymous token was just dropped. */
export type StreamOpener = (topics: readonly LiveTopic[], lastEventId: string | undefined, signal: AbortSignal) => Promise<Response | 'retry'>;

export interface PageStreamOptions {
  open: StreamOpener;
  /** Shared with the other tabs (and adapters) of the origin under this name; unshared when absent. */
  shareName?: string;
  /** How long a hidden page keeps its stream. */
  hiddenGraceMs?: number;
}

/** The server's limit of topics per stream. */
export const MAX_TOPICS = 20;
export const HIDDEN_GRACE_MS = 10_000;
const LIVE_FIRST_DELAY_MS = 1000;
const LIVE_MAX_DELAY_MS = 30000;
/** Subscriptions made in the same moment (a page loading its widgets) share one reconnection. */
const SETTLE_MS = 25;

type TabMessage =
  | { kind: 'topics'; tab: string; topics: LiveTopic[]; visible: boolean }
  | { kind: 'bye'; tab: string }
  | { kind: 'leader'; tab: string }
  | { kind: 'event'; topic: LiveTopic; id?: string; payload: unknown }
  | { kind: 'position'; id: string };

type Outcome = 'ended' | 'failed' | 'refused';

/** The one live stream of a page (and, where shared, of every tab of the site) for one backend. */
export class PageStream {
  private readonly tab = Math.random().toString(36).slice(2);
  private readonly local = new Map<LiveTopic, Set<LiveListener>>();
  private readonly remote = new Map<string, { topics: LiveTopic[]; visible: boolean }>();
  private readonly refused = new Set<LiveTopic>();
  /** The last id delivered per topic: a replay after a change of leader repeats nothing. */
  private readonly delivered = new Map<LiveTopic, number>();
  private active = false;
  /** Each start's run loop ends with its start, even when the page starts again at once. */
  private generation = 0;
  private leader = false;
  private paused = false;
  private lastEventId?: string;
  private connection?: { key: string; abort: AbortController };
  private lastGood = new Set<LiveTopic>();
  private delayMs = LIVE_FIRST_DELAY_MS;
  private serverDelayMs?: number;
  private wake?: () => void;
  private settle?: ReturnType<typeof setTimeout>;
  private pauseTimer?: ReturnType<typeof setTimeout>;
  private channel?: BroadcastChannel;
  private releaseLock?: () => void;
  private lockRequest?: AbortController;
  private warnedFull = false;

  constructor(private readonly options: PageStreamOptions) {}

  /** Follows `topic` for `listener`; returns the function that ends it. */
  add(topic: LiveTopic, listener: LiveListener): () => void {
    let listeners = this.local.get(topic);
    if (!listeners) this.local.set(topic, (listeners = new Set()));
    listeners.add(listener);
    if (!this.active) this.start();
    else if (listeners.size === 1) this.topicsChanged();
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      listeners.delete(listener);
      if (listeners.size > 0) return;
      this.local.delete(topic);
      if (this.local.size === 0) this.stop();
      else this.topicsChanged();
    };
  }

  /** The participant changed (a first write created one): reconnect with the new identity. */
  refresh(): void {
    this.connection?.abort.abort();
  }

  // ------------------------------------------------------------------ life

  private start(): void {
    this.active = true;
    const generation = ++this.generation;
    document.addEventListener('visibilitychange', this.onVisibility);
    globalThis.addEventListener('pagehide', this.onPageHide);
    const { shareName } = this.options;
    const locks = globalThis.navigator?.locks;
    if (shareName && locks && typeof BroadcastChannel === 'function') {
      this.channel = new BroadcastChannel(shareName);
      this.channel.onmessage = (event: MessageEvent<TabMessage>) => this.received(event.data);
      this.announce();
      const request = (this.lockRequest = new AbortController());
      locks
        .request(shareName, { signal: request.signal }, () => {
          if (generation !== this.generation) return undefined;
          this.becomeLeader();
          return new Promise<void>((resolve) => (this.releaseLock = resolve));
        })
        .catch(() => undefined);
    } else {
      this.becomeLeader();
    }
    void this.run(generation);
  }

  private stop(): void {
    this.active = false;
    document.removeEventListener('visibilitychange', this.onVisibility);
    globalThis.removeEventListener('pagehide', this.onPageHide);
    clearTimeout(this.settle);
    clearTimeout(this.pauseTimer);
    this.settle = this.pauseTimer = undefined;
    this.connection?.abort.abort();
    this.wake?.();
    if (this.channel && !this.leader) this.post({ kind: 'bye', tab: this.tab });
    this.channel?.close();
    this.channel = undefined;
    this.lockRequest?.abort();
    this.releaseLock?.();
    this.lockRequest = this.releaseLock = undefined;
    this.leader = false;
    this.paused = false;
    this.remote.clear();
  }

  private becomeLeader(): void {
    this.leader = true;
    // Followers answer with their topics, which this stream then carries too.
    this.post({ kind: 'leader', tab: this.tab });
    this.topicsChanged();
  }

  private readonly onVisibility = (): void => {
    if (this.leader) this.visibilityChanged();
    else this.announce();
  };

  private readonly onPageHide = (): void => {
    if (this.channel && !this.leader) this.post({ kind: 'bye', tab: this.tab });
  };

  private received(message: TabMessage): void {
    if (!this.active) return;
    switch (message.kind) {
      case 'topics':
        if (!this.leader) return;
        this.remote.set(message.tab, { topics: message.topics, visible: message.visible });
        this.visibilityChanged();
        this.topicsChanged();
        return;
      case 'bye':
        if (this.leader && this.remote.delete(message.tab)) {
          this.visibilityChanged();
          this.topicsChanged();
        }
        return;
      case 'leader':
        if (!this.leader) this.announce();
        return;
      case 'event':
        if (this.leader) return;
        if (message.id !== undefined) this.moveTo(message.id);
        this.deliver(message.topic, message.id, message.payload);
        return;
      case 'position':
        if (!this.leader) this.moveTo(message.id);
        return;
    }
  }

  private announce(): void {
    this.post({ kind: 'topics', tab: this.tab, topics: [...this.local.keys()], visible: isVisible() });
  }

  private post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A payload that cannot be cloned stays in this tab.
    }
  }

  // ------------------------------------------------------------------ what the stream carries

  private topicsChanged(): void {
    if (!this.leader) {
      this.announce();
      return;
    }
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = undefined;
      if (this.connection && this.connection.key !== this.wanted().join('\n')) this.connection.abort.abort();
      this.wake?.();
    }, SETTLE_MS);
  }

  /** The leader pauses once no tab that uses the stream has been visible for the grace period. */
  private visibilityChanged(): void {
    const seen = isVisible() || [...this.remote.values()].some((tab) => tab.visible);
    if (seen) {
      clearTimeout(this.pauseTimer);
      this.pauseTimer = undefined;
      if (this.paused) {
        this.paused = false;
        this.topicsChanged();
      }
    } else if (!this.paused && this.pauseTimer === undefined) {
      this.pauseTimer = setTimeout(() => {
        this.pauseTimer = undefined;
        this.paused = true;
        this.topicsChanged();
      }, this.options.hiddenGraceMs ?? HIDDEN_GRACE_MS);
    }
  }

  /** The topics to carry now, in the order they were first asked for. */
  private wanted(): LiveTopic[] {
    if (!this.leader || this.paused) return [];
    const all = new Set<LiveTopic>(this.local.keys());
    for (const tab of this.remote.values()) for (const topic of tab.topics) all.add(topic);
    const topics = [...all].filter((topic) => !this.refused.has(topic));
    if (topics.length > MAX_TOPICS && !this.warnedFull) {
      this.warnedFull = true;
      console.warn(`civic-widgets: ${topics.length} live topics on one backend; the first ${MAX_TOPICS} are live, the others wait until some end`);
    }
    return topics.slice(0, MAX_TOPICS);
  }

  // ------------------------------------------------------------------ the connection

  private async run(generation: number): Promise<void> {
    while (generation === this.generation && this.active) {
      const topics = this.wanted();
      if (topics.length === 0 || this.settle !== undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const abort = new AbortController();
      this.connection = { key: topics.join('\n'), abort };
      const outcome = await this.connect(topics, abort.signal).catch((): Outcome => 'failed');
      this.connection = undefined;
      // Topics, leadership, visibility or identity changed: reconnect at once, from the last id.
      if (generation !== this.generation || abort.signal.aborted || outcome === 'refused') continue;
      const wait = new AbortController();
      await Promise.race([sleep(this.delayMs, wait.signal).catch(() => undefined), new Promise<void>((resolve) => (this.wake = resolve))]);
      wait.abort();
      this.wake = undefined;
      this.delayMs = Math.min(this.delayMs * 2, LIVE_MAX_DELAY_MS);
    }
  }

  /** Reads one connection to its end. */
  private async connect(topics: LiveTopic[], signal: AbortSignal): Promise<Outcome> {
    const response = await this.options.open(topics, this.lastEventId, signal);
    if (response === 'retry') return 'failed';
    if (!response.ok || !response.body) {
      // A topic that does not exist, or a refused participant, will not change by reconnecting.
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      if (!permanent) return 'failed';
      this.refuse(topics, await response.text().catch(() => ''));
      return 'refused';
    }
    this.delayMs = this.serverDelayMs ?? LIVE_FIRST_DELAY_MS;
    this.lastGood = new Set(topics);
    const parser = new EventStreamParser((event) => this.dispatch(event, topics));
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
    return 'ended';
  }

  /** Drops the topics a refusal names; else those new since the last good stream; else them all. */
  private refuse(topics: LiveTopic[], problem: string): void {
    let culprits = topics.filter((topic) => problem.includes(topic));
    if (culprits.length === 0) culprits = topics.filter((topic) => !this.lastGood.has(topic));
    if (culprits.length === 0) culprits = topics;
    for (const topic of culprits) this.refused.add(topic);
    console.warn(`civic-widgets: the server refused the live topic(s) ${culprits.join(', ')}`);
  }

  private dispatch(event: StreamEvent, topics: readonly LiveTopic[]): void {
    if (event.retry !== undefined) {
      this.serverDelayMs = event.retry;
      this.delayMs = event.retry;
    }
    if (event.id !== undefined) this.moveTo(event.id);
    const topic = topics.find((candidate) => candidate === event.type);
    if (event.data === undefined || !topic) {
      if (event.id !== undefined) this.post({ kind: 'position', id: event.id });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return; // A malformed event is dropped, the stream goes on.
    }
    this.post({ kind: 'event', topic, id: event.id, payload });
    this.deliver(topic, event.id, payload);
  }

  /** Where to resume from: ids only move forward (a replay repeats older ones). */
  private moveTo(id: string): void {
    const [next, current] = [Number(id), Number(this.lastEventId)];
    if (this.lastEventId === undefined || !Number.isFinite(next) || !Number.isFinite(current) || next > current) this.lastEventId = id;
  }

  private deliver(topic: LiveTopic, id: string | undefined, payload: unknown): void {
    const numeric = id === undefined ? NaN : Number(id);
    if (Number.isFinite(numeric)) {
      if (numeric <= (this.delivered.get(topic) ?? -Infinity)) return;
      this.delivered.set(topic, numeric);
    }
    const listeners = this.local.get(topic);
    if (!listeners) return;
    const message: LiveMessage = { topic, payload };
    if (id) message.id = id;
    for (const listener of [...listeners]) {
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

function isVisible(): boolean {
  return globalThis.document?.visibilityState !== 'hidden';
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
