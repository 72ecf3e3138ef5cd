import type { Trx } from '../db/commit-queue.js';
import type { ProjectStatus } from '../db/schema-tracker.js';
import {
  checkProjectFields,
  EMPTY_PROJECT,
  fieldsOf,
  isZonedDate,
  originKey,
  parseOriginKey,
  PROJECT_STATUSES,
  sameFields,
  text,
  trackerBase,
  type OriginRef,
  type ProjectFields,
  type ProjectRow,
} from './model.js';
import { csvLine, CsvSyntaxError, defuse, restore, type CsvRecord } from './csv.js';
import type { ImportError } from './schemas.js';
import { chunks, type StoredOrigin, type TrackerStore } from './store.js';

/** The columns of a tracker's projects file, in the order they are written. */
export const PROJECT_COLUMNS = [
  'id',
  'title',
  'summary',
  'status',
  'progress',
  'budget_planned',
  'budget_spent',
  'starts_at',
  'ends_at',
  'district',
  'category',
  'image_url',
  'image_alt',
  'origins',
] as const;
type Column = (typeof PROJECT_COLUMNS)[number];

/** The wire's field names in the CSV's words, for messages about a row. */
const COLUMN_OF: Record<keyof ProjectFields, Column> = {
  title: 'title',
  summary: 'summary',
  status: 'status',
  progress: 'progress',
  budgetPlanned: 'budget_planned',
  budgetSpent: 'budget_spent',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  district: 'district',
  category: 'category',
  imageUrl: 'image_url',
  imageAlt: 'image_alt',
};

/** Errors listed in a summary; the rest are counted. */
const MAX_LISTED_ERRORS = 1000;
/** Rows checked together: one lookup of their ids and origins. */
const BATCH = 1000;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const URL = /^https?:\/\/\S+$/;

// ------------------------------------------------------------------ export

/** The header and one line per project, oldest first, with a byte order mark for spreadsheets. */
export async function* exportProjects(store: TrackerStore, trackerId: string, onRow?: () => void): AsyncGenerator<string> {
  await store.requireTrackerRow(trackerId);
  yield `\uFEFF${csvLine([...PROJECT_COLUMNS])}`;
  for await (const { row, origins } of store.exportRows(trackerId)) {
    yield csvLine([
      row.id,
      defuse(row.title),
      defuse(row.summary),
      row.status,
      row.progress,
      row.budget_planned,
      row.budget_spent,
      row.starts_at,
      row.ends_at,
      row.district === null ? null : defuse(row.district),
      row.category === null ? null : defuse(row.category),
      row.image_url,
      row.image_alt === null ? null : defuse(row.image_alt),
      origins.map(originKey).join(' '),
    ]);
    onRow?.();
  }
}

// ------------------------------------------------------------------ import

interface PlannedRow {
  line: number;
  /** The project as it is now, when the row changes one. */
  existing?: ProjectRow;
  id?: string;
  fields: ProjectFields;
  origins: StoredOrigin[];
}

export interface ImportPlan {
  trackerId: string;
  rows: number;
  create: PlannedRow[];
  update: PlannedRow[];
  /** Rows that change nothing. */
  unchanged: number;
  errors: ImportError[];
}

interface ParsedRow {
  line: number;
  cells: Partial<Record<Column, string>>;
}

/**
 * Reads and checks a whole file against the tracker without writing anything: every row is
 * checked, and every faulty cell is reported with its line, so that one pass shows everything to
 * fix. Rows with an id update that project (created under that id when there is none); rows
 * without one create a project. A column left out of the file leaves that field as it is.
 */
