import type {
  Ballot,
  BallotInput,
  CommentInput,
  CommentQuery,
  ContributionFate,
  Idea,
  IdeaBox,
  IdeaInput,
  IdeaQuery,
  LiveListener,
  LiveTopic,
  MapReport,
  MapReportFilter,
  MapReportInput,
  MapPoint,
  GeoPoint,
  MapReportQuery,
  Page,
  PageRequest,
  ParticipatoryMap,
  Poll,
  PollParticipation,
  PollResults,
  ProjectQuery,
  ReadOptions,
  ReportInput,
  Session,
  Thread,
  ThreadComment,
  TrackedProject,
  Tracker,
  WriteOptions,
} from './types.js';

/**
 * The contract between widgets and a participation backend. Widgets never call `fetch`: they call
 * an adapter. An adapter implements the domains it serves; a widget whose domain is missing shows
 * a configuration error. Every method rejects with a {@link CivicError}.
 */
export interface ParticipationAdapter {
  /** A short name for diagnostics, e.g. `rest` or `memory`. */
  readonly name: string;
  // `| undefined`: an adapter may have the key and still serve no such domain (RestAdapter's
  // getters answer undefined until the domain's module is imported), which
  // `exactOptionalPropertyTypes` otherwise rejects in the users' type-check.
  readonly session?: SessionDomain | undefined;
  readonly polls?: PollDomain | undefined;
  readonly ideas?: IdeaDomain | undefined;
  readonly comments?: CommentDomain | undefined;
  readonly maps?: MapDomain | undefined;
  readonly tracker?: TrackerDomain | undefined;
  /** Live updates; returns the function that ends the subscription. */
  subscribe?<T = unknown>(topic: LiveTopic, listener: LiveListener<T>): () => void;
}

/** The domains a widget may require, as keys of the adapter. */
export type AdapterDomain = 'session' | 'polls' | 'ideas' | 'comments' | 'maps' | 'tracker';

export interface SessionDomain {
  /**
   * The current participant, or `undefined` while nobody is known. Reading never creates a
   * participant, sends nothing to create one and stores nothing on the device: the first write
   * (a ballot, a comment, a support, a report) does.
   */
  current(options?: ReadOptions): Promise<Session | undefined>;
  /** The participant's own data (GDPR access). */
  exportMine?(options?: ReadOptions): Promise<unknown>;
  /** Erase the participant's identity; counts stay. */
  eraseMine?(options: WriteOptions): Promise<void>;
}

export interface PollDomain {
  get(pollId: string, options?: ReadOptions): Promise<Poll>;
  /** What the current participant has done and may see. */
  participation(pollId: string, options?: ReadOptions): Promise<PollParticipation>;
  /** Cast or, where the poll allows it, replace the participant's ballot. */
  castBallot(pollId: string, ballot: BallotInput, options: WriteOptions): Promise<Ballot>;
  /** Rejects with `forbidden` when results are not visible to this participant yet. */
  results(pollId: string, options?: ReadOptions): Promise<PollResults>;
}

export interface IdeaDomain {
  getBox(boxId: string, options?: ReadOptions): Promise<IdeaBox>;
  list(boxId: string, query?: IdeaQuery, options?: ReadOptions): Promise<Page<Idea>>;
  get(ideaId: string, options?: ReadOptions): Promise<Idea>;
  similar(boxId: string, text: string, options?: ReadOptions): Promise<Idea[]>;
  propose(boxId: string, idea: IdeaInput, options: WriteOptions): Promise<Idea>;
  support(ideaId: string, options: WriteOptions): Promise<Idea>;
  withdrawSupport(ideaId: string, options: WriteOptions): Promise<Idea>;
  report(ideaId: string, report: ReportInput, options: WriteOptions): Promise<void>;
}

export interface CommentDomain {
  getThread(threadId: string, options?: ReadOptions): Promise<Thread>;
  list(threadId: string, query?: CommentQuery, options?: ReadOptions): Promise<Page<ThreadComment>>;
  get(commentId: string, options?: ReadOptions): Promise<ThreadComment>;
  post(threadId: string, comment: CommentInput, options: WriteOptions): Promise<ThreadComment>;
  edit(commentId: string, body: string, options: WriteOptions): Promise<ThreadComment>;
  remove(commentId: string, options: WriteOptions): Promise<void>;
  /** Support (true) or withdraw support (false). */
  react(commentId: string, support: boolean, options: WriteOptions): Promise<ThreadComment>;
  report(commentId: string, report: ReportInput, options: WriteOptions): Promise<void>;
}

export interface MapDomain {
  getMap(mapId: string, options?: ReadOptions): Promise<ParticipatoryMap>;
  /** Published reports (and the participant's own pending ones), paged, for the list. */
  listReports(mapId: string, query?: MapReportQuery, options?: ReadOptions): Promise<Page<MapReport>>;
  /** Every located report that matches, unpaged (at most MAP_POINTS_MAX), for drawing. */
  points(mapId: string, filter?: MapReportFilter, options?: ReadOptions): Promise<MapPoint[]>;
  getReport(reportId: string, options?: ReadOptions): Promise<MapReport>;
  /** Open reports within the radius, nearest first (at most NEARBY_REPORTS_LIMIT). */
  nearby(mapId: string, point: GeoPoint, radiusMeters: number, query?: { category?: string }, options?: ReadOptions): Promise<MapReport[]>;
  submitReport(mapId: string, report: MapReportInput, options: WriteOptions): Promise<MapReport>;
  /** Absent when the backend cannot follow reports (Open311). */
  follow?(reportId: string, follow: boolean, options: WriteOptions): Promise<MapReport>;
}

export interface TrackerDomain {
  getTracker(trackerId: string, options?: ReadOptions): Promise<Tracker>;
  listProjects(trackerId: string, query?: ProjectQuery, options?: ReadOptions): Promise<Page<TrackedProject>>;
  getProject(projectId: string, options?: ReadOptions): Promise<TrackedProject>;
  /** "What became of my contributions?" for the current participant. */
  myContributions(trackerId: string, query?: PageRequest, options?: ReadOptions): Promise<Page<ContributionFate>>;
}
