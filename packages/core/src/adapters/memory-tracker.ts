/*
 * The tracker domain of MemoryAdapter: trackers, their projects and "what became of my
 * contributions?", with the semantics of the reference server (see the tracker routes of the REST
 * contract). Origins and contributions are read live from the other domains the adapter holds,
 * through their public methods only; what no domain holds is taken from the seed.
 */
import { CivicError } from '../contract/errors.js';
import {
  COMMENT_MAX_PAGE_SIZE,
  CONTRIBUTION_PAGE_SIZE,
  IDEA_MAX_PAGE_SIZE,
  MAP_REPORT_MAX_PAGE_SIZE,
  PROJECT_MAX_PAGE_SIZE,
  PROJECT_PAGE_SIZE,
} from '../contract/limits.js';
import type {
  Ballot,
  ContributionFate,
  ContributionOutcome,
  IdeaStatus,
  MapReport,
  MapReportQuery,
  MapReportStatus,
  ModerationState,
  OriginKind,
  Page,
  PageRequest,
  ParticipatoryMap,
  Poll,
  ProjectOrigin,
  ProjectQuery,
  ProjectSort,
  ProjectStatus,
  ProjectUpdate,
  StatusTotal,
  ThreadComment,
  TrackedProject,
  Tracker,
  TrackerLiveEvent,
  VerificationLevel,
} from '../contract/types.js';
import type { MemoryComments, MemorySeedThread } from './memory-comments.js';
import type { MemoryIdeas } from './memory-ideas.js';

/** A seeded tracker: its districts, categories and overview are worked out from its projects. */
export type MemorySeedTracker = Omit<Tracker, 'districts' | 'categories' | 'overview'>;

/**
 * An origin as the council linked it. `title` and `count` are what is shown when the adapter holds
 * no such source (the source was deleted, or lives in a domain this adapter does not serve).
 */
export type MemorySeedOrigin = Pick<ProjectOrigin, 'kind' | 'id' | 'url'> & Partial<Pick<ProjectOrigin, 'title' | 'count'>>;

/**
 * A seeded project; updates may come in any order. Its comments are counted in its discussion,
 * `project:<id>`, which the adapter opens for every seeded project.
 */
export interface MemorySeedProject extends Omit<TrackedProject, 'origins' | 'updates' | 'comments'> {
  origins?: MemorySeedOrigin[];
  updates?: ProjectUpdate[];
  /** Comments the seed does not list, added to those of its discussion (for stories). */
  comments?: number;
}

/**
 * A contribution the adapter cannot see in its own domains (a map report when it serves no maps,
 * or anything a story wants to show). Its outcome follows the same rules as the others: from
 * `status` (an idea's or a report's), `trackedProjectId` and the projects' origins.
 */
export interface MemorySeedContribution extends Omit<ContributionFate, 'outcome' | 'project'> {
  participantId: string;
  status?: IdeaStatus | MapReportStatus;
  /** An idea's or report's; published when left out. */
  moderation?: ModerationState;
  trackedProjectId?: string;
}

export interface MemoryTrackerSeed {
  trackers?: MemorySeedTracker[];
  projects?: MemorySeedProject[];
  contributions?: MemorySeedContribution[];
}

/** The council's update of a project (the admin side, for stories and tests). */
export interface ProjectUpdateInput {
  title?: string;
  /** Council HTML, sanitised where it is shown. */
  body: string;
  status?: ProjectStatus;
  progress?: number;
}

/** Who is asking for their contributions. */
export interface TrackerViewer {
  id: string;
  verification: VerificationLevel;
}

/** What the tracker reads of a maps domain: public calls in contract types, nothing of its storage. */
export interface TrackerMapReader {
  map(mapId: string): ParticipatoryMap;
  listReports(mapId: string, query: MapReportQuery, viewer: TrackerViewer): Page<MapReport>;
  getReport(reportId: string, viewer: TrackerViewer): MapReport;
  authoredBy(viewer: TrackerViewer): MapReport[];
}

