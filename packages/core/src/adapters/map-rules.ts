import { characterProblem, isBlank, textLength } from '../content/text-rules.js';
/*
 * The rules of map reports that every adapter applies the same way as the reference server: what a
 * report must hold to be accepted, what a filter means, distances, and the order and cursors of
 * the list. Shared by MemoryAdapter and Open311Adapter (Open311 names no field in its errors, so
 * that adapter checks a report here before sending it).
 */
import { CivicError } from '../contract/errors.js';
import {
  IDEA_IMAGE_MAX_BYTES,
  IDEA_IMAGE_TYPES,
  MAP_ADDRESS_MAX_LENGTH,
  MAP_ATTRIBUTE_MAX_LENGTH,
  MAP_DESCRIPTION_MAX_LENGTH,
  MAP_DESCRIPTION_MIN_LENGTH,
  MAP_REPORT_MAX_PAGE_SIZE,
  MAP_REPORT_PAGE_SIZE,
} from '../contract/limits.js';
import type {
  GeoPoint,
  MapCategoryField,
  MapReport,
  MapReportFilter,
  MapReportInput,
  MapReportQuery,
  MapReportStatus,
  ParticipatoryMap,
} from '../contract/types.js';

export type ValidMapReport = Pick<MapReport, 'categoryId' | 'point' | 'address' | 'description' | 'attributes' | 'imageUrl'>;

export const MAP_REPORT_STATUSES: ReadonlySet<string> = new Set<MapReportStatus>(['open', 'acknowledged', 'in-progress', 'closed']);
const SORTS: ReadonlySet<string> = new Set(['newest', 'most-followed']);

/** Mean radius of the Earth, in metres. */
const EARTH_RADIUS = 6_371_000;

// ------------------------------------------------------------------ reports

/** The report reduced to what the map accepts, or a `validation` error naming every field at fault. */
export function validMapReport(map: ParticipatoryMap, input: MapReportInput): ValidMapReport {
  if (!input || typeof input !== 'object') throw validation('A report is an object', { description: 'Describe the problem' });
  const errors: Record<string, string> = {};

  const category = map.categories.find((candidate) => candidate.id === input.categoryId);
  if (typeof input.categoryId !== 'string' || input.categoryId === '') errors.categoryId = 'Choose a category';
  else if (!category) errors.categoryId = 'Choose one of the categories of the map';

  const report: ValidMapReport = { categoryId: category?.id ?? '', description: '' };

  if (input.point !== undefined && input.point !== null) {
    const { lat, lng } = input.point as Partial<GeoPoint>;
    if (!inRange(lat, 90) || !inRange(lng, 180)) errors.point = 'The point must have a latitude within ±90 and a longitude within ±180';
    else if (map.bounds && !withinBounds({ lat, lng }, map.bounds)) errors.point = 'The point is outside the map’s area';
    else report.point = { lat, lng };
  }
  if (input.address !== undefined && input.address !== null) {
    const address = typeof input.address === 'string' ? input.address.trim() : undefined;
    if (address === undefined) errors.address = 'The address must be text';
    else if (characterProblem(address)) errors.address = characterProblem(address)!;
    else if (textLength(address) > MAP_ADDRESS_MAX_LENGTH) errors.address = `The address must be at most ${MAP_ADDRESS_MAX_LENGTH} characters`;
    else if (address !== '') report.address = address;
  }
  if (report.point === undefined && report.address === undefined && !errors.point && !errors.address) {
    errors.point = 'Place the report on the map or give an address';
  }

  const description = typeof input.description === 'string' ? input.description.trim() : '';
  if (characterProblem(description)) errors.description = characterProblem(description)!;
  else if (isBlank(description) || textLength(description) < MAP_DESCRIPTION_MIN_LENGTH) errors.description = `Describe the problem in at least ${MAP_DESCRIPTION_MIN_LENGTH} characters`;
  else if (textLength(description) > MAP_DESCRIPTION_MAX_LENGTH) errors.description = `The description must be at most ${MAP_DESCRIPTION_MAX_LENGTH} characters`;
  else report.description = description;

  if (category) {
    const attributes = validAttributes(category.fields, input.attributes ?? {}, errors);
    if (Object.keys(attributes).length > 0) report.attributes = attributes;
  }

  if (input.image !== undefined && input.image !== null && input.image !== '') {
    if (!map.allowImages) errors.image = 'This map does not take images';
    else {
      const problem = imageProblem(input.image);
      if (problem) errors.image = problem;
      else report.imageUrl = input.image;
    }
  }

  if (Object.keys(errors).length > 0) throw validation('The report does not fit the map', errors);
  return report;
}

