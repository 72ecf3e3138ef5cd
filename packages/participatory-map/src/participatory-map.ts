import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import {
  AdapterController,
  CivicElement,
  CivicError,
  LiveController,
  MAP_REPORT_PAGE_SIZE,
  NEARBY_RADIUS_METERS,
  OutboxController,
  prepareCouncilHtml,
  describeError,
  FocusController,
  ResourceController,
  formHelpStyles,
  prepareFormatters,
  registerTranslations,
  renderSubmissionStatus,
  skipPast,
  skipPastEnd,
  skipPastStyles,
  type MapCategory,
  type MapLiveEvent,
  type MapPoint,
  type MapReport,
  type MapReportInput,
  type MapReportQuery,
  type MapReportStatus,
  type OutboxEntry,
  type ParticipatoryMap,
  type Session,
  PagedList,
  lazy,
} from '@civic-widgets/core';
// The maps routes of the REST contract, for when this widget talks to a RestAdapter.
import '@civic-widgets/core/rest/maps.js';
import type { CivicMapView, MapViewMoveDetail, MapViewPlaceDetail, MapViewSelectDetail, MapViewWords } from './map-view.js';
import { participatoryMapStyles } from './participatory-map.styles.js';
import * as views from './list-views.js';
import { ReportFlow } from './report-flow.js';
import { reportAnchor, type MapListContext } from './list-views.js';
import { reportForm, type ReportFormContext } from './report-form-view.js';
import { clusterText, excerpt, reportName, resultsText, statusLabel } from './wording.js';

registerTranslations('participatory-map', { fr: () => import('./locales/fr.js') });

/** The detail of `civic-report-submitted`. */
export interface CivicReportSubmittedDetail {
  mapId: string;
  /** The report as recorded, once sent. */
  report?: MapReport;
  /** `waiting`: kept on the device (offline or failing) and sent automatically later. */
  status: 'sent' | 'waiting';
}

/** The detail of `civic-report-selected`. */
export interface CivicReportSelectedDetail {
  mapId: string;
  reportId: string;
  /** Where the citizen selected it. */
  from: 'list' | 'map';
}

/** The detail of `civic-report-follow`. */
export interface CivicReportFollowDetail {
  reportId: string;
  /** True when the citizen followed the report, false when they stopped. */
  followed: boolean;
}

/** Writes on existing reports, kept by the outbox like new reports. */
export type MapReportAction = { op: 'follow'; id: string; follow: boolean };

/** `map`: the map and the list; `list`: the list only, and Leaflet is never loaded. */
export type MapViewMode = 'map' | 'list';


type MapState = 'off' | 'loading' | 'ready' | 'failed';

/** The tiles shown when neither the page nor the map names a tile server. */
export const DEFAULT_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const DEFAULT_TILE_ATTRIBUTION = '© OpenStreetMap contributors';

const REPORT_KIND = 'map.report';
const ACTION_KIND = 'map.action';
const VIEW_DELAY = 300;

/** The discussion element is a package of its own, fetched when a citizen opens a discussion. */
const defineCommentThread = lazy(() => import('@civic-widgets/comment-thread/define.js'));


