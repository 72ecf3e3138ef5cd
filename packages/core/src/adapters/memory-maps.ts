/*
 * The maps domain of MemoryAdapter: participatory maps, citizens' reports, follows and the
 * council's updates, with the semantics of the reference server (see the map routes of the REST
 * contract). Kept apart from the adapter so that the adapter file stays about calls, latency and
 * failures. Built to hold tens of thousands of reports: each map keeps its reports newest first,
 * so that drawing them all is one pass.
 */
import { CivicError } from '../contract/errors.js';
import { MAP_POINTS_MAX, NEARBY_REPORTS_LIMIT } from '../contract/limits.js';
import type {
  CouncilHtml,
  GeoPoint,
  MapLiveEvent,
  MapPoint,
  MapReport,
  MapReportFilter,
  MapReportInput,
  MapReportQuery,
  MapReportStatus,
  Page,
  ParticipatoryMap,
  VerificationLevel,
} from '../contract/types.js';
import {
  MAP_REPORT_STATUSES,
  distanceMeters,
  latitudeSpan,
  matchesFilter,
  pageOf,
  validFilter,
  validMapReport,
  validNearby,
  validation,
} from './map-rules.js';

/** A seeded report, with the participant who made it; `mine` and `followedByMe` are worked out. */
export interface MemorySeedMapReport extends Omit<MapReport, 'mine' | 'followedByMe' | 'followers' | 'comments' | 'updates'> {
  participantId: string;
  /** Followers, at least as many as `followedBy` lists (the author is not added automatically). */
  followers?: number;
  /** Participants who follow it. */
  followedBy?: string[];
  /** Comments, when the seed has no `map-report:<id>` thread to count them from. */
  comments?: number;
  updates?: MapReport['updates'];
}

export interface MemoryMapSeed {
  maps?: ParticipatoryMap[];
  mapReports?: MemorySeedMapReport[];
}

/** The council's public update of a report (the admin side, for stories and tests). */
export interface MapReportUpdateInput {
  /** Council HTML, sanitised where it is shown. */
  body: CouncilHtml;
  /** The report's new status, when the update changes it. */
  status?: MapReportStatus;
}

/** The council's moderation of a report (the admin side, for stories and tests). */
export type MapModerationAction = 'approve' | 'hide' | 'restore';

/** Who is asking: each report is seen as this participant sees it. */
export interface MapViewer {
  id: string;
  verification: VerificationLevel;
  displayName?: string;
}

/** What a report says, kept as given; what lists filter and sort on lives in StoredReport itself. */
type ReportDetails = Pick<MapReport, 'address' | 'description' | 'attributes' | 'imageUrl' | 'updates' | 'createdAt' | 'updatedAt' | 'trackedProjectId'>;

/**
 * A report as kept. Every one has the same fields in the same order (a class, not spread objects),
 * so that a pass over 50,000 of them reads each field at the speed of one shape.
 */
class StoredReport {
  /** Followers not listed in `followedBy` (seeded counts). */
  anonymousFollowers = 0;
  followedBy = new Set<string>();
  seededComments = 0;

  constructor(
    readonly id: string,
    readonly mapId: string,
    readonly categoryId: string,
    readonly point: GeoPoint | undefined,
    public status: MapReportStatus,
    public moderation: MapReport['moderation'],
    readonly participantId: string,
    /** createdAt in ms, for sorting dates written in any zone. */
    readonly at: number,
    readonly details: ReportDetails,
  ) {}

  get followers(): number {
    return this.anonymousFollowers + this.followedBy.size;
  }
}

function storedReport(report: Omit<MapReport, 'mine' | 'followedByMe' | 'followers' | 'comments'>, participantId: string): StoredReport {
  const { id, mapId, categoryId, point, status, moderation, ...details } = report;
  const at = Date.parse(details.createdAt);
  return new StoredReport(id, mapId, categoryId, point && { lat: point.lat, lng: point.lng }, status, moderation, participantId, at, details);
}