/** The other domains of the adapter, read through their public methods. */
export interface TrackerSources {
  ideas: MemoryIdeas;
  /** The idea boxes the adapter holds (boxes are only ever seeded). */
  boxIds: readonly string[];
  threads: MemoryComments;
  /** Threads known from the seed; discussions of ideas, projects and reports are added to them. */
  threadIds: readonly string[];
  polls: () => Iterable<Poll>;
  /** A poll's ballots by participant id. */
  ballots: (pollId: string) => ReadonlyMap<string, Ballot> | undefined;
  /** Present when the adapter serves maps (maps are only ever seeded). */
  maps?: { reader: TrackerMapReader; mapIds: readonly string[] };
}

interface StoredProject extends Omit<TrackedProject, 'origins' | 'updates' | 'comments'> {
  origins: MemorySeedOrigin[];
  /** Newest first. */
  updates: ProjectUpdate[];
  unlistedComments: number;
}

/** A contribution before its outcome is worked out. */
type PendingFate = Omit<MemorySeedContribution, 'participantId'>;

/** Sort key: two numbers, then the title by collation, then the id, so that every order is total. */
type ProjectKey = [number, number, string, string];
type ContributionKey = [number, string];

const PROJECT_STATUSES: readonly ProjectStatus[] = ['planned', 'in-progress', 'done', 'cancelled'];
const SORTS: ReadonlySet<string> = new Set<ProjectSort>(['updated', 'title', 'status', 'budget', 'start']);
const IDEA_STATUSES: ReadonlySet<string> = new Set<IdeaStatus>(['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate']);
const REPORT_STATUSES: ReadonlySet<string> = new Set<MapReportStatus>(['open', 'acknowledged', 'in-progress', 'closed']);
const ORIGIN_KINDS: ReadonlySet<string> = new Set<OriginKind>(['idea', 'poll', 'map-report', 'comment-thread']);
/** The contract sets no ceiling on contribution pages; this one keeps a page a page. */
const CONTRIBUTION_MAX_PAGE_SIZE = 100;
/** Reads what everyone sees: the viewer of origins, which belong to no participant. */
const NOBODY = { id: '', verification: 'anonymous' as const };
const collator = new Intl.Collator('fr');

/** Discussions the server opens with each project, added to the seed's threads when missing. */
export function projectDiscussions(seed: MemoryTrackerSeed & { threads?: MemorySeedThread[] }): MemorySeedThread[] {
  const seeded = new Set((seed.threads ?? []).map((thread) => thread.id));
  return (seed.projects ?? [])
    .filter((project) => !seeded.has(`project:${project.id}`))
    .map((project) => ({
      id: `project:${project.id}`,
      title: project.title,
      stances: false,
      preModeration: false,
      editWindowSeconds: 15 * 60,
      autoHideReports: 3,
      closed: false,
      requiredVerification: 'anonymous',
    }));
}

export class MemoryTracker {
  private readonly trackers = new Map<string, MemorySeedTracker>();
  private readonly projects = new Map<string, StoredProject>();
  private readonly seededContributions: MemorySeedContribution[];

  constructor(
    seed: MemoryTrackerSeed,
    private readonly now: () => Date,
    private readonly sources: TrackerSources,
    private readonly publish: (trackerId: string, event: TrackerLiveEvent) => void,
  ) {
    for (const tracker of seed.trackers ?? []) this.trackers.set(tracker.id, tracker);
    for (const project of seed.projects ?? []) {
      const problems = projectProblems(project, this.trackers);
      if (problems) throw new CivicError('misconfigured', `Seeded project "${project.id}": ${Object.values(problems).join('; ')}`);
      this.projects.set(project.id, stored(project));
    }
    for (const contribution of seed.contributions ?? []) {
      if (!ORIGIN_KINDS.has(contribution.kind) || !statusFits(contribution.kind, contribution.status)) {
        throw new CivicError('misconfigured', `Seeded contribution "${contribution.id}" has an unknown kind or status`);
      }
    }
    this.seededContributions = seed.contributions ?? [];
  }

  // ------------------------------------------------------------------ reads

  tracker(trackerId: string): Tracker {
    const tracker = this.trackerSeed(trackerId);
    const projects = [...this.projects.values()].filter((project) => project.trackerId === trackerId);
    const overview: StatusTotal[] = PROJECT_STATUSES.map((status) => ({ status, projects: 0, budgetPlanned: 0, budgetSpent: 0 }));
    for (const project of projects) {
      const total = overview[PROJECT_STATUSES.indexOf(project.status)]!;
      total.projects++;
      total.budgetPlanned += project.budgetPlanned ?? 0;
      total.budgetSpent += project.budgetSpent ?? 0;
    }
    return {
      ...tracker,
      districts: distinct(projects.map((project) => project.district)),
      categories: distinct(projects.map((project) => project.category)),
      overview,
    };
  }

