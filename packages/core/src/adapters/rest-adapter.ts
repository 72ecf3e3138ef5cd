/*
 * REST contract, `/api/v1` (the reference server implements exactly this):
 *
 *   POST /session                  → 201 { token, participantId, verification, expiresAt }
 *                                    creates an anonymous participant.
 *   GET  /session          Bearer  → Session.
 *   GET  /polls/{id}               → Poll.
 *   GET  /polls/{id}/participation → PollParticipation; without Authorization the server answers
 *                                    for a participant who has not voted.
 *   POST /polls/{id}/ballots       body BallotInput, header Idempotency-Key
 *                                  → 201 Ballot, or 200 Ballot when it replaces an earlier one.
 *   GET  /polls/{id}/results       → PollResults, or 403 problem with code `forbidden`.
 *   GET  /threads/{id}             → Thread.
 *   GET  /threads/{id}/comments?sort=&parent=&cursor=&limit=
 *                                  → Page<ThreadComment>: top-level comments, or the direct replies
 *                                    to `parent`.
 *   GET  /comments/{id}            → ThreadComment.
 *   POST /threads/{id}/comments    body CommentInput, Idempotency-Key → 201 ThreadComment.
 *   PATCH /comments/{id}           body { body }, Idempotency-Key → ThreadComment.
 *   DELETE /comments/{id}          Idempotency-Key → 204.
 *   PUT  /comments/{id}/reaction   body { support }, Idempotency-Key → ThreadComment.
 *   POST /comments/{id}/reports    body ReportInput, Idempotency-Key → 204.
 *   GET  /idea-boxes/{id}          → IdeaBox.
 *   GET  /idea-boxes/{id}/ideas?sort=&seed=&category=&status=&q=&cursor=&limit=
 *                                  → Page<Idea> with `total`; `random` is stable for a `seed`.
 *   GET  /ideas/{id}               → Idea.
 *   GET  /idea-boxes/{id}/similar?q=<text>
 *                                  → Idea[] (at most SIMILAR_IDEAS_LIMIT, published only).
 *   POST /idea-boxes/{id}/ideas    body IdeaInput, Idempotency-Key → 201 Idea; 403 `closed`.
 *   PUT  /ideas/{id}/support       Idempotency-Key → Idea; 409 `conflict` at the box's limit.
 *   DELETE /ideas/{id}/support     Idempotency-Key → Idea.
 *   POST /ideas/{id}/reports       body ReportInput, Idempotency-Key → 204.
 *   GET  /maps/{id}                → ParticipatoryMap.
 *   GET  /maps/{id}/reports?bbox=w,s,e,n&category=&status=&sort=newest|most-followed&cursor=&limit=
 *                                  → Page<MapReport> with `total`.
 *   GET  /maps/{id}/points?bbox=&category=&status=
 *                                  → GeoJSON FeatureCollection (application/geo+json) of Point
 *                                    features `{ id, geometry: { coordinates: [lng, lat] },
 *                                    properties: { categoryId, status } }`, read as MapPoint[].
 *   GET  /map-reports/{id}         → MapReport.
 *   GET  /maps/{id}/nearby?lat=&lng=&radius=&category=
 *                                  → MapReport[] (radius ≤ 1000 m, open reports, nearest first).
 *   POST /maps/{id}/reports        body MapReportInput, Idempotency-Key → 201 MapReport; 403 `closed`.
 *   PUT  /map-reports/{id}/follow  Idempotency-Key → MapReport; DELETE stops following.
 *   GET  /trackers/{id}            → Tracker.
 *   GET  /trackers/{id}/projects?status=&district=&category=&q=&sort=&cursor=&limit=
 *                                  → Page<TrackedProject> with `total`; each with its latest update.
 *   GET  /projects/{id}            → TrackedProject, every update newest first.
 *   GET  /trackers/{id}/my-contributions?cursor=&limit=
 *                          Bearer  → Page<ContributionFate>. Without a token there is nobody to
 *                                    ask about: the adapter answers an empty page itself and
 *                                    creates no session.
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
import type { CommentDomain, IdeaDomain, ParticipationAdapter, PollDomain, SessionDomain } from '../contract/adapter.js';
import { CivicError, type CivicErrorKind } from '../contract/errors.js';
import type { StreamOpener } from './event-stream.js';
import type { MapDomain } from '../contract/adapter.js';
import type { GeoPoint, MapPoint, MapReport, MapReportFilter, MapReportQuery, ParticipatoryMap } from '../contract/types.js';
import type { TrackerDomain } from '../contract/adapter.js';
import type { ContributionFate, PageRequest, ProjectQuery, TrackedProject, Tracker } from '../contract/types.js';
import { sleep } from './sleep.js';
import type {
  Ballot,
  BallotInput,
  Page,
  CommentQuery,
  Idea,
  IdeaBox,
  IdeaQuery,
  LiveListener,
  LiveTopic,
  Poll,
  PollParticipation,
  PollResults,
  ReadOptions,
  Session,
  Thread,
  ThreadComment,
  VerificationLevel,
  WriteOptions,
} from '../contract/types.js';

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

/** One streaming connection per topic, shared by its listeners, until `stop` is aborted. */
interface LiveChannel {
  readonly listeners: Set<LiveListener>;
  readonly stop: AbortController;
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

const KINDS: ReadonlySet<string> = new Set<CivicErrorKind>([
  'network',
  'offline',
  'timeout',
  'validation',
  'unauthorised',
  'forbidden',
  'not-found',
  'conflict',
  'rate-limited',
  'closed',
  'server',
  'misconfigured',
]);

/** Talks to the project's REST contract (see the top of this file). */
export class RestAdapter implements ParticipationAdapter {
  readonly name = 'rest';
  readonly session: SessionDomain;
  readonly polls: PollDomain;
  readonly comments: CommentDomain;
  readonly ideas: IdeaDomain;
  readonly maps: MapDomain;
  readonly tracker: TrackerDomain;