/**
 * A participatory map: citizens read the reports of their town (on a map and, always, in an
 * accessible list synced with it, filtered by category and status), report a problem (a category
 * and its questions, a point placed by pointer, by keyboard with a crosshair, by geolocation, or an
 * address instead, a description and a photo; similar reports nearby offered first; a draft kept on
 * the device and the outbox, so that nothing is lost offline), follow reports, read the council's
 * updates and discuss a report in a comment thread loaded when they open it.
 *
 * Leaflet and the map are a chunk of their own, loaded after the list is shown, and only when the
 * map is to be shown: without them (`view="list"`, offline, blocked) everything but the map works.
 *
 * @tagname civic-participatory-map
 * @summary An accessible, embeddable map of citizens' reports for council websites.
 *
 * @fires {CustomEvent<CivicReportSubmittedDetail>} civic-report-submitted - The citizen sent a report: `{ mapId, report?, status: 'sent' | 'waiting' }`. A report first kept `waiting` fires again with `sent` once it is sent.
 * @fires {CustomEvent<CivicReportSelectedDetail>} civic-report-selected - The citizen opened a report from the list or the map: `{ mapId, reportId, from: 'list' | 'map' }`.
 * @fires {CustomEvent<CivicReportFollowDetail>} civic-report-follow - The citizen followed a report or stopped: `{ reportId, followed }`.
 * @fires {CustomEvent<CivicErrorDetail>} civic-error - An error is shown: `{ error, during: 'load' | 'map' | 'submit' | 'follow' }`.
 *
 * @cssprop --civic-map-height - Height of the map; 24rem by default.
 * @cssprop --civic-map-background - The map's background where no tile is drawn.
 *
 * @csspart header - The map's title, description and count.
 * @csspart title - The map's heading (at `heading-level`).
 * @csspart count - The number of reports.
 * @csspart toolbar - Filters and the "report a problem" button.
 * @csspart input - Every field and select.
 * @csspart skip-past - The "skip past" link at the start of the widget.
 * @csspart skip - The "skip the map" link.
 * @csspart map - The map's frame.
 * @csspart attribution - The tile server's attribution under the map.
 * @csspart legend - The categories and statuses, with their marks.
 * @csspart list - The list of reports.
 * @csspart report - One report in the list.
 * @csspart report-title - A report's heading.
 * @csspart category - A report's category.
 * @csspart badge - A report's status.
 * @csspart meta - Date, followers and comments of a report.
 * @csspart body - The text of a report.
 * @csspart updates - The council's public updates.
 * @csspart detail - A report opened in place.
 * @csspart button - Every button.
 * @csspart follow - The follow toggle of a report.
 * @csspart form - The report form.
 * @csspart nearby - Similar reports nearby, offered while reporting.
 * @csspart error-summary - The list of fields to fix.
 * @csspart notice - Closed map, map unavailable, awaiting moderation notices.
 * @csspart new-reports - The "new reports — show" button.
 * @csspart status - What became of a submission.
 * @csspart error - An error message.
 */
export class CivicParticipatoryMap extends CivicElement {
  static override styles = [CivicElement.styles, participatoryMapStyles, formHelpStyles, skipPastStyles];

  /** Where the map view comes from: its own chunk, with Leaflet. */
  protected static loadMapView(): Promise<{ defineMapView(): void }> {
    return import('./map-view.js');
  }

  private readonly adapterController = new AdapterController(this, 'maps', (adapter) => {
    if (adapter) this.requestUpdate();
    else if (this.adapterController.error) this.reportError(this.adapterController.error, 'load');
  });

  /** The map with its first page of reports; read again when its id or backend changes. */
  private readonly resource = new ResourceController(this, {
    args: () => [this.adapterController.domain, this.map] as const,
    task: async ([domain, id], signal) => {
      // What the outbox holds already (earlier on this page) is history, not news.
      this.reportsOut.markSeen();
      // The list's own ticket too: a filter chosen while this read is under way wins.
      const ticket = this.reports.begin();
      const answers = Promise.all([
        domain!.getMap(id!, { signal }),
        domain!.listReports(id!, this.listQuery, { signal }),
        this.adapterController.adapter?.session?.current({ signal }).catch(() => undefined),
      ]);
      prepareFormatters();
      const [data, page, session] = await answers;
      // Its council text comes in the same render as the rest, not a moment later, pushing it down.
      if (data.description) await prepareCouncilHtml();
      signal.throwIfAborted();
      this.session = session;
      if (this.reports.current(ticket)) this.reports.show(page);
      void this.loadPoints();
      return data;
    },
    onReset: () => this.reset(),
    onError: (error) => this.reportError(error, 'load'),
  });

  private readonly focusControl = new FocusController(this, '#title');

  private readonly reportsOut = new OutboxController<MapReportInput>(this, {
    kind: REPORT_KIND,
    target: () => this.map || undefined,
    // The sender serves every map on the page (the latest registered wins): use the entry's map.
    send: (entry, options) => this.adapterController.call((domain) => domain.submitReport(entry.target, entry.payload, options)),
  });

  private readonly actions = new OutboxController<MapReportAction>(this, {
    kind: ACTION_KIND,
    target: () => this.map || undefined,
    send: (entry, options) =>
      this.adapterController.call((domain) => {
        if (!domain.follow) return Promise.reject(new CivicError('forbidden', 'This backend cannot follow reports'));
        return domain.follow(entry.payload.id, entry.payload.follow, options);
      }),
  });

