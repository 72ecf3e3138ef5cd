/*
 * Open311 GeoReport v2, in JSON or (option `format: 'xml'`, for servers that offer only the
 * specification's own format) XML, so that <civic-participatory-map> works with any city's Open311
 * server as well as with the reference server's `/open311/v2`. The paths below end in `.xml`
 * instead of `.json` in XML, whose answers are read as the same values (lists by the
 * specification's names, every value as text):
 *
 *   GET  {base}/services.json                    → the categories (services) of the map.
 *   GET  {base}/services/{service_code}.json     → a category's extra fields (attributes), for
 *                                                  each service whose `metadata` is true.
 *   GET  {base}/requests.json?page=&page_size=   → the reports: the server's default window (90
 *                                                  days, at most 1000 per page); `page` and
 *                                                  `page_size` are a common extension, read
 *                                                  while pages come full and new.
 *   GET  {base}/requests/{id}.json               → one report, as a one-element array.
 *   POST {base}/requests.json                    → form-encoded service_code, lat, long,
 *                                                  address_string, description,
 *                                                  attribute[code]; `api_key` or a Bearer token.
 *                                                  Answers `[{ service_request_id }]` or, when
 *                                                  the server moderates first, `[{ token }]`.
 *   GET  {base}/tokens/{token}.json              → `[{ service_request_id?, token }]`.
 *
 * Every request carries `jurisdiction_id` when one is configured. Open311 knows no map geometry
 * (the council gives it in the options), no colours, no follows, no moderation states beyond a
 * token, and only `open` and `closed`; filters, sorts and paging are applied here, on the
 * requests read (kept for a short while so that the map and its list read them once).
 *
 * Errors are Open311's `[{ code, description }]` with the HTTP status: they become CivicErrors by
 * status, and their descriptions (the server's words, in the server's language) stay in the
 * error's developer message, never in what a citizen reads. Open311 names no field in its errors,
 * so a report is checked against the service definitions before it is sent, with the same
 * per-field errors as the other adapters.
 */
import type { MapDomain, ParticipationAdapter } from '../contract/adapter.js';
import { CivicError } from '../contract/errors.js';
import { MAP_POINTS_MAX, NEARBY_REPORTS_LIMIT } from '../contract/limits.js';
import type {
  MapCategory,
  MapCategoryField,
  MapPoint,
  MapReport,
  MapReportInput,
  Page,
  ParticipatoryMap,
  ReadOptions,
  WriteOptions,
} from '../contract/types.js';
import { Deadline, isErrorKind, kindOfStatus, parseRetryAfter } from './http.js';
import { distanceMeters, matchesFilter, pageOf, validFilter, validMapReport, validNearby } from './map-rules.js';

export interface Open311AdapterOptions {
  /** The GeoReport v2 root, e.g. `https://311.example.fr/open311/v2` (where `services.json` is). */
  baseUrl: string;
  /** Sent with every request when the server serves several jurisdictions. */
  jurisdictionId?: string;
  /** The server's `api_key` for submissions. */
  apiKey?: string;
  /** A participant token for submissions, sent as `Authorization: Bearer`; used instead of `apiKey` when it gives one. */
  tokenProvider?: () => string | undefined | Promise<string | undefined>;
  /**
   * What Open311 does not say: the map's geometry and tiles, and `closed: true` when the council
   * takes no new reports (the widget then offers none, rather than failing at the end).
   */
  map: Pick<ParticipatoryMap, 'id' | 'title' | 'center' | 'zoom' | 'bounds' | 'tileUrl' | 'tileAttribution'> & { closed?: boolean };
  /**
   * Offer a photo with each report, sent as `media_url` in a `data:` URL (JPEG, PNG or WebP). The
   * reference server takes them; many Open311 servers take only the address of an image already
   * online, so this is off unless the council's server says it accepts them.
   */
  allowImages?: boolean;
  /**
   * The format to speak: `json` (the default) or `xml`, where the server offers only XML (its
   * service discovery lists the formats it offers: `text/xml`, `application/json`). XML is read
   * with the browser's DOMParser.
   */
  format?: 'json' | 'xml';
  fetch?: typeof fetch;
  /** Per request, in ms, including reading the body. Default 15000. */
  timeout?: number;
}

/** A service request as GeoReport v2 lists it; servers send ids and codes as strings or numbers. */
interface ServiceRequest {
  service_request_id?: string | number | null;
  status?: string | null;
  status_notes?: string | null;
  service_code?: string | number | null;
  description?: string | null;
  requested_datetime?: string | null;
  updated_datetime?: string | null;
  address?: string | null;
  lat?: number | string | null;
  long?: number | string | null;
  media_url?: string | null;
}