  private readonly baseUrl: string;
  private readonly options: RestAdapterOptions;
  private readonly storageKey: string;
  private anonymous?: AnonymousSession;
  private creatingSession?: Promise<AnonymousSession>;
  private readonly channels = new Map<LiveTopic, LiveChannel>();

  constructor(options: RestAdapterOptions) {
    if (!options.baseUrl) throw new CivicError('misconfigured', 'RestAdapter needs a baseUrl');
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.storageKey = STORAGE_PREFIX + this.baseUrl;

    this.session = {
      // An explicit request for the participant: creates an anonymous one when none exists.
      current: (opts) => this.request<Session>({ method: 'GET', path: '/session', createSession: true, signal: opts?.signal }),
    };

    this.polls = {
      get: (pollId, opts) => this.request<Poll>({ method: 'GET', path: `/polls/${id(pollId)}`, signal: opts?.signal }),
      participation: (pollId, opts) =>
        this.request<PollParticipation>({ method: 'GET', path: `/polls/${id(pollId)}/participation`, signal: opts?.signal }),
      castBallot: (pollId: string, ballot: BallotInput, opts: WriteOptions) =>
        this.request<Ballot>({
          method: 'POST',
          path: `/polls/${id(pollId)}/ballots`,
          body: ballot,
          idempotencyKey: opts.idempotencyKey,
          signal: opts.signal,
          createSession: true,
        }),
      results: (pollId: string, opts?: ReadOptions) =>
        this.request<PollResults>({ method: 'GET', path: `/polls/${id(pollId)}/results`, signal: opts?.signal }),
    };

    // Writes create an anonymous participant when there is none yet, as a first ballot does.
    const write = <T>(method: RequestSpec['method'], path: string, body: unknown, opts: WriteOptions) =>
      this.request<T>({ method, path, body, idempotencyKey: opts.idempotencyKey, signal: opts.signal, createSession: true });

    this.comments = {
      getThread: (threadId, opts) => this.request<Thread>({ method: 'GET', path: `/threads/${id(threadId)}`, signal: opts?.signal }),
      list: (threadId, query, opts) =>
        this.request<Page<ThreadComment>>({
          method: 'GET',
          path: `/threads/${id(threadId)}/comments${commentSearch(query)}`,
          signal: opts?.signal,
        }),
      get: (commentId, opts) => this.request<ThreadComment>({ method: 'GET', path: `/comments/${id(commentId)}`, signal: opts?.signal }),
      post: (threadId, comment, opts) => write<ThreadComment>('POST', `/threads/${id(threadId)}/comments`, comment, opts),
      edit: (commentId, body, opts) => write<ThreadComment>('PATCH', `/comments/${id(commentId)}`, { body }, opts),
      remove: (commentId, opts) => write<void>('DELETE', `/comments/${id(commentId)}`, undefined, opts),
      react: (commentId, support, opts) => write<ThreadComment>('PUT', `/comments/${id(commentId)}/reaction`, { support }, opts),
      report: (commentId, report, opts) => write<void>('POST', `/comments/${id(commentId)}/reports`, report, opts),
    };

    this.ideas = {
      getBox: (boxId, opts) => this.request<IdeaBox>({ method: 'GET', path: `/idea-boxes/${id(boxId)}`, signal: opts?.signal }),
      list: (boxId, query, opts) =>
        this.request<Page<Idea>>({ method: 'GET', path: `/idea-boxes/${id(boxId)}/ideas${ideaSearch(query)}`, signal: opts?.signal }),
      get: (ideaId, opts) => this.request<Idea>({ method: 'GET', path: `/ideas/${id(ideaId)}`, signal: opts?.signal }),
      similar: (boxId, text, opts) =>
        this.request<Idea[]>({
          method: 'GET',
          path: `/idea-boxes/${id(boxId)}/similar?${new URLSearchParams({ q: text }).toString()}`,
          signal: opts?.signal,
        }),
      propose: (boxId, idea, opts) => write<Idea>('POST', `/idea-boxes/${id(boxId)}/ideas`, idea, opts),
      support: (ideaId, opts) => write<Idea>('PUT', `/ideas/${id(ideaId)}/support`, undefined, opts),
      withdrawSupport: (ideaId, opts) => write<Idea>('DELETE', `/ideas/${id(ideaId)}/support`, undefined, opts),
      report: (ideaId, report, opts) => write<void>('POST', `/ideas/${id(ideaId)}/reports`, report, opts),
    };

    this.maps = {
      getMap: (mapId, opts) => this.request<ParticipatoryMap>({ method: 'GET', path: `/maps/${id(mapId)}`, signal: opts?.signal }),
      listReports: (mapId, query, opts) =>
        this.request<Page<MapReport>>({ method: 'GET', path: `/maps/${id(mapId)}/reports${mapSearch(query)}`, signal: opts?.signal }),
      points: async (mapId, filter, opts) => {
        const path = `/maps/${id(mapId)}/points${mapSearch(filter)}`;
        const accept = 'application/geo+json, application/json, application/problem+json';
        return pointsOf(await this.request<unknown>({ method: 'GET', path, accept, signal: opts?.signal }), path);
      },
      getReport: (reportId, opts) => this.request<MapReport>({ method: 'GET', path: `/map-reports/${id(reportId)}`, signal: opts?.signal }),
      nearby: (mapId, point: GeoPoint, radiusMeters, query, opts) => {
        const search = new URLSearchParams({ lat: String(point.lat), lng: String(point.lng), radius: String(radiusMeters) });
        if (query?.category !== undefined) search.set('category', query.category);
        return this.request<MapReport[]>({ method: 'GET', path: `/maps/${id(mapId)}/nearby?${search.toString()}`, signal: opts?.signal });
      },
      submitReport: (mapId, report, opts) => write<MapReport>('POST', `/maps/${id(mapId)}/reports`, report, opts),
      follow: (reportId, follow, opts) => write<MapReport>(follow ? 'PUT' : 'DELETE', `/map-reports/${id(reportId)}/follow`, undefined, opts),
    };

    this.tracker = {
      getTracker: (trackerId, opts) => this.request<Tracker>({ method: 'GET', path: `/trackers/${id(trackerId)}`, signal: opts?.signal }),
      listProjects: (trackerId, query, opts) =>
        this.request<Page<TrackedProject>>({
          method: 'GET',
          path: `/trackers/${id(trackerId)}/projects${projectSearch(query)}`,
          signal: opts?.signal,
        }),
      getProject: (projectId, opts) => this.request<TrackedProject>({ method: 'GET', path: `/projects/${id(projectId)}`, signal: opts?.signal }),
      myContributions: async (trackerId, query, opts) => {
        opts?.signal?.throwIfAborted();
        const nobody: Page<ContributionFate> = { items: [], total: 0 };
        // Reading what became of contributions must not make a participant of a mere visitor.
        if (!(await this.token(false, opts?.signal))) return nobody;
        const path = `/trackers/${id(trackerId)}/my-contributions${pageSearch(query)}`;
        try {
          return await this.request<Page<ContributionFate>>({ method: 'GET', path, signal: opts?.signal });
        } catch (error) {
          // The stored anonymous token was refused and forgotten: its participant is gone.
          if (error instanceof CivicError && error.kind === 'unauthorised' && !(await this.token(false, opts?.signal))) return nobody;
          throw error;
        }
      },
    };
  }