/** Each field's answer in the type of the field; codes the category does not ask for are dropped. */
function validAttributes(
  fields: readonly MapCategoryField[],
  raw: Record<string, unknown>,
  errors: Record<string, string>,
): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  const given = raw && typeof raw === 'object' ? raw : {};
  for (const field of fields) {
    const key = `attributes.${field.code}`;
    let value = Object.prototype.hasOwnProperty.call(given, field.code) ? given[field.code] : undefined;
    if (typeof value === 'string') value = value.trim();
    if (value === undefined || value === null || value === '') {
      if (field.required) errors[key] = `${field.label} is required`;
      continue;
    }
    switch (field.type) {
      case 'text':
        if (typeof value !== 'string' && typeof value !== 'number') errors[key] = `${field.label} must be text`;
        else if (textLength(String(value)) > MAP_ATTRIBUTE_MAX_LENGTH) errors[key] = `${field.label} must be at most ${MAP_ATTRIBUTE_MAX_LENGTH} characters`;
        else attributes[field.code] = String(value);
        break;
      case 'number': {
        const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(',', '.')) : NaN;
        if (!Number.isFinite(number)) errors[key] = `${field.label} must be a number`;
        else attributes[field.code] = number;
        break;
      }
      case 'select':
        if (!(field.options ?? []).some((option) => option.value === String(value))) errors[key] = `Choose one of the answers to ${field.label}`;
        else attributes[field.code] = String(value);
        break;
      case 'checkbox':
        if (value === true || value === 'true') attributes[field.code] = true;
        else if (value === false || value === 'false') attributes[field.code] = false;
        else errors[key] = `${field.label} is yes or no`;
        break;
    }
  }
  return attributes;
}

/** What is wrong with an image given as a `data:` URL, if anything. */
function imageProblem(image: unknown): string | undefined {
  const match = typeof image === 'string' ? /^data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/.exec(image) : null;
  if (!match || !IDEA_IMAGE_TYPES.includes(match[1]!.toLowerCase())) return 'The image must be a JPEG, PNG or WebP file';
  const data = match[2]!;
  const bytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (bytes === 0) return 'The image is empty';
  if (bytes > IDEA_IMAGE_MAX_BYTES) return `The image must be at most ${IDEA_IMAGE_MAX_BYTES / (1024 * 1024)} MB`;
  return undefined;
}

function inRange(value: unknown, bound: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= bound;
}

// ------------------------------------------------------------------ geometry

/** Inside the south-west and north-east corners, edges included. */
export function withinBounds(point: GeoPoint, [southWest, northEast]: readonly [GeoPoint, GeoPoint]): boolean {
  return (
    point.lat >= southWest.lat &&
    point.lat <= northEast.lat &&
    (southWest.lng <= northEast.lng
      ? point.lng >= southWest.lng && point.lng <= northEast.lng
      : point.lng >= southWest.lng || point.lng <= northEast.lng)
  );
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const toRadians = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRadians;
  const dLng = (b.lng - a.lng) * toRadians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRadians) * Math.cos(b.lat * toRadians) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Degrees of latitude that `meters` cannot exceed, to skip far reports before measuring them. */
export function latitudeSpan(meters: number): number {
  return (meters / EARTH_RADIUS) * (180 / Math.PI);
}

/** The point a `nearby` call measures from, or a `validation` error. */
export function validNearby(point: GeoPoint, radiusMeters: number, maxRadius: number): GeoPoint {
  const errors: Record<string, string> = {};
  const { lat, lng } = (point ?? {}) as Partial<GeoPoint>;
  if (!inRange(lat, 90) || !inRange(lng, 180)) errors.point = 'The point must have a latitude within ±90 and a longitude within ±180';
  if (typeof radiusMeters !== 'number' || !(radiusMeters > 0) || radiusMeters > maxRadius) {
    errors.radius = `The radius must be more than 0 and at most ${maxRadius} metres`;
  }
  if (Object.keys(errors).length > 0) throw validation('Nearby reports need a point and a radius', errors);
  return { lat: lat!, lng: lng! };
}

// ------------------------------------------------------------------ filters

/** The filter checked: a bbox of four finite numbers with south ≤ north, a known status. */
export function validFilter(filter: MapReportFilter = {}): MapReportFilter {
  const errors: Record<string, string> = {};
  const valid: MapReportFilter = {};
  if (filter.bbox !== undefined) {
    const bbox = filter.bbox;
    const ok =
      Array.isArray(bbox) &&
      bbox.length === 4 &&
      inRange(bbox[0], 180) &&
      inRange(bbox[2], 180) &&
      inRange(bbox[1], 90) &&
      inRange(bbox[3], 90) &&
      bbox[1] <= bbox[3];
    if (ok) valid.bbox = [bbox[0], bbox[1], bbox[2], bbox[3]];
    else errors.bbox = 'The box is west, south, east, north in degrees';
  }
  if (filter.category !== undefined && filter.category !== '') valid.category = filter.category;
  if (filter.status !== undefined) {
    if (MAP_REPORT_STATUSES.has(filter.status)) valid.status = filter.status;
    else errors.status = 'Choose a known status';
  }
  if (Object.keys(errors).length > 0) throw validation('Unknown filter', errors);
  return valid;
}