interface Service {
  service_code?: string | number;
  service_name?: string;
  description?: string | null;
  metadata?: boolean | string;
  group?: string | null;
}

interface Attribute {
  variable?: boolean | string;
  code?: string | number;
  datatype?: string;
  required?: boolean | string;
  datatype_description?: string | null;
  order?: number | string;
  description?: string | null;
  values?: Array<{ key?: string | number | boolean; name?: string }> | null;
}

/** A report with what the list sorts on. */
interface Known {
  report: MapReport;
  id: string;
  at: number;
  followers: number;
}

const DEFAULT_TIMEOUT = 15000;
/** Reports are read again after this long: the map, its list and "same problem?" share one read. */
const REQUESTS_TTL = 30_000;
/** Services change with the council's settings, rarely. */
const SERVICES_TTL = 5 * 60_000;
/** GeoReport v2's largest page. */
const PAGE_SIZE = 1000;
/** As the REST route. */
const NEARBY_MAX_RADIUS = 1000;

/** Talks to an Open311 GeoReport v2 server (see the top of this file). Serves the map of `options.map` only. */
export class Open311Adapter implements ParticipationAdapter {
  readonly name = 'open311';
  readonly maps: MapDomain;

  private readonly baseUrl: string;
  /** The suffix of every path, `.json` or `.xml`. */
  private readonly suffix: string;
  private readonly options: Open311AdapterOptions;
  private mapCache?: { at: number; value: Promise<ParticipatoryMap> };
  private requestsCache?: { at: number; value: Promise<Known[]> };

  constructor(options: Open311AdapterOptions) {
    if (!options?.baseUrl) throw new CivicError('misconfigured', 'Open311Adapter needs a baseUrl');
    if (!options.map?.id || !options.map.center) throw new CivicError('misconfigured', 'Open311Adapter needs the map’s id and centre');
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.suffix = options.format === 'xml' ? '.xml' : '.json';

    this.maps = {
      getMap: (mapId, opts) => this.read(mapId, opts, () => this.map()),
      listReports: (mapId, query = {}, opts) =>
        this.read(mapId, opts, async (): Promise<Page<MapReport>> => {
          const filter = validFilter(query);
          const matching = (await this.requests()).filter((known) => matchesFilter(known.report, filter));
          const page = pageOf(matching, { ...query, ...filter }, mapId);
          const result: Page<MapReport> = { items: page.items.map((known) => structuredClone(known.report)), total: page.total };
          if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
          return result;
        }),
      points: (mapId, filter = {}, opts) =>
        this.read(mapId, opts, async () => {
          const checked = validFilter(filter);
          const points: MapPoint[] = [];
          for (const { report } of await this.requests()) {
            if (!report.point || !matchesFilter(report, checked)) continue;
            points.push({ id: report.id, lat: report.point.lat, lng: report.point.lng, categoryId: report.categoryId, status: report.status });
            if (points.length === MAP_POINTS_MAX) break;
          }
          return points;
        }),
      getReport: (reportId, opts) =>
        this.guard(opts?.signal, async () => {
          const body = await this.get<unknown>(`/requests/${encodeURIComponent(reportId)}${this.suffix}`, opts?.signal);
          const report = Array.isArray(body) && body.length > 0 ? this.reportOf(body[0] as ServiceRequest) : undefined;
          if (!report) throw new CivicError('not-found', `There is no request "${reportId}"`, { status: 404 });
          return report;
        }),
      nearby: (mapId, point, radiusMeters, query = {}, opts) =>
        this.read(mapId, opts, async () => {
          const center = validNearby(point, radiusMeters, NEARBY_MAX_RADIUS);
          const found: Array<{ report: MapReport; distance: number }> = [];
          for (const { report } of await this.requests()) {
            if (!report.point || report.status === 'closed') continue;
            if (query.category !== undefined && report.categoryId !== query.category) continue;
            const distance = distanceMeters(center, report.point);
            if (distance <= radiusMeters) found.push({ report, distance });
          }
          found.sort((a, b) => a.distance - b.distance);
          return found.slice(0, NEARBY_REPORTS_LIMIT).map(({ report }) => structuredClone(report));
        }),
      submitReport: (mapId, input, opts) => this.submit(mapId, input, opts),
    };
  }