export async function planImport(store: TrackerStore, trackerId: string, records: AsyncIterable<CsvRecord>, onRow?: (rows: number) => void): Promise<ImportPlan> {
  const tracker = await store.requireTrackerRow(trackerId);
  const labels = statusWords(trackerBase(tracker).statusLabels ?? {});
  const errors: ImportError[] = [];
  let errorCount = 0;
  const fail = (line: number, field: string, message: string) => {
    errorCount++;
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, field, message });
  };
  const plan: ImportPlan = { trackerId, rows: 0, create: [], update: [], unchanged: 0, errors };

  // Rows are checked a batch at a time, so that a large file is never held whole: only the
  // plan (what to write) grows with it.
  let columns: Array<Column | undefined> | undefined;
  const firstLine = new Map<string, number>();
  let batch: ParsedRow[] = [];
  const check = async () => {
    await checkBatch(store, trackerId, batch, labels, firstLine, plan, fail);
    batch = [];
  };
  try {
    for await (const record of records) {
      if (!columns) {
        columns = header(record, fail);
        if (!columns) return plan;
        continue;
      }
      plan.rows++;
      onRow?.(plan.rows);
      if (record.fields.length !== columns.length) {
        fail(record.line, 'row', `This row has ${record.fields.length} cells where the header has ${columns.length}.`);
        continue;
      }
      const cells: Partial<Record<Column, string>> = {};
      columns.forEach((column, index) => {
        if (column) cells[column] = record.fields[index]!;
      });
      batch.push({ line: record.line, cells });
      if (batch.length === BATCH) await check();
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    fail(error.line, 'file', error.message);
    return finish(plan, errorCount);
  }
  if (!columns) {
    fail(1, 'file', 'The file is empty: it needs a header row naming its columns, e.g. id,title,summary,status.');
    return plan;
  }
  await check();
  return finish(plan, errorCount);
}

/**
 * One batch of rows: ids (each at most once in the file, not a project of another tracker), the
 * sources their origins name, looked up once for the batch, then each row's fields over the
 * project as it is.
 */
async function checkBatch(
  store: TrackerStore,
  trackerId: string,
  rows: ParsedRow[],
  labels: Map<string, ProjectStatus>,
  firstLine: Map<string, number>,
  plan: ImportPlan,
  fail: (line: number, field: string, message: string) => void,
): Promise<void> {
  const accepted: Array<{ row: ParsedRow; id?: string }> = [];
  for (const row of rows) {
    const id = row.cells.id?.trim() || undefined;
    if (id === undefined) accepted.push({ row });
    else if (!ID.test(id)) fail(row.line, 'id', 'An id has up to 64 letters, digits, "-" or "_", and starts with a letter or a digit.');
    else if (firstLine.has(id)) fail(row.line, 'id', `The id "${id}" is already used on line ${firstLine.get(id)}.`);
    else {
      firstLine.set(id, row.line);
      accepted.push({ row, id });
    }
  }
  const ids = accepted.flatMap(({ id }) => (id === undefined ? [] : [id]));
  const existing = new Map((await store.rowsByIds(ids)).map((row) => [row.id, row]));
  const stored = await store.storedOrigins(store.reader, [...existing.keys()]);

  const refsOf = new Map<ParsedRow, OriginRef[]>();
  for (const { row } of accepted) {
    const cell = row.cells.origins;
    if (cell === undefined) continue;
    const refs: OriginRef[] = [];
    for (const token of cell.split(/\s+/).filter(Boolean)) {
      const ref = parseOriginKey(token);
      if (ref) refs.push(ref);
      else fail(row.line, 'origins', `"${token}" is not an origin: write kind:id, with kind idea, poll, map-report or comment-thread, e.g. idea:12 poll:budget-2027.`);
    }
    refsOf.set(row, refs);
  }
  const sources = await store.sources(store.reader, [...refsOf.values()].flat());

  for (const { row, id } of accepted) {
    const current = id === undefined ? undefined : existing.get(id);
    if (current && current.tracker_id !== trackerId) {
      fail(row.line, 'id', `The project "${id}" belongs to the tracker "${current.tracker_id}".`);
      continue;
    }
    const base = current ? fieldsOf(current) : EMPTY_PROJECT;
    const rowErrors: ImportError[] = [];
    const fields = readFields(row, base, labels, (field, message) => rowErrors.push({ line: row.line, field, message }));
    if (rowErrors.length === 0) {
      for (const error of checkProjectFields(fields)) {
        rowErrors.push({ line: row.line, field: COLUMN_OF[error.field as keyof ProjectFields] ?? error.field, message: error.message });
      }
    }
    const currentOrigins = current ? (stored.get(current.id) ?? []) : [];
    let origins = currentOrigins;
    const refs = refsOf.get(row);
    if (refs) {
      const kept = new Map(currentOrigins.map((origin) => [originKey(origin), origin]));
      const seen = new Set<string>();
      origins = [];
      for (const ref of refs) {
        const key = originKey(ref);
        const title = sources.get(key)?.title ?? kept.get(key)?.title;
        if (seen.has(key)) rowErrors.push({ line: row.line, field: 'origins', message: `${key} is listed twice.` });
        else if (title === undefined) rowErrors.push({ line: row.line, field: 'origins', message: `There is no ${ref.kind.replace('-', ' ')} "${ref.id}".` });
        // A link the council set stays: the file has no column for it.
        else origins.push({ ...ref, title: kept.get(key)?.title ?? title, url: kept.get(key)?.url ?? null });
        seen.add(key);
      }
    }
    for (const error of rowErrors) fail(error.line, error.field, error.message);
    if (rowErrors.length > 0) continue;
    if (!current) plan.create.push({ line: row.line, ...(id === undefined ? {} : { id }), fields, origins });
    else if (!sameFields(base, fields) || !sameOrigins(currentOrigins, origins)) plan.update.push({ line: row.line, existing: current, id, fields, origins });
    else plan.unchanged++;
  }
}

