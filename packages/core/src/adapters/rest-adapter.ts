/*
 * REST contract, `/api/v1` (the reference server implements exactly this):
 *
 *   POST /session                  → 201 { token, participantId, verification, expiresAt }
 *                                    creates an anonymous participant.
 *   GET  /session          Bearer  → Session.
 *   The routes of each domain are listed in its module, ./rest/<domain>.ts.
 *   GET  /events?topic=<topic>     Server-Sent Events: `id:`, `event: <topic>`, `data: <json>`;
 *                                    honours `Last-Event-ID` on reconnection.
 *
 * Every id in a path is URL-encoded. Requests send `Accept: application/json`; bodies are JSON.
 * Participants authenticate with `Authorization: Bearer <token>`, never cookies: a token from the
 * host site's provider (verified participant) or an anonymous token from `POST /session`.
 *
 * Writes carry `Idempotency-Key`: same key + same body → the first response replayed; same key +
 * other body → 422; same key still being processed → 409.
 *
 * Errors are `application/problem+json` (RFC 9457):
 *   { type, title, status, detail, code?, errors?: [{ field, message }], retryAfter? }
 * `code`, when it names a CivicErrorKind, decides the kind; otherwise the status does:
 *   400/422 validation · 401 unauthorised · 403 forbidden · 404 not-found · 409 conflict ·
 *   410 closed · 429 rate-limited (Retry-After, seconds) · 5xx server · other 4xx misconfigured.
 */
import type {
  AdapterDomain,
  CommentDomain,
  IdeaDomain,
  MapDomain,
  ParticipationAdapter,
  PollDomain,
  SessionDomain,
  TrackerDomain,
} from '../contract/adapter.js';
import { CivicError } from '../contract/errors.js';
import type { LiveListener, LiveTopic, ReadOptions, Session, VerificationLevel, WriteOptions } from '../contract/types.js';
import type { PageStream } from './event-stream.js';
import { Deadline, isErrorKind, kindOfStatus, parseRetryAfter } from './http.js';
import { absoluteEndpoint } from './endpoint.js';
import { sleep } from './sleep.js';
import { lazy, onlineOrAfter } from '../element/lazy.js';

export interface RestRetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  /** Delay before the first retry, doubled for each later one, unless the server sets Retry-After. */
  baseDelayMs: number;
}

export interface RestAdapterOptions {
  /** The API root, e.g. `https://participation.example.fr/api/v1`. */
  baseUrl: string;
  /**
   * The host site's signed token for verified participants. When given, it is used instead of an
   * anonymous token and nothing is stored on the device.
   */
  token?: () => string | undefined | Promise<string | undefined>;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Per attempt, including reading the body. Default 15000. */
  timeoutMs?: number;
  /** Retries transient failures of reads and of writes that carry an idempotency key. */
  retry?: RestRetryPolicy;
  /** Where the anonymous token is kept; default `localStorage`, `null` to keep it in memory only. */
  storage?: Storage | null;
  /**
   * Whether this adapter's live stream is shared with the other tabs of the site and the other
   * adapters of the page for the same `baseUrl` (one connection for all of them). Default: true,
   * unless a host `token` or a custom `fetch` makes this adapter's requests its own.
   */
  shareLiveStream?: boolean;
  /** How long a hidden page keeps its live stream open, in ms; default 10000. */
  liveHiddenGraceMs?: number;
}

interface AnonymousSession {
  token: string;
  participantId: string;
  verification: VerificationLevel;
  expiresAt?: string;
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Create an anonymous participant when there is no token yet (writes only). */
  createSession?: boolean;
  /** Send no Authorization header (POST /session). */
  anonymous?: boolean;
  /** The Accept header, when the resource is not plain JSON (GeoJSON points). */
  accept?: string;
}

interface Problem {
  title?: unknown;
  detail?: unknown;
  code?: unknown;
  type?: unknown;
  errors?: unknown;
  retryAfter?: unknown;
}

const DEFAULT_TIMEOUT_MS = 15000;
const STORAGE_PREFIX = 'civic-widgets:session:';
/** A live chunk that could not be fetched is tried again after 2 s, 4 s… up to a minute, or once back online. */
const LIVE_RETRY_BASE_MS = 2000;
const LIVE_RETRY_MAX_MS = 60_000;