  // ------------------------------------------------------------------ map

  private map(): Promise<ParticipatoryMap> {
    const cached = this.mapCache;
    if (cached && Date.now() - cached.at < SERVICES_TTL) return cached.value;
    const value = this.readMap();
    this.mapCache = { at: Date.now(), value };
    value.catch(() => {
      if (this.mapCache?.value === value) this.mapCache = undefined;
    });
    return value;
  }

  private async readMap(): Promise<ParticipatoryMap> {
    const services = await this.get<unknown>(`/services${this.suffix}`);
    if (!Array.isArray(services)) throw new CivicError('server', 'services did not answer a list');
    const categories = await Promise.all(
      (services as Service[])
        .filter((service) => service && service.service_code !== undefined && service.service_code !== null)
        .map(async (service): Promise<MapCategory> => {
          const id = String(service.service_code);
          const category: MapCategory = { id, label: text(service.service_name) ?? id, fields: [] };
          const description = text(service.description);
          if (description) category.description = description;
          const group = text(service.group);
          if (group) category.group = group;
          if (service.metadata === true || service.metadata === 'true') {
            const definition = await this.get<{ attributes?: unknown }>(`/services/${encodeURIComponent(id)}${this.suffix}`);
            category.fields = fieldsOf(definition?.attributes);
          }
          return category;
        }),
    );
    const { id, title, center, zoom, bounds, tileUrl, tileAttribution } = this.options.map;
    const map: ParticipatoryMap = {
      id,
      title,
      center,
      zoom,
      categories,
      closed: this.options.map.closed === true,
      preModeration: false,
      allowImages: this.options.allowImages === true,
      requiredVerification: 'anonymous',
    };
    if (bounds) map.bounds = bounds;
    if (tileUrl) map.tileUrl = tileUrl;
    if (tileAttribution) map.tileAttribution = tileAttribution;
    return map;
  }

  // ------------------------------------------------------------------ reports

  /** Every request the server lists, newest first, read once for a short while. */
  private requests(): Promise<Known[]> {
    const cached = this.requestsCache;
    if (cached && Date.now() - cached.at < REQUESTS_TTL) return cached.value;
    const value = this.readRequests();
    this.requestsCache = { at: Date.now(), value };
    value.catch(() => {
      if (this.requestsCache?.value === value) this.requestsCache = undefined;
    });
    return value;
  }