  private readonly flow = new ReportFlow(this, {
    draftKey: () => (this.map ? `map:${this.map}:report` : undefined),
    area: () => this.data,
    mapShown: () => this.mapShown,
    mapView: () => this.mapView,
    findNearby: async (point, categoryId) => {
      const domain = this.adapterController.domain;
      if (!domain || !this.map) return [];
      const found = await domain.nearby(this.map, point, NEARBY_RADIUS_METERS, { category: categoryId });
      return found.map((report) => this.reports.get(report.id) ?? report);
    },
    send: (input) => {
      const { entry } = this.reportsOut.submit(input);
      if (entry.status === 'waiting') this.emit('civic-report-submitted', { mapId: this.map!, status: 'waiting' });
    },
    focus: (selector) => this.focusControl.after(selector),
    announce: (text) => (this.announcement = text),
  });

  protected readonly live = new LiveController<MapLiveEvent>(this, {
    adapter: () => this.adapterController.adapter,
    topic: () => (this.data && this.map ? `map:${this.map}:reports` : undefined),
    onMessage: (message) => this.receive(message.payload),
  });

  /** The map's id. */
  @property({ reflect: true }) map?: string;

  /** Level of the map's heading, 2–6: the page around it owns the h1. Reports take the next level. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** `map` shows the map and the list; `list` shows the list only and never loads Leaflet. */
  @property({ reflect: true }) view: MapViewMode = 'map';

  /** Reports per page of the list. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = MAP_REPORT_PAGE_SIZE;

  /**
   * Leaflet URL template of the tiles, over the map's own; empty for a plain background and no
   * request to any tile server. Default: OpenStreetMap's servers (see the README on privacy).
   */
  @property({ attribute: 'tile-url' }) tileUrl?: string;

  /** Attribution of the tiles, plain text, over the map's own. */
  @property({ attribute: 'tile-attribution' }) tileAttribution?: string;

  @state() private session?: Session;
  @state() private points: MapPoint[] = [];
  @state() private category = '';
  @state() private status: MapReportStatus | '' = '';
  @state() private inView = false;
  @state() private opened?: MapReport;
  @state() private discussing = false;
  @state() private discussionError?: CivicError;
  @state() private notes = new Map<string, { text: string; alert: boolean }>();
  @state() private announcement = '';
  @state() private mapState: MapState = 'off';

