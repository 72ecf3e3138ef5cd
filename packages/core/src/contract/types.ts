/**
 * The participation contract: the domain types that every adapter speaks and every widget reads.
 * It mirrors the REST contract of the reference server (`/api/v1`), with dates as ISO-8601 strings
 * carrying a zone, so that a value read from JSON is already of the right type.
 */

/** An ISO-8601 date-time with a zone, e.g. `2027-03-01T09:00:00+01:00`. */
export type IsoDateTime = string;

/** Opaque cursor for paged lists; absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
  /** Total count when the backend knows it cheaply. */
  total?: number;
}

export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/** Council-authored HTML: sanitised on the server when stored and again in the browser when shown. */
export type CouncilHtml = string;

// ---------------------------------------------------------------- session

/** How a participant is known: an anonymous token for this device, or a token the host site signed. */
export type VerificationLevel = 'anonymous' | 'verified';

/** The actions a space may restrict, named as the session reports them. */
export type ParticipationAction =
  | 'vote'
  | 'propose'
  | 'support'
  | 'comment'
  | 'react'
  | 'report'
  | 'map-report';

export interface Session {
  /** Stable, opaque participant id; never a name or an email. */
  participantId: string;
  verification: VerificationLevel;
  /** Display name for verified participants, when the host site provides one. */
  displayName?: string;
  /** Bearer token to send on later requests (REST); absent for adapters that need none. */
  token?: string;
  expiresAt?: IsoDateTime;
}

// ---------------------------------------------------------------- polls

export type PollQuestionType = 'single' | 'multiple' | 'ranking' | 'rating';

/** When results may be seen by participants. */
export type ResultVisibility = 'always' | 'after-voting' | 'after-closing' | 'after-publication';

export interface PollOption {
  id: string;
  label: string;
  /** Optional short plain-text help under the label. */
  description?: string;
}

export interface RatingScale {
  min: number;
  max: number;
  /** Labels for the ends (and any point), keyed by value, e.g. Likert wording. */
  labels?: Record<string, string>;
}

export interface Poll {
  id: string;
  title: string;
  /** Council rich text. */
  description?: CouncilHtml;
  type: PollQuestionType;
  options: PollOption[];
  /** Multiple choice bounds; defaults 1 and options.length. */
  minChoices?: number;
  maxChoices?: number;
  /** Rating: the scale every option is rated on. */
  scale?: RatingScale;
  /** Offer an "other" free-text answer (single and multiple). */
  allowOther?: boolean;
  opensAt?: IsoDateTime;
  closesAt?: IsoDateTime;
  resultVisibility: ResultVisibility;
  /** Set by the council when results are published (after-publication). */
  resultsPublishedAt?: IsoDateTime;
  /** Number of ballots needed for the result to count. */
  quorum?: number;
  /** A participant may change their ballot while the poll is open. */
  allowBallotChange: boolean;
  /** Which participants may vote. */
  requiredVerification: VerificationLevel;
  /** Council's words on who may vote and how one ballot per person is ensured; shown as is. */
  eligibilityNote?: string;
}

/** What the current participant may do with a poll right now. */
export interface PollParticipation {
  /** The participant's current ballot, if any. */
  ballot?: Ballot;
  /** Whether results may be read by this participant now. */
  canSeeResults: boolean;
}

/** A participant's answer. Exactly one of the choice fields applies, by poll type. */
export interface BallotInput {
  /** single: one id; multiple: ids (min..max). */
  choices?: string[];
  /** ranking: every option id, best first. */
  ranking?: string[];
  /** rating: a value on the scale for each option id. */
  ratings?: Record<string, number>;
  /** Free text for "other"; counts as a choice in single/multiple. */
  other?: string;
}

export interface Ballot extends BallotInput {
  id: string;
  pollId: string;
  castAt: IsoDateTime;
  updatedAt?: IsoDateTime;
}

export interface OptionResult {
  optionId: string;
  /** single/multiple: ballots choosing it. ranking: Borda points. rating: number of ratings. */
  count: number;
  /** rating: mean value; ranking: mean rank (1 = best). */
  average?: number;
}

