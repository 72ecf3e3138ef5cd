import { isDataImage, REPORT_RULES, type MapReportRow, type MapReportUpdateRow, type ReportRules } from '../maps/model.js';
import type { MapCategoryWire, MapWire } from '../maps/schemas.js';

/**
 * GeoReport v2 shapes (wiki.open311.org/GeoReport_v2), built from the map's own data: one map is
 * one jurisdiction, its categories are the services, its published reports the service requests.
 */

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** Open311's default window for a list of requests, and the most one answer holds. */
export const DEFAULT_SPAN_DAYS = 90;
export const MAX_REQUESTS = 1000;

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'text' | 'singlevaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: Array<{ key: string; name: string }>;
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** One entry of the request updates extension (servicerequestupdates, as FixMyStreet reads it). */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: 'open' | 'closed';
  updated_datetime: string;
  description: string;
}

export interface Open311Error {
  code: number;
  description: string;
}

/**
 * GeoReport v2's rules for a posted report: the description may be left out and runs to 4,000
 * characters (so the map's minimum length does not apply), and media_url may be a link.
 */
export const OPEN311_DESCRIPTION_MAX_LENGTH = 4000;
export const OPEN311_RULES: ReportRules = { ...REPORT_RULES, description: { min: 0, max: OPEN311_DESCRIPTION_MAX_LENGTH }, mediaLinks: true };

/** Open311's two states: open, acknowledged and in-progress reports are all `open`. */
export function open311Status(status: string): 'open' | 'closed' {
  return status === 'closed' ? 'closed' : 'open';
}

/**
 * `start_date` and `end_date` as instants: a W3C date-time with its zone, or a date alone, which
 * means that day in UTC, from its first moment as a start and to its last as an end. Undefined
 * when the text is neither.
 */
export function instantOf(value: string, bound: 'start' | 'end'): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = Date.parse(`${value}T00:00:00.000Z`);
    if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== value) return undefined;
    return bound === 'start' ? day : day + 24 * 3600 * 1000 - 1;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at;
}

/** Accepted by `start_date` and `end_date`: a date, or a date-time with a zone (checked again by instantOf). */
export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|z|[+-]\\d{2}:\\d{2}))?$';

export function serviceOf(category: MapCategoryWire): Open311Service {
  return {
    service_code: category.id,
    service_name: category.label,
    description: category.description ?? '',
    metadata: category.fields.length > 0,
    type: 'realtime',
    keywords: '',
    group: category.group ?? '',
  };
}

/** Our field types in Open311's: a checkbox is a list of `true` and `false`. */
export function attributesOf(category: MapCategoryWire): Open311Attribute[] {
  return category.fields.map((field, index) => ({
    variable: true,
    code: field.code,
    datatype: field.type === 'number' ? 'number' : field.type === 'text' ? 'string' : 'singlevaluelist',
    required: field.required,
    datatype_description: field.description ?? '',
    order: index + 1,
    description: field.label,
    values:
      field.type === 'select'
        ? (field.options ?? []).map((option) => ({ key: option.value, name: option.label }))
        : field.type === 'checkbox'
          ? [{ key: 'true', name: 'Yes' }, { key: 'false', name: 'No' }]
          : [],
  }));
}

export function requestOf(map: MapWire, row: MapReportRow, latest: MapReportUpdateRow | undefined, mediaUrl: string | undefined): Open311Request {
  return {
    service_request_id: row.id,
    status: open311Status(row.status),
    status_notes: latest ? textOf(latest.body) : null,
    service_name: map.categories.find((category) => category.id === row.category_id)?.label ?? row.category_id,
    service_code: row.category_id,
    description: row.description,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: row.created_at,
    updated_datetime: row.updated_at ?? row.created_at,
    expected_datetime: null,
    address: row.address,
    address_id: null,
    zipcode: null,
    lat: row.lat,
    long: row.lng,
    media_url: row.image === null ? null : isDataImage(row.image) ? (mediaUrl ?? null) : row.image,
  };
}

/** A council update as the extension lists it, with the status the report had once it was posted. */
export function updateOf(update: MapReportUpdateRow, status: string): Open311Update {
  return {
    update_id: String(update.id),
    service_request_id: update.report_id,
    status: open311Status(status),
    updated_datetime: update.at,
    description: textOf(update.body),
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text of council HTML (already sanitised): tags dropped, blocks and breaks as spaces, entities decoded. */
export function textOf(html: string): string {
  return html
    .replace(/<\/(p|li|h[2-4]|blockquote)>|<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Our field names in Open311's, for error descriptions. */
export function open311Field(field: string): string {
  if (field === 'point') return 'lat/long';
  if (field === 'address') return 'address_string';
  if (field === 'categoryId') return 'service_code';
  if (field === 'image') return 'media_url';
  if (field.startsWith('attributes.')) return `attribute[${field.slice('attributes.'.length)}]`;
  return field;
}