  private async readRequests(): Promise<Known[]> {
    const byId = new Map<string, Known>();
    for (let page = 1; byId.size < MAP_POINTS_MAX; page++) {
      const body = await this.get<unknown>(`/requests${this.suffix}?${new URLSearchParams({ page: String(page), page_size: String(PAGE_SIZE) }).toString()}`);
      if (!Array.isArray(body)) throw new CivicError('server', 'requests did not answer a list');
      let added = 0;
      for (const request of body as ServiceRequest[]) {
        const report = request ? this.reportOf(request) : undefined;
        if (!report || byId.has(report.id)) continue;
        byId.set(report.id, { report, id: report.id, at: Date.parse(report.createdAt) || 0, followers: 0 });
        added++;
      }
      // A short page is the last; a page of nothing new means the server ignores `page`.
      if (body.length < PAGE_SIZE || added === 0) break;
    }
    return [...byId.values()].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private reportOf(request: ServiceRequest): MapReport | undefined {
    const id = request.service_request_id;
    if (id === undefined || id === null || id === '') return undefined;
    const createdAt = text(request.requested_datetime) ?? text(request.updated_datetime) ?? new Date(0).toISOString();
    const report: MapReport = {
      id: String(id),
      mapId: this.options.map.id,
      categoryId: request.service_code === undefined || request.service_code === null ? '' : String(request.service_code),
      description: typeof request.description === 'string' ? request.description : '',
      status: request.status === 'closed' ? 'closed' : 'open',
      moderation: 'published',
      updates: [],
      followers: 0,
      comments: 0,
      createdAt,
    };
    const lat = Number(request.lat);
    const lng = Number(request.long);
    if (request.lat !== null && request.long !== null && request.lat !== '' && request.long !== '' && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
      report.point = { lat, lng };
    }
    const address = text(request.address);
    if (address) report.address = address;
    const media = text(request.media_url);
    if (media && /^(https?:\/\/|data:image\/)/i.test(media)) report.imageUrl = media;
    const updatedAt = text(request.updated_datetime);
    if (updatedAt) report.updatedAt = updatedAt;
    const notes = text(request.status_notes);
    // status_notes is plain text: escaped, it is council HTML like any other update.
    if (notes) report.updates = [{ at: updatedAt ?? createdAt, body: `<p>${escapeHtml(notes)}</p>` }];
    return report;
  }

  // ------------------------------------------------------------------ submission

  private submit(mapId: string, input: MapReportInput, opts: WriteOptions): Promise<MapReport> {
    return this.guard(opts.signal, async () => {
      this.ownMap(mapId);
      const map = await this.withSignal(this.map(), opts.signal);
      if (map.closed) throw new CivicError('closed', 'This map no longer takes reports', { status: 403 });
      const valid = validMapReport(map, input);
      const form = new URLSearchParams();
      if (this.options.jurisdictionId !== undefined) form.set('jurisdiction_id', this.options.jurisdictionId);
      const token = await this.token();
      if (!token && this.options.apiKey) form.set('api_key', this.options.apiKey);
      form.set('service_code', valid.categoryId);
      if (valid.point) {
        form.set('lat', String(valid.point.lat));
        form.set('long', String(valid.point.lng));
      }
      if (valid.address) form.set('address_string', valid.address);
      form.set('description', valid.description);
      for (const [code, value] of Object.entries(valid.attributes ?? {})) form.set(`attribute[${code}]`, String(value));
      if (valid.imageUrl) form.set('media_url', valid.imageUrl);

      const headers: Record<string, string> = { Accept: this.accept(), 'Content-Type': 'application/x-www-form-urlencoded' };
      if (token) headers.Authorization = `Bearer ${token}`;
      const answer = await this.send<unknown>(`${this.baseUrl}/requests${this.suffix}`, { method: 'POST', headers, body: form.toString() }, opts.signal);
      const first = (Array.isArray(answer) ? answer[0] : undefined) as { service_request_id?: unknown; token?: unknown } | undefined;
      let id = first?.service_request_id;
      const pendingToken = first?.token;
      if (!isId(id) && !isId(pendingToken)) throw new CivicError('server', 'requests answered neither a service_request_id nor a token');
      if (!isId(id)) id = await this.resolveToken(String(pendingToken), opts.signal);
      // The report exists now: the next read must show it.
      this.requestsCache = undefined;

      const report: MapReport = {
        ...valid,
        id: isId(id) ? String(id) : String(pendingToken),
        mapId,
        status: 'open',
        moderation: isId(id) ? 'published' : 'pending',
        updates: [],
        followers: 0,
        comments: 0,
        createdAt: new Date().toISOString(),
        mine: true,
      };
      return report;
    });
  }

  /**
   * The request a token stands for, asked once: undefined while the server has not made it a
   * request yet. The report is already sent, so a failure here leaves it pending, not failed.
   */
  private async resolveToken(token: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const body = await this.get<unknown>(`/tokens/${encodeURIComponent(token)}${this.suffix}`, signal);
      const id = Array.isArray(body) ? (body[0] as { service_request_id?: unknown } | undefined)?.service_request_id : undefined;
      return isId(id) ? String(id) : undefined;
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }

  private async token(): Promise<string | undefined> {
    if (!this.options.tokenProvider) return undefined;
    try {
      return (await this.options.tokenProvider()) || undefined;
    } catch (cause) {
      throw new CivicError('unauthorised', 'The token provider failed', { cause });
    }
  }

  // ------------------------------------------------------------------ requests

  /** A read of this adapter's map: unknown maps are not found without asking the server. */
  private read<T>(mapId: string, opts: ReadOptions | undefined, operation: () => Promise<T>): Promise<T> {
    return this.guard(opts?.signal, async () => {
      this.ownMap(mapId);
      return this.withSignal(operation(), opts?.signal);
    });
  }

  private ownMap(mapId: string): void {
    if (mapId !== this.options.map.id) throw new CivicError('not-found', `This Open311 adapter serves the map "${this.options.map.id}", not "${mapId}"`, { status: 404 });
  }

  /** Runs `operation`, rejecting with CivicErrors only (or the caller's own abort reason). */
  private async guard<T>(signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      throw CivicError.from(error);
    }
  }

