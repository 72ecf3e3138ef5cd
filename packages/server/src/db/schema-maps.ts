import type { Generated } from 'kysely';

/** Maps' tables, part of `Database` (schema.ts). Same conventions: ISO dates as text, booleans as 0/1. */
export interface MapTables {
  maps: MapTable;
  map_reports: MapReportTable;
  map_report_updates: MapReportUpdateTable;
  map_report_follows: MapReportFollowTable;
  map_report_flags: MapReportFlagTable;
}

export type MapReportStatus = 'open' | 'acknowledged' | 'in-progress' | 'closed';

export interface MapTable {
  id: string;
  title: string;
  /** Council HTML, sanitised when written. */
  description: string | null;
  center_lat: number;
  center_lng: number;
  zoom: number;
  /** South-west and north-east corners, all four or none. */
  south: number | null;
  west: number | null;
  north: number | null;
  east: number | null;
  /** JSON: MapCategory[] (with their fields) */
  categories: string;
  tile_url: string | null;
  tile_attribution: string | null;
  closed: number;
  pre_moderation: number;
  allow_images: number;
  required_verification: 'anonymous' | 'verified';
  created_at: string;
  updated_at: string;
}

export interface MapReportTable {
  id: string;
  map_id: string;
  /** Null once the author has erased their identity: the report stays, anonymous. */
  participant_id: string | null;
  category_id: string;
  /** Both or neither: a report may have an address only. */
  lat: number | null;
  lng: number | null;
  address: string | null;
  /** Citizen markdown, trimmed, stored as written. */
  description: string;
  /** JSON: Record<code, string | number | boolean>, or null when the category asks for nothing. */
  attributes: string | null;
  /** A data: URL, or the http(s) address an Open311 client sent as media_url (never fetched). */
  image: string | null;
  status: MapReportStatus;
  moderation: 'pending' | 'published' | 'hidden' | 'rejected';
  /** Followers, the author included; kept as follows come and go. */
  followers: number;
  /** Mirrors the `comments` of the thread `map-report:<id>`. */
  comments: number;
  /** Distinct abuse reports, and how many of them a moderator has already weighed. */
  reports: number;
  reports_handled: number;
  /** Open311 token handed out when the report waited for moderation. */
  open311_token: string | null;
  tracked_project_id: string | null;
  created_at: string;
  /** The latest council update, or null. */
  updated_at: string | null;
}

export interface MapReportUpdateTable {
  id: Generated<number>;
  report_id: string;
  at: string;
  /** Set when this update changed the status. */
  status: MapReportStatus | null;
  /** Council HTML, sanitised when written. */
  body: string;
}

export interface MapReportFollowTable {
  report_id: string;
  /** Null after erasure: the follow still counts. */
  participant_id: string | null;
  created_at: string;
}

export interface MapReportFlagTable {
  report_id: string;
  participant_id: string | null;
  reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other';
  details: string | null;
  created_at: string;
}
