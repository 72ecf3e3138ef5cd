import { forbiddenCharacter, forbiddenMessage, isBlank } from '../../../core/src/content/text-rules.js';
import type { Selectable } from 'kysely';
import type { OriginKind, ProjectStatus, ProjectTable, ProjectUpdateTable, TrackerTable } from '../db/schema-tracker.js';
import type { FieldError } from '../http/problem.js';
import { fold } from '../ideas/model.js';
import type { ProjectUpdateWire, StatusTotalWire, TrackerCreate, TrackerWire } from './schemas.js';

/**
 * The tracker limits of the contract (packages/core/src/contract/limits.ts), kept here because the
 * server ships without the browser packages; contract-check.ts makes the compiler hold them equal.
 */
export const PROJECT_PAGE_SIZE = 12;
export const PROJECT_MAX_PAGE_SIZE = 50;
export const CONTRIBUTION_PAGE_SIZE = 20;
export const CONTRIBUTION_MAX_PAGE_SIZE = 100;
/** Entries of a tracker's Atom feed. */
export const FEED_ENTRIES = 50;

/** The order of the overview and of the `status` sort. */
export const PROJECT_STATUSES: readonly ProjectStatus[] = ['planned', 'in-progress', 'done', 'cancelled'];
export const ORIGIN_KINDS: readonly OriginKind[] = ['idea', 'poll', 'map-report', 'comment-thread'];

export type TrackerRow = Selectable<TrackerTable>;
export type ProjectRow = Selectable<ProjectTable>;
export type UpdateRow = Selectable<ProjectUpdateTable>;

/** Names in the council's language sort as a French reader expects: "École" beside "école", before "étang". */
export const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

export function projectThreadId(projectId: string): string {
  return `project:${projectId}`;
}

export function trackerBase(row: TrackerRow): Omit<TrackerWire, 'districts' | 'categories' | 'overview'> & { pageUrl?: string } {
  const labels = JSON.parse(row.status_labels) as TrackerWire['statusLabels'];
  return {
    id: row.id,
    title: row.title,
    ...(row.description === null ? {} : { description: row.description }),
    ...(labels && Object.keys(labels).length > 0 ? { statusLabels: labels } : {}),
    currency: row.currency,
    ...(row.page_url === null ? {} : { pageUrl: row.page_url }),
  };
}

export function trackerToRow(input: Omit<TrackerCreate, 'description' | 'pageUrl'> & { description?: string | null; pageUrl?: string | null }, now: string): TrackerRow {
  return {
    id: input.id,
    title: input.title.trim(),
    description: input.description || null,
    status_labels: JSON.stringify(input.statusLabels ?? {}),
    currency: input.currency,
    page_url: input.pageUrl ?? null,
    created_at: now,
    updated_at: now,
  };
}

/** Every status in order, zeros included. */
export function overviewOf(rows: Array<{ status: ProjectStatus; projects: number; planned: number | null; spent: number | null }>): StatusTotalWire[] {
  const byStatus = new Map(rows.map((row) => [row.status, row]));
  return PROJECT_STATUSES.map((status) => {
    const row = byStatus.get(status);
    return { status, projects: Number(row?.projects ?? 0), budgetPlanned: Number(row?.planned ?? 0), budgetSpent: Number(row?.spent ?? 0) };
  });
}

export function updateView(row: UpdateRow): ProjectUpdateWire {
  return {
    id: row.id,
    at: row.at,
    ...(row.title === null ? {} : { title: row.title }),
    body: row.body,
    ...(row.status === null ? {} : { status: row.status }),
    ...(row.progress === null ? {} : { progress: row.progress }),
  };
}

// ------------------------------------------------------------------ project fields

/** A project's own fields as stored: what the admin routes and the CSV import write. */
export interface ProjectFields {
  title: string;
  summary: string;
  status: ProjectStatus;
  progress: number;
  budgetPlanned: number | null;
  budgetSpent: number | null;
  startsAt: string | null;
  endsAt: string | null;
  district: string | null;
  category: string | null;
  imageUrl: string | null;
  imageAlt: string | null;
}