/** Whether a report passes a checked filter; a report without a point fails any bbox. */
export function matchesFilter(
  report: { categoryId: string; status: MapReportStatus; point?: GeoPoint },
  filter: MapReportFilter,
): boolean {
  if (filter.category !== undefined && report.categoryId !== filter.category) return false;
  if (filter.status !== undefined && report.status !== filter.status) return false;
  if (filter.bbox !== undefined) {
    const point = report.point;
    if (!point) return false;
    const [west, south, east, north] = filter.bbox;
    if (point.lat < south || point.lat > north) return false;
    // A box whose west edge is east of its east edge crosses the antimeridian.
    return west <= east ? point.lng >= west && point.lng <= east : point.lng >= west || point.lng <= east;
  }
  return true;
}

// ------------------------------------------------------------------ order and paging

/** What the list is sorted by: newest first, or most followed first then newest. */
export interface Listed {
  id: string;
  /** createdAt in ms */
  at: number;
  followers: number;
}

type CursorKey = [rank: number, at: number, id: string];

/**
 * One page of `matching` in the query's order. The cursor holds the last item's sort key, so that
 * reports added meanwhile shift nothing on later pages.
 */
export function pageOf<T extends Listed>(matching: T[], query: MapReportQuery, scope: string): { items: T[]; nextCursor?: string; total: number } {
  const sort = query.sort ?? 'newest';
  if (!SORTS.has(sort)) throw validation('Unknown sort order', { sort: 'Sort by newest or most followed' });
  const requested = Math.floor(Number(query.limit ?? MAP_REPORT_PAGE_SIZE));
  const limit = Number.isFinite(requested) ? Math.min(MAP_REPORT_MAX_PAGE_SIZE, Math.max(1, requested)) : MAP_REPORT_PAGE_SIZE;
  const keyOf = (item: T): CursorKey => [sort === 'newest' ? 0 : -item.followers, item.at, item.id];
  // Compared field by field rather than through keyOf, with follower counts read once: sorting
  // 50,000 reports must stay quick.
  const sorted =
    sort === 'newest'
      ? [...matching].sort((a, b) => b.at - a.at || byId(a, b))
      : matching
          .map((item) => ({ item, id: item.id, at: item.at, followers: item.followers }))
          .sort((a, b) => b.followers - a.followers || b.at - a.at || byId(a, b))
          .map(({ item }) => item);
  const scopeKey = [scope, sort, query.category ?? '', query.status ?? '', (query.bbox ?? []).join(',')];

  let start = 0;
  if (query.cursor !== undefined && query.cursor !== '') {
    const after = readCursor(query.cursor, scopeKey);
    start = firstAfter(sorted, after, keyOf);
  }
  const items = sorted.slice(start, start + limit);
  const page: { items: T[]; nextCursor?: string; total: number } = { items, total: sorted.length };
  const last = items.at(-1);
  if (last && start + limit < sorted.length) page.nextCursor = writeCursor(scopeKey, keyOf(last));
  return page;
}

/** The index of the first item sorted after `key` (binary search: lists may hold 50,000 reports). */
function firstAfter<T>(sorted: T[], key: CursorKey, keyOf: (item: T) => CursorKey): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(keyOf(sorted[middle]!), key) > 0) high = middle;
    else low = middle + 1;
  }
  return low;
}

function byId(a: Listed, b: Listed): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function compare(a: CursorKey, b: CursorKey): number {
  return a[0] - b[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

function writeCursor(scope: string[], key: CursorKey): string {
  const bytes = new TextEncoder().encode(JSON.stringify([scope, key]));
  return btoa(String.fromCharCode(...bytes));
}

function readCursor(cursor: string, scope: string[]): CursorKey {
  try {
    const bytes = Uint8Array.from(atob(cursor), (char) => char.charCodeAt(0));
    const [cursorScope, key] = JSON.parse(new TextDecoder().decode(bytes)) as [unknown, unknown];
    if (
      JSON.stringify(cursorScope) === JSON.stringify(scope) &&
      Array.isArray(key) &&
      typeof key[0] === 'number' &&
      typeof key[1] === 'number' &&
      typeof key[2] === 'string'
    ) {
      return key as CursorKey;
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw validation('This cursor does not belong to this listing', { cursor: 'Start again from the first page' });
}

export function validation(message: string, fieldErrors: Record<string, string>): CivicError {
  return new CivicError('validation', message, { status: 422, fieldErrors });
}