  /** A shared read (cached for other callers) that this caller may stop waiting for. */
  private withSignal<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!signal) return promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    let url = this.baseUrl + path;
    if (this.options.jurisdictionId !== undefined) {
      url += `${url.includes('?') ? '&' : '?'}jurisdiction_id=${encodeURIComponent(this.options.jurisdictionId)}`;
    }
    // No Authorization on reads: they are public, and a plain GET needs no CORS preflight.
    return this.send<T>(url, { method: 'GET', headers: { Accept: this.accept() } }, signal);
  }

  private accept(): string {
    return this.suffix === '.xml' ? 'text/xml, application/xml' : 'application/json';
  }

  private async send<T>(url: string, init: RequestInit, caller?: AbortSignal): Promise<T> {
    const call = new Deadline(this.options.timeout ?? DEFAULT_TIMEOUT, caller);
    const fetchImpl = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    try {
      const response = await fetchImpl(url, { ...init, signal: call.signal, credentials: 'omit' });
      const body = await response.text();
      if (!response.ok) throw open311Error(response.status, response.headers, body);
      const xml = this.suffix === '.xml';
      try {
        return (xml ? fromXml(body) : JSON.parse(body)) as T;
      } catch (cause) {
        throw new CivicError('server', `${init.method} ${url}: the response is not ${xml ? 'XML' : 'JSON'}`, { status: response.status, cause });
      }
    } catch (error) {
      throw call.explain(error);
    } finally {
      call.clear();
    }
  }
}

// ------------------------------------------------------------------ helpers

/** The fields of a service definition, in their order; informational attributes (variable false) are not asked. */
function fieldsOf(attributes: unknown): MapCategoryField[] {
  if (!Array.isArray(attributes)) return [];
  return (attributes as Attribute[])
    .filter((attribute) => attribute && attribute.code !== undefined && attribute.variable !== false && attribute.variable !== 'false')
    .sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0))
    .map((attribute): MapCategoryField => {
      const code = String(attribute.code);
      const options = (attribute.values ?? []).map((value) => ({ value: String(value.key), label: text(value.name) ?? String(value.key) }));
      const isYesNo = options.length === 2 && options.every((option) => option.value === 'true' || option.value === 'false') && options[0]!.value !== options[1]!.value;
      let type: MapCategoryField['type'] = 'text';
      if (attribute.datatype === 'number') type = 'number';
      else if (attribute.datatype === 'singlevaluelist' || attribute.datatype === 'multivaluelist') type = isYesNo ? 'checkbox' : 'select';
      const field: MapCategoryField = { code, label: text(attribute.description) ?? code, type, required: attribute.required === true || attribute.required === 'true' };
      const help = text(attribute.datatype_description);
      if (help) field.description = help;
      if (type === 'select') field.options = options;
      return field;
    });
}

/**
 * A CivicError from an error response: by the HTTP status (Open311 repeats it as each error's
 * `code`), or by a code naming a kind (a problem+json body). The server's descriptions are kept
 * for developers only.
 */
export function open311Error(status: number, headers: Headers, body: string): CivicError {
  let parsed: unknown;
  try {
    parsed = body.trimStart().startsWith('<') ? fromXml(body) : JSON.parse(body);
  } catch {
    // Proxies answer with HTML pages: the status alone must do.
  }
  const entries = (Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? [parsed] : []) as Array<Record<string, unknown> | null>;
  const named = entries.map((entry) => entry?.code).find(isErrorKind);
  const descriptions = entries
    .map((entry) => entry?.description ?? entry?.detail ?? entry?.title)
    .filter((description): description is string => typeof description === 'string' && description !== '');
  const retryAfter = parseRetryAfter(headers.get('Retry-After'));
  return new CivicError(named ?? kindOfStatus(status), descriptions.length ? descriptions.join('; ') : `HTTP ${status}`, { status, retryAfter });
}

/** GeoReport v2's lists in XML, by element name: each holds one element per entry. */
const XML_LISTS = new Set(['services', 'service_requests', 'attributes', 'values', 'errors']);

/**
 * An XML answer as the values of its JSON twin: a list element as an array of its entries, an
 * element with elements as an object, any other as its text. Throws when the text is not XML.
 */
export function fromXml(source: string): unknown {
  const document = new DOMParser().parseFromString(source, 'text/xml');
  // Browsers answer a document holding a parsererror element rather than throwing.
  if (document.getElementsByTagName('parsererror').length > 0) throw new Error('Not well-formed XML');
  const valueOf = (element: Element): unknown => {
    const children = [...element.children];
    if (XML_LISTS.has(element.localName)) return children.map(valueOf);
    if (children.length === 0) return element.textContent;
    return Object.fromEntries(children.map((child) => [child.localName, valueOf(child)]));
  };
  return valueOf(document.documentElement);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function isId(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