  list(trackerId: string, query: ProjectQuery): Page<TrackedProject> {
    this.trackerSeed(trackerId);
    const sort = query.sort ?? 'updated';
    if (!SORTS.has(sort)) throw validation('Unknown sort order', { sort: 'Sort by update, title, status, budget or start' });
    if (query.status && !PROJECT_STATUSES.includes(query.status)) {
      throw validation('Unknown status', { status: 'Choose a known status' });
    }
    const limit = pageSize(query.limit, PROJECT_PAGE_SIZE, PROJECT_MAX_PAGE_SIZE);
    const terms = words(query.q ?? '');
    // An empty filter is no filter, as an empty select of a form sends it.
    const status = query.status || undefined;
    const district = query.district || undefined;
    const category = query.category || undefined;

    const matching = [...this.projects.values()].filter(
      (project) =>
        project.trackerId === trackerId &&
        (status === undefined || project.status === status) &&
        (district === undefined || project.district === district) &&
        (category === undefined || project.category === category) &&
        (terms.length === 0 || matches(project, terms)),
    );
    const scope = [trackerId, sort, status ?? '', district ?? '', category ?? '', terms.join(' ')];
    const { items, nextCursor } = paged(matching, (project) => projectKey(sort, project), compareProjects, scope, query.cursor, limit);
    const page: Page<TrackedProject> = { items: items.map((project) => this.view(project, 1)), total: matching.length };
    if (nextCursor !== undefined) page.nextCursor = nextCursor;
    return page;
  }

  get(projectId: string): TrackedProject {
    return this.view(this.project(projectId));
  }

  /** Every contribution of the viewer, in any space, newest first, with what became of it. */
  contributions(trackerId: string, query: PageRequest, viewer: TrackerViewer): Page<ContributionFate> {
    this.trackerSeed(trackerId);
    const limit = pageSize(query.limit, CONTRIBUTION_PAGE_SIZE, CONTRIBUTION_MAX_PAGE_SIZE);
    const reports = [...this.allReports(viewer)];
    const found = [...this.ideasOf(viewer), ...this.ballotsOf(viewer), ...this.ownReports(viewer), ...this.threadsOf(viewer, reports)];
    const known = new Set(found.map((fate) => `${fate.kind}\n${fate.id}`));
    for (const { participantId, ...fate } of this.seededContributions) {
      if (participantId === viewer.id && !known.has(`${fate.kind}\n${fate.id}`)) found.push(fate);
    }
    const keyOf = (fate: PendingFate): ContributionKey => [-Date.parse(fate.at), `${fate.kind}\n${fate.id}`];
    const compare = (a: ContributionKey, b: ContributionKey) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    const { items, nextCursor } = paged(found, keyOf, compare, ['contributions', viewer.id], query.cursor, limit);
    const projectsByOrigin = this.projectsByOrigin();
    const page: Page<ContributionFate> = { items: items.map((fate) => this.fate(fate, projectsByOrigin)), total: found.length };
    if (nextCursor !== undefined) page.nextCursor = nextCursor;
    return page;
  }

  // ------------------------------------------------------------------ council

  /** Creates or replaces a project, as the council's admin does, with its live message. */
  save(input: MemorySeedProject): TrackedProject {
    const problems = projectProblems(input, this.trackers);
    if (problems) throw validation('The project is not valid', problems);
    const earlier = this.projects.get(input.id);
    const project = stored(input);
    this.projects.set(project.id, project);
    // A project moved to another tracker is new there; the screens of its old tracker see it leave.
    if (earlier && earlier.trackerId !== project.trackerId) this.broadcast('updated', earlier.trackerId, project);
    return this.broadcast(earlier?.trackerId === project.trackerId ? 'updated' : 'created', project.trackerId, project);
  }

