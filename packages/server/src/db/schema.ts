import type { ColumnType, Generated } from 'kysely';
import type { MapTables } from './schema-maps.js';
import type { StaffTables } from './schema-staff.js';
import type { ProjectOriginTable, ProjectTable, ProjectUpdateTable, TrackerTable } from './schema-tracker.js';

/**
 * Table shapes shared by SQLite and PostgreSQL. Dates are ISO-8601 UTC strings and booleans are
 * 0/1 integers in both, so that one query layer reads the same values from either database.
 * Space kinds (polls now; idea boxes, threads, maps, trackers later) each get their own table;
 * what they share — participants, idempotency keys, the audit log, live events and the moderation
 * queue — is keyed by a `kind` and an id so that new kinds slot in without new plumbing.
 */
export interface Database extends MapTables, StaffTables {
  server_settings: { key: string; value: string };
  participants: ParticipantTable;
  polls: PollTable;
  ballots: BallotTable;
  poll_option_counts: PollOptionCountTable;
  poll_tallies: PollTallyTable;
  idempotency_keys: IdempotencyKeyTable;
  audit_log: AuditLogTable;
  live_events: LiveEventTable;
  threads: ThreadTable;
  comments: CommentTable;
  comment_supports: CommentSupportTable;
  comment_reports: CommentReportTable;
  idea_boxes: IdeaBoxTable;
  ideas: IdeaTable;
  idea_supports: IdeaSupportTable;
  idea_box_supporters: IdeaBoxSupporterTable;
  idea_reports: IdeaReportTable;
  trackers: TrackerTable;
  projects: ProjectTable;
  project_updates: ProjectUpdateTable;
  project_origins: ProjectOriginTable;
}

export interface ParticipantTable {
  id: string;
  verification: 'anonymous' | 'verified';
  /** Host site that vouched for a verified participant, and its subject for them. */
  site_id: string | null;
  subject: string | null;
  created_at: string;
}

export interface PollTable {
  id: string;
  title: string;
  description: string | null;
  type: 'single' | 'multiple' | 'ranking' | 'rating';
  /** JSON: PollOption[] */
  options: string;
  min_choices: number | null;
  max_choices: number | null;
  /** JSON: RatingScale */
  scale: string | null;
  allow_other: number;
  opens_at: string | null;
  closes_at: string | null;
  result_visibility: 'always' | 'after-voting' | 'after-closing' | 'after-publication';
  results_published_at: string | null;
  quorum: number | null;
  electorate: number | null;
  allow_ballot_change: number;
  required_verification: 'anonymous' | 'verified';
  eligibility_note: string | null;
  proof_of_work: number;
  created_at: string;
  updated_at: string;
}

export interface BallotTable {
  id: string;
  poll_id: string;
  /** Null once the participant has erased their identity: the ballot still counts. */
  participant_id: string | null;
  /** JSON: { choices?, ranking?, ratings? } */
  answer: string;
  other_text: string | null;
  other_state: 'pending' | 'published' | 'hidden' | null;
  cast_at: string;
  updated_at: string | null;
}

/**
 * Running totals per option, updated in the ballot's transaction. `count` is what OptionResult
 * reports (choices, Borda points or number of ratings); `total` is the sum behind the average
 * (ranks for ranking, values for rating).
 */
export interface PollOptionCountTable {
  poll_id: string;
  option_id: string;
  count: number;
  total: number;
}

export interface PollTallyTable {
  poll_id: string;
  ballots: number;
  other_count: number;
  updated_at: string;
}

export interface IdempotencyKeyTable {
  /** Participant id, or `admin` for admin writes. */
  scope: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject_kind: string;
  subject_id: string;
  /** JSON */
  details: string;
  /** The staff member who acted; null for the admin key (and entries older than staff accounts). */
  actor_id: number | null;
  actor_name: string | null;
}

export interface LiveEventTable {
  id: Generated<number>;
  topic: string;
  /** JSON */
  payload: string;
  created_at: ColumnType<string, string, never>;
}

export interface ThreadTable {
  /** Free text (`budget-2027`, `idea:42`) so that any page can carry a discussion. */
  id: string;
  title: string | null;
  stances: number;
  pre_moderation: number;
  edit_window_seconds: number;
  auto_hide_reports: number;
  closed: number;
  required_verification: 'anonymous' | 'verified';
  /** Published comments that are not deleted, kept as they change. */
  comments: number;
  created_at: string;
  updated_at: string;
}

export interface CommentTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  /** Null once the author has erased their identity: the text stays, anonymous. */
  participant_id: string | null;
  /** The name a verified participant posted under; dropped on erasure. */
  author_name: string | null;
  /** Emptied when the author deletes the comment. */
  body: string;
  stance: 'for' | 'against' | 'neutral' | null;
  moderation: 'pending' | 'published' | 'hidden' | 'rejected';
  deleted: number;
  depth: number;
  supports: number;
  /**
   * Direct replies everyone can see (published or hidden, or deleted with visible replies of
   * their own), kept as they change; a reader's own pending replies are added when read.
   */
  replies: number;
  /** Distinct reports, and how many of them a moderator has already weighed. */
  reports: number;
  reports_handled: number;
  created_at: string;
  edited_at: string | null;
}

export interface CommentSupportTable {
  comment_id: string;
  /** Null after erasure: the support still counts. */
  participant_id: string | null;
  created_at: string;
}

export interface CommentReportTable {
  comment_id: string;
  participant_id: string | null;
  reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other';
  details: string | null;
  created_at: string;
}

export interface IdeaBoxTable {
  id: string;
  title: string;
  description: string | null;
  /** JSON: Category[] */
  categories: string;
  opens_at: string | null;
  closes_at: string | null;
  support_limit: number | null;
  pre_moderation: number;
  required_verification: 'anonymous' | 'verified';
  allow_images: number;
  allow_location: number;
  auto_hide_reports: number;
  created_at: string;
  updated_at: string;
}

export type IdeaStatus = 'submitted' | 'under-review' | 'accepted' | 'rejected' | 'done' | 'duplicate';

export interface IdeaTable {
  id: string;
  box_id: string;
  /** Null once the author has erased their identity: the idea stays, anonymous. */
  participant_id: string | null;
  author_name: string | null;
  title: string;
  body: string;
  /** Title and body folded (lower case, no accents), what `q` searches on either database. */
  search: string;
  category_id: string | null;
  /** JSON: { address?, point? } */
  location: string | null;
  /** A data: URL. */
  image: string | null;
  status: IdeaStatus;
  moderation: 'pending' | 'published' | 'hidden' | 'rejected';
  duplicate_of: string | null;
  /** Council HTML, sanitised when written. */
  answer_body: string | null;
  answer_author: string | null;
  answered_at: string | null;
  tracked_project_id: string | null;
  supports: number;
  /** Mirrors the `comments` of the thread `idea:<id>`, moved with it. */
  comments: number;
  reports: number;
  reports_handled: number;
  created_at: string;
}

export interface IdeaSupportTable {
  idea_id: string;
  /** Null after erasure: the support still counts. */
  participant_id: string | null;
  created_at: string;
}

export interface IdeaBoxSupporterTable {
  box_id: string;
  participant_id: string;
  supports: number;
}

export interface IdeaReportTable {
  idea_id: string;
  participant_id: string | null;
  reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other';
  details: string | null;
  created_at: string;
}
