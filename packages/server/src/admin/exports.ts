import type { Storage } from '../db/connect.js';
import { ballotFromRow } from '../polls/model.js';

const CHUNK = 500;

/** Every ballot of a poll, read in keyset pages so memory stays flat however many there are. */
export async function* ballotsOf(storage: Storage, pollId: string) {
  let after = '';
  for (;;) {
    const rows = await storage.reader
      .selectFrom('ballots')
      .selectAll()
      .where('poll_id', '=', pollId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    for (const row of rows) yield { ...ballotFromRow(row), otherState: row.other_state };
    if (rows.length < CHUNK) return;
    after = rows.at(-1)!.id;
  }
}

export async function* jsonArray(items: AsyncIterable<unknown>) {
  let first = true;
  yield '[';
  for await (const item of items) {
    yield (first ? '\n' : ',\n') + JSON.stringify(item);
    first = false;
  }
  yield '\n]\n';
}

export async function* csvRows(header: string[], rows: AsyncIterable<unknown[]>) {
  yield `${header.map(csvCell).join(',')}\r\n`;
  for await (const row of rows) yield `${row.map(csvCell).join(',')}\r\n`;
}

/** RFC 4180 quoting, and citizen text that looks like a formula is defused for spreadsheets. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
