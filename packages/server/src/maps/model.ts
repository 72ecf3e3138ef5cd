import { isBlank, textLength } from '../../../core/src/content/text-rules.js';
import type { Selectable } from 'kysely';
import type { MapReportTable, MapReportUpdateTable, MapTable } from '../db/schema-maps.js';
import type { FieldError } from '../http/problem.js';
import { imageProblem } from '../ideas/model.js';
import type { MapCreate, MapReportInputWire, MapReportWire, MapWire } from './schemas.js';

/**
 * The map limits of the contract (packages/core/src/contract/limits.ts), kept here because the
 * server ships without the browser packages; contract-check.ts makes the compiler hold them equal.
 */
export const MAP_DESCRIPTION_MIN_LENGTH = 10;
export const MAP_DESCRIPTION_MAX_LENGTH = 2000;
export const MAP_ADDRESS_MAX_LENGTH = 200;
export const MAP_ATTRIBUTE_MAX_LENGTH = 500;
export const MAP_REPORT_PAGE_SIZE = 20;
export const MAP_REPORT_MAX_PAGE_SIZE = 100;
export const MAP_POINTS_MAX = 50_000;
export const NEARBY_RADIUS_METERS = 50;
export const NEARBY_REPORTS_LIMIT = 5;
/** The widest "nearby" search the API accepts, in metres. */
export const NEARBY_MAX_RADIUS_METERS = 1000;
/** Distinct abuse flags that hide a published report. */
export const MAP_AUTO_HIDE_REPORTS = 5;

export type MapRow = Selectable<MapTable>;
export type MapReportRow = Selectable<MapReportTable>;
export type MapReportUpdateRow = Selectable<MapReportUpdateTable>;
export type GeoPoint = { lat: number; lng: number };
export type Bbox = [west: number, south: number, east: number, north: number];

export function mapReportThreadId(reportId: string): string {
  return `map-report:${reportId}`;
}

export function mapTopic(mapId: string): string {
  return `map:${mapId}:reports`;
}

export function mapFromRow(row: MapRow): MapWire {
  const map: MapWire = {
    id: row.id,
    title: row.title,
    center: { lat: row.center_lat, lng: row.center_lng },
    zoom: row.zoom,
    categories: JSON.parse(row.categories) as MapWire['categories'],
    closed: row.closed === 1,
    preModeration: row.pre_moderation === 1,
    allowImages: row.allow_images === 1,
    requiredVerification: row.required_verification,
  };
  if (row.description !== null) map.description = row.description;
  if (row.south !== null && row.west !== null && row.north !== null && row.east !== null) {
    map.bounds = [{ lat: row.south, lng: row.west }, { lat: row.north, lng: row.east }];
  }
  if (row.tile_url !== null) map.tileUrl = row.tile_url;
  if (row.tile_attribution !== null) map.tileAttribution = row.tile_attribution;
  return map;
}

export function mapToRow(map: MapCreate, now: string): MapRow {
  const [southWest, northEast] = map.bounds ?? [];
  return {
    id: map.id,
    title: map.title,
    description: map.description ?? null,
    center_lat: map.center.lat,
    center_lng: map.center.lng,
    zoom: map.zoom,
    south: southWest?.lat ?? null,
    west: southWest?.lng ?? null,
    north: northEast?.lat ?? null,
    east: northEast?.lng ?? null,
    categories: JSON.stringify(map.categories ?? []),
    tile_url: map.tileUrl ?? null,
    tile_attribution: map.tileAttribution ?? null,
    closed: map.closed ? 1 : 0,
    pre_moderation: map.preModeration ? 1 : 0,
    allow_images: map.allowImages ? 1 : 0,
    required_verification: map.requiredVerification ?? 'anonymous',
    created_at: now,
    updated_at: now,
  };
}

/** Who reads: `mine` and `followedByMe` are worked out for a participant; none for the public view. */
export interface MapReportReader {
  participantId?: string;
  followed?: ReadonlySet<string>;
  /** A download (the council's export, a participant's own data), which no browser shows: media links go in `imageUrl` too. */
  download?: boolean;
}