export interface PollResults {
  pollId: string;
  ballots: number;
  options: OptionResult[];
  /** Number of ballots with an "other" answer (texts are moderated, not shown here). */
  otherCount?: number;
  quorum?: number;
  quorumReached?: boolean;
  /** Eligible population when the council knows it, for turnout. */
  electorate?: number;
  updatedAt: IsoDateTime;
}

// ---------------------------------------------------------------- ideas

export type IdeaStatus =
  | 'submitted'
  | 'under-review'
  | 'accepted'
  | 'rejected'
  | 'done'
  | 'duplicate';

export type ModerationState = 'published' | 'pending' | 'hidden' | 'rejected';

export interface Category {
  id: string;
  label: string;
  color?: string;
  icon?: string;
}

export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface IdeaBox {
  id: string;
  title: string;
  description?: CouncilHtml;
  categories: Category[];
  opensAt?: IsoDateTime;
  closesAt?: IsoDateTime;
  /** Supports a participant may give in this box; absent = unlimited. */
  supportLimit?: number;
  /** Supports the current participant has given in this box, when the box has a limit. */
  supportsGiven?: number;
  preModeration: boolean;
  requiredVerification: VerificationLevel;
  allowImages: boolean;
  allowLocation: boolean;
  /** Distinct reports that hide an idea automatically; IDEA_AUTO_HIDE_REPORTS when absent. */
  autoHideReports?: number;
}

export interface OfficialAnswer {
  body: CouncilHtml;
  answeredAt: IsoDateTime;
  author?: string;
}

export interface Idea {
  id: string;
  boxId: string;
  title: string;
  /** Citizen markdown subset. */
  body: string;
  categoryId?: string;
  location?: { address?: string; point?: GeoPoint };
  imageUrl?: string;
  status: IdeaStatus;
  moderation: ModerationState;
  duplicateOf?: string;
  answer?: OfficialAnswer;
  supports: number;
  comments: number;
  supportedByMe?: boolean;
  mine?: boolean;
  authorName?: string;
  createdAt: IsoDateTime;
  trackedProjectId?: string;
}

export type IdeaSort = 'newest' | 'most-supported' | 'most-discussed' | 'random';

export interface IdeaQuery extends PageRequest {
  sort?: IdeaSort;
  /** Seed for a stable random order. */
  seed?: string;
  category?: string;
  status?: IdeaStatus;
  q?: string;
}

/** Payload of the live topic `idea-box:<id>:ideas`. Only published ideas are broadcast. */
export interface IdeaLiveEvent {
  /** `updated` also for changes of supports, status or answer. */
  type: 'created' | 'updated';
  /** As everyone sees it: without `mine` or `supportedByMe`. */
  idea: Idea;
}

export interface IdeaInput {
  title: string;
  body: string;
  categoryId?: string;
  location?: { address?: string; point?: GeoPoint };
  /** A data: URL or an upload reference returned by the backend. */
  image?: string;
}

// ---------------------------------------------------------------- comments

export type Stance = 'for' | 'against' | 'neutral';
export type CommentSort = 'oldest' | 'newest' | 'most-supported';

export interface Thread {
  id: string;
  title?: string;
  /** Ask commenters to take a stance. */
  stances: boolean;
  preModeration: boolean;
  /** Seconds after posting during which an author may edit or delete. */
  editWindowSeconds: number;
  /** Distinct reports that hide a comment automatically. */
  autoHideReports: number;
  closed: boolean;
  requiredVerification: VerificationLevel;
  comments: number;
}

export interface ThreadComment {
  id: string;
  threadId: string;
  parentId?: string;
  /** Citizen markdown subset; empty when hidden or deleted. */
  body: string;
  stance?: Stance;
  authorName?: string;
  mine?: boolean;
  moderation: ModerationState;
  deleted?: boolean;
  supports: number;
  supportedByMe?: boolean;
  replies: number;
  createdAt: IsoDateTime;
  editedAt?: IsoDateTime;
  /** 0 for a top-level comment, 1 for a reply to it, and so on. */
  depth?: number;
  /**
   * Set on replies deeper than MAX_REPLY_DEPTH, which are shown flattened "in reply to" their
   * parent; `authorName` only while the parent is published and signed.
   */
  inReplyTo?: { id: string; authorName?: string };
}