/** Writes a plan that has no errors, in the caller's transaction. */
export async function applyImport(store: TrackerStore, trx: Trx, plan: ImportPlan, now: string, onRow?: (written: number) => void): Promise<ProjectRow[]> {
  const changed: ProjectRow[] = [];
  for (const part of chunks(plan.create, 1000)) {
    changed.push(...(await store.createProjects(trx, plan.trackerId, part, now)));
    onRow?.(changed.length);
  }
  for (const row of plan.update) {
    const existing = row.existing!;
    let updated = sameFields(fieldsOf(existing), row.fields) ? existing : await store.updateProject(trx, existing.id, row.fields, now);
    const before = await store.storedOrigins(trx, [existing.id]);
    if (!sameOrigins(before.get(existing.id) ?? [], row.origins)) updated = await store.setOrigins(trx, existing.id, row.origins, now);
    changed.push(updated);
    onRow?.(changed.length);
  }
  return changed;
}

function finish(plan: ImportPlan, errorCount: number): ImportPlan {
  plan.errors.sort((a, b) => a.line - b.line);
  const unlisted = errorCount - plan.errors.length;
  if (unlisted > 0) plan.errors.push({ line: 0, field: 'file', message: `${unlisted} more errors are not listed: fix those above and import again.` });
  return plan;
}

function header(record: CsvRecord, fail: (line: number, field: string, message: string) => void): Array<Column | undefined> | undefined {
  const names = record.fields.map((name) => name.trim().toLowerCase());
  const columns: Array<Column | undefined> = [];
  let ok = true;
  names.forEach((name, index) => {
    if (!(PROJECT_COLUMNS as readonly string[]).includes(name)) {
      fail(record.line, name || `column ${index + 1}`, `Unknown column "${record.fields[index]}". The columns are: ${PROJECT_COLUMNS.join(', ')}.`);
      ok = false;
    } else if (columns.includes(name as Column)) {
      fail(record.line, name, `The column "${name}" appears twice.`);
      ok = false;
    }
    columns.push(name as Column);
  });
  if (!columns.includes('title')) {
    fail(record.line, 'title', 'The header needs a "title" column.');
    ok = false;
  }
  return ok ? columns : undefined;
}