  private readonly reports = new PagedList<MapReport>(this, { key: (report) => report.id, onError: (error) => this.reportError(error, 'load') });
  private bbox?: [number, number, number, number];
  private pointsTicket = 0;
  private viewTimer?: ReturnType<typeof setTimeout>;
  private focusMapAfterUpdate = false;
  private threadLoad?: Promise<unknown>;
  private mapLoad?: Promise<unknown>;
  private openedFrom?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.viewTimer);
  }

  /** Also waits for the chunks a citizen asked for: the map, the discussion. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    for (const load of [this.mapLoad, this.threadLoad]) {
      if (!load) continue;
      await load.catch(() => undefined);
      complete = (await super.getUpdateComplete()) && complete;
    }
    const view = this.mapView;
    if (this.mapLoad && view) await view.updateComplete;
    this.mapLoad = this.threadLoad = undefined;
    return complete;
  }

  private get data(): ParticipatoryMap | undefined {
    return this.resource.value;
  }

  /** The map's own chunk is tried again once back online; the resource reads itself again. */
  private readonly onOnline = (): void => {
    if (this.mapState === 'failed' && this.view === 'map') this.loadMap();
  };

  protected override willUpdate(): void {
    this.followReports();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The list is on screen first; the map follows.
    if (this.data && this.view === 'map' && this.mapState === 'off') queueMicrotask(() => this.mapState === 'off' && this.loadMap());
    if (this.focusMapAfterUpdate && this.mapView) {
      this.focusMapAfterUpdate = false;
      this.mapView.focusMap();
    }
  }

  private get mapView(): CivicMapView | null {
    return this.renderRoot.querySelector('civic-map-view');
  }

  // ------------------------------------------------------------------ loading

  private reset(): void {
    this.opened = undefined;
    this.reports.clear();
    this.points = [];
    this.flow.reset();
    this.category = this.status = '';
    this.inView = false;
    this.discussing = false;
    this.notes = new Map();
  }

  private loadMap(): void {
    this.mapState = 'loading';
    this.mapLoad = (this.constructor as typeof CivicParticipatoryMap).loadMapView().then(
      (module) => {
        module.defineMapView();
        this.mapState = 'ready';
      },
      (cause: unknown) => {
        this.mapState = 'failed';
        this.reportError(new CivicError('network', 'The map could not be loaded', { cause }), 'map');
      },
    );
  }

  private get listQuery(): MapReportQuery {
    const query: MapReportQuery = { limit: this.pageSize };
    if (this.category) query.category = this.category;
    if (this.status) query.status = this.status;
    if (this.inView && this.bbox && this.mapState === 'ready') query.bbox = this.bbox;
    return query;
  }

  private get filtered(): boolean {
    return !!(this.category || this.status || (this.inView && this.mapState === 'ready'));
  }

  /** What the map draws: every located report that matches the filters. */
  private async loadPoints(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.map;
    if (!domain || !id || this.view !== 'map') return;
    const ticket = ++this.pointsTicket;
    const filter: MapReportQuery = {};
    if (this.category) filter.category = this.category;
    if (this.status) filter.status = this.status;
    try {
      const points = await domain.points(id, filter);
      if (ticket === this.pointsTicket) this.points = points;
    } catch (thrown) {
      // The list says the same and has its own error: the map stays as it was.
      if (ticket === this.pointsTicket) this.reportError(CivicError.from(thrown), 'load');
    }
  }

  /** The first page again, with the current filters. */
  private async loadReports(announce = false): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.map;
    if (!domain || !id || !this.data) return;
    const page = await this.reports.reload((signal) => domain.listReports(id, this.listQuery, { signal }));
    if (page && announce) this.announcement = resultsText(page.total ?? page.items.length);
  }

  private async loadMore(): Promise<void> {
    const domain = this.adapterController.domain;
    const id = this.map;
    if (!domain || !id) return;
    await this.reports.more(
      (cursor, signal) => domain.listReports(id, { ...this.listQuery, cursor }, { signal }),
      ([first]) => {
        if (first) this.focusControl.after(`#${CSS.escape(reportAnchor(first.id))}`);
      },
    );
  }

  // ------------------------------------------------------------------ state

  private get needsVerification(): boolean {
    return this.data?.requiredVerification === 'verified' && this.session?.verification !== 'verified';
  }

  private get canWrite(): boolean {
    return !!this.data && !this.data.closed && !this.needsVerification;
  }

  private get canFollow(): boolean {
    return !!this.adapterController.domain?.follow && !this.needsVerification;
  }

  private get mapShown(): boolean {
    return this.view === 'map' && this.mapState === 'ready';
  }

  private get resolvedTileUrl(): string {
    return this.tileUrl ?? this.data?.tileUrl ?? DEFAULT_TILE_URL;
  }

  private get resolvedAttribution(): string {
    const url = this.resolvedTileUrl;
    if (!url) return '';
    if (this.tileAttribution !== undefined) return this.tileAttribution;
    if (this.tileUrl === undefined && this.data?.tileAttribution) return this.data.tileAttribution;
    return url === DEFAULT_TILE_URL ? DEFAULT_TILE_ATTRIBUTION : '';
  }

  private categoryOf(id: string | undefined): MapCategory | undefined {
    return id ? this.data?.categories.find((category) => category.id === id) : undefined;
  }

  private current(id: string): MapReport | undefined {
    return this.reports.get(id) ?? (this.opened?.id === id ? this.opened : undefined) ?? this.flow.nearby.find((report) => report.id === id);
  }

  /** Puts a new version of a report wherever it is shown. */
  private replace(report: MapReport): void {
    this.reports.replace(report);
    this.flow.replace(report);
    if (this.opened?.id === report.id) this.opened = report;
    const point = this.points.findIndex((item) => item.id === report.id);
    if (point >= 0 && (this.points[point]!.status !== report.status || this.points[point]!.categoryId !== report.categoryId)) {
      const points = [...this.points];
      points[point] = { ...points[point]!, status: report.status, categoryId: report.categoryId };
      this.points = points;
    }
  }

  private insert(report: MapReport): void {
    if (this.reports.get(report.id)) return this.replace(report);
    this.reports.insert(report);
    this.addPoint(report);
  }

  private matchesFilters(report: MapReport): boolean {
    return (!this.category || report.categoryId === this.category) && (!this.status || report.status === this.status);
  }

  private addPoint(report: MapReport): void {
    const point = report.point;
    if (!point || !this.matchesFilters(report) || this.points.some((item) => item.id === report.id)) return;
    this.points = [{ id: report.id, lat: point.lat, lng: point.lng, categoryId: report.categoryId, status: report.status }, ...this.points];
  }

  private receive(event: MapLiveEvent): void {
    const report = event.report;
    if (report.mapId !== this.map) return;
    const known = this.current(report.id);
    if (event.type === 'created') {
      if (known || !this.reports.arrive(report)) return;
      // On the map at once: drawing a marker moves neither focus nor the page.
      this.addPoint(report);
      return;
    }
    // Broadcasts are what everyone sees: what is the reader's own stays as it was.
    if (known) this.replace({ ...report, mine: known.mine, followedByMe: known.followedByMe });
  }

  private showArrivals(): void {
    const newest = this.reports.takeArrivals().at(-1);
    if (newest) this.focusControl.after(`#${CSS.escape(reportAnchor(newest.id))}`);
  }

  /** Acts once on each change of this map's reports in the outbox: events, the list, the form. */
  private followReports(): void {
    const mapId = this.map;
    if (!mapId) return;
    for (const { entry, nowWaiting } of this.reportsOut.changes()) {
      if (entry.status === 'sent') {
        const report = { ...(entry.result as MapReport), mine: true };
        this.insert(report);
        this.announcement = report.moderation === 'pending' ? msg('Your report is awaiting moderation.') : msg('Your report is published.');
        this.emit('civic-report-submitted', { mapId, report, status: 'sent' });
      } else if (nowWaiting) {
        this.emit('civic-report-submitted', { mapId, status: 'waiting' });
      } else if (entry.status === 'failed' && entry.lastError) {
        const error = new CivicError(entry.lastError.kind, entry.lastError.message, { fieldErrors: entry.lastError.fieldErrors });
        this.reportError(error, 'submit');
        this.flow.takeBack(entry, error);
        void this.reportsOut.discard(entry.id);
        if (error.kind === 'closed') void this.resource.run();
      }
    }
  }

  private note(id: string, text: string | undefined, alert = false): void {
    const next = new Map(this.notes);
    if (text) next.set(id, { text, alert });
    else next.delete(id);
    this.notes = next;
  }

  // ------------------------------------------------------------------ citizen actions

  private filter(change: { category?: string; status?: MapReportStatus | ''; inView?: boolean }): void {
    if (change.category !== undefined) this.category = change.category;
    if (change.status !== undefined) this.status = change.status;
    if (change.inView !== undefined) this.inView = change.inView;
    void this.loadReports(true);
    if (change.category !== undefined || change.status !== undefined) void this.loadPoints();
  }

  private onMapMove(event: CustomEvent<MapViewMoveDetail>): void {
    this.bbox = event.detail.bbox;
    if (!this.inView) return;
    clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => void this.loadReports(true), VIEW_DELAY);
  }

  private open(report: MapReport, from: 'list' | 'map'): void {
    this.openedFrom = report.id;
    this.opened = report;
    this.discussing = false;
    this.discussionError = undefined;
    this.focusControl.after('#detail-title');
    this.emit('civic-report-selected', { mapId: this.map!, reportId: report.id, from });
  }

  private async select(event: CustomEvent<MapViewSelectDetail>): Promise<void> {
    const id = event.detail.id;
    const known = this.current(id);
    if (known) return this.open(known, 'map');
    const domain = this.adapterController.domain;
    if (!domain) return;
    try {
      this.open(await domain.getReport(id), 'map');
    } catch (thrown) {
      const error = CivicError.from(thrown);
      this.reportError(error, 'load');
      this.announcement = describeError(error);
    }
  }

  private close(): void {
    const from = this.openedFrom;
    this.opened = this.openedFrom = undefined;
    this.discussing = false;
    const inList = from && this.reports.items.some((report) => report.id === from);
    this.focusControl.after(inList ? `#${CSS.escape(reportAnchor(from))} [data-action=open]` : '#list-title');
  }

  private discuss(): void {
    if (this.discussing) {
      this.discussing = false;
      return;
    }
    this.discussing = true;
    this.discussionError = undefined;
    this.threadLoad = defineCommentThread().then(
      () => this.requestUpdate(),
      (cause: unknown) => {
        this.discussing = false;
        this.discussionError = new CivicError('network', 'The discussion could not be loaded', { cause });
      },
    );
  }

  private skipMap(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('#panel')?.focus();
  }

  private startReport(): void {
    this.opened = undefined;
    this.flow.start();
  }

  private toggleFollow(report: MapReport): void {
    const follow = !report.followedByMe;
    this.replace({ ...report, followedByMe: follow, followers: Math.max(0, report.followers + (follow ? 1 : -1)) });
    this.note(report.id, undefined);
    this.emit('civic-report-follow', { reportId: report.id, followed: follow });
    this.actions.submit({ op: 'follow', id: report.id, follow }).settled.then(
      (result) => {
        const recorded = result as MapReport;
        this.replace({ ...(this.current(report.id) ?? recorded), followers: recorded.followers, followedByMe: recorded.followedByMe });
        this.note(report.id, follow ? msg('You follow this report: its updates show here.') : msg('You no longer follow this report.'));
      },
      (thrown: unknown) => {
        const current = this.current(report.id);
        if (current) this.replace({ ...current, followedByMe: report.followedByMe, followers: report.followers });
        if (!(thrown instanceof CivicError)) return;
        this.reportError(thrown, 'follow');
        this.note(report.id, msg(str`Your follow could not be recorded: ${describeError(thrown)}`), true);
      },
    );
  }

  /** One listener for the buttons of every report: templates stay cheap on long lists. */
  private onListClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const report = button?.dataset.id ? this.current(button.dataset.id) : undefined;
    if (!button || !report) return;
    switch (button.dataset.action) {
      case 'open':
        return this.open(report, 'list');
      case 'follow':
        return this.toggleFollow(report);
    }
  }

  private nameOf(report: Parameters<typeof reportName>[0]): string {
    return reportName(report, this.data?.categories);
  }

  /** What the map view says of reports, in the widget's words. */
  private get words(): MapViewWords {
    return {
      report: (point) => `${this.categoryOf(point.categoryId)?.label ?? msg('Report')}, ${statusLabel(point.status)}`,
      tooltip: (point) => html`<strong>${this.categoryOf(point.categoryId)?.label ?? msg('Report')}</strong> — ${statusLabel(point.status)}`,
      popup: (report) => html`<p><strong>${this.nameOf(report)}</strong></p>
        <p>${statusLabel(report.status)}</p>
        <p>${excerpt(report.description)}</p>`,
      cluster: (count) => clusterText(count),
    };
  }

  // ------------------------------------------------------------------ rendering

  private renderMap(map: ParticipatoryMap) {
    if (this.view !== 'map') return nothing;
    const attribution = this.resolvedAttribution;
    const placing = this.flow.reporting && this.canWrite;
    return html`<p><a part="skip" class="skip" href="#panel" @click=${this.skipMap}>${msg('Skip the map')}</a></p>
      <div part="map" class="map-frame">
        ${this.mapState === 'ready'
          ? html`<civic-map-view
              .area=${map}
              .tileUrl=${this.resolvedTileUrl}
              .points=${this.points}
              .categories=${map.categories}
              .selected=${this.opened}
              .placing=${placing}
              .placed=${placing ? this.flow.draftValue.point : undefined}
              .words=${this.words}
              .label=${msg(str`Map: ${map.title}`)}
              @map-select=${this.select}
              @map-place=${(event: CustomEvent<MapViewPlaceDetail>) => this.flow.place(event.detail.point)}
              @map-place-cancel=${() => this.flow.placeCancelled()}
              @map-move=${this.onMapMove}
              @map-tiles-failed=${() => this.reportError(new CivicError('network', 'The tile server does not answer'), 'map')}
            ></civic-map-view>`
          : this.mapState === 'failed'
            ? html`<p part="notice" class="map-failed" role="status">
                ${msg('The map could not be loaded. Every report is in the list below, and you can report a problem by giving its address.')}
              </p>`
            : html`<p class="loading map-loading" role="status">${msg('Loading the map…')}</p>`}
        ${this.mapState === 'ready' && attribution ? html`<p part="attribution" class="attribution">${msg(str`Map background: ${attribution}`)}</p>` : nothing}
      </div>
      ${this.mapState === 'ready' ? views.legend(map) : nothing}`;
  }

  private renderStatus(entry: OutboxEntry) {
    return renderSubmissionStatus(entry, {
      onRetry: (item) => void this.reportsOut.retry(item.id),
      onDiscard: (item) => void this.reportsOut.discard(item.id),
      locale: this.localeController.locale,
    });
  }

  /** Reports kept on the device until they can be sent, and the last one sent. */
  private renderSubmissions() {
    const entries = this.reportsOut.entries.filter((entry) => entry.status !== 'failed');
    const waiting = entries.filter((entry) => entry.status !== 'sent');
    const sent = entries.find((entry) => entry.status === 'sent' && (entry.result as MapReport | undefined)?.moderation === 'pending');
    return html`<div id="submission-status" part="status" role="status">
      ${waiting.map(
        (entry) => html`<div class="waiting">
          <p><strong>${this.nameOf(entry.payload)}</strong>: ${excerpt(entry.payload.description)}</p>
          ${this.renderStatus(entry)}
        </div>`,
      )}
      ${sent ? html`<p part="notice">${msg('Your report is awaiting moderation: it will appear on the map once a moderator approves it.')}</p>` : nothing}
    </div>`;
  }

  private get listContext(): MapListContext {
    return {
      map: this.data!,
      headingLevel: this.headingLevel,
      reports: this.reports,
      filtered: this.filtered,
      needsVerification: this.needsVerification,
      category: this.category,
      status: this.status,
      inView: this.inView,
      mapShown: this.mapShown,
      canFollow: this.canFollow,
      opened: this.opened,
      notes: this.notes,
      nearby: this.flow.nearby,
      discussing: this.discussing,
      discussionError: this.discussionError,
      adapter: this.adapterController.adapter,
      nameOf: (report) => this.nameOf(report),
      renderError: (error, retry) => this.renderError(error, retry),
      onFilter: (change) => this.filter(change),
      onShowArrivals: () => this.showArrivals(),
      onListClick: (event) => this.onListClick(event),
      onMore: () => void this.loadMore(),
      onRetryList: () => void (this.reports.nextCursor ? this.loadMore() : this.loadReports()),
      onClose: () => this.close(),
      onDiscuss: () => this.discuss(),
    };
  }

  private get formContext(): ReportFormContext {
    const flow = this.flow;
    return {
      headingLevel: this.headingLevel,
      draft: flow.draftValue,
      errors: flow.errors,
      summary: flow.summary,
      mapShown: this.mapShown,
      locating: flow.locating,
      locationNote: flow.locationNote,
      image: flow.image,
      root: this.renderRoot,
      nearby: views.nearby(this.listContext, flow.draftValue.point),
      categoryOf: (id) => this.categoryOf(id),
      onType: (change) => flow.type(change),
      onAnswer: (field, value) => flow.answer(field, value),
      onPlaceOnMap: () => flow.placeOnMap(),
      onRemovePoint: () => flow.removePoint(),
      onLocate: () => flow.locate(),
      onChooseImage: (event) => flow.chooseImage(event),
      onSubmit: (event) => flow.submit(event),
      onCancel: () => flow.cancel(),
    };
  }

  private renderPanel(map: ParticipatoryMap) {
    const opened = this.opened;
    let content: unknown;
    if (this.flow.reporting && this.canWrite) content = reportForm(this.formContext, map);
    else if (opened) content = views.detail(this.listContext, opened);
    else content = views.list(this.listContext);
    return html`<div id="panel" class="panel" tabindex="-1">${content}</div>`;
  }

  protected override render() {
    const configurationError = this.adapterController.error;
    if (configurationError) return this.renderError(configurationError);
    const error = this.resource.error;
    if (error) {
      return html`${this.renderError(error, error.transient ? () => void this.resource.run() : undefined)} ${this.renderSubmissions()}`;
    }
    const map = this.data;
    if (!map) return html`<p class="loading" part="status" role="status" aria-busy="true">${msg('Loading the map of reports…')}</p>`;
    return html`<div class="box">
      ${skipPast(msg('Skip past the map of reports'))}
      ${views.header(this.listContext, map)} ${views.notices(this.listContext, map)} ${this.renderSubmissions()}
      ${this.canWrite && !this.flow.reporting ? html`<p><button type="button" part="button" class="primary" id="report" @click=${this.startReport}>${msg('Report a problem')}</button></p>` : nothing}
      ${this.flow.reporting ? nothing : views.toolbar(this.listContext, map)}
      <div class="layout">${this.renderMap(map)} ${this.renderPanel(map)}</div>
      <div id="announcement" class="visually-hidden" role="status">${this.announcement}</div>
      ${skipPastEnd(msg('End of the map of reports'))}
    </div>`;
  }
}