/** Payload of the live topic `thread:<id>:comments`. Only published comments are broadcast. */
export interface CommentLiveEvent {
  type: 'created' | 'updated' | 'removed';
  /** As everyone sees it: without `mine` or `supportedByMe`; a placeholder when hidden or deleted. */
  comment: ThreadComment;
}

export interface CommentQuery extends PageRequest {
  sort?: CommentSort;
  /** Replies to this comment; top level when absent. */
  parentId?: string;
}

export interface CommentInput {
  body: string;
  parentId?: string;
  stance?: Stance;
}

export type ReportReason = 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other';

export interface ReportInput {
  reason: ReportReason;
  details?: string;
}

// ---------------------------------------------------------------- maps

/**
 * An extra field a category asks for; Open311 calls these attributes. `select` has `options`;
 * `checkbox` answers `true` or `false`.
 */
export interface MapCategoryField {
  code: string;
  label: string;
  type: 'text' | 'number' | 'select' | 'checkbox';
  required: boolean;
  /** Plain-text help under the field. */
  description?: string;
  options?: { value: string; label: string }[];
}

/**
 * A kind of report. `color` is never the only cue: `icon` (one or two characters, such as a letter
 * or an emoji) is drawn in the marker and beside the label, the initial of the label by default.
 */
export interface MapCategory extends Category {
  description?: string;
  /** Open311 `group`: categories of one group are listed together. */
  group?: string;
  fields: MapCategoryField[];
}

/** Open311 knows `open` and `closed`; `acknowledged` and `in-progress` are open there. */
export type MapReportStatus = 'open' | 'acknowledged' | 'in-progress' | 'closed';

export interface ParticipatoryMap {
  id: string;
  title: string;
  description?: CouncilHtml;
  center: GeoPoint;
  zoom: number;
  /** South-west and north-east corners: points outside are refused. */
  bounds?: [GeoPoint, GeoPoint];
  categories: MapCategory[];
  /** A Leaflet URL template, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`. */
  tileUrl?: string;
  /** Attribution of the tiles, plain text (links are not followed from it). */
  tileAttribution?: string;
  closed: boolean;
  preModeration: boolean;
  allowImages: boolean;
  requiredVerification: VerificationLevel;
}

export interface MapReportUpdate {
  at: IsoDateTime;
  status?: MapReportStatus;
  body: CouncilHtml;
}

/**
 * A citizen's report on a map. `point` is absent when the citizen gave only an address: such a
 * report is in the list, not on the map.
 */
export interface MapReport {
  id: string;
  mapId: string;
  categoryId: string;
  point?: GeoPoint;
  address?: string;
  /** Citizen markdown subset. */
  description: string;
  attributes?: Record<string, string | number | boolean>;
  imageUrl?: string;
  status: MapReportStatus;
  moderation: ModerationState;
  /** Oldest first; the council's public updates. */
  updates: MapReportUpdate[];
  followers: number;
  followedByMe?: boolean;
  mine?: boolean;
  /** Comments in the discussion thread `map-report:<id>`. */
  comments: number;
  createdAt: IsoDateTime;
  updatedAt?: IsoDateTime;
  trackedProjectId?: string;
}

export interface MapReportFilter {
  /** west, south, east, north */
  bbox?: [number, number, number, number];
  category?: string;
  status?: MapReportStatus;
}

export interface MapReportQuery extends MapReportFilter, PageRequest {
  /** Newest first by default. */
  sort?: 'newest' | 'most-followed';
}

/** What the map draws for a report: enough to place, colour and select it. */
export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  categoryId: string;
  status: MapReportStatus;
}

export interface MapReportInput {
  categoryId: string;
  /** A point, an address, or both; one of the two is required. */
  point?: GeoPoint;
  address?: string;
  description: string;
  attributes?: Record<string, string | number | boolean>;
  /** A data: URL. */
  image?: string;
}

/** Payload of the live topic `map:<id>:reports`. Only published reports are broadcast. */
export interface MapLiveEvent {
  type: 'created' | 'updated';
  /** As everyone sees it: without `mine` or `followedByMe`. */
  report: MapReport;
}

// ---------------------------------------------------------------- tracker

export type ProjectStatus = 'planned' | 'in-progress' | 'done' | 'cancelled';

