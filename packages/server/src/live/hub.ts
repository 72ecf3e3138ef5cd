import type { ServerResponse } from 'node:http';
import { sql } from 'kysely';
import type { CommitQueue, Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import { resultsArePublic } from '../polls/model.js';
import type { PollStore } from '../polls/store.js';
import { Problem } from '../http/problem.js';

export const LIVE_CHANNEL = 'civic_live';
/** Topics of the contract (LiveTopic); poll results and thread comments are produced so far. */
export const TOPIC_PATTERN = '^(poll:[A-Za-z0-9][A-Za-z0-9_-]{0,63}:results|thread:[A-Za-z0-9:_-]{1,120}:comments|idea-box:[A-Za-z0-9][A-Za-z0-9_-]{0,63}:ideas|map:[A-Za-z0-9][A-Za-z0-9_-]{0,63}:reports|tracker:[A-Za-z0-9][A-Za-z0-9_-]{0,63}:projects)$';

interface LiveEvent {
  id: number;
  topic: string;
  /** The payload as JSON text, serialised once for every stream. */
  json: string;
}

interface Stream {
  response: ServerResponse;
  topics: Set<string>;
  participantId?: string;
}

export interface LiveHubOptions {
  /** At most one results push per poll in this many ms. */
  coalesceMs?: number;
  keepAliveMs?: number;
  /** Events kept for Last-Event-ID replay. */
  retainEvents?: number;
  /** Open streams one address may hold (default 20). */
  streamsPerAddress?: number;
  /** Open streams in this process (default 5000). */
  maxStreams?: number;
}

/** Topics one stream may carry: the widgets of one page share a stream. */
export const MAX_TOPICS_PER_STREAM = 20;
export const DEFAULT_STREAMS_PER_ADDRESS = 20;
export const DEFAULT_MAX_STREAMS = 5000;

/** The table whose row each kind of topic names. */
const TOPIC_TABLES = { poll: 'polls', thread: 'threads', 'idea-box': 'idea_boxes', map: 'maps', tracker: 'trackers' } as const;

/**
 * Server-Sent Events. A change marks its topic dirty; after a short coalescing delay the new state
 * is appended to `live_events` (which numbers it for every instance and keeps a short history for
 * Last-Event-ID) and delivered. On PostgreSQL delivery goes through NOTIFY, sent in the appending
 * transaction and so only on commit, to the one LISTEN client of each instance, this one included.
 */
export class LiveHub {
  readonly #storage: Storage;
  readonly #queue: CommitQueue;
  readonly #polls: PollStore;
  readonly #coalesceMs: number;
  readonly #keepAliveMs: number;
  readonly #retain: number;
  readonly #streams = new Map<string, Set<Stream>>();
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #lastPublished = new Map<string, number>();
  readonly #byAddress = new Map<string, number>();
  readonly #perAddress: number;
  readonly #maxStreams: number;
  #reserved = 0;
  #keepAlive?: NodeJS.Timeout;
  #prune?: NodeJS.Timeout;
  #count = 0;

  constructor(storage: Storage, queue: CommitQueue, polls: PollStore, options: LiveHubOptions = {}) {
    this.#storage = storage;
    this.#queue = queue;
    this.#polls = polls;
    this.#coalesceMs = options.coalesceMs ?? 250;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#retain = options.retainEvents ?? 1000;
    this.#perAddress = options.streamsPerAddress ?? DEFAULT_STREAMS_PER_ADDRESS;
    this.#maxStreams = options.maxStreams ?? DEFAULT_MAX_STREAMS;
  }

  /**
   * Holds a place for a stream from `address`, or throws 429 past either cap. The returned
   * function gives the place back (once, however often it is called).
   */
  reserve(address: string): () => void {
    const held = this.#byAddress.get(address) ?? 0;
    if (held >= this.#perAddress || this.#reserved >= this.#maxStreams) {
      const detail = held >= this.#perAddress ? `At most ${this.#perAddress} event streams per address are open at once.` : 'This server holds as many event streams as it can.';
      throw new Problem(429, 'rate-limited', `${detail} Close one, or wait a moment and try again.`, { headers: { 'retry-after': '10' } });
    }
    this.#byAddress.set(address, held + 1);
    this.#reserved += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#reserved -= 1;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#byAddress.set(address, left);
      else this.#byAddress.delete(address);
    };
  }

  /** The topics of the list whose poll, thread, idea box, map or tracker does not exist. */
  async unknownTopics(topics: string[]): Promise<string[]> {
    const wanted = new Map<keyof typeof TOPIC_TABLES, Map<string, string>>();
    for (const topic of topics) {
      const [kind, ...rest] = topic.split(':');
      const id = rest.slice(0, -1).join(':');
      const ids = wanted.get(kind as keyof typeof TOPIC_TABLES) ?? new Map<string, string>();
      wanted.set(kind as keyof typeof TOPIC_TABLES, ids.set(id, topic));
    }
    const unknown: string[] = [];
    for (const [kind, ids] of wanted) {
      const rows = await this.#storage.reader.selectFrom(TOPIC_TABLES[kind]).select('id').where('id', 'in', [...ids.keys()]).execute();
      const found = new Set(rows.map((row) => row.id));
      for (const [id, topic] of ids) if (!found.has(id)) unknown.push(topic);
    }
    return unknown;
  }

  async start(): Promise<void> {
    if (this.#storage.listen) {
      await this.#storage.listen(LIVE_CHANNEL, (payload) => void this.#received(payload));
    }
    this.#keepAlive = setInterval(() => this.#broadcastComment('keep-alive'), this.#keepAliveMs);
    this.#keepAlive.unref();
    this.#prune = setInterval(() => void this.#pruneEvents().catch(() => {}), 60_000);
    this.#prune.unref();
  }

  get streamCount(): number {
    return this.#count;
  }

  /** A poll's counts moved: publish its results soon, once for a burst of ballots. */
  pollChanged(pollId: string): void {
    this.#polls.resultsChanged(pollId);
    const topic = `poll:${pollId}:results`;
    if (this.#pending.has(topic)) return;
    const wait = Math.max(10, (this.#lastPublished.get(topic) ?? 0) + this.#coalesceMs - Date.now());
    this.#pending.set(
      topic,
      setTimeout(() => {
        this.#pending.delete(topic);
        this.#lastPublished.set(topic, Date.now());
        void this.#publishResults(pollId).catch(() => {});
      }, wait),
    );
  }

  async #publishResults(pollId: string): Promise<void> {
    const poll = await this.#polls.get(pollId);
    if (!poll) return;
    await this.publish(`poll:${pollId}:results`, await this.#polls.freshResults(poll));
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    const json = JSON.stringify(payload);
    const createdAt = new Date().toISOString();
    const id = await this.#queue.run(async (trx) => {
      const row = await trx.insertInto('live_events').values({ topic, payload: json, created_at: createdAt }).returning('id').executeTakeFirstOrThrow();
      if (this.#storage.dialect === 'postgres') {
        // NOTIFY carries at most 8000 bytes: larger payloads are read back by id.
        const message = JSON.stringify(json.length < 7000 ? { id: row.id, topic, json } : { id: row.id, topic });
        await sql`select pg_notify(${LIVE_CHANNEL}, ${message})`.execute(trx);
      }
      return row.id;
    });
    if (this.#storage.dialect === 'sqlite') await this.#deliver({ id, topic, json });
  }

  async #received(message: string): Promise<void> {
    const parsed = JSON.parse(message) as { id: number; topic: string; json?: string };
    let json = parsed.json;
    if (json === undefined) {
      const row = await this.#storage.reader.selectFrom('live_events').select('payload').where('id', '=', parsed.id).executeTakeFirst();
      if (!row) return;
      json = row.payload;
    }
    const pollId = pollOfTopic(parsed.topic);
    if (pollId) this.#polls.resultsChanged(pollId);
    await this.#deliver({ id: parsed.id, topic: parsed.topic, json });
  }

  /** Opens a stream on an already hijacked response and replays what it missed. */
  async open(response: ServerResponse, topics: string[], participantId: string | undefined, lastEventId: number | undefined): Promise<void> {
    const stream: Stream = { response, topics: new Set(topics), participantId };
    response.write('retry: 3000\n: connected\n\n');
    for (const topic of stream.topics) {
      let set = this.#streams.get(topic);
      if (!set) this.#streams.set(topic, (set = new Set()));
      set.add(stream);
    }
    this.#count += 1;
    response.on('close', () => {
      this.#count -= 1;
      for (const topic of stream.topics) {
        const set = this.#streams.get(topic);
        set?.delete(stream);
        if (set?.size === 0) this.#streams.delete(topic);
      }
    });
    if (lastEventId !== undefined) {
      await this.#replay(stream, lastEventId);
    } else {
      // Where the stream starts, read after it was registered: a client that changes its topics
      // reconnects with this id and misses nothing that came between its two connections.
      const newest = await this.#storage.reader.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      if (!response.writableEnded) write(stream, `id: ${Number(newest?.id ?? 0)}\n\n`);
    }
  }

  async #replay(stream: Stream, lastEventId: number): Promise<void> {
    const rows = await this.#storage.reader
      .selectFrom('live_events')
      .select(['id', 'topic', 'payload'])
      .where('id', '>', lastEventId)
      .where('topic', 'in', [...stream.topics])
      .orderBy('id')
      .limit(500)
      .execute();
    // Results are states, not deltas: the latest of each topic says all.
    const latest = new Map<string, LiveEvent>();
    const others: LiveEvent[] = [];
    for (const row of rows) {
      const event = { id: row.id, topic: row.topic, json: row.payload };
      if (row.topic.endsWith(':results')) latest.set(row.topic, event);
      else others.push(event);
    }
    for (const event of [...others, ...latest.values()].sort((a, b) => a.id - b.id)) {
      if ((await this.#audience(event.topic, [stream])).length) write(stream, frame(event));
    }
  }

  async #deliver(event: LiveEvent): Promise<void> {
    const streams = this.#streams.get(event.topic);
    if (!streams?.size) return;
    const text = frame(event);
    for (const stream of await this.#audience(event.topic, [...streams])) write(stream, text);
  }

  /** The streams allowed to see an event: results only where the poll lets them be seen. */
  async #audience(topic: string, streams: Stream[]): Promise<Stream[]> {
    const pollId = pollOfTopic(topic);
    if (!pollId) return streams;
    const poll = await this.#polls.get(pollId);
    if (!poll) return [];
    if (resultsArePublic(poll)) return streams;
    if (poll.resultVisibility !== 'after-voting') return [];
    const participants = [...new Set(streams.flatMap((stream) => (stream.participantId ? [stream.participantId] : [])))];
    if (participants.length === 0) return [];
    const voters = new Set<string>();
    for (let i = 0; i < participants.length; i += 500) {
      const rows = await this.#storage.reader
        .selectFrom('ballots')
        .select('participant_id')
        .where('poll_id', '=', pollId)
        .where('participant_id', 'in', participants.slice(i, i + 500))
        .execute();
      for (const row of rows) if (row.participant_id) voters.add(row.participant_id);
    }
    return streams.filter((stream) => stream.participantId !== undefined && voters.has(stream.participantId));
  }

  #broadcastComment(text: string): void {
    const seen = new Set<Stream>();
    for (const streams of this.#streams.values()) {
      for (const stream of streams) {
        if (seen.has(stream)) continue;
        seen.add(stream);
        write(stream, `: ${text}\n\n`);
      }
    }
  }

  async #pruneEvents(): Promise<void> {
    const newest = await this.#storage.reader.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const below = Number(newest?.id ?? 0) - this.#retain;
    if (below > 0) await this.#queue.run((trx) => trx.deleteFrom('live_events').where('id', '<', below).execute());
  }

  close(): void {
    clearInterval(this.#keepAlive);
    clearInterval(this.#prune);
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    for (const streams of this.#streams.values()) for (const stream of streams) stream.response.end();
    this.#streams.clear();
  }
}

/**
 * Removes the stored events (kept for Last-Event-ID replay) about one comment, idea or report:
 * after it is deleted, hidden, rejected or its author erased, no replay may show its old text.
 * Run in the change's transaction; the event that says it went, if any, is stored after it.
 */
export async function forgetStoredEvents(trx: Trx, topic: string, itemId: string): Promise<void> {
  // Ids are [A-Za-z0-9_-]: `_` is the one LIKE wildcard among them.
  const pattern = `%"id":"${itemId.replace(/_/g, '\\_')}"%`;
  await trx.deleteFrom('live_events').where('topic', '=', topic).where(sql<boolean>`payload like ${pattern} escape '\\'`).execute();
}

function frame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.topic}\ndata: ${event.json}\n\n`;
}

/** A stream that does not read what it is sent is dropped rather than buffered without end. */
function write(stream: Stream, text: string): void {
  if (stream.response.writableLength > 1_000_000) {
    stream.response.destroy();
    return;
  }
  stream.response.write(text);
}

function pollOfTopic(topic: string): string | undefined {
  const match = /^poll:(.+):results$/.exec(topic);
  return match?.[1];
}