/** `nearby` measures within at most this radius, as the REST route does. */
const NEARBY_MAX_RADIUS = 1000;
/** Live messages go to everyone: they are seen as by a participant who made and followed nothing. */
const PUBLIC: MapViewer = { id: '', verification: 'anonymous' };

export class MemoryMaps {
  private readonly maps = new Map<string, ParticipatoryMap>();
  private readonly reports = new Map<string, StoredReport>();
  /** mapId → its reports, newest first (then by id), the order of `points` and of the list. */
  private readonly byMap = new Map<string, StoredReport[]>();
  /**
   * mapId → what `points` draws, newest first, built on first use and dropped when a report is
   * added, published, hidden or changes status. Kept apart because reading 50,000 compact points
   * laid out one after the other is several times quicker than visiting the reports themselves.
   */
  private readonly drawable = new Map<string, MapPoint[]>();

  constructor(
    seed: MemoryMapSeed,
    private readonly now: () => Date,
    /** Comments under a report, from its `map-report:<id>` thread when the comments domain has one. */
    private readonly commentCount: (reportId: string) => number | undefined,
    private readonly publish: (mapId: string, event: MapLiveEvent) => void,
  ) {
    for (const map of seed.maps ?? []) {
      this.maps.set(map.id, map);
      this.byMap.set(map.id, []);
    }
    for (const { followers, followedBy, comments, updates, participantId, ...report } of seed.mapReports ?? []) {
      const list = this.byMap.get(report.mapId);
      if (!list) throw new CivicError('misconfigured', `Seeded report "${report.id}" belongs to map "${report.mapId}", which is not seeded`);
      const stored = storedReport({ ...report, updates: updates ?? [] }, participantId);
      for (const follower of followedBy ?? []) stored.followedBy.add(follower);
      stored.anonymousFollowers = Math.max(0, (followers ?? 0) - stored.followedBy.size);
      stored.seededComments = comments ?? 0;
      this.reports.set(stored.id, stored);
      list.push(stored);
    }
    for (const list of this.byMap.values()) list.sort(newestFirst);
  }

  // ------------------------------------------------------------------ reads

  map(mapId: string): ParticipatoryMap {
    const map = this.maps.get(mapId);
    if (!map) throw new CivicError('not-found', `There is no map "${mapId}"`, { status: 404 });
    return map;
  }

  /** The settings of a published report's discussion, or undefined when there is no such report. */
  discussion(reportId: string): { requiredVerification: VerificationLevel } | undefined {
    const report = this.reports.get(reportId);
    if (!report || report.moderation !== 'published') return undefined;
    return { requiredVerification: this.maps.get(report.mapId)?.requiredVerification ?? 'anonymous' };
  }

  listReports(mapId: string, query: MapReportQuery, viewer: MapViewer): Page<MapReport> {
    this.map(mapId);
    const filter = validFilter(query);
    const matching = this.reportsOf(mapId).filter((report) => this.listed(report, viewer) && matchesFilter(report, filter));
    const page = pageOf(matching, { ...query, ...filter }, mapId);
    const result: Page<MapReport> = { items: page.items.map((report) => this.view(report, viewer)), total: page.total };
    if (page.nextCursor !== undefined) result.nextCursor = page.nextCursor;
    return result;
  }

  /** Every report the viewer made, whatever moderation made of it (for "what became of my contributions"). */
  authoredBy(viewer: MapViewer): MapReport[] {
    if (viewer === PUBLIC) return [];
    return [...this.reports.values()].filter((report) => report.participantId === viewer.id).map((report) => this.view(report, viewer));
  }