export function reportView(row: MapReportRow, updates: MapReportUpdateRow[], reader: MapReportReader): MapReportWire {
  const view: MapReportWire = {
    id: row.id,
    mapId: row.map_id,
    categoryId: row.category_id,
    description: row.description,
    status: row.status,
    moderation: row.moderation,
    updates: updates.map((update) => ({ at: update.at, ...(update.status === null ? {} : { status: update.status }), body: update.body })),
    followers: row.followers,
    comments: row.comments,
    createdAt: row.created_at,
  };
  if (row.lat !== null && row.lng !== null) view.point = { lat: row.lat, lng: row.lng };
  if (row.address !== null) view.address = row.address;
  if (row.attributes !== null) view.attributes = JSON.parse(row.attributes) as NonNullable<MapReportWire['attributes']>;
  // A link an Open311 client sent stays out of the widgets: showing it would make the citizen's
  // browser ask a third party for it.
  if (row.image !== null && (isDataImage(row.image) || reader.download)) view.imageUrl = row.image;
  if (row.updated_at !== null) view.updatedAt = row.updated_at;
  if (row.tracked_project_id !== null) view.trackedProjectId = row.tracked_project_id;
  if (reader.participantId !== undefined) {
    view.followedByMe = reader.followed?.has(row.id) ?? false;
    if (row.participant_id === reader.participantId) view.mine = true;
  }
  return view;
}

/** Why a map takes no report now, or nothing when it does. */
export function closedReason(map: MapWire): string | undefined {
  return map.closed ? 'This map takes no new reports.' : undefined;
}

// ------------------------------------------------------------------ reports

export interface CheckedReport {
  categoryId: string;
  point?: GeoPoint;
  address?: string;
  description: string;
  attributes?: Record<string, string | number | boolean>;
  image?: string;
}

/**
 * How a report is checked: the REST route's rules, or Open311's, where the specification lets a
 * description be left out or run to 4,000 characters and `media_url` be a link.
 */
export interface ReportRules {
  description: { min: number; max: number };
  /** Accept an http(s) address as the image: stored and shown as a link, never fetched. */
  mediaLinks: boolean;
}

export const REPORT_RULES: ReportRules = { description: { min: MAP_DESCRIPTION_MIN_LENGTH, max: MAP_DESCRIPTION_MAX_LENGTH }, mediaLinks: false };

/** True for an image held in the report itself, false for a link to one elsewhere. */
export function isDataImage(image: string): boolean {
  return image.startsWith('data:');
}

/** The longest media link kept, in characters. */
export const MEDIA_LINK_MAX_LENGTH = 2000;

/** Why a media link is refused, or nothing: an absolute http(s) URL with a host, of sane length. */
export function mediaLinkProblem(link: string): string | undefined {
  const problem = 'Must be an http(s) address, or a data: URL holding the image.';
  if (link.length > MEDIA_LINK_MAX_LENGTH) return `An address must be at most ${MEDIA_LINK_MAX_LENGTH} characters.`;
  if (/\s/.test(link)) return problem;
  try {
    const url = new URL(link);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? undefined : problem;
  } catch {
    return problem;
  }
}

/**
 * The report reduced to what the map accepts, or one message per faulty field, keyed as the
 * contract says (`attributes.<code>` for a category's fields). Unknown attribute codes are dropped.
 */
