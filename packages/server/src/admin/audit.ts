import type { Transaction } from 'kysely';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  details: Record<string, unknown>;
}

/** Every admin change, written in the change's own transaction. */
export class AuditLog {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  async record(trx: Transaction<Database>, entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({ at: entry.at, actor: entry.actor, action: entry.action, subject_kind: entry.subjectKind, subject_id: entry.subjectId, details: JSON.stringify(entry.details) })
      .execute();
  }

  /** Newest first; the cursor is the last id seen. */
  async page(before: number | undefined, limit: number): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    let query = this.#storage.reader.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subjectKind: row.subject_kind,
      subjectId: row.subject_id,
      details: JSON.parse(row.details) as Record<string, unknown>,
    }));
    return rows.length > limit ? { items, nextCursor: String(items.at(-1)!.id) } : { items };
  }
}