  /** Appends the council's update, changing the status or the progress it sets. */
  update(projectId: string, input: ProjectUpdateInput): TrackedProject {
    const project = this.project(projectId);
    const errors: Record<string, string> = {};
    if (typeof input.body !== 'string' || input.body.trim() === '') errors.body = 'Write the update';
    if (input.status !== undefined && !PROJECT_STATUSES.includes(input.status)) errors.status = 'Choose a known status';
    if (input.progress !== undefined && !isProgress(input.progress)) errors.progress = 'The progress is a whole number from 0 to 100';
    if (Object.keys(errors).length > 0) throw validation('The update is not valid', errors);
    const at = this.now().toISOString();
    const update: ProjectUpdate = { id: `update-${crypto.randomUUID()}`, at, body: input.body };
    if (input.title !== undefined && input.title.trim() !== '') update.title = input.title.trim();
    if (input.status !== undefined) update.status = project.status = input.status;
    if (input.progress !== undefined) update.progress = project.progress = input.progress;
    project.updates.unshift(update);
    project.updatedAt = at;
    return this.broadcast('updated', project.trackerId, project);
  }

  // ------------------------------------------------------------------ views

  /** A listed project carries its latest update only (`latest` 1); a project read alone, all of them. */
  private view(project: StoredProject, latest?: number): TrackedProject {
    const { origins, updates, unlistedComments, ...fields } = project;
    return {
      ...fields,
      origins: origins.map((origin) => this.origin(origin)),
      updates: updates.slice(0, latest ?? updates.length),
      comments: unlistedComments + (this.sources.threads.commentCount(`project:${project.id}`) ?? 0),
    };
  }

  /** Title and count from the source when the adapter holds it, else as the council stored them. */
  private origin(origin: MemorySeedOrigin): ProjectOrigin {
    const live = this.liveOrigin(origin);
    const result: ProjectOrigin = {
      kind: origin.kind,
      id: origin.id,
      title: live?.title ?? origin.title ?? origin.id,
      count: live?.count ?? origin.count ?? 0,
    };
    if (origin.url !== undefined) result.url = origin.url;
    return result;
  }

  private liveOrigin({ kind, id }: MemorySeedOrigin): { title?: string; count: number } | undefined {
    switch (kind) {
      case 'idea': {
        const idea = this.idea(id, NOBODY);
        return idea && { title: idea.title, count: idea.supports };
      }
      case 'poll': {
        const poll = [...this.sources.polls()].find((candidate) => candidate.id === id);
        return poll && { title: poll.title, count: this.sources.ballots(id)?.size ?? 0 };
      }
      case 'map-report': {
        const entry = this.report(id, NOBODY);
        return entry && { title: reportTitle(entry), count: entry.report.followers };
      }
      case 'comment-thread': {
        const count = this.sources.threads.commentCount(id);
        return count === undefined ? undefined : { title: this.sources.threads.thread(id).title, count };
      }
    }
  }

  private fate(pending: PendingFate, projectsByOrigin: Map<string, StoredProject>): ContributionFate {
    const { status, moderation, trackedProjectId, ...fields } = pending;
    const tracked = trackedProjectId === undefined ? undefined : this.projects.get(trackedProjectId);
    const project = projectsByOrigin.get(`${pending.kind}\n${pending.id}`) ?? tracked;
    const unpublished = moderation === 'hidden' || moderation === 'rejected';
    const fate: ContributionFate = { ...fields, outcome: project ? 'in-project' : unpublished ? 'not-published' : outcomeOf(pending.kind, status) };
    if (project) fate.project = { id: project.id, title: project.title, status: project.status };
    return fate;
  }

  /** Each origin's project; when several projects share one, the most recently updated. */
  private projectsByOrigin(): Map<string, StoredProject> {
    const result = new Map<string, StoredProject>();
    for (const project of this.projects.values()) {
      for (const origin of project.origins) {
        const key = `${origin.kind}\n${origin.id}`;
        const other = result.get(key);
        if (!other || Date.parse(other.updatedAt) < Date.parse(project.updatedAt)) result.set(key, project);
      }
    }
    return result;
  }

  private broadcast(type: TrackerLiveEvent['type'], trackerId: string, project: StoredProject): TrackedProject {
    const view = this.view(project);
    this.publish(trackerId, { type, project: view });
    return view;
  }

  // ------------------------------------------------------------------ contributions

