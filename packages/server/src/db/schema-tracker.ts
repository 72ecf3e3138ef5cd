/**
 * The results tracker's tables (migration 005-tracker). Nothing here names a participant: a
 * project's origins point at ideas, polls, map reports and threads, whose own tables hold who
 * contributed, so erasing a participant never touches a project.
 */

export type ProjectStatus = 'planned' | 'in-progress' | 'done' | 'cancelled';
export type OriginKind = 'idea' | 'poll' | 'map-report' | 'comment-thread';

export interface TrackerTable {
  id: string;
  title: string;
  /** Council HTML, sanitised when written. */
  description: string | null;
  /** JSON: Partial<Record<ProjectStatus, string>> */
  status_labels: string;
  /** ISO 4217 code of every budget of the tracker. */
  currency: string;
  /** The council page that shows the tracker: the feed's alternate link. */
  page_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectTable {
  id: string;
  tracker_id: string;
  title: string;
  /** Plain text. */
  summary: string;
  /** Title and summary folded (lower case, no accents), what `q` searches on either database. */
  search: string;
  status: ProjectStatus;
  progress: number;
  budget_planned: number | null;
  budget_spent: number | null;
  starts_at: string | null;
  ends_at: string | null;
  district: string | null;
  category: string | null;
  image_url: string | null;
  image_alt: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProjectUpdateTable {
  id: string;
  project_id: string;
  /** The project's tracker, so that a tracker's feed reads one index. */
  tracker_id: string;
  at: string;
  title: string | null;
  /** Council HTML, sanitised when written. */
  body: string;
  /** Set when the update changed the project's status or progress. */
  status: ProjectStatus | null;
  progress: number | null;
}

export interface ProjectOriginTable {
  project_id: string;
  /** Order the council gave the origins. */
  position: number;
  kind: OriginKind;
  source_id: string;
  /** The source's title when the origin was set: shown once the source is gone. */
  title: string;
  url: string | null;
}
