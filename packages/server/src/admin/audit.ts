import type { Transaction } from 'kysely';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { Actor } from '../staff/guard.js';

export interface AuditEntry {
  id: number;
  at: string;
  /** The staff member's email, or `admin key`. */
  actor: string;
  /** The staff member's id; absent for the admin key. */
  actorId?: number;
  actorName?: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  /** An email, a staff id, or `admin key`. */
  actor?: string;
  /** An action (`idea.answer`) or a family of actions (`idea`); letters, `-` and `.` only, so no LIKE wildcard. */
  action?: string;
  /** `kind:id` (`idea:42`) or a kind (`idea`). */
  target?: string;
  /** Entries before this id (the cursor). */
  before?: number;
}

/** Every admin change, written in the change's own transaction, with who made it. */
export class AuditLog {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** `actor`: who acted, or what: `system` (automatic moderation), `cli` (the command line). */
  async record(trx: Transaction<Database>, entry: Omit<AuditEntry, 'id' | 'actor' | 'actorId' | 'actorName'> & { actor: Actor | 'system' | 'cli' }): Promise<void> {
    const actor = typeof entry.actor === 'string' ? { label: entry.actor, id: null, name: null } : entry.actor;
    await trx
      .insertInto('audit_log')
      .values({
        at: entry.at,
        actor: actor.label,
        actor_id: actor.id,
        actor_name: actor.name,
        action: entry.action,
        subject_kind: entry.subjectKind,
        subject_id: entry.subjectId,
        details: JSON.stringify(entry.details),
      })
      .execute();
  }

  /** Newest first; the cursor is the last id seen. */
  async page(filter: AuditFilter, limit: number): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    let query = this.#storage.reader.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    if (filter.actor !== undefined) {
      const actor = filter.actor;
      query = /^[0-9]{1,15}$/.test(actor) ? query.where('actor_id', '=', Number(actor)) : query.where((eb) => eb(eb.fn('lower', ['actor']), '=', actor.toLowerCase()));
    }
    if (filter.action !== undefined) {
      const action = filter.action;
      query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${action}.%`)]));
    }
    if (filter.target !== undefined) {
      const [kind, ...rest] = filter.target.split(':');
      query = query.where('subject_kind', '=', kind!);
      if (rest.length) query = query.where('subject_id', '=', rest.join(':'));
    }
    const rows = await query.execute();
    const items = rows.slice(0, limit).map((row) => {
      const entry: AuditEntry = {
        id: row.id,
        at: row.at,
        actor: row.actor,
        action: row.action,
        subjectKind: row.subject_kind,
        subjectId: row.subject_id,
        details: JSON.parse(row.details) as Record<string, unknown>,
      };
      if (row.actor_id !== null) entry.actorId = Number(row.actor_id);
      if (row.actor_name !== null) entry.actorName = row.actor_name;
      return entry;
    });
    return rows.length > limit ? { items, nextCursor: String(items.at(-1)!.id) } : { items };
  }
}
