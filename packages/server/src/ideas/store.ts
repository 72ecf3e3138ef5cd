import { moderated } from '../admin/moderation.js';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { Database, IdeaStatus } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import type { IdeaBoxCreate, IdeaBoxPatch, IdeaBoxWire, IdeaWire } from '../http/schemas.js';
import type { CommentStore } from '../comments/store.js';
import { newId } from '../polls/store.js';
import {
  boxFromRow,
  boxToRow,
  closedReason,
  fold,
  ideaThreadId,
  ideaView,
  IDEA_MAX_PAGE_SIZE,
  IDEA_PAGE_SIZE,
  seededRank,
  significantWords,
  SIMILAR_IDEAS_LIMIT,
  words,
  type CheckedIdea,
  type IdeaRow,
} from './model.js';

export type IdeaSort = 'newest' | 'most-supported' | 'most-discussed' | 'random';
export type IdeaModerationAction = 'approve' | 'hide' | 'restore';
/** What a change means to live subscribers; nothing when they do not see it. */
export type IdeaChange = 'created' | 'updated' | undefined;

export interface IdeaListQuery {
  sort: IdeaSort;
  seed?: string;
  category?: string;
  status?: IdeaStatus;
  q?: string;
  cursor?: string;
  limit?: number;
}

type Db = Kysely<Database>;
type IdeasExpression = ExpressionBuilder<Database, 'ideas'>;
/** The sort key of an idea: rank, then newest first, then id. */
type SortKey = [rank: number, at: number, id: string];
type Participant = { id: string; verification: string; displayName?: string };

/**
 * Idea boxes, ideas, supports and reports. An idea's supports are a counter moved in the
 * transaction of each support; its comments mirror the `idea:<id>` thread's counter (see the
 * comments' count finisher), so reads never count rows.
 */
export class IdeaStore {
  readonly #storage: Storage;
  readonly #comments: CommentStore;

  constructor(storage: Storage, comments: CommentStore) {
    this.#storage = storage;
    this.#comments = comments;
  }

  // ------------------------------------------------------------------ boxes