  private ideasOf(viewer: TrackerViewer): PendingFate[] {
    const result: PendingFate[] = [];
    for (const idea of this.sources.ideas.authoredBy(viewer)) {
      const fate: PendingFate = { kind: 'idea', id: idea.id, title: idea.title, at: idea.createdAt, status: idea.status };
      if (idea.moderation !== 'published') fate.moderation = idea.moderation;
      if (idea.answer) fate.answer = idea.answer.body;
      if (idea.trackedProjectId !== undefined) fate.trackedProjectId = idea.trackedProjectId;
      result.push(fate);
    }
    return result;
  }

  private ballotsOf(viewer: TrackerViewer): PendingFate[] {
    const result: PendingFate[] = [];
    for (const poll of this.sources.polls()) {
      const ballot = this.sources.ballots(poll.id)?.get(viewer.id);
      if (ballot) result.push({ kind: 'poll', id: poll.id, title: poll.title, at: ballot.castAt });
    }
    return result;
  }

  /** One entry per thread the viewer wrote in, dated by their latest comment there. */
  private threadsOf(viewer: TrackerViewer, reports: MapEntry[]): PendingFate[] {
    const { threads } = this.sources;
    const candidates = new Set(this.sources.threadIds);
    for (const idea of this.allIdeas(viewer)) candidates.add(`idea:${idea.id}`);
    for (const projectId of this.projects.keys()) candidates.add(`project:${projectId}`);
    for (const { report } of reports) candidates.add(`map-report:${report.id}`);

    const result: PendingFate[] = [];
    for (const threadId of candidates) {
      // Undefined for a discussion nobody opened yet: asking further would open it.
      if (threads.commentCount(threadId) === undefined) continue;
      let latest: string | undefined;
      for (const comment of this.commentsOf(threadId, undefined, viewer)) {
        if (comment.mine && !comment.deleted && (latest === undefined || Date.parse(comment.createdAt) > Date.parse(latest))) {
          latest = comment.createdAt;
        }
      }
      if (latest !== undefined) result.push({ kind: 'comment-thread', id: threadId, title: this.threadTitle(threadId, viewer), at: latest });
    }
    return result;
  }