/** One row of a tracker's overview: its projects of one status and their budgets. */
export interface StatusTotal {
  status: ProjectStatus;
  projects: number;
  budgetPlanned: number;
  budgetSpent: number;
}

export interface Tracker {
  id: string;
  title: string;
  description?: CouncilHtml;
  /** The council's own wording of each status. */
  statusLabels?: Partial<Record<ProjectStatus, string>>;
  /** ISO 4217 code of the budgets, e.g. `EUR`. */
  currency: string;
  /** The districts and categories projects use, for filters. */
  districts: string[];
  categories: string[];
  /** Every status, in the order of ProjectStatus, with zeros for none. */
  overview: StatusTotal[];
}

export type OriginKind = 'idea' | 'poll' | 'map-report' | 'comment-thread';

export interface ProjectOrigin {
  kind: OriginKind;
  id: string;
  title: string;
  /** People behind it: supporters of an idea, ballots of a poll, followers of a report, comments of a thread. */
  count: number;
  url?: string;
}

export interface ProjectUpdate {
  id: string;
  at: IsoDateTime;
  title?: string;
  body: CouncilHtml;
  /** Set when this update changed the status or the progress. */
  status?: ProjectStatus;
  progress?: number;
}

export interface TrackedProject {
  id: string;
  trackerId: string;
  title: string;
  /** Plain text. */
  summary: string;
  status: ProjectStatus;
  /** 0..100 */
  progress: number;
  budgetPlanned?: number;
  budgetSpent?: number;
  startsAt?: IsoDateTime;
  endsAt?: IsoDateTime;
  district?: string;
  category?: string;
  imageUrl?: string;
  /** Alternative text of the image, written by the council. */
  imageAlt?: string;
  origins: ProjectOrigin[];
  /** Newest first. A listed project carries its latest update only; `getProject` carries them all. */
  updates: ProjectUpdate[];
  /** Comments in the discussion thread `project:<id>`. */
  comments: number;
  updatedAt: IsoDateTime;
}

export type ProjectSort = 'updated' | 'title' | 'status' | 'budget' | 'start';

export interface ProjectQuery extends PageRequest {
  status?: ProjectStatus;
  district?: string;
  category?: string;
  /** Case- and accent-insensitive search of title and summary. */
  q?: string;
  /** `updated` (most recent first) by default. */
  sort?: ProjectSort;
}

/** What became of a contribution, from the participant's side. */
export type ContributionOutcome =
  /** A project came from it. */
  | 'in-project'
  | 'awaiting'
  | 'under-review'
  | 'accepted'
  | 'rejected'
  | 'done'
  | 'duplicate'
  /** A ballot counted in a poll's results, or a comment that stays in its discussion. */
  | 'counted'
  /** An idea or map report that moderation hid or refused: only its author still sees it. */
  | 'not-published';

export interface ContributionFate {
  kind: OriginKind;
  /** The idea, poll, report or thread id. */
  id: string;
  title: string;
  /** When the participant contributed. */
  at: IsoDateTime;
  outcome: ContributionOutcome;
  /** The council's answer to an idea, or its latest update on a report. */
  answer?: CouncilHtml;
  project?: { id: string; title: string; status: ProjectStatus };
}

/** Payload of the live topic `tracker:<id>:projects`. */
export interface TrackerLiveEvent {
  type: 'created' | 'updated';
  project: TrackedProject;
}

// ---------------------------------------------------------------- live

/** Topics a widget may subscribe to, e.g. `poll:budget-2027:results`. */
export type LiveTopic =
  | `poll:${string}:results`
  | `thread:${string}:comments`
  | `idea-box:${string}:ideas`
  | `map:${string}:reports`
  | `tracker:${string}:projects`;

export interface LiveMessage<T = unknown> {
  topic: LiveTopic;
  /** Monotonic id for reconnection. */
  id?: string;
  payload: T;
}

export type LiveListener<T = unknown> = (message: LiveMessage<T>) => void;

/** Options common to every write: the outbox passes the idempotency key of the submission. */
export interface WriteOptions {
  idempotencyKey: string;
  signal?: AbortSignal;
}

export interface ReadOptions {
  signal?: AbortSignal;
}