export const EMPTY_PROJECT: ProjectFields = {
  title: '',
  summary: '',
  status: 'planned',
  progress: 0,
  budgetPlanned: null,
  budgetSpent: null,
  startsAt: null,
  endsAt: null,
  district: null,
  category: null,
  imageUrl: null,
  imageAlt: null,
};

export function fieldsOf(row: ProjectRow): ProjectFields {
  return {
    title: row.title,
    summary: row.summary,
    status: row.status,
    progress: row.progress,
    budgetPlanned: row.budget_planned,
    budgetSpent: row.budget_spent,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    district: row.district,
    category: row.category,
    imageUrl: row.image_url,
    imageAlt: row.image_alt,
  };
}

export function fieldsToRow(fields: ProjectFields): Omit<ProjectRow, 'id' | 'tracker_id' | 'created_at' | 'updated_at'> {
  return {
    title: fields.title,
    summary: fields.summary,
    search: fold(`${fields.title}\n${fields.summary}`),
    status: fields.status,
    progress: fields.progress,
    budget_planned: fields.budgetPlanned,
    budget_spent: fields.budgetSpent,
    starts_at: fields.startsAt,
    ends_at: fields.endsAt,
    district: fields.district,
    category: fields.category,
    image_url: fields.imageUrl,
    image_alt: fields.imageAlt,
  };
}

export function sameFields(a: ProjectFields, b: ProjectFields): boolean {
  return (Object.keys(a) as Array<keyof ProjectFields>).every((key) => a[key] === b[key]);
}

/** Trimmed text, and nothing for blank text. */
export function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Rules that span fields or that the schema cannot say; field names are the wire's. */
export function checkProjectFields(fields: ProjectFields): FieldError[] {
  const errors: FieldError[] = [];
  // The CSV import's cells reach this point without passing the request's character check.
  for (const [field, value] of Object.entries(fields)) {
    const character = typeof value === 'string' ? forbiddenCharacter(value) : undefined;
    if (character) errors.push({ field, message: forbiddenMessage(character) });
  }
  if (isBlank(fields.title)) errors.push({ field: 'title', message: 'Give the project a title.' });
  if (!Number.isInteger(fields.progress) || fields.progress < 0 || fields.progress > 100) errors.push({ field: 'progress', message: 'Progress is a whole number from 0 to 100.' });
  for (const [field, value] of [['budgetPlanned', fields.budgetPlanned], ['budgetSpent', fields.budgetSpent]] as const) {
    if (value !== null && !(Number.isFinite(value) && value >= 0)) errors.push({ field, message: 'A budget is a number of 0 or more.' });
  }
  for (const [field, value] of [['startsAt', fields.startsAt], ['endsAt', fields.endsAt]] as const) {
    if (value !== null && !isZonedDate(value)) errors.push({ field, message: 'Use an ISO 8601 date with a zone, e.g. 2027-03-01T09:00:00+01:00.' });
  }
  if (fields.startsAt && fields.endsAt && isZonedDate(fields.startsAt) && isZonedDate(fields.endsAt) && Date.parse(fields.endsAt) < Date.parse(fields.startsAt)) {
    errors.push({ field: 'endsAt', message: 'The project cannot end before it starts.' });
  }
  if (fields.imageAlt !== null && fields.imageUrl === null) errors.push({ field: 'imageAlt', message: 'Alternative text describes an image: give the image too.' });
  return errors;
}

export function isZonedDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

// ------------------------------------------------------------------ origins

export interface OriginRef {
  kind: OriginKind;
  id: string;
}

export function originKey(ref: OriginRef): string {
  return `${ref.kind}:${ref.id}`;
}

/** `idea:12`, `poll:budget-2027`, `comment-thread:idea:12`: the kind, then the source id. */
export function parseOriginKey(token: string): OriginRef | undefined {
  const colon = token.indexOf(':');
  if (colon < 0) return undefined;
  const kind = token.slice(0, colon) as OriginKind;
  const id = token.slice(colon + 1);
  if (!ORIGIN_KINDS.includes(kind) || !/^[A-Za-z0-9][A-Za-z0-9:_-]{0,119}$/.test(id)) return undefined;
  return { kind, id };
}

/** A report has no title: the first line of its description stands for it. */
export function excerpt(description: string, length = 80): string {
  const line = description.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > length ? `${line.slice(0, length - 1).trimEnd()}…` : line;
}