export function checkReport(map: MapWire, input: Omit<MapReportInputWire, 'website'>, rules: ReportRules = REPORT_RULES): CheckedReport | FieldError[] {
  const errors: FieldError[] = [];
  const category = map.categories.find((candidate) => candidate.id === input.categoryId);
  if (!category) errors.push({ field: 'categoryId', message: 'Choose one of the categories of the map.' });

  const address = input.address?.trim() || undefined;
  if (input.point === undefined && address === undefined) {
    errors.push({ field: 'point', message: 'Place the report on the map or give an address.' });
  } else if (input.point !== undefined && !inWorld(input.point)) {
    errors.push({ field: 'point', message: 'This point is not on Earth.' });
  } else if (input.point !== undefined && map.bounds && !inBounds(input.point, map.bounds)) {
    errors.push({ field: 'point', message: "This point is outside the map's area." });
  }
  if (address !== undefined && textLength(address) > MAP_ADDRESS_MAX_LENGTH) {
    errors.push({ field: 'address', message: `The address must be at most ${MAP_ADDRESS_MAX_LENGTH} characters.` });
  }

  // Blank is empty: under Open311's rules, a report that describes nothing.
  const description = isBlank(input.description) ? '' : input.description.trim();
  const { min, max } = rules.description;
  if (textLength(description) < min) errors.push({ field: 'description', message: `Describe the problem in at least ${min} characters.` });
  else if (textLength(description) > max) errors.push({ field: 'description', message: `The description must be at most ${max} characters.` });

  const attributes: Record<string, string | number | boolean> = {};
  for (const field of category?.fields ?? []) {
    const key = `attributes.${field.code}`;
    const raw = input.attributes?.[field.code];
    const blank = raw === undefined || (typeof raw === 'string' && raw.trim() === '');
    if (blank) {
      if (field.required) errors.push({ field: key, message: `${field.label}: required.` });
      continue;
    }
    const value = attributeValue(field, raw);
    if (typeof value === 'object') errors.push({ field: key, message: `${field.label}: ${value.problem}` });
    else attributes[field.code] = value;
  }

  if (input.image !== undefined) {
    const link = rules.mediaLinks && /^https?:/i.test(input.image);
    const problem = !map.allowImages ? 'This map does not take images.' : link ? mediaLinkProblem(input.image) : imageProblem(input.image);
    if (problem) errors.push({ field: 'image', message: problem });
  }
  if (errors.length) return errors;
  return {
    categoryId: category!.id,
    description,
    ...(input.point === undefined ? {} : { point: { lat: input.point.lat, lng: input.point.lng } }),
    ...(address === undefined ? {} : { address }),
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(input.image === undefined ? {} : { image: input.image }),
  };
}

type Field = MapWire['categories'][number]['fields'][number];

/** A value as the field's type holds it; text from a form (Open311) is read the same way. */
function attributeValue(field: Field, raw: string | number | boolean): string | number | boolean | { problem: string } {
  switch (field.type) {
    case 'number': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
      return Number.isFinite(value) ? value : { problem: 'must be a number.' };
    }
    case 'checkbox':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      return { problem: 'must be true or false.' };
    case 'select': {
      const value = String(raw);
      return field.options?.some((option) => option.value === value) ? value : { problem: 'choose one of the options.' };
    }
    default: {
      const value = String(raw).trim();
      return textLength(value) > MAP_ATTRIBUTE_MAX_LENGTH ? { problem: `at most ${MAP_ATTRIBUTE_MAX_LENGTH} characters.` } : value;
    }
  }
}

function inWorld(point: GeoPoint): boolean {
  return Number.isFinite(point.lat) && Number.isFinite(point.lng) && Math.abs(point.lat) <= 90 && Math.abs(point.lng) <= 180;
}

export function inBounds(point: GeoPoint, [southWest, northEast]: [GeoPoint, GeoPoint]): boolean {
  return point.lat >= southWest.lat && point.lat <= northEast.lat && point.lng >= southWest.lng && point.lng <= northEast.lng;
}

/** `west,south,east,north`, or a problem on the `bbox` field. */
export function parseBbox(text: string): Bbox | FieldError {
  const values = text.split(',').map(Number);
  const [west, south, east, north] = values as Bbox;
  const outOfRange = south > north || Math.abs(south) > 90 || Math.abs(north) > 90 || Math.abs(west) > 180 || Math.abs(east) > 180;
  if (values.length !== 4 || values.some((value) => !Number.isFinite(value)) || outOfRange) {
    return { field: 'bbox', message: 'Give west,south,east,north in degrees, south below north.' };
  }
  return [west, south, east, north];
}

const EARTH_RADIUS_METERS = 6_371_008.8;

export function haversineMeters(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box around a point that holds every point within `meters`: the index narrows, haversine decides. */
export function boxAround(point: GeoPoint, meters: number): Bbox {
  const dLat = (meters / EARTH_RADIUS_METERS) * (180 / Math.PI);
  const cos = Math.max(0.01, Math.cos((point.lat * Math.PI) / 180));
  const dLng = Math.min(180, dLat / cos);
  return [point.lng - dLng, Math.max(-90, point.lat - dLat), point.lng + dLng, Math.min(90, point.lat + dLat)];
}
