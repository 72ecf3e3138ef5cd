import { sql, type Kysely } from 'kysely';
import { threadToRow } from '../comments/model.js';
import type { CommentStore } from '../comments/store.js';
import type { Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { OriginKind, ProjectStatus } from '../db/schema-tracker.js';
import { Problem, type FieldError } from '../http/problem.js';
import { words } from '../ideas/model.js';
import { newId } from '../polls/store.js';
import {
  collator,
  CONTRIBUTION_MAX_PAGE_SIZE,
  CONTRIBUTION_PAGE_SIZE,
  excerpt,
  FEED_ENTRIES,
  fieldsToRow,
  originKey,
  overviewOf,
  PROJECT_MAX_PAGE_SIZE,
  PROJECT_PAGE_SIZE,
  PROJECT_STATUSES,
  projectThreadId,
  trackerBase,
  trackerToRow,
  updateView,
  type OriginRef,
  type ProjectFields,
  type ProjectRow,
  type TrackerRow,
  type UpdateRow,
} from './model.js';
import type {
  AdminTrackerWire,
  ContributionFateWire,
  OriginInput,
  ProjectOriginWire,
  ProjectSortWire,
  TrackedProjectWire,
  TrackerCreate,
  TrackerPatch,
  TrackerWire,
} from './schemas.js';

type Db = Kysely<Database>;

export interface ProjectListQuery {
  sort: ProjectSortWire;
  status?: ProjectStatus;
  district?: string;
  category?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

/** An origin as stored: the source's title is kept for the day the source is gone. */
export interface StoredOrigin extends OriginRef {
  title: string;
  url: string | null;
}

/** What a source says of itself now. */
interface Source {
  title: string;
  count: number;
}

/** The sort key of a listed project: rank, then title in French order, then id. */
type SortKey = [rank: number, title: string, id: string];

const CHUNK = 500;
const LAST = Number.MAX_VALUE;

/**
 * Trackers, their projects, updates and origins. Origins are read with live counts from their
 * sources (idea supports, poll ballots, report followers, thread comments), which keep those
 * counts themselves; a project's comments are its `project:<id>` thread's.
 */
export class TrackerStore {
  readonly #storage: Storage;
  readonly #comments: CommentStore;

  constructor(storage: Storage, comments: CommentStore) {
    this.#storage = storage;
    this.#comments = comments;
  }

  get reader(): Db {
    return this.#storage.reader;
  }

  // ------------------------------------------------------------------ trackers

  async trackerRow(id: string, db: Db = this.#storage.reader): Promise<TrackerRow | undefined> {
    return db.selectFrom('trackers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async requireTrackerRow(id: string, db?: Db): Promise<TrackerRow> {
    const row = await this.trackerRow(id, db);
    if (!row) throw new Problem(404, 'not-found', `There is no tracker "${id}".`);
    return row;
  }

  /** The tracker as the widget reads it: filters and overview worked out from its projects. */
  async tracker(id: string, db: Db = this.#storage.reader): Promise<TrackerWire> {
    const { pageUrl: _page, ...tracker } = await this.adminTracker(id, db);
    return tracker;
  }

  async adminTracker(id: string, db: Db = this.#storage.reader): Promise<AdminTrackerWire> {
    const row = await this.requireTrackerRow(id, db);
    const [totals, districts, categories] = await Promise.all([
      db
        .selectFrom('projects')
        .select((eb) => ['status', eb.fn.countAll<number>().as('projects'), eb.fn.sum<number | null>('budget_planned').as('planned'), eb.fn.sum<number | null>('budget_spent').as('spent')])
        .where('tracker_id', '=', id)
        .groupBy('status')
        .execute(),
      db.selectFrom('projects').select('district').distinct().where('tracker_id', '=', id).where('district', 'is not', null).execute(),
      db.selectFrom('projects').select('category').distinct().where('tracker_id', '=', id).where('category', 'is not', null).execute(),
    ]);
    const sorted = (values: Array<string | null>) => [...new Set(values.filter((value): value is string => !!value))].sort(collator.compare);
    return {
      ...trackerBase(row),
      districts: sorted(districts.map((r) => r.district)),
      categories: sorted(categories.map((r) => r.category)),
      overview: overviewOf(totals),
    };
  }

  async createTracker(trx: Trx, input: TrackerCreate, now: string): Promise<void> {
    const inserted = await trx.insertInto('trackers').values(trackerToRow(input, now)).onConflict((c) => c.column('id').doNothing()).returning('id').executeTakeFirst();
    if (!inserted) throw new Problem(409, 'conflict', `A tracker "${input.id}" already exists.`);
  }

  async updateTracker(trx: Trx, id: string, patch: TrackerPatch, now: string): Promise<void> {
    const current = await this.requireTrackerRow(id, trx);
    const base = trackerBase(current);
    const { created_at: _created, ...row } = trackerToRow({ ...base, ...patch, id }, now);
    await trx.updateTable('trackers').set(row).where('id', '=', id).execute();
  }

  // ------------------------------------------------------------------ reads

  /**
   * One page of a tracker's projects. The database narrows them (filters, folded search); their
   * small sort keys are ordered here, so that titles follow French collation on both databases.
   */
  async list(trackerId: string, query: ProjectListQuery): Promise<{ items: TrackedProjectWire[]; nextCursor?: string; total: number }> {
    const db = this.#storage.reader;
    await this.requireTrackerRow(trackerId);
    const limit = Math.min(PROJECT_MAX_PAGE_SIZE, Math.max(1, query.limit ?? PROJECT_PAGE_SIZE));
    let select = db.selectFrom('projects').select(['id', 'title', 'status', 'budget_planned', 'starts_at', 'updated_at']).where('tracker_id', '=', trackerId);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.district !== undefined) select = select.where('district', '=', query.district);
    if (query.category !== undefined) select = select.where('category', '=', query.category);
    for (const term of words(query.q ?? '')) select = select.where(contains(term));
    const candidates = await select.execute();
    const keyOf = (row: (typeof candidates)[number]): SortKey => {
      const rank = {
        updated: () => -Date.parse(row.updated_at),
        title: () => 0,
        status: () => PROJECT_STATUSES.indexOf(row.status),
        budget: () => (row.budget_planned === null ? LAST : -row.budget_planned),
        start: () => (row.starts_at === null ? LAST : Date.parse(row.starts_at)),
      }[query.sort]();
      return [rank, row.title, row.id];
    };
    const keyed = candidates.map((row) => ({ id: row.id, key: keyOf(row) })).sort((a, b) => compare(a.key, b.key));
    const scope = [trackerId, query.sort, query.status ?? '', query.district ?? '', query.category ?? '', query.q ?? ''];
    let start = 0;
    if (query.cursor !== undefined) {
      const after = readCursor(query.cursor, scope);
      start = keyed.findIndex((item) => compare(item.key, after) > 0);
      if (start < 0) start = keyed.length;
    }
    const page = keyed.slice(start, start + limit);
    const rows = await this.#projectRows(db, page.map((item) => item.id));
    const result: { items: TrackedProjectWire[]; nextCursor?: string; total: number } = { items: await this.views(db, rows, 'latest'), total: keyed.length };
    if (start + limit < keyed.length) result.nextCursor = writeCursor(scope, page.at(-1)!.key);
    return result;
  }

  async project(id: string, db: Db = this.#storage.reader): Promise<TrackedProjectWire> {
    return (await this.views(db, [await this.requireProjectRow(id, db)], 'all'))[0]!;
  }

  async projectRow(id: string, db: Db = this.#storage.reader): Promise<ProjectRow | undefined> {
    return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async rowsByIds(ids: string[], db: Db = this.#storage.reader): Promise<ProjectRow[]> {
    return ids.length === 0 ? [] : db.selectFrom('projects').selectAll().where('id', 'in', ids).execute();
  }

  async requireProjectRow(id: string, db?: Db): Promise<ProjectRow> {
    const row = await this.projectRow(id, db);
    if (!row) throw new Problem(404, 'not-found', `There is no project "${id}".`);
    return row;
  }

  /** Projects with their origins (live counts), updates (all, or the latest only) and comment counts. */
  async views(db: Db, rows: ProjectRow[], updates: 'all' | 'latest'): Promise<TrackedProjectWire[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [origins, updateRows, threads] = await Promise.all([
      db.selectFrom('project_origins').selectAll().where('project_id', 'in', ids).orderBy('project_id').orderBy('position').execute(),
      db.selectFrom('project_updates').selectAll().where('project_id', 'in', ids).orderBy('at', 'desc').orderBy('id', 'desc').execute(),
      db.selectFrom('threads').select(['id', 'comments']).where('id', 'in', ids.map(projectThreadId)).execute(),
    ]);
    const sources = await this.sources(db, origins.map((origin) => ({ kind: origin.kind, id: origin.source_id })));
    const comments = new Map(threads.map((thread) => [thread.id, thread.comments]));
    const originsOf = group(origins, (origin) => origin.project_id);
    const updatesOf = group(updateRows, (update) => update.project_id);
    return rows.map((row) => {
      const own = updatesOf.get(row.id) ?? [];
      const view: TrackedProjectWire = {
        id: row.id,
        trackerId: row.tracker_id,
        title: row.title,
        summary: row.summary,
        status: row.status,
        progress: row.progress,
        origins: (originsOf.get(row.id) ?? []).map((origin): ProjectOriginWire => {
          const source = sources.get(originKey({ kind: origin.kind, id: origin.source_id }));
          return {
            kind: origin.kind,
            id: origin.source_id,
            title: source?.title ?? origin.title,
            count: source?.count ?? 0,
            ...(origin.url === null ? {} : { url: origin.url }),
          };
        }),
        updates: (updates === 'all' ? own : own.slice(0, 1)).map(updateView),
        comments: comments.get(projectThreadId(row.id)) ?? 0,
        updatedAt: row.updated_at,
      };
      if (row.budget_planned !== null) view.budgetPlanned = row.budget_planned;
      if (row.budget_spent !== null) view.budgetSpent = row.budget_spent;
      if (row.starts_at !== null) view.startsAt = row.starts_at;
      if (row.ends_at !== null) view.endsAt = row.ends_at;
      if (row.district !== null) view.district = row.district;
      if (row.category !== null) view.category = row.category;
      if (row.image_url !== null) view.imageUrl = row.image_url;
      if (row.image_alt !== null) view.imageAlt = row.image_alt;
      return view;
    });
  }

  /** The sources that exist among `refs`, each with its title and its count as of now. */
  async sources(db: Db, refs: OriginRef[]): Promise<Map<string, Source>> {
    const found = new Map<string, Source>();
    const ids = (kind: OriginKind) => [...new Set(refs.filter((ref) => ref.kind === kind).map((ref) => ref.id))];
    const put = (kind: OriginKind, rows: Array<{ id: string; title: string | null; count: number | null }>) => {
      for (const row of rows) found.set(originKey({ kind, id: row.id }), { title: row.title ?? row.id, count: Number(row.count ?? 0) });
    };
    for (const chunk of chunks(ids('idea'))) {
      put('idea', await db.selectFrom('ideas').select(['id', 'title', 'supports as count']).where('id', 'in', chunk).execute());
    }
    for (const chunk of chunks(ids('poll'))) {
      put(
        'poll',
        await db
          .selectFrom('polls')
          .leftJoin('poll_tallies', 'poll_tallies.poll_id', 'polls.id')
          .select(['polls.id as id', 'polls.title as title', 'poll_tallies.ballots as count'])
          .where('polls.id', 'in', chunk)
          .execute(),
      );
    }
    for (const chunk of chunks(ids('comment-thread'))) {
      put('comment-thread', await db.selectFrom('threads').select(['id', 'title', 'comments as count']).where('id', 'in', chunk).execute());
    }
    for (const chunk of chunks(ids('map-report'))) {
      const rows = await db.selectFrom('map_reports').select(['id', 'description', 'followers']).where('id', 'in', chunk).execute();
      put('map-report', rows.map((row) => ({ id: row.id, title: excerpt(row.description), count: row.followers })));
    }
    return found;
  }

  /**
   * The origins a council names, as they will be stored. A source must exist, except one the
   * project already had: a deleted idea stays an origin under the title it had.
   */
  async resolveOrigins(db: Db, inputs: OriginInput[], current: StoredOrigin[], field = 'origins'): Promise<StoredOrigin[] | FieldError[]> {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const sources = await this.sources(db, inputs);
    const kept = new Map(current.map((origin) => [originKey(origin), origin]));
    const origins: StoredOrigin[] = [];
    const at = (index: number) => (field ? `${field}.${index}` : String(index));
    inputs.forEach((input, index) => {
      const key = originKey(input);
      const source = sources.get(key);
      const title = source?.title ?? kept.get(key)?.title;
      if (seen.has(key)) errors.push({ field: at(index), message: `${key} is listed twice.` });
      else if (title === undefined) errors.push({ field: at(index), message: `There is no ${input.kind.replace('-', ' ')} "${input.id}".` });
      else origins.push({ kind: input.kind, id: input.id, title, url: input.url ?? null });
      seen.add(key);
    });
    return errors.length ? errors : origins;
  }

  async storedOrigins(db: Db, projectIds: string[]): Promise<Map<string, StoredOrigin[]>> {
    const result = new Map<string, StoredOrigin[]>();
    for (const chunk of chunks(projectIds)) {
      const rows = await db.selectFrom('project_origins').selectAll().where('project_id', 'in', chunk).orderBy('project_id').orderBy('position').execute();
      for (const row of rows) {
        let list = result.get(row.project_id);
        if (!list) result.set(row.project_id, (list = []));
        list.push({ kind: row.kind, id: row.source_id, title: row.title, url: row.url });
      }
    }
    return result;
  }

  // ------------------------------------------------------------------ writes

  /** A new project, its origins, and its discussion: the thread `project:<id>`, through the comments module. */
  async createProject(trx: Trx, trackerId: string, id: string | undefined, fields: ProjectFields, origins: StoredOrigin[], now: string): Promise<ProjectRow> {
    const row = await trx
      .insertInto('projects')
      .values({ id: id ?? newId('pr'), tracker_id: trackerId, ...fieldsToRow(fields), created_at: now, updated_at: now })
      .onConflict((c) => c.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new Problem(409, 'conflict', `A project "${id}" already exists.`);
    await this.#writeOrigins(trx, row.id, origins);
    const thread = projectThreadId(row.id);
    // A project deleted and made again finds its discussion as it was.
    if (!(await this.#comments.thread(thread, trx))) await this.#comments.createThread(trx, { id: thread, title: row.title }, now);
    return row;
  }

  /**
   * Many new projects at once (an import): the same rows as `createProject`, written a few hundred
   * per statement. Ids are checked free beforehand by the caller.
   */
  async createProjects(trx: Trx, trackerId: string, projects: Array<{ id?: string; fields: ProjectFields; origins: StoredOrigin[] }>, now: string): Promise<ProjectRow[]> {
    const created: ProjectRow[] = [];
    for (const chunk of chunks(projects, 200)) {
      const values = chunk.map((project) => ({ id: project.id ?? newId('pr'), tracker_id: trackerId, ...fieldsToRow(project.fields), created_at: now, updated_at: now }));
      const rows = await trx.insertInto('projects').values(values).returningAll().execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      const origins = chunk.flatMap((project, index) =>
        project.origins.map((origin, position) => ({ project_id: values[index]!.id, position, kind: origin.kind, source_id: origin.id, title: origin.title, url: origin.url })),
      );
      for (const part of chunks(origins, 500)) await trx.insertInto('project_origins').values(part).execute();
      const threads = values.map((value) => ({ ...threadToRow({ id: projectThreadId(value.id), title: value.title }, now), comments: 0 }));
      await trx.insertInto('threads').values(threads).onConflict((c) => c.column('id').doNothing()).execute();
      created.push(...values.map((value) => byId.get(value.id)!));
    }
    return created;
  }

  async updateProject(trx: Trx, id: string, fields: ProjectFields, now: string): Promise<ProjectRow> {
    return trx.updateTable('projects').set({ ...fieldsToRow(fields), updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  async setOrigins(trx: Trx, id: string, origins: StoredOrigin[], now: string): Promise<ProjectRow> {
    await trx.deleteFrom('project_origins').where('project_id', '=', id).execute();
    await this.#writeOrigins(trx, id, origins);
    return trx.updateTable('projects').set({ updated_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /** Links from ideas and reports to the project go with it; its discussion stays. */
  async deleteProject(trx: Trx, id: string): Promise<ProjectRow> {
    const row = await trx.deleteFrom('projects').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new Problem(404, 'not-found', `There is no project "${id}".`);
    await trx.updateTable('ideas').set({ tracked_project_id: null }).where('tracked_project_id', '=', id).execute();
    await trx.updateTable('map_reports').set({ tracked_project_id: null }).where('tracked_project_id', '=', id).execute();
    return row;
  }

  /**
   * Appends an update and moves the project's status and progress with it; the update records
   * them only when they changed.
   */
  async addUpdate(trx: Trx, id: string, input: { title?: string; body: string; status?: ProjectStatus; progress?: number }, now: string): Promise<ProjectRow> {
    const current = await this.requireProjectRow(id, trx);
    const status = input.status !== undefined && input.status !== current.status ? input.status : null;
    const progress = input.progress !== undefined && input.progress !== current.progress ? input.progress : null;
    await trx
      .insertInto('project_updates')
      .values({ id: newId('u'), project_id: id, tracker_id: current.tracker_id, at: now, title: input.title?.trim() || null, body: input.body, status, progress })
      .execute();
    return trx
      .updateTable('projects')
      .set({ status: status ?? current.status, progress: progress ?? current.progress, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async #writeOrigins(trx: Trx, projectId: string, origins: StoredOrigin[]): Promise<void> {
    if (origins.length === 0) return;
    await trx
      .insertInto('project_origins')
      .values(origins.map((origin, position) => ({ project_id: projectId, position, kind: origin.kind, source_id: origin.id, title: origin.title, url: origin.url })))
      .execute();
  }

  // ------------------------------------------------------------------ contributions

  /**
   * What became of every contribution of a participant, newest first: their ideas, ballots, map
   * reports and the threads they commented. A participant has few: all are gathered, then paged.
   */
  async contributions(
    trackerId: string,
    participantId: string,
    cursor: string | undefined,
    requested: number | undefined,
  ): Promise<{ items: ContributionFateWire[]; nextCursor?: string; total: number }> {
    const db = this.#storage.reader;
    await this.requireTrackerRow(trackerId);
    const limit = Math.min(CONTRIBUTION_MAX_PAGE_SIZE, Math.max(1, requested ?? CONTRIBUTION_PAGE_SIZE));
    const [ideas, ballots, commented, reports] = await Promise.all([
      db.selectFrom('ideas').select(['id', 'title', 'status', 'moderation', 'answer_body', 'tracked_project_id', 'created_at']).where('participant_id', '=', participantId).execute(),
      db.selectFrom('ballots').innerJoin('polls', 'polls.id', 'ballots.poll_id').select(['polls.id as id', 'polls.title as title', 'ballots.cast_at as at']).where('ballots.participant_id', '=', participantId).execute(),
      db
        .selectFrom('comments')
        .innerJoin('threads', 'threads.id', 'comments.thread_id')
        .select((eb) => ['threads.id as id', 'threads.title as title', eb.fn.max('comments.created_at').as('at')])
        .where('comments.participant_id', '=', participantId)
        .where('comments.deleted', '=', 0)
        .groupBy(['threads.id', 'threads.title'])
        .execute(),
      db.selectFrom('map_reports').select(['id', 'description', 'status', 'moderation', 'tracked_project_id', 'created_at']).where('participant_id', '=', participantId).execute(),
    ]);

    const latestUpdate = new Map<string, string>();
    for (const chunk of chunks(reports.map((report) => report.id))) {
      const rows = await db.selectFrom('map_report_updates').select(['report_id', 'body']).where('report_id', 'in', chunk).orderBy('at', 'asc').orderBy('id', 'asc').execute();
      for (const row of rows) latestUpdate.set(row.report_id, row.body);
    }

    const refs: OriginRef[] = [
      ...ideas.map((idea) => ({ kind: 'idea' as const, id: idea.id })),
      ...ballots.map((ballot) => ({ kind: 'poll' as const, id: ballot.id })),
      ...reports.map((report) => ({ kind: 'map-report' as const, id: report.id })),
      ...commented.map((thread) => ({ kind: 'comment-thread' as const, id: thread.id })),
    ];
    const tracked = [...ideas, ...reports].flatMap((item) => (item.tracked_project_id === null ? [] : [item.tracked_project_id]));
    const projects = await this.#projectsOf(db, refs, tracked);
    const projectFor = (kind: OriginKind, id: string, trackedProjectId: string | null) =>
      (trackedProjectId === null ? undefined : projects.byId.get(trackedProjectId)) ?? projects.byOrigin.get(originKey({ kind, id }));

    const items: ContributionFateWire[] = [];
    const add = (item: Omit<ContributionFateWire, 'project'>, project: { id: string; title: string; status: ProjectStatus } | undefined) =>
      items.push(project ? { ...item, outcome: 'in-project', project } : item);
    for (const idea of ideas) {
      const outcome = unpublished(idea.moderation) ? 'not-published' : idea.status === 'submitted' ? 'awaiting' : idea.status;
      add({ kind: 'idea', id: idea.id, title: idea.title, at: idea.created_at, outcome, ...(idea.answer_body === null ? {} : { answer: idea.answer_body }) }, projectFor('idea', idea.id, idea.tracked_project_id));
    }
    for (const ballot of ballots) add({ kind: 'poll', id: ballot.id, title: ballot.title, at: ballot.at, outcome: 'counted' }, projectFor('poll', ballot.id, null));
    for (const report of reports) {
      const outcome = unpublished(report.moderation) ? 'not-published' : report.status === 'open' ? 'awaiting' : report.status === 'closed' ? 'done' : 'under-review';
      const answer = latestUpdate.get(report.id);
      add(
        { kind: 'map-report', id: report.id, title: excerpt(report.description), at: report.created_at, outcome, ...(answer === undefined ? {} : { answer }) },
        projectFor('map-report', report.id, report.tracked_project_id),
      );
    }
    for (const thread of commented) add({ kind: 'comment-thread', id: thread.id, title: thread.title ?? thread.id, at: String(thread.at), outcome: 'counted' }, projectFor('comment-thread', thread.id, null));

    const keyOf = (item: ContributionFateWire): ContributionKey => [item.at, item.kind, item.id];
    items.sort((a, b) => compareContribution(keyOf(a), keyOf(b)));
    let start = 0;
    if (cursor !== undefined) {
      const after = readContributionCursor(cursor, trackerId);
      start = items.findIndex((item) => compareContribution(keyOf(item), after) > 0);
      if (start < 0) start = items.length;
    }
    const page = items.slice(start, start + limit);
    const result: { items: ContributionFateWire[]; nextCursor?: string; total: number } = { items: page, total: items.length };
    if (start + limit < items.length) result.nextCursor = Buffer.from(JSON.stringify([trackerId, keyOf(page.at(-1)!)])).toString('base64url');
    return result;
  }

  /** Projects that name these sources among their origins (the most recently updated first), and projects by id. */
  async #projectsOf(db: Db, refs: OriginRef[], ids: string[]) {
    type Summary = { id: string; title: string; status: ProjectStatus };
    const byOrigin = new Map<string, Summary>();
    const byId = new Map<string, Summary>();
    for (const kind of ['idea', 'poll', 'map-report', 'comment-thread'] as const) {
      for (const chunk of chunks(refs.filter((ref) => ref.kind === kind).map((ref) => ref.id))) {
        const rows = await db
          .selectFrom('project_origins')
          .innerJoin('projects', 'projects.id', 'project_origins.project_id')
          .select(['project_origins.source_id as source', 'projects.id as id', 'projects.title as title', 'projects.status as status'])
          .where('project_origins.kind', '=', kind)
          .where('project_origins.source_id', 'in', chunk)
          .orderBy('projects.updated_at', 'desc')
          .execute();
        for (const { source, ...project } of rows) {
          const key = originKey({ kind, id: source });
          if (!byOrigin.has(key)) byOrigin.set(key, project);
        }
      }
    }
    for (const chunk of chunks([...new Set(ids)])) {
      for (const project of await db.selectFrom('projects').select(['id', 'title', 'status']).where('id', 'in', chunk).execute()) byId.set(project.id, project);
    }
    return { byOrigin, byId };
  }

  // ------------------------------------------------------------------ feed

  /** The tracker's newest updates, with their projects' titles. */
  async feedEntries(trackerId: string): Promise<Array<UpdateRow & { project_title: string }>> {
    return this.#storage.reader
      .selectFrom('project_updates')
      .innerJoin('projects', 'projects.id', 'project_updates.project_id')
      .selectAll('project_updates')
      .select('projects.title as project_title')
      .where('project_updates.tracker_id', '=', trackerId)
      .orderBy('project_updates.at', 'desc')
      .orderBy('project_updates.id', 'desc')
      .limit(FEED_ENTRIES)
      .execute();
  }

  // ------------------------------------------------------------------ export

  /** Every project of a tracker, oldest first, read in keyset pages so memory stays flat. */
  async *exportRows(trackerId: string): AsyncGenerator<{ row: ProjectRow; origins: StoredOrigin[] }> {
    let after: [string, string] | undefined;
    for (;;) {
      let query = this.#storage.reader.selectFrom('projects').selectAll().where('tracker_id', '=', trackerId).orderBy('created_at').orderBy('id').limit(CHUNK);
      if (after) {
        const [at, id] = after;
        query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(at, id)));
      }
      const rows = await query.execute();
      const origins = await this.storedOrigins(this.#storage.reader, rows.map((row) => row.id));
      for (const row of rows) yield { row, origins: origins.get(row.id) ?? [] };
      if (rows.length < CHUNK) return;
      after = [rows.at(-1)!.created_at, rows.at(-1)!.id];
    }
  }

  async projectCount(trackerId: string): Promise<number> {
    const row = await this.#storage.reader.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('n')).where('tracker_id', '=', trackerId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ------------------------------------------------------------------ helpers

  async #projectRows(db: Db, ids: string[]): Promise<ProjectRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('projects').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

type ContributionKey = [at: string, kind: string, id: string];

/** Hidden or refused by moderation: the author still sees it listed, and is told so. */
function unpublished(moderation: string): boolean {
  return moderation === 'hidden' || moderation === 'rejected';
}

function compareContribution(a: ContributionKey, b: ContributionKey): number {
  const at = Date.parse(b[0]) - Date.parse(a[0]);
  if (at !== 0) return at;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

function readContributionCursor(cursor: string, trackerId: string): ContributionKey {
  try {
    const [scope, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (scope === trackerId && Array.isArray(key) && key.length === 3 && key.every((part) => typeof part === 'string')) return key as ContributionKey;
  } catch {
    // Not one of ours: answered below.
  }
  throw Problem.validation([{ field: 'cursor', message: 'This cursor does not belong to this listing; start again from the first page.' }]);
}

/** `search` holds the term; the same LIKE with an explicit escape on both databases. */
function contains(term: string) {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`search like ${pattern} escape '\\'`;
}

function compare(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return collator.compare(a[1], b[1]) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
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

function group<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(item);
  }
  return groups;
}

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
