import { moderated } from '../admin/moderation.js';
import { createHash } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { MapReportStatus } from '../db/schema-maps.js';
import { Problem } from '../http/problem.js';
import type { CommentStore } from '../comments/store.js';
import { newId } from '../polls/store.js';
import {
  boxAround,
  haversineMeters,
  mapFromRow,
  mapReportThreadId,
  mapToRow,
  MAP_POINTS_MAX,
  MAP_REPORT_MAX_PAGE_SIZE,
  MAP_REPORT_PAGE_SIZE,
  NEARBY_REPORTS_LIMIT,
  reportView,
  type Bbox,
  type CheckedReport,
  type GeoPoint,
  type MapReportRow,
  type MapReportUpdateRow,
} from './model.js';
import type { MapCreate, MapPatch, MapReportWire, MapWire } from './schemas.js';

export type MapReportSort = 'newest' | 'most-followed';
export type MapModerationAction = 'approve' | 'hide' | 'restore';
/** What a change means to live subscribers; nothing when they do not see it. */
export type MapReportChange = 'created' | 'updated' | undefined;

export interface MapReportFilter {
  bbox?: Bbox;
  category?: string;
  status?: MapReportStatus;
}

export interface MapReportListQuery extends MapReportFilter {
  sort: MapReportSort;
  cursor?: string;
  limit?: number;
}

/** The GeoJSON of a map's points, built once per read, with its entity tag. */
export interface PointsDocument {
  body: string;
  etag: string;
  count: number;
}

type Db = Kysely<Database>;
type ReportsExpression = ExpressionBuilder<Database, 'map_reports'>;
type Participant = { id: string; verification: string };
/** The sort key of a report: followers (0 when sorting by date), creation time, id. */
type SortKey = [followers: number, at: string, id: string];

/**
 * Maps, their reports, council updates, follows and flags. A report's followers are a counter
 * moved in the transaction of each follow; its comments mirror the `map-report:<id>` thread's
 * counter (see the comments' count finisher), so reads never count rows.
 */
export class MapStore {
  readonly #storage: Storage;
  readonly #comments: CommentStore;

  constructor(storage: Storage, comments: CommentStore) {
    this.#storage = storage;
    this.#comments = comments;
  }

  // ------------------------------------------------------------------ maps

  async map(id: string, db: Db = this.#storage.reader): Promise<MapWire | undefined> {
    const row = await db.selectFrom('maps').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? mapFromRow(row) : undefined;
  }

  async requireMap(id: string, db?: Db): Promise<MapWire> {
    const map = await this.map(id, db);
    if (!map) throw new Problem(404, 'not-found', `There is no map "${id}".`);
    return map;
  }

  /** Every map, oldest first: the first is Open311's default jurisdiction. */
  async maps(): Promise<MapWire[]> {
    const rows = await this.#storage.reader.selectFrom('maps').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(mapFromRow);
  }

  async createMap(trx: Trx, input: MapCreate, now: string): Promise<MapWire> {
    const inserted = await trx.insertInto('maps').values(mapToRow(input, now)).onConflict((c) => c.column('id').doNothing()).returningAll().executeTakeFirst();
    if (!inserted) throw new Problem(409, 'conflict', `A map "${input.id}" already exists.`);
    return mapFromRow(inserted);
  }

  async updateMap(trx: Trx, id: string, patch: MapPatch, now: string): Promise<MapWire> {
    const current = await this.requireMap(id, trx);
    const { bounds, ...rest } = patch;
    const merged: MapCreate = { ...current, ...rest, id };
    if (bounds === null) delete merged.bounds;
    else if (bounds !== undefined) merged.bounds = bounds;
    const { created_at: _created, ...row } = mapToRow(merged, now);
    const updated = await trx.updateTable('maps').set(row).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return mapFromRow(updated);
  }

  // ------------------------------------------------------------------ reads