  /** Every located published report that matches, newest first, at most MAP_POINTS_MAX, each a new object. */
  points(mapId: string, raw: MapReportFilter): MapPoint[] {
    this.map(mapId);
    const { category, status, bbox } = validFilter(raw);
    const [west, south, east, north] = bbox ?? [-180, -90, 180, 90];
    const acrossAntimeridian = west > east;
    const points: MapPoint[] = [];
    for (const point of this.drawableOf(mapId)) {
      if (category !== undefined && point.categoryId !== category) continue;
      if (status !== undefined && point.status !== status) continue;
      if (point.lat < south || point.lat > north) continue;
      if (acrossAntimeridian ? point.lng < west && point.lng > east : point.lng < west || point.lng > east) continue;
      points.push({ id: point.id, lat: point.lat, lng: point.lng, categoryId: point.categoryId, status: point.status });
      if (points.length === MAP_POINTS_MAX) break;
    }
    return points;
  }

  private drawableOf(mapId: string): MapPoint[] {
    let points = this.drawable.get(mapId);
    if (!points) {
      points = [];
      for (const report of this.reportsOf(mapId)) {
        const point = report.point;
        if (!point || report.moderation !== 'published') continue;
        points.push({ id: report.id, lat: point.lat, lng: point.lng, categoryId: report.categoryId, status: report.status });
      }
      this.drawable.set(mapId, points);
    }
    return points;
  }

  getReport(reportId: string, viewer: MapViewer): MapReport {
    return this.view(this.visibleReport(reportId, viewer), viewer);
  }

  /** Published reports not closed within the radius, of the category when given, nearest first. */
  nearby(mapId: string, rawPoint: GeoPoint, radiusMeters: number, query: { category?: string }, viewer: MapViewer): MapReport[] {
    this.map(mapId);
    const center = validNearby(rawPoint, radiusMeters, NEARBY_MAX_RADIUS);
    const span = latitudeSpan(radiusMeters);
    // The drawable points are the published located reports, newest first: the nearest of equals stays the newest.
    const found: Array<{ id: string; distance: number }> = [];
    for (const point of this.drawableOf(mapId)) {
      if (point.status === 'closed' || (query.category !== undefined && point.categoryId !== query.category)) continue;
      if (Math.abs(point.lat - center.lat) > span) continue;
      const distance = distanceMeters(center, point);
      if (distance <= radiusMeters) found.push({ id: point.id, distance });
    }
    found.sort((a, b) => a.distance - b.distance);
    return found.slice(0, NEARBY_REPORTS_LIMIT).map(({ id }) => this.view(this.reports.get(id)!, viewer));
  }

  // ------------------------------------------------------------------ writes

  /** A new report, open, followed by its author; pending when the map pre-moderates. */
  submitReport(mapId: string, input: MapReportInput, viewer: MapViewer): MapReport {
    const map = this.map(mapId);
    if (map.requiredVerification === 'verified' && viewer.verification !== 'verified') {
      throw new CivicError('forbidden', 'Only verified participants may report on this map', { status: 403 });
    }
    if (map.closed) throw new CivicError('closed', 'This map no longer takes reports', { status: 403 });
    const valid = validMapReport(map, input);
    const createdAt = this.now().toISOString();
    const report = storedReport(
      { ...valid, id: `report-${crypto.randomUUID()}`, mapId, status: 'open', moderation: map.preModeration ? 'pending' : 'published', updates: [], createdAt },
      viewer.id,
    );
    report.followedBy.add(viewer.id);
    this.reports.set(report.id, report);
    insertSorted(this.reportsOf(mapId), report);
    this.drawable.delete(mapId);
    this.broadcast('created', report);
    return this.view(report, viewer);
  }

  /** Follows (true) or stops following (false); saying it twice changes nothing. Closed maps still take follows. */
  follow(reportId: string, follow: boolean, viewer: MapViewer): MapReport {
    const report = this.visibleReport(reportId, viewer);
    if (typeof follow !== 'boolean') throw validation('Follow is true or false', { follow: 'Follow or stop following' });
    const changed = follow ? !report.followedBy.has(viewer.id) : report.followedBy.has(viewer.id);
    if (changed) {
      if (follow) report.followedBy.add(viewer.id);
      else report.followedBy.delete(viewer.id);
      this.broadcast('updated', report);
    }
    return this.view(report, viewer);
  }