  subscribe<T = unknown>(topic: LiveTopic, listener: LiveListener<T>): () => void {
    let channel = this.channels.get(topic);
    if (!channel) {
      const opened: LiveChannel = { listeners: new Set(), stop: new AbortController() };
      channel = opened;
      this.channels.set(topic, opened);
      const open: StreamOpener = (lastEventId, signal) => this.openStream(topic, lastEventId, signal);
      // The stream reader is a chunk of its own: most pages never open a live stream.
      import('./event-stream.js')
        .then(({ followStream }) => followStream(topic, opened.listeners, open, opened.stop.signal))
        .catch(() => undefined);
    }
    const entry = listener as LiveListener;
    const { listeners, stop } = channel;
    listeners.add(entry);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      listeners.delete(entry);
      if (listeners.size === 0) {
        stop.abort();
        this.channels.delete(topic);
      }
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

  /** Opens the event stream of a topic; `retry` when a stale anonymous token was just dropped. */
  private async openStream(topic: LiveTopic, lastEventId: string | undefined, signal: AbortSignal): Promise<Response | 'retry'> {
    const auth = await this.token(false, signal);
    const headers: Record<string, string> = { ...this.options.headers, Accept: 'text/event-stream' };
    if (auth) headers.Authorization = `Bearer ${auth.token}`;
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const response = await this.fetch(`${this.baseUrl}/events?topic=${encodeURIComponent(topic)}`, {
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

function id(value: string): string {
  return encodeURIComponent(value);
}

/** The query string of a comment listing, with only the parameters given. */
function commentSearch(query: CommentQuery = {}): string {
  const search = new URLSearchParams();
  if (query.sort !== undefined) search.set('sort', query.sort);
  if (query.parentId !== undefined) search.set('parent', query.parentId);
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The query string of an idea listing, with only the parameters given. */
function ideaSearch(query: IdeaQuery = {}): string {
  const search = new URLSearchParams();
  if (query.sort !== undefined) search.set('sort', query.sort);
  if (query.seed !== undefined) search.set('seed', query.seed);
  if (query.category !== undefined) search.set('category', query.category);
  if (query.status !== undefined) search.set('status', query.status);
  if (query.q !== undefined) search.set('q', query.q);
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The query string of a project listing, with only the parameters given. */
function projectSearch(query: ProjectQuery = {}): string {
  const search = new URLSearchParams();
  if (query.status !== undefined) search.set('status', query.status);
  if (query.district !== undefined) search.set('district', query.district);
  if (query.category !== undefined) search.set('category', query.category);
  if (query.q !== undefined) search.set('q', query.q);
  if (query.sort !== undefined) search.set('sort', query.sort);
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The query string of a plain paged listing. */
function pageSearch(query: PageRequest = {}): string {
  const search = new URLSearchParams();
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The query string of a map listing or of its points, with only the parameters given. */
function mapSearch(query: MapReportQuery & MapReportFilter = {}): string {
  const search = new URLSearchParams();
  if (query.bbox !== undefined) search.set('bbox', query.bbox.join(','));
  if (query.category !== undefined) search.set('category', query.category);
  if (query.status !== undefined) search.set('status', query.status);
  if (query.sort !== undefined) search.set('sort', query.sort);
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.limit !== undefined) search.set('limit', String(query.limit));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** MapPoint[] from the GeoJSON FeatureCollection of `/points`; features that are not points are skipped. */
function pointsOf(body: unknown, path: string): MapPoint[] {
  const features = (body as { type?: unknown; features?: unknown } | null)?.features;
  if ((body as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new CivicError('server', `GET ${path}: the response is not a GeoJSON FeatureCollection`);
  }
  const points: MapPoint[] = [];
  for (const feature of features as Array<Record<string, unknown> | null>) {
    const geometry = feature?.geometry as { type?: unknown; coordinates?: unknown } | undefined;
    const properties = feature?.properties as { categoryId?: unknown; status?: unknown } | undefined;
    const coordinates = geometry?.coordinates;
    if (geometry?.type !== 'Point' || !Array.isArray(coordinates)) continue;
    const [lng, lat] = coordinates as unknown[];
    if (typeof lat !== 'number' || typeof lng !== 'number' || (typeof feature!.id !== 'string' && typeof feature!.id !== 'number')) continue;
    points.push({
      id: String(feature!.id),
      lat,
      lng,
      categoryId: String(properties?.categoryId ?? ''),
      status: (properties?.status ?? 'open') as MapPoint['status'],
    });
  }
  return points;
}

function isRetriable(error: CivicError): boolean {
  return error.kind === 'network' || error.kind === 'timeout' || error.kind === 'server' || error.kind === 'rate-limited';
}

/** A per-attempt timeout merged with the caller's signal, telling the two apart afterwards. */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private timedOut = false;
  private readonly onAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly ms: number,
    private readonly caller?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException('The request timed out', 'TimeoutError'));
    }, ms);
    if (caller?.aborted) this.onAbort();
    else caller?.addEventListener('abort', this.onAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
  }

  explain(error: unknown): unknown {
    if (error instanceof CivicError) return error;
    // The caller's own abort is passed through as is: it is not a failure to explain.
    if (this.caller?.aborted) return this.caller.reason ?? error;
    if (this.timedOut) return new CivicError('timeout', `No response within ${this.ms} ms`, { cause: error });
    if (error instanceof TypeError) {
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      return new CivicError(offline ? 'offline' : 'network', error.message || 'The network request failed', { cause: error });
    }
    return CivicError.from(error);
  }
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
  const code = typeof problem.code === 'string' && KINDS.has(problem.code) ? (problem.code as CivicErrorKind) : undefined;
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

function kindOfStatus(status: number): CivicErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'validation';
    case 401:
      return 'unauthorised';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 410:
      return 'closed';
    case 429:
      return 'rate-limited';
  }
  return status >= 500 ? 'server' : 'misconfigured';
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