/** Status values: the contract's words, or the tracker's own labels, whatever the case. */
function statusWords(labels: Partial<Record<ProjectStatus, string>>): Map<string, ProjectStatus> {
  const words = new Map<string, ProjectStatus>();
  for (const status of PROJECT_STATUSES) {
    words.set(status, status);
    const label = labels[status];
    if (label) words.set(label.trim().toLowerCase(), status);
  }
  return words;
}

function readFields(row: ParsedRow, base: ProjectFields, statuses: Map<string, ProjectStatus>, fail: (field: string, message: string) => void): ProjectFields {
  const fields = { ...base };
  const { cells } = row;
  const plain = (value: string) => restore(value).trim();
  if (cells.title !== undefined) {
    fields.title = plain(cells.title);
    if (fields.title === '') fail('title', 'Give the project a title.');
    else if (fields.title.length > 200) fail('title', 'A title has at most 200 characters.');
  }
  if (cells.summary !== undefined) {
    fields.summary = plain(cells.summary);
    if (fields.summary.length > 2000) fail('summary', 'A summary has at most 2000 characters.');
  }
  if (cells.status !== undefined && cells.status.trim() !== '') {
    const status = statuses.get(cells.status.trim().toLowerCase());
    if (status) fields.status = status;
    else fail('status', `Unknown status "${cells.status.trim()}": use planned, in-progress, done or cancelled.`);
  }
  if (cells.progress !== undefined && cells.progress.trim() !== '') {
    const match = /^(\d{1,3})\s*%?$/.exec(cells.progress.trim());
    const value = match ? Number(match[1]) : NaN;
    if (value >= 0 && value <= 100) fields.progress = value;
    else fail('progress', 'Progress is a whole number from 0 to 100.');
  }
  for (const [column, key] of [['budget_planned', 'budgetPlanned'], ['budget_spent', 'budgetSpent']] as const) {
    const cell = cells[column];
    if (cell === undefined) continue;
    const compact = cell.replace(/[\s\u00a0\u202f]/g, '');
    if (compact === '') fields[key] = null;
    else if (/^\d+(?:[.,]\d+)?$/.test(compact) && Number(compact.replace(',', '.')) <= 1e13) fields[key] = Number(compact.replace(',', '.'));
    else fail(column, 'A budget is a number of 0 or more, without a currency sign, e.g. 125000 or 125000.50.');
  }
  for (const [column, key] of [['starts_at', 'startsAt'], ['ends_at', 'endsAt']] as const) {
    const cell = cells[column]?.trim();
    if (cell === undefined) continue;
    if (cell === '') fields[key] = null;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(cell) && !Number.isNaN(Date.parse(cell))) fields[key] = `${cell}T00:00:00Z`;
    else if (isZonedDate(cell)) fields[key] = cell;
    else fail(column, 'Write a date as 2027-03-01, or a date and time with its zone as 2027-03-01T09:00:00+01:00.');
  }
  for (const [column, key] of [['district', 'district'], ['category', 'category']] as const) {
    const cell = cells[column];
    if (cell === undefined) continue;
    fields[key] = text(restore(cell));
    if ((fields[key]?.length ?? 0) > 100) fail(column, `A ${column} has at most 100 characters.`);
  }
  if (cells.image_url !== undefined) {
    fields.imageUrl = text(cells.image_url);
    if (fields.imageUrl !== null && (!URL.test(fields.imageUrl) || fields.imageUrl.length > 2000)) fail('image_url', 'The image is an http or https address.');
  }
  if (cells.image_alt !== undefined) {
    fields.imageAlt = text(restore(cells.image_alt));
    if ((fields.imageAlt?.length ?? 0) > 300) fail('image_alt', 'Alternative text has at most 300 characters.');
  }
  return fields;
}

function sameOrigins(a: StoredOrigin[], b: StoredOrigin[]): boolean {
  return a.length === b.length && a.every((origin, index) => originKey(origin) === originKey(b[index]!) && origin.url === b[index]!.url);
}