  /** Every comment of a thread the viewer may see, replies included. */
  private *commentsOf(threadId: string, parentId: string | undefined, viewer: TrackerViewer): Generator<ThreadComment> {
    let cursor: string | undefined;
    do {
      const query = parentId === undefined ? { cursor, limit: COMMENT_MAX_PAGE_SIZE } : { parentId, cursor, limit: COMMENT_MAX_PAGE_SIZE };
      const page = this.sources.threads.list(threadId, query, viewer);
      for (const comment of page.items) {
        yield comment;
        if (comment.replies > 0) yield* this.commentsOf(threadId, comment.id, viewer);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  /** The thread's own title, else the title of what it discusses, else its id. */
  private threadTitle(threadId: string, viewer: TrackerViewer): string {
    const own = this.sources.threads.thread(threadId).title;
    if (own) return own;
    const [kind, ...rest] = threadId.split(':');
    const subject = rest.join(':');
    if (kind === 'idea') return this.idea(subject, viewer)?.title ?? threadId;
    if (kind === 'project') return this.projects.get(subject)?.title ?? threadId;
    const report = kind === 'map-report' ? this.report(subject, viewer) : undefined;
    return report ? reportTitle(report) : threadId;
  }

  /** Every idea the viewer may see, in every box. */
  private *allIdeas(viewer: TrackerViewer) {
    for (const boxId of this.sources.boxIds) {
      let cursor: string | undefined;
      do {
        const page = this.sources.ideas.list(boxId, { cursor, limit: IDEA_MAX_PAGE_SIZE }, viewer);
        yield* page.items;
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }

  private idea(ideaId: string, viewer: TrackerViewer) {
    try {
      return this.sources.ideas.get(ideaId, viewer);
    } catch {
      // Not visible (hidden, pending) or gone: the caller falls back.
      return undefined;
    }
  }

  /** Every report the viewer may see, on every map, their own marked `mine`. */
  private *allReports(viewer: TrackerViewer): Generator<MapEntry> {
    const maps = this.sources.maps;
    if (!maps) return;
    for (const mapId of maps.mapIds) {
      const map = maps.reader.map(mapId);
      let cursor: string | undefined;
      do {
        const page = maps.reader.listReports(mapId, { cursor, limit: MAP_REPORT_MAX_PAGE_SIZE }, viewer);
        for (const report of page.items) yield { report, map };
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
  }

  /** The viewer's own reports, those moderation did not publish included. */
  private ownReports(viewer: TrackerViewer): PendingFate[] {
    const maps = this.sources.maps;
    if (!maps) return [];
    return reportsOf(maps.reader.authoredBy(viewer).map((report) => ({ report, map: maps.reader.map(report.mapId) })));
  }

  private report(reportId: string, viewer: TrackerViewer): MapEntry | undefined {
    const reader = this.sources.maps?.reader;
    if (!reader) return undefined;
    try {
      const report = reader.getReport(reportId, viewer);
      return { report, map: reader.map(report.mapId) };
    } catch {
      // Not visible (hidden, pending) or gone: the caller falls back.
      return undefined;
    }
  }

  // ------------------------------------------------------------------ lookups

  private trackerSeed(trackerId: string): MemorySeedTracker {
    const tracker = this.trackers.get(trackerId);
    if (!tracker) throw new CivicError('not-found', `There is no tracker "${trackerId}"`, { status: 404 });
    return tracker;
  }

  private project(projectId: string): StoredProject {
    const project = this.projects.get(projectId);
    if (!project) throw new CivicError('not-found', `There is no project "${projectId}"`, { status: 404 });
    return project;
  }
}

interface MapEntry {
  report: MapReport;
  map: ParticipatoryMap;
}

function reportsOf(reports: MapEntry[]): PendingFate[] {
  const result: PendingFate[] = [];
  for (const entry of reports) {
    const { report } = entry;
    const fate: PendingFate = { kind: 'map-report', id: report.id, title: reportTitle(entry), at: report.createdAt, status: report.status };
    if (report.moderation !== 'published') fate.moderation = report.moderation;
    const latest = report.updates.at(-1);
    if (latest) fate.answer = latest.body;
    if (report.trackedProjectId !== undefined) fate.trackedProjectId = report.trackedProjectId;
    result.push(fate);
  }
  return result;
}

// ------------------------------------------------------------------ rules

/** The contract's mapping of a source's state to what the participant is told. */
function outcomeOf(kind: OriginKind, status: IdeaStatus | MapReportStatus | undefined): ContributionOutcome {
  switch (kind) {
    case 'idea':
      return status === undefined || status === 'submitted' ? 'awaiting' : (status as Exclude<IdeaStatus, 'submitted'>);
    case 'map-report':
      if (status === 'acknowledged' || status === 'in-progress') return 'under-review';
      return status === 'closed' ? 'done' : 'awaiting';
    case 'poll':
    case 'comment-thread':
      return 'counted';
  }
}

function statusFits(kind: OriginKind, status: string | undefined): boolean {
  if (status === undefined) return true;
  if (kind === 'idea') return IDEA_STATUSES.has(status);
  if (kind === 'map-report') return REPORT_STATUSES.has(status);
  return false;
}

/** What is wrong with a project, by field, or undefined. */
function projectProblems(project: MemorySeedProject, trackers: ReadonlyMap<string, unknown>): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  if (typeof project.id !== 'string' || project.id === '') errors.id = 'A project needs an id';
  if (!trackers.has(project.trackerId)) errors.trackerId = `There is no tracker "${project.trackerId}"`;
  if (typeof project.title !== 'string' || project.title.trim() === '') errors.title = 'Give the project a title';
  if (!PROJECT_STATUSES.includes(project.status)) errors.status = 'Choose a known status';
  if (!isProgress(project.progress)) errors.progress = 'The progress is a whole number from 0 to 100';
  for (const field of ['budgetPlanned', 'budgetSpent'] as const) {
    const value = project[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) errors[field] = 'A budget is a number of at least 0';
  }
  for (const field of ['startsAt', 'endsAt', 'updatedAt'] as const) {
    const value = project[field];
    if ((value !== undefined || field === 'updatedAt') && Number.isNaN(Date.parse(value ?? ''))) errors[field] = 'Give a date';
  }
  if (project.comments !== undefined && !(Number.isInteger(project.comments) && project.comments >= 0)) errors.comments = 'A number of comments';
  if ((project.origins ?? []).some((origin) => !ORIGIN_KINDS.has(origin.kind) || typeof origin.id !== 'string')) {
    errors.origins = 'An origin is an idea, a poll, a map report or a comment thread, with its id';
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

function isProgress(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100;
}

function stored({ origins, updates, comments, ...fields }: MemorySeedProject): StoredProject {
  return {
    ...fields,
    origins: origins ?? [],
    // Stable: updates at the same instant keep the order they were given in.
    updates: [...(updates ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)),
    unlistedComments: comments ?? 0,
  };
}

/** A report has no title: its category, and its address when it has one. */
function reportTitle({ report, map }: MapEntry): string {
  const category = map.categories.find((candidate) => candidate.id === report.categoryId)?.label ?? report.categoryId;
  return report.address ? `${category}, ${report.address}` : category;
}

function distinct(values: Array<string | undefined>): string[] {
  const kept = new Set(values.filter((value): value is string => value !== undefined && value.trim() !== ''));
  return [...kept].sort(collator.compare);
}

function pageSize(limit: number | undefined, fallback: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(limit ?? fallback)));
}

// ------------------------------------------------------------------ text

/** Lower case without accents or ligatures, so that "Œuvre", "oeuvre" and "ŒUVRE" are one word. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}

function words(text: string): string[] {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Every word of the query appears in the title or the summary, as a word or part of one. */
function matches(project: StoredProject, terms: string[]): boolean {
  const text = fold(`${project.title}\n${project.summary}`);
  return terms.every((term) => text.includes(term));
}

// ------------------------------------------------------------------ order and cursors

function projectKey(sort: ProjectSort, project: StoredProject): ProjectKey {
  const { title, id } = project;
  switch (sort) {
    case 'updated':
      return [-Date.parse(project.updatedAt), 0, title, id];
    case 'title':
      return [0, 0, title, id];
    case 'status':
      return [PROJECT_STATUSES.indexOf(project.status), 0, title, id];
    case 'budget':
      return project.budgetPlanned === undefined ? [1, 0, title, id] : [0, -project.budgetPlanned, title, id];
    case 'start':
      return project.startsAt === undefined ? [1, 0, title, id] : [0, Date.parse(project.startsAt), title, id];
  }
}

function compareProjects(a: ProjectKey, b: ProjectKey): number {
  return a[0] - b[0] || a[1] - b[1] || collator.compare(a[2], b[2]) || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);
}

/**
 * One page of `all` in the order of `compare`. The cursor carries the last item's key, scoped to
 * the listing it came from, so that items added meanwhile shift nothing.
 */
function paged<T, K extends unknown[]>(
  all: T[],
  keyOf: (item: T) => K,
  compare: (a: K, b: K) => number,
  scope: string[],
  cursor: string | undefined,
  limit: number,
): { items: T[]; nextCursor?: string } {
  const keyed = all.map((item) => ({ item, key: keyOf(item) }));
  keyed.sort((a, b) => compare(a.key, b.key));
  let start = 0;
  if (cursor !== undefined) {
    const after = readCursor<K>(cursor, scope, keyed[0]?.key);
    start = keyed.findIndex(({ key }) => compare(key, after) > 0);
    if (start < 0) start = keyed.length;
  }
  const slice = keyed.slice(start, start + limit);
  const last = slice.at(-1);
  return {
    items: slice.map(({ item }) => item),
    ...(last && start + limit < keyed.length ? { nextCursor: writeCursor(scope, last.key) } : {}),
  };
}

function writeCursor(scope: string[], key: unknown[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([scope, key]));
  return btoa(String.fromCharCode(...bytes));
}

/** The key a cursor carries, checked against the scope and against the shape of `sample`. */
function readCursor<K extends unknown[]>(cursor: string, scope: string[], sample: K | undefined): K {
  try {
    const bytes = Uint8Array.from(atob(cursor), (char) => char.charCodeAt(0));
    const [cursorScope, key] = JSON.parse(new TextDecoder().decode(bytes)) as [unknown, unknown];
    const shaped =
      Array.isArray(key) &&
      (sample === undefined || (key.length === sample.length && key.every((part, i) => typeof part === typeof sample[i])));
    if (JSON.stringify(cursorScope) === JSON.stringify(scope) && shaped) return key as K;
  } catch {
    // Not one of ours: answered below.
  }
  throw validation('This cursor does not belong to this listing', { cursor: 'Start again from the first page' });
}

function validation(message: string, fieldErrors: Record<string, string>): CivicError {
  return new CivicError('validation', message, { status: 422, fieldErrors });
}