  // ------------------------------------------------------------------ council

  /** Appends a public update, oldest first, changing the status when it says one. */
  update(reportId: string, input: MapReportUpdateInput): void {
    const report = this.stored(reportId);
    if (input.status !== undefined && !MAP_REPORT_STATUSES.has(input.status)) throw validation('Unknown status', { status: 'Choose a known status' });
    const at = this.now().toISOString();
    const update: MapReport['updates'][number] = { at, body: input.body };
    if (input.status !== undefined) {
      update.status = input.status;
      report.status = input.status;
    }
    report.details.updates.push(update);
    report.details.updatedAt = at;
    this.drawable.delete(report.mapId);
    this.broadcast('updated', report);
  }

  /** `hide` hides a published report and rejects a pending one; `approve` and `restore` publish it. */
  moderate(reportId: string, action: MapModerationAction): void {
    const report = this.stored(reportId);
    const before = report.moderation;
    this.drawable.delete(report.mapId);
    if (action === 'hide') {
      if (before === 'published') report.moderation = 'hidden';
      else if (before === 'pending') report.moderation = 'rejected';
      return;
    }
    if (before === 'published') return;
    report.moderation = 'published';
    // A hidden report was published once: screens that still hold it update it, the others add it.
    this.broadcast(before === 'hidden' ? 'updated' : 'created', report);
  }

  // ------------------------------------------------------------------ views

  /** Published reports are listed for all; pending ones for their author only. */
  private listed(report: StoredReport, viewer: MapViewer): boolean {
    if (report.moderation === 'published') return true;
    return report.moderation === 'pending' && viewer !== PUBLIC && report.participantId === viewer.id;
  }

  /** What `getReport` shows: the listed ones, and an author's own rejected report (so they learn its fate). */
  private visibleReport(reportId: string, viewer: MapViewer): StoredReport {
    const report = this.reports.get(reportId);
    const own = report !== undefined && viewer !== PUBLIC && report.participantId === viewer.id;
    if (!report || !(this.listed(report, viewer) || (own && report.moderation === 'rejected'))) {
      throw new CivicError('not-found', `There is no report "${reportId}"`, { status: 404 });
    }
    return report;
  }

  private view(report: StoredReport, viewer: MapViewer): MapReport {
    const { id, mapId, categoryId, point, status, moderation } = report;
    const view: MapReport = { id, mapId, categoryId, ...report.details, status, moderation, followers: report.followers, comments: this.comments(report) };
    if (point) view.point = point;
    if (viewer !== PUBLIC) {
      view.followedByMe = report.followedBy.has(viewer.id);
      if (report.participantId === viewer.id) view.mine = true;
    }
    return view;
  }

  private comments(report: StoredReport): number {
    return this.commentCount(report.id) ?? report.seededComments;
  }

  private broadcast(type: MapLiveEvent['type'], report: StoredReport): void {
    if (report.moderation !== 'published') return;
    this.publish(report.mapId, { type, report: this.view(report, PUBLIC) });
  }

  private reportsOf(mapId: string): StoredReport[] {
    return this.byMap.get(mapId) ?? [];
  }

  private stored(reportId: string): StoredReport {
    const report = this.reports.get(reportId);
    if (!report) throw new CivicError('not-found', `There is no report "${reportId}"`, { status: 404 });
    return report;
  }
}

function newestFirst(a: StoredReport, b: StoredReport): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Keeps the list newest first: a new report usually goes first, but a test clock may say otherwise. */
function insertSorted(list: StoredReport[], report: StoredReport): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (newestFirst(list[middle]!, report) < 0) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, report);
}