/** What a domain module of the REST contract calls: requests, with the adapter's session and errors. */
export interface RestTransport {
  get<T>(path: string, options?: ReadOptions & { accept?: string }): Promise<T>;
  /** Carries the idempotency key; creates an anonymous participant when there is none yet. */
  write<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, options: WriteOptions): Promise<T>;
  /** A read about the participant: `undefined`, without creating one, when there is nobody (any more). */
  getAsParticipant<T>(path: string, options?: ReadOptions & { accept?: string }): Promise<T | undefined>;
}

type RestDomainName = Exclude<AdapterDomain, 'session'>;

interface RestDomains {
  polls: PollDomain;
  comments: CommentDomain;
  ideas: IdeaDomain;
  maps: MapDomain;
  tracker: TrackerDomain;
}

const factories: { [K in RestDomainName]?: (transport: RestTransport) => RestDomains[K] } = {};

/**
 * Adds a domain to every RestAdapter. Each domain is a module of its own (./rest/<domain>.ts) that
 * registers itself when imported: a widget imports the domain it uses, so a page carrying one
 * widget does not download the routes of the others.
 */
export function registerRestDomain<K extends RestDomainName>(name: K, factory: (transport: RestTransport) => RestDomains[K]): void {
  factories[name] = factory as (typeof factories)[K];
}

/** Talks to the project's REST contract (see the top of this file). */
export class RestAdapter implements ParticipationAdapter {
  readonly name = 'rest';
  readonly session: SessionDomain;

  /** The API root, without a trailing slash. */
  readonly baseUrl: string;
  private readonly options: RestAdapterOptions;
  private readonly storageKey: string;
  private anonymous?: AnonymousSession;
  private creatingSession?: Promise<AnonymousSession>;
  /** The page's stream once its chunk is in: see `subscribe()`. */
  private live?: PageStream;
  /** The stream is a chunk of its own: most pages never open one. */
  private readonly loadLive = lazy(() =>
    import('./event-stream.js').then(({ PageStream }) => {
      const { token, fetch, shareLiveStream = !token && !fetch, liveHiddenGraceMs } = this.options;
      return (this.live ??= new PageStream({
        open: (topics, lastEventId, signal) => this.openStream(topics, lastEventId, signal),
        shareName: shareLiveStream ? `civic-widgets:live:${absoluteEndpoint(this.baseUrl)}` : undefined,
        hiddenGraceMs: liveHiddenGraceMs,
      }));
    }),
  );
  private readonly transport: RestTransport;
  private readonly domains: Partial<RestDomains> = {};

  constructor(options: RestAdapterOptions) {
    if (!options.baseUrl) throw new CivicError('misconfigured', 'RestAdapter needs a baseUrl');
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.storageKey = STORAGE_PREFIX + this.baseUrl;

    const transport: RestTransport = {
      get: (path, opts) => this.request({ method: 'GET', path, accept: opts?.accept, signal: opts?.signal }),
      // Writes create an anonymous participant when there is none yet, as a first ballot does.
      write: (method, path, body, opts) =>
        this.request({ method, path, body, idempotencyKey: opts.idempotencyKey, signal: opts.signal, createSession: true }),
      getAsParticipant: async (path, opts) => {
        opts?.signal?.throwIfAborted();
        if (!(await this.token(false, opts?.signal))) return undefined;
        try {
          return await this.request({ method: 'GET', path, accept: opts?.accept, signal: opts?.signal });
        } catch (error) {
          // The stored anonymous token was refused and forgotten: its participant is gone.
          if (error instanceof CivicError && error.kind === 'unauthorised' && !(await this.token(false, opts?.signal))) return undefined;
          throw error;
        }
      },
    };
    this.transport = transport;

    this.session = {
      // Nobody yet until the first write: a visitor who only reads is no participant.
      current: (opts) => this.transport.getAsParticipant<Session>('/session', opts),
    };
  }

  get polls(): PollDomain | undefined {
    return this.domain('polls');
  }

  get comments(): CommentDomain | undefined {
    return this.domain('comments');
  }

  get ideas(): IdeaDomain | undefined {
    return this.domain('ideas');
  }

  get maps(): MapDomain | undefined {
    return this.domain('maps');
  }

  get tracker(): TrackerDomain | undefined {
    return this.domain('tracker');
  }