  /** One page, keyset-paged in the database on (followers,) created_at, id. */
  async list(mapId: string, query: MapReportListQuery, participantId: string | undefined): Promise<{ items: MapReportWire[]; nextCursor?: string; total: number }> {
    const db = this.#storage.reader;
    await this.requireMap(mapId);
    const limit = Math.min(MAP_REPORT_MAX_PAGE_SIZE, Math.max(1, query.limit ?? MAP_REPORT_PAGE_SIZE));
    const scope = [mapId, query.sort, query.bbox?.join(',') ?? '', query.category ?? '', query.status ?? ''];
    const filtered = db
      .selectFrom('map_reports')
      .where('map_id', '=', mapId)
      .where((eb) => listedExpression(eb, participantId))
      .where((eb) => filterExpression(eb, query));
    let page = filtered.selectAll();
    if (query.cursor !== undefined) {
      const [followers, at, id] = readCursor(query.cursor, scope);
      page = page.where((eb) => {
        const older = eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]);
        return query.sort === 'most-followed' ? eb.or([eb('followers', '<', followers), eb.and([eb('followers', '=', followers), older])]) : older;
      });
    }
    if (query.sort === 'most-followed') page = page.orderBy('followers', 'desc');
    const [rows, counted] = await Promise.all([
      page.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute(),
      filtered.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    ]);
    const items = await this.views(db, rows.slice(0, limit), participantId);
    const result: { items: MapReportWire[]; nextCursor?: string; total: number } = { items, total: Number(counted.total) };
    if (rows.length > limit) {
      const last = rows[limit - 1]!;
      result.nextCursor = writeCursor(scope, [query.sort === 'most-followed' ? last.followers : 0, last.created_at, last.id]);
    }
    return result;
  }

  /**
   * Every located published report that matches, most recent first, as GeoJSON text: one query
   * answered from a covering index, written straight into the document without a per-report object.
   */
  async points(mapId: string, filter: MapReportFilter): Promise<PointsDocument> {
    await this.requireMap(mapId);
    const rows = await this.#storage.reader
      .selectFrom('map_reports')
      .select(['id', 'lat', 'lng', 'category_id', 'status'])
      .where('map_id', '=', mapId)
      .where('moderation', '=', 'published')
      .where('lat', 'is not', null)
      .where((eb) => filterExpression(eb, filter))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAP_POINTS_MAX)
      .execute();
    // Appending to one string (a rope, flattened once) with the few distinct property tails made
    // once halves the time of formatting each feature apart and joining them.
    const tails = new Map<string, string>();
    let body = '{"type":"FeatureCollection","features":[';
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const kind = `${row.category_id}\n${row.status}`;
      let tail = tails.get(kind);
      if (tail === undefined) tails.set(kind, (tail = `]},"properties":{"categoryId":${JSON.stringify(row.category_id)},"status":"${row.status}"}}`));
      body += `${i ? ',' : ''}{"type":"Feature","id":${JSON.stringify(row.id)},"geometry":{"type":"Point","coordinates":[${row.lng},${row.lat}${tail}`;
    }
    body += ']}';
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"`, count: rows.length };
  }

  async get(reportId: string, participantId: string | undefined): Promise<MapReportWire> {
    const db = this.#storage.reader;
    const row = await this.#visible(db, reportId, participantId);
    return (await this.views(db, [row], participantId))[0]!;
  }

  /** Published reports not closed within `meters`, same category when given, nearest first. */
  async nearby(mapId: string, point: GeoPoint, meters: number, category: string | undefined, participantId: string | undefined): Promise<MapReportWire[]> {
    const db = this.#storage.reader;
    await this.requireMap(mapId);
    let query = db
      .selectFrom('map_reports')
      .select(['id', 'lat', 'lng'])
      .where('map_id', '=', mapId)
      .where('moderation', '=', 'published')
      .where('status', '<>', 'closed')
      .where((eb) => filterExpression(eb, { bbox: boxAround(point, meters) }));
    if (category !== undefined) query = query.where('category_id', '=', category);
    const near = (await query.execute())
      .map((row) => ({ id: row.id, distance: haversineMeters(point, { lat: row.lat!, lng: row.lng! }) }))
      .filter((row) => row.distance <= meters)
      .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1))
      .slice(0, NEARBY_REPORTS_LIMIT);
    return this.views(db, await this.rows(db, near.map((row) => row.id)), participantId);
  }

  /** Reports as read by a participant (or the public), with their updates, in the order given. */
  async views(db: Db, rows: MapReportRow[], participantId: string | undefined): Promise<MapReportWire[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [updates, followed] = await Promise.all([
      db.selectFrom('map_report_updates').selectAll().where('report_id', 'in', ids).orderBy('id').execute(),
      participantId === undefined
        ? Promise.resolve([])
        : db.selectFrom('map_report_follows').select('report_id').where('participant_id', '=', participantId).where('report_id', 'in', ids).execute(),
    ]);
    const byReport = new Map<string, MapReportUpdateRow[]>();
    for (const update of updates) {
      let list = byReport.get(update.report_id);
      if (!list) byReport.set(update.report_id, (list = []));
      list.push(update);
    }
    const reader = participantId === undefined ? {} : { participantId, followed: new Set(followed.map((row) => row.report_id)) };
    return rows.map((row) => reportView(row, byReport.get(row.id) ?? [], reader));
  }

  async rows(db: Db, ids: string[]): Promise<MapReportRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('map_reports').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  // ------------------------------------------------------------------ writes

  /**
   * A new report, followed by its author. Under pre-moderation it waits, and an Open311 caller
   * gets a token to learn its id once published.
   */
  async submit(trx: Trx, map: MapWire, participant: Participant, input: CheckedReport, now: string, options: { open311Token?: boolean } = {}): Promise<MapReportRow> {
    const moderation = map.preModeration ? 'pending' : 'published';
    const row = await trx
      .insertInto('map_reports')
      .values({
        id: newId('r'),
        map_id: map.id,
        participant_id: participant.id,
        category_id: input.categoryId,
        lat: input.point?.lat ?? null,
        lng: input.point?.lng ?? null,
        address: input.address ?? null,
        description: input.description,
        attributes: input.attributes === undefined ? null : JSON.stringify(input.attributes),
        image: input.image ?? null,
        status: 'open',
        moderation,
        followers: 1,
        comments: 0,
        reports: 0,
        reports_handled: 0,
        open311_token: options.open311Token && moderation === 'pending' ? newId('t') : null,
        tracked_project_id: null,
        created_at: now,
        updated_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('map_report_follows').values({ report_id: row.id, participant_id: participant.id, created_at: now }).execute();
    if (row.moderation === 'published') await this.#openDiscussion(trx, row, map, now);
    return row;
  }

  /** Following twice, at once or not, counts once: the unique (report, participant) row decides. */
  async follow(trx: Trx, reportId: string, participant: Participant, follow: boolean, now: string): Promise<{ row: MapReportRow; changed: boolean }> {
    const current = await this.#visible(trx, reportId, participant.id);
    if (follow) {
      const inserted = await trx
        .insertInto('map_report_follows')
        .values({ report_id: reportId, participant_id: participant.id, created_at: now })
        .onConflict((c) => c.columns(['report_id', 'participant_id']).doNothing())
        .returning('report_id')
        .executeTakeFirst();
      if (!inserted) return { row: current, changed: false };
    } else {
      const removed = await trx.deleteFrom('map_report_follows').where('report_id', '=', reportId).where('participant_id', '=', participant.id).returning('report_id').executeTakeFirst();
      if (!removed) return { row: current, changed: false };
    }
    const row = await trx
      .updateTable('map_reports')
      .set({ followers: sql`followers + ${follow ? 1 : -1}` })
      .where('id', '=', reportId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, changed: true };
  }

  /** An abuse flag; a repeat is accepted and not counted again. Returns the report when it was auto-hidden. */
  async flag(trx: Trx, reportId: string, participantId: string, input: { reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other'; details?: string }, threshold: number, now: string): Promise<MapReportRow | undefined> {
    await this.#visible(trx, reportId, participantId);
    const inserted = await trx
      .insertInto('map_report_flags')
      .values({ report_id: reportId, participant_id: participantId, reason: input.reason, details: input.details?.trim() || null, created_at: now })
      .onConflict((c) => c.columns(['report_id', 'participant_id']).doNothing())
      .returning('report_id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const counted = await trx.updateTable('map_reports').set({ reports: sql`reports + 1` }).where('id', '=', reportId).returningAll().executeTakeFirstOrThrow();
    if (counted.moderation !== 'published' || counted.reports - counted.reports_handled < threshold) return undefined;
    return trx.updateTable('map_reports').set({ moderation: 'hidden' }).where('id', '=', reportId).returningAll().executeTakeFirstOrThrow();
  }

  // ------------------------------------------------------------------ council

  /**
   * `hide` hides a published report and rejects a pending one; `approve` and `restore` publish it
   * (opening its discussion), and the flags so far count as weighed.
   */
  async moderate(trx: Trx, reportId: string, action: MapModerationAction, now: string): Promise<{ row: MapReportRow; change: MapReportChange }> {
    const current = await this.#stored(trx, reportId);
    const { moderation, change } = moderated(current.moderation, action);
    const row = await trx
      .updateTable('map_reports')
      .set({ moderation, reports_handled: action === 'hide' ? current.reports_handled : current.reports })
      .where('id', '=', reportId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.moderation === 'published') await this.#openDiscussion(trx, row, await this.requireMap(row.map_id, trx), now);
    return { row, change };
  }

  /** Appends a council update (already sanitised), which may change the status. */
  async addUpdate(trx: Trx, reportId: string, input: { body: string; status?: MapReportStatus }, now: string): Promise<MapReportRow> {
    await this.#stored(trx, reportId);
    await trx.insertInto('map_report_updates').values({ report_id: reportId, at: now, status: input.status ?? null, body: input.body }).execute();
    return trx
      .updateTable('map_reports')
      .set({ updated_at: now, ...(input.status === undefined ? {} : { status: input.status }) })
      .where('id', '=', reportId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async track(trx: Trx, reportId: string, trackedProjectId: string | null): Promise<MapReportRow> {
    await this.#stored(trx, reportId);
    return trx.updateTable('map_reports').set({ tracked_project_id: trackedProjectId }).where('id', '=', reportId).returningAll().executeTakeFirstOrThrow();
  }

  // ------------------------------------------------------------------ helpers

  /** A published report gets its discussion, the thread `map-report:<id>`, through the comments module. */
  async #openDiscussion(trx: Trx, row: MapReportRow, map: MapWire, now: string): Promise<void> {
    const id = mapReportThreadId(row.id);
    if (await this.#comments.thread(id, trx)) return;
    const category = map.categories.find((candidate) => candidate.id === row.category_id)?.label;
    const subject = row.address ?? row.description.split('\n')[0]!;
    const title = `${category ? `${category} — ` : ''}${subject}`;
    await this.#comments.createThread(trx, { id, title: title.length > 200 ? `${title.slice(0, 199)}…` : title }, now);
  }

  async #visible(db: Db, reportId: string, participantId: string | undefined): Promise<MapReportRow> {
    const row = await db.selectFrom('map_reports').selectAll().where('id', '=', reportId).executeTakeFirst();
    if (!row || !listed(row, participantId)) throw notFound(reportId);
    return row;
  }

  async #stored(db: Db, reportId: string): Promise<MapReportRow> {
    const row = await db.selectFrom('map_reports').selectAll().where('id', '=', reportId).executeTakeFirst();
    if (!row) throw notFound(reportId);
    return row;
  }
}

/** Published reports are seen by all; pending and rejected ones by their author only; hidden ones by none. */
function listed(row: Pick<MapReportRow, 'moderation' | 'participant_id'>, participantId: string | undefined): boolean {
  if (row.moderation === 'published') return true;
  if (row.moderation === 'hidden') return false;
  return participantId !== undefined && row.participant_id === participantId;
}

function listedExpression(eb: ReportsExpression, participantId: string | undefined) {
  const shown = [eb('moderation', '=', 'published')];
  if (participantId !== undefined) shown.push(eb.and([eb('moderation', 'in', ['pending', 'rejected']), eb('participant_id', '=', participantId)]));
  return eb.or(shown);
}

/** bbox keeps located reports inside it (a box across the antimeridian has west > east); category and status as given. */
function filterExpression(eb: ReportsExpression, filter: MapReportFilter) {
  const all = [];
  if (filter.bbox) {
    const [west, south, east, north] = filter.bbox;
    all.push(eb('lat', '>=', south), eb('lat', '<=', north));
    all.push(west <= east ? eb.and([eb('lng', '>=', west), eb('lng', '<=', east)]) : eb.or([eb('lng', '>=', west), eb('lng', '<=', east)]));
  }
  if (filter.category !== undefined) all.push(eb('category_id', '=', filter.category));
  if (filter.status !== undefined) all.push(eb('status', '=', filter.status));
  return eb.and(all);
}

/** Cursors carry the last item's sort key, scoped to the listing they came from. */
function writeCursor(scope: string[], key: SortKey): string {
  return Buffer.from(JSON.stringify([scope, key])).toString('base64url');
}

function readCursor(cursor: string, scope: string[]): SortKey {
  try {
    const [cursorScope, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (JSON.stringify(cursorScope) === JSON.stringify(scope) && Array.isArray(key) && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string') {
      return key as SortKey;
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw Problem.validation([{ field: 'cursor', message: 'This cursor does not belong to this listing; start again from the first page.' }]);
}

function notFound(reportId: string): Problem {
  return new Problem(404, 'not-found', `There is no map report "${reportId}".`);
}