  async box(id: string, db: Db = this.#storage.reader): Promise<IdeaBoxWire | undefined> {
    const row = await db.selectFrom('idea_boxes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? boxFromRow(row) : undefined;
  }

  async requireBox(id: string, db?: Db): Promise<IdeaBoxWire> {
    const box = await this.box(id, db);
    if (!box) throw new Problem(404, 'not-found', `There is no idea box "${id}".`);
    return box;
  }

  /** The box as a participant reads it: with the supports they have given when there is a limit. */
  async boxFor(id: string, participantId: string | undefined): Promise<IdeaBoxWire> {
    const box = await this.requireBox(id);
    if (box.supportLimit === undefined) return box;
    const row = participantId
      ? await this.#storage.reader
          .selectFrom('idea_box_supporters')
          .select('supports')
          .where('box_id', '=', id)
          .where('participant_id', '=', participantId)
          .executeTakeFirst()
      : undefined;
    return { ...box, supportsGiven: row?.supports ?? 0 };
  }

  async createBox(trx: Trx, input: IdeaBoxCreate, now: string): Promise<IdeaBoxWire> {
    const inserted = await trx.insertInto('idea_boxes').values(boxToRow(input, now)).onConflict((c) => c.column('id').doNothing()).returningAll().executeTakeFirst();
    if (!inserted) throw new Problem(409, 'conflict', `An idea box "${input.id}" already exists.`);
    return boxFromRow(inserted);
  }

  async updateBox(trx: Trx, id: string, patch: IdeaBoxPatch, now: string): Promise<IdeaBoxWire> {
    const current = await this.requireBox(id, trx);
    const { created_at: _created, ...row } = boxToRow({ ...current, ...patch, id }, now);
    const updated = await trx.updateTable('idea_boxes').set(row).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return boxFromRow(updated);
  }

  // ------------------------------------------------------------------ reads

  /**
   * One page of a box. The box's visible ideas are narrowed by the database (filters, folded
   * search) and ordered here on their small sort keys, so that the seeded random order is the
   * same on both databases; only the page's ideas are read in full.
   */
  async list(boxId: string, query: IdeaListQuery, participantId: string | undefined): Promise<{ items: IdeaWire[]; nextCursor?: string; total: number }> {
    const db = this.#storage.reader;
    await this.requireBox(boxId);
    const limit = Math.min(IDEA_MAX_PAGE_SIZE, Math.max(1, query.limit ?? IDEA_PAGE_SIZE));
    const terms = words(query.q ?? '');
    let select = db
      .selectFrom('ideas')
      .select(['id', 'created_at', 'supports', 'comments'])
      .where('box_id', '=', boxId)
      .where((eb) => listedExpression(eb, participantId));
    if (query.category !== undefined) select = select.where('category_id', '=', query.category);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    for (const term of terms) select = select.where(contains(term));
    const candidates = await select.execute();
    const seed = query.seed ?? '';
    const keyOf = (row: (typeof candidates)[number]): SortKey => {
      const at = Date.parse(row.created_at);
      const rank = { newest: -at, 'most-supported': -row.supports, 'most-discussed': -row.comments, random: seededRank(seed, row.id) }[query.sort];
      return [rank, at, row.id];
    };
    const keyed = candidates.map((row) => keyOf(row)).sort(compare);
    const scope = [boxId, query.sort, seed, query.category ?? '', query.status ?? '', terms.join(' ')];
    let start = 0;
    if (query.cursor !== undefined) {
      const after = readCursor(query.cursor, scope);
      start = keyed.findIndex((key) => compare(key, after) > 0);
      if (start < 0) start = keyed.length;
    }
    const pageKeys = keyed.slice(start, start + limit);
    const rows = await this.#rows(db, pageKeys.map((key) => key[2]));
    const items = await this.views(db, rows, participantId);
    const page: { items: IdeaWire[]; nextCursor?: string; total: number } = { items, total: keyed.length };
    if (start + limit < keyed.length && pageKeys.length) page.nextCursor = writeCursor(scope, pageKeys.at(-1)!);
    return page;
  }

  async get(ideaId: string, participantId: string | undefined): Promise<IdeaWire> {
    const db = this.#storage.reader;
    const row = await this.#visible(db, ideaId, participantId);
    return (await this.views(db, [row], participantId))[0]!;
  }

  /** Published ideas of the box sharing the most significant words with `text`. */
  async similar(boxId: string, text: string, participantId: string | undefined): Promise<IdeaWire[]> {
    const db = this.#storage.reader;
    await this.requireBox(boxId);
    const wanted = [...significantWords(text)].slice(0, 30);
    if (wanted.length === 0) return [];
    const candidates = await db
      .selectFrom('ideas')
      .select(['id', 'search', 'supports', 'created_at'])
      .where('box_id', '=', boxId)
      .where('moderation', '=', 'published')
      .where((eb) => eb.or(wanted.map((word) => contains(word))))
      .execute();
    const wantedSet = new Set(wanted);
    const scored = candidates
      .map((row) => {
        let shared = 0;
        for (const word of significantWords(row.search)) if (wantedSet.has(word)) shared++;
        return { row, shared };
      })
      .filter(({ shared }) => shared > 0)
      .sort((a, b) => b.shared - a.shared || b.row.supports - a.row.supports || Date.parse(b.row.created_at) - Date.parse(a.row.created_at))
      .slice(0, SIMILAR_IDEAS_LIMIT);
    return this.views(db, await this.#rows(db, scored.map(({ row }) => row.id)), participantId);
  }

  async views(db: Db, rows: IdeaRow[], participantId: string | undefined): Promise<IdeaWire[]> {
    if (rows.length === 0) return [];
    if (participantId === undefined) return rows.map((row) => ideaView(row, {}));
    const supported = await db
      .selectFrom('idea_supports')
      .select('idea_id')
      .where('participant_id', '=', participantId)
      .where('idea_id', 'in', rows.map((row) => row.id))
      .execute();
    const reader = { participantId, supported: new Set(supported.map((row) => row.idea_id)) };
    return rows.map((row) => ideaView(row, reader));
  }

  // ------------------------------------------------------------------ writes

  async propose(trx: Trx, box: IdeaBoxWire, participant: Participant, input: CheckedIdea, now: string): Promise<IdeaRow> {
    const row = await trx
      .insertInto('ideas')
      .values({
        id: newId('i'),
        box_id: box.id,
        participant_id: participant.id,
        author_name: participant.displayName ?? null,
        title: input.title,
        body: input.body,
        search: fold(`${input.title}\n${input.body}`),
        category_id: input.categoryId ?? null,
        location: input.location === undefined ? null : JSON.stringify(input.location),
        image: input.image ?? null,
        status: 'submitted',
        moderation: box.preModeration ? 'pending' : 'published',
        duplicate_of: null,
        answer_body: null,
        answer_author: null,
        answered_at: null,
        tracked_project_id: null,
        supports: 0,
        comments: 0,
        reports: 0,
        reports_handled: 0,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.moderation === 'published') await this.#openDiscussion(trx, row, now);
    return row;
  }

  async support(trx: Trx, ideaId: string, participant: Participant, now: string): Promise<{ row: IdeaRow; changed: boolean }> {
    const current = await this.#visible(trx, ideaId, participant.id);
    if (current.moderation !== 'published') throw new Problem(403, 'forbidden', 'Only a published idea can be supported.');
    const box = await this.requireBox(current.box_id, trx);
    if (box.requiredVerification === 'verified' && participant.verification !== 'verified') {
      throw new Problem(403, 'forbidden', 'Only verified participants may support ideas in this box.');
    }
    this.#open(box, now);
    // The unique (idea, participant) row decides: supporting twice, at once or not, counts once.
    const inserted = await trx
      .insertInto('idea_supports')
      .values({ idea_id: ideaId, participant_id: participant.id, created_at: now })
      .onConflict((c) => c.columns(['idea_id', 'participant_id']).doNothing())
      .returning('idea_id')
      .executeTakeFirst();
    if (!inserted) return { row: current, changed: false };
    // The participant's row in the box is locked until the commit: their concurrent supports
    // queue behind it and each sees the count the previous one left.
    const given = await trx
      .insertInto('idea_box_supporters')
      .values({ box_id: box.id, participant_id: participant.id, supports: 1 })
      .onConflict((c) => c.columns(['box_id', 'participant_id']).doUpdateSet({ supports: sql`idea_box_supporters.supports + 1` }))
      .returning('supports')
      .executeTakeFirstOrThrow();
    if (box.supportLimit !== undefined && given.supports > box.supportLimit) throw new Problem(409, 'conflict', 'support limit reached');
    const row = await trx.updateTable('ideas').set({ supports: sql`supports + 1` }).where('id', '=', ideaId).returningAll().executeTakeFirstOrThrow();
    return { row, changed: true };
  }

  async withdraw(trx: Trx, ideaId: string, participantId: string, now: string): Promise<{ row: IdeaRow; changed: boolean }> {
    const current = await this.#visible(trx, ideaId, participantId);
    this.#open(await this.requireBox(current.box_id, trx), now);
    const removed = await trx.deleteFrom('idea_supports').where('idea_id', '=', ideaId).where('participant_id', '=', participantId).returning('idea_id').executeTakeFirst();
    if (!removed) return { row: current, changed: false };
    await trx
      .updateTable('idea_box_supporters')
      .set({ supports: sql`supports - 1` })
      .where('box_id', '=', current.box_id)
      .where('participant_id', '=', participantId)
      .execute();
    const row = await trx.updateTable('ideas').set({ supports: sql`supports - 1` }).where('id', '=', ideaId).returningAll().executeTakeFirstOrThrow();
    return { row, changed: true };
  }

  /** A repeated report is accepted and not counted again. Returns the idea when it was auto-hidden. */
  async report(trx: Trx, ideaId: string, participantId: string, input: { reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other'; details?: string }, now: string): Promise<IdeaRow | undefined> {
    await this.#visible(trx, ideaId, participantId);
    const inserted = await trx
      .insertInto('idea_reports')
      .values({ idea_id: ideaId, participant_id: participantId, reason: input.reason, details: input.details?.trim() || null, created_at: now })
      .onConflict((c) => c.columns(['idea_id', 'participant_id']).doNothing())
      .returning('idea_id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const counted = await trx.updateTable('ideas').set({ reports: sql`reports + 1` }).where('id', '=', ideaId).returningAll().executeTakeFirstOrThrow();
    const box = await this.requireBox(counted.box_id, trx);
    const threshold = box.autoHideReports ?? 0;
    if (counted.moderation !== 'published' || threshold === 0 || counted.reports - counted.reports_handled < threshold) return undefined;
    return trx.updateTable('ideas').set({ moderation: 'hidden' }).where('id', '=', ideaId).returningAll().executeTakeFirstOrThrow();
  }

  // ------------------------------------------------------------------ council

  /**
   * `hide` hides a published idea and rejects a pending one; `approve` and `restore` publish it
   * (opening its discussion), and the reports so far count as weighed.
   */
  async moderate(trx: Trx, ideaId: string, action: IdeaModerationAction, now: string): Promise<{ row: IdeaRow; change: IdeaChange }> {
    const current = await this.#stored(trx, ideaId);
    const { moderation, change } = moderated(current.moderation, action);
    const row = await trx
      .updateTable('ideas')
      .set({ moderation, reports_handled: action === 'hide' ? current.reports_handled : current.reports })
      .where('id', '=', ideaId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.moderation === 'published') await this.#openDiscussion(trx, row, now);
    return { row, change };
  }

  /** Sets the status and the official answer (already sanitised); a duplicate names another idea of its box. */
  async answer(trx: Trx, ideaId: string, input: { status: IdeaStatus; body: string; duplicateOf?: string; author?: string }, now: string): Promise<IdeaRow> {
    const current = await this.#stored(trx, ideaId);
    let duplicateOf: string | null = null;
    if (input.status === 'duplicate') duplicateOf = (await this.#original(trx, current, input.duplicateOf)).id;
    else if (input.duplicateOf !== undefined) throw Problem.validation([{ field: 'duplicateOf', message: 'Only a duplicate names another idea.' }]);
    return trx
      .updateTable('ideas')
      .set({ status: input.status, duplicate_of: duplicateOf, answer_body: input.body, answer_author: input.author ?? null, answered_at: now })
      .where('id', '=', ideaId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Marks `ideaId` a duplicate of `into` and moves its supports there. A participant who
   * supported both keeps one support, and one less counts against their limit.
   */
  async merge(trx: Trx, ideaId: string, into: string): Promise<{ from: IdeaRow; into: IdeaRow; moved: number }> {
    const current = await this.#stored(trx, ideaId);
    const target = await this.#original(trx, current, into);
    const both = await trx
      .deleteFrom('idea_supports')
      .where('idea_id', '=', ideaId)
      .where('participant_id', 'in', trx.selectFrom('idea_supports').select('participant_id').where('idea_id', '=', target.id).where('participant_id', 'is not', null))
      .returning('participant_id')
      .execute();
    for (const { participant_id } of both) {
      await trx
        .updateTable('idea_box_supporters')
        .set({ supports: sql`supports - 1` })
        .where('box_id', '=', current.box_id)
        .where('participant_id', '=', participant_id!)
        .execute();
    }
    const moved = await trx.updateTable('idea_supports').set({ idea_id: target.id }).where('idea_id', '=', ideaId).returning('participant_id').execute();
    // Seeded or erased supports have no row to move: the count moves with them.
    const anonymous = current.supports - both.length - moved.length;
    const transferred = moved.length + Math.max(0, anonymous);
    const updatedInto = await trx.updateTable('ideas').set({ supports: sql`supports + ${transferred}` }).where('id', '=', target.id).returningAll().executeTakeFirstOrThrow();
    const from = await trx
      .updateTable('ideas')
      .set({ status: 'duplicate', duplicate_of: target.id, supports: 0 })
      .where('id', '=', ideaId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { from, into: updatedInto, moved: transferred };
  }

  async track(trx: Trx, ideaId: string, trackedProjectId: string | null): Promise<IdeaRow> {
    await this.#stored(trx, ideaId);
    return trx.updateTable('ideas').set({ tracked_project_id: trackedProjectId }).where('id', '=', ideaId).returningAll().executeTakeFirstOrThrow();
  }

  // ------------------------------------------------------------------ helpers

  /** A published idea gets its discussion, the thread `idea:<id>`, through the comments module. */
  async #openDiscussion(trx: Trx, row: IdeaRow, now: string): Promise<void> {
    const id = ideaThreadId(row.id);
    if (await this.#comments.thread(id, trx)) return;
    await this.#comments.createThread(trx, { id, title: row.title }, now);
  }

  async #original(trx: Trx, idea: IdeaRow, originalId: string | undefined): Promise<IdeaRow> {
    const original = originalId === undefined ? undefined : await trx.selectFrom('ideas').selectAll().where('id', '=', originalId).executeTakeFirst();
    if (!original || original.id === idea.id || original.box_id !== idea.box_id || original.status === 'duplicate') {
      throw Problem.validation([{ field: 'duplicateOf', message: 'Name another idea of the same box, one that is not itself a duplicate.' }]);
    }
    return original;
  }

  #open(box: IdeaBoxWire, now: string): void {
    const reason = closedReason(box, Date.parse(now));
    if (reason) throw new Problem(403, 'closed', reason);
  }

  async #rows(db: Db, ids: string[]): Promise<IdeaRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('ideas').selectAll().where('id', 'in', ids).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async #visible(db: Db, ideaId: string, participantId: string | undefined): Promise<IdeaRow> {
    const row = await db.selectFrom('ideas').selectAll().where('id', '=', ideaId).executeTakeFirst();
    if (!row || !listed(row, participantId)) throw notFound(ideaId);
    return row;
  }

  async #stored(db: Db, ideaId: string): Promise<IdeaRow> {
    const row = await db.selectFrom('ideas').selectAll().where('id', '=', ideaId).executeTakeFirst();
    if (!row) throw notFound(ideaId);
    return row;
  }
}

/** Published ideas are seen by all; pending and rejected ones by their author only; hidden ones by none. */
function listed(row: Pick<IdeaRow, 'moderation' | 'participant_id'>, participantId: string | undefined): boolean {
  if (row.moderation === 'published') return true;
  if (row.moderation === 'hidden') return false;
  return participantId !== undefined && row.participant_id === participantId;
}

function listedExpression(eb: IdeasExpression, participantId: string | undefined) {
  const shown = [eb('moderation', '=', 'published')];
  if (participantId !== undefined) shown.push(eb.and([eb('moderation', 'in', ['pending', 'rejected']), eb('participant_id', '=', participantId)]));
  return eb.or(shown);
}

/** `search` holds the term; the same LIKE with an explicit escape on both databases. */
function contains(term: string) {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`search like ${pattern} escape '\\'`;
}

function compare(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

/** Cursors carry the last item's sort key, scoped to the listing they came from. */
function writeCursor(scope: string[], key: SortKey): string {
  return Buffer.from(JSON.stringify([scope, key])).toString('base64url');
}

function readCursor(cursor: string, scope: string[]): SortKey {
  try {
    const [cursorScope, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (JSON.stringify(cursorScope) === JSON.stringify(scope) && Array.isArray(key) && typeof key[0] === 'number' && typeof key[1] === 'number' && typeof key[2] === 'string') {
      return key as SortKey;
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw Problem.validation([{ field: 'cursor', message: 'This cursor does not belong to this listing; start again from the first page.' }]);
}

function notFound(ideaId: string): Problem {
  return new Problem(404, 'not-found', `There is no idea "${ideaId}".`);
}