  private domain<K extends RestDomainName>(name: K): RestDomains[K] | undefined {
    let domain = this.domains[name];
    if (!domain) {
      const factory = factories[name];
      if (!factory) return undefined;
      domain = this.domains[name] = factory(this.transport);
    }
    return domain;
  }

  /**
   * Every topic of the page travels in one stream per backend (see ./event-stream.ts). When its
   * chunk cannot be fetched (offline), the subscription waits for the network and tries again,
   * so that live updates come back without a reload.
   */
  subscribe<T = unknown>(topic: LiveTopic, listener: LiveListener<T>): () => void {
    let active = true;
    let stop: (() => void) | undefined;
    const attach = (attempt: number) => {
      this.loadLive().then(
        (stream) => {
          if (active) stop = stream.add(topic, listener as LiveListener);
        },
        () => {
          if (!active) return;
          void onlineOrAfter(Math.min(LIVE_RETRY_MAX_MS, LIVE_RETRY_BASE_MS * 2 ** attempt)).then(() => {
            if (active) attach(attempt + 1);
          });
        },
      );
    };
    attach(0);
    return () => {
      active = false;
      stop?.();
      stop = undefined;
    };
  }

  // ------------------------------------------------------------------ requests

  private async request<T>(spec: RequestSpec): Promise<T> {
    const retry = this.options.retry;
    const retriable = spec.method === 'GET' || spec.idempotencyKey !== undefined;
    const retries = retriable && retry ? Math.max(0, retry.retries) : 0;
    spec.signal?.throwIfAborted();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.authorisedRequest<T>(spec);
      } catch (error) {
        const failure = CivicError.from(error);
        if (spec.signal?.aborted || attempt >= retries || !isRetriable(failure)) throw error;
        const delay = failure.retryAfter !== undefined ? failure.retryAfter * 1000 : retry!.baseDelayMs * 2 ** attempt;
        // A long Retry-After is the outbox's to wait for, not a pending call's.
        if (delay > this.timeoutMs) throw error;
        await sleep(delay, spec.signal);
      }
    }
  }

  private async authorisedRequest<T>(spec: RequestSpec): Promise<T> {
    const auth = spec.anonymous ? undefined : await this.token(spec.createSession ?? false, spec.signal);
    try {
      return await this.send<T>(spec, auth?.token);
    } catch (error) {
      if (!(error instanceof CivicError) || error.kind !== 'unauthorised' || !auth?.anonymous) throw error;
      // The stored anonymous token expired or was revoked: forget it, then try once more.
      this.forgetAnonymous();
      const fresh = await this.token(spec.createSession ?? false, spec.signal);
      return this.send<T>(spec, fresh?.token);
    }
  }

  private async send<T>(spec: RequestSpec, token: string | undefined): Promise<T> {
    const headers: Record<string, string> = { ...this.options.headers, Accept: spec.accept ?? 'application/json, application/problem+json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (spec.idempotencyKey !== undefined) headers['Idempotency-Key'] = spec.idempotencyKey;
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

    const call = new Deadline(this.timeoutMs, spec.signal);
    try {
      const response = await this.fetch(this.baseUrl + spec.path, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: call.signal,
        credentials: 'omit',
      });
      const text = await response.text();
      if (!response.ok) throw problemToError(response.status, response.headers, text);
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new CivicError('server', `${spec.method} ${spec.path}: the response is not JSON`, { status: response.status, cause });
      }
    } catch (error) {
      throw call.explain(error);
    } finally {
      call.clear();
    }
  }

  // ------------------------------------------------------------------ tokens

  /** The bearer token to send, if any; creates an anonymous participant only when asked to. */
  private async token(create: boolean, signal?: AbortSignal): Promise<{ token: string; anonymous: boolean } | undefined> {
    if (this.options.token) {
      let hostToken: string | undefined;
      try {
        hostToken = await this.options.token();
      } catch (cause) {
        throw new CivicError('unauthorised', 'The host token provider failed', { cause });
      }
      if (hostToken) return { token: hostToken, anonymous: false };
    }
    const stored = this.anonymous ?? this.readStored();
    if (stored) return { token: stored.token, anonymous: true };
    if (!create) return undefined;
    this.creatingSession ??= this.createAnonymous(signal).finally(() => {
      this.creatingSession = undefined;
    });
    return { token: (await this.creatingSession).token, anonymous: true };
  }

  private async createAnonymous(signal?: AbortSignal): Promise<AnonymousSession> {
    const created = await this.send<AnonymousSession>({ method: 'POST', path: '/session', signal, anonymous: true }, undefined);
    if (!created || typeof created.token !== 'string') {
      throw new CivicError('server', 'POST /session returned no token');
    }
    this.anonymous = created;
    // Results that only voters may see reach a stream that carries the new participant's token.
    this.live?.refresh();
    // With a host provider, the host owns identity: an anonymous fallback lives in memory only.
    if (!this.options.token) {
      try {
        this.storage?.setItem(this.storageKey, JSON.stringify(created));
      } catch {
        // Storage full or denied: the token lives in memory for this page.
      }
    }
    return created;
  }

  private readStored(): AnonymousSession | undefined {
    if (this.options.token) return undefined;
    let raw: string | null | undefined;
    try {
      raw = this.storage?.getItem(this.storageKey);
    } catch {
      return undefined;
    }
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as AnonymousSession;
      const expired = stored.expiresAt !== undefined && Date.parse(stored.expiresAt) <= Date.now();
      if (typeof stored.token !== 'string' || expired) {
        this.forgetAnonymous();
        return undefined;
      }
      this.anonymous = stored;
      return stored;
    } catch {
      this.forgetAnonymous();
      return undefined;
    }
  }

  private forgetAnonymous(): void {
    this.anonymous = undefined;
    try {
      this.storage?.removeItem(this.storageKey);
    } catch {
      // Nothing to forget where storage is denied.
    }
  }

  private get storage(): Storage | null {
    if (this.options.storage !== undefined) return this.options.storage;
    try {
      // Reading localStorage throws in sandboxed frames and some privacy modes.
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private get fetch(): typeof fetch {
    return this.options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Opens the one event stream of `topics`; `retry` when a stale anonymous token was just dropped. */
  private async openStream(topics: readonly LiveTopic[], lastEventId: string | undefined, signal: AbortSignal): Promise<Response | 'retry'> {
    const auth = await this.token(false, signal);
    const headers: Record<string, string> = { ...this.options.headers, Accept: 'text/event-stream' };
    if (auth) headers.Authorization = `Bearer ${auth.token}`;
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const query = topics.map((topic) => `topic=${encodeURIComponent(topic)}`).join('&');
    const response = await this.fetch(`${this.baseUrl}/events?${query}`, {
      headers,
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
    if (response.status === 401 && auth?.anonymous) {
      this.forgetAnonymous();
      return 'retry';
    }
    return response;
  }
}

// ------------------------------------------------------------------ helpers

/** For domain modules (./rest/*.ts): ids in paths are URL-encoded. */
export function id(value: string): string {
  return encodeURIComponent(value);
}

/** A query string (with its `?`) of the parameters that are set, in the order given. */
export function search(params: Record<string, string | number | readonly number[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}


function isRetriable(error: CivicError): boolean {
  return error.kind === 'network' || error.kind === 'timeout' || error.kind === 'server' || error.kind === 'rate-limited';
}

/** Maps an error response, problem+json or not, to a CivicError. */
export function problemToError(status: number, headers: Headers, body: string): CivicError {
  let problem: Problem = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) problem = parsed as Problem;
  } catch {
    // Proxies answer with HTML pages: the status alone must do.
  }
  const code = isErrorKind(problem.code) ? problem.code : undefined;
  const kind = code ?? kindOfStatus(status);

  let fieldErrors: Record<string, string> | undefined;
  if (Array.isArray(problem.errors)) {
    for (const entry of problem.errors as unknown[]) {
      if (!entry || typeof entry !== 'object') continue;
      const { field, message } = entry as { field?: unknown; message?: unknown };
      if (typeof field !== 'string' || typeof message !== 'string') continue;
      fieldErrors ??= {};
      fieldErrors[field] ??= message;
    }
  }

  const retryAfter = parseRetryAfter(headers.get('Retry-After')) ?? (typeof problem.retryAfter === 'number' ? problem.retryAfter : undefined);
  const message = [problem.detail, problem.title].find((text): text is string => typeof text === 'string' && text !== '') ?? `HTTP ${status}`;
  return new CivicError(kind, message, {
    status,
    fieldErrors,
    retryAfter,
    type: typeof problem.type === 'string' ? problem.type : undefined,
  });
}
