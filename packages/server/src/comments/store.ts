import { moderated } from '../admin/moderation.js';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { BatchEffects, CommitQueue, Trx } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import type { ThreadCommentWire, ThreadCreate, ThreadPatch } from '../http/schemas.js';
import { newId } from '../polls/store.js';
import {
  COMMENT_MAX_PAGE_SIZE,
  COMMENT_PAGE_SIZE,
  commentView,
  counted,
  publiclyVisible,
  threadFromRow,
  threadToRow,
  type CommentRow,
  type ParentSummary,
  type Reader,
  type ThreadRecord,
} from './model.js';
import type { CheckedComment } from './rules.js';

export type CommentSort = 'oldest' | 'newest' | 'most-supported';
export type ModerationAction = 'approve' | 'hide' | 'restore';
/** What a change means to live subscribers; nothing when they do not see it. */
export type LiveChange = 'created' | 'updated' | 'removed' | undefined;

export interface ListQuery {
  sort: CommentSort;
  parentId?: string;
  cursor?: string;
  limit?: number;
}

type Db = Kysely<Database>;
type CommentsExpression = ExpressionBuilder<Database, 'comments'>;

const THREAD_COUNTS = 'thread-counts';

/**
 * Threads, comments, supports and reports. Counters (a thread's published comments, a comment's
 * supports and visible replies) move in the transaction of the change that moves them, so reads
 * never count rows.
 */
export class CommentStore {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  // ------------------------------------------------------------------ threads

  async thread(id: string, db: Db = this.#storage.reader): Promise<ThreadRecord | undefined> {
    const row = await db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? threadFromRow(row) : undefined;
  }

  async requireThread(id: string, db?: Db): Promise<ThreadRecord> {
    const thread = await this.thread(id, db);
    if (!thread) throw new Problem(404, 'not-found', `There is no thread "${id}".`);
    return thread;
  }

  async createThread(trx: Trx, input: ThreadCreate, now: string): Promise<ThreadRecord> {
    const inserted = await trx
      .insertInto('threads')
      .values({ ...threadToRow(input, now), comments: 0 })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) throw new Problem(409, 'conflict', `A thread "${input.id}" already exists.`);
    return threadFromRow(inserted);
  }

  async updateThread(trx: Trx, id: string, patch: ThreadPatch, now: string): Promise<ThreadRecord> {
    const current = await this.requireThread(id, trx);
    const { comments: _comments, ...settings } = current;
    const { created_at: _created, ...row } = threadToRow({ ...settings, ...patch, id }, now);
    const updated = await trx.updateTable('threads').set(row).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    return threadFromRow(updated);
  }

  // ------------------------------------------------------------------ reads

  async list(threadId: string, query: ListQuery, participantId: string | undefined): Promise<{ items: ThreadCommentWire[]; nextCursor?: string; total: number }> {
    const db = this.#storage.reader;
    await this.requireThread(threadId);
    let parent: CommentRow | undefined;
    if (query.parentId !== undefined) {
      parent = await db.selectFrom('comments').selectAll().where('id', '=', query.parentId).executeTakeFirst();
      if (!parent || parent.thread_id !== threadId || !visibleTo(parent, participantId)) {
        throw new Problem(404, 'not-found', `There is no comment "${query.parentId}" in thread "${threadId}".`);
      }
    }
    const limit = Math.min(COMMENT_MAX_PAGE_SIZE, Math.max(1, query.limit ?? COMMENT_PAGE_SIZE));
    const siblings = () => {
      const base = db.selectFrom('comments').where('thread_id', '=', threadId);
      return (query.parentId === undefined ? base.where('parent_id', 'is', null) : base.where('parent_id', '=', query.parentId)).where((eb) =>
        visibleExpression(eb, participantId),
      );
    };

    let page = siblings().selectAll().limit(limit + 1);
    if (query.cursor !== undefined) {
      const after = readCursor(query.cursor, query.sort, threadId, query.parentId);
      page = page.where((eb) => afterKey(eb, query.sort, after));
    }
    switch (query.sort) {
      case 'oldest':
        page = page.orderBy('created_at', 'asc').orderBy('id', 'asc');
        break;
      case 'newest':
        page = page.orderBy('created_at', 'desc').orderBy('id', 'desc');
        break;
      case 'most-supported':
        page = page.orderBy('supports', 'desc').orderBy('created_at', 'asc').orderBy('id', 'asc');
        break;
    }
    const [rows, count] = await Promise.all([
      page.execute(),
      siblings()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const shown = rows.slice(0, limit);
    const items = await this.views(db, shown, participantId, parent);
    const result: { items: ThreadCommentWire[]; nextCursor?: string; total: number } = { items, total: Number(count.n) };
    if (rows.length > limit) result.nextCursor = writeCursor(query.sort, threadId, query.parentId, shown.at(-1)!);
    return result;
  }

  async get(commentId: string, participantId: string | undefined): Promise<ThreadCommentWire> {
    const db = this.#storage.reader;
    const row = await db.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst();
    if (!row || !visibleTo(row, participantId)) throw notFound(commentId);
    return (await this.views(db, [row], participantId))[0]!;
  }

  /** Comments as `participantId` sees them (the public view without one). */
  async views(db: Db, rows: CommentRow[], participantId: string | undefined, parent?: CommentRow): Promise<ThreadCommentWire[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const parentIds = [...new Set(rows.flatMap((row) => (row.parent_id !== null && row.parent_id !== parent?.id ? [row.parent_id] : [])))];
    const [parents, supported, ownHidden] = await Promise.all([
      parentIds.length ? db.selectFrom('comments').select(['id', 'author_name', 'moderation', 'deleted']).where('id', 'in', parentIds).execute() : [],
      participantId
        ? db.selectFrom('comment_supports').select('comment_id').where('participant_id', '=', participantId).where('comment_id', 'in', ids).execute()
        : [],
      participantId
        ? db
            .selectFrom('comments')
            .select((eb) => ['parent_id', eb.fn.countAll<number>().as('n')])
            .where('parent_id', 'in', ids)
            .where('participant_id', '=', participantId)
            .where('deleted', '=', 0)
            .where('moderation', 'in', ['pending', 'rejected'])
            .groupBy('parent_id')
            .execute()
        : [],
    ]);
    const summaries = new Map<string, ParentSummary>(parents.map((row) => [row.id, { id: row.id, authorName: row.author_name, moderation: row.moderation, deleted: row.deleted }]));
    if (parent) summaries.set(parent.id, { id: parent.id, authorName: parent.author_name, moderation: parent.moderation, deleted: parent.deleted });
    const reader: Reader = participantId
      ? {
          participantId,
          supported: new Set(supported.map((row) => row.comment_id)),
          ownHiddenReplies: new Map(ownHidden.map((row) => [row.parent_id!, Number(row.n)])),
        }
      : {};
    return rows.map((row) => commentView(row, row.parent_id === null ? undefined : summaries.get(row.parent_id), reader));
  }

  // ------------------------------------------------------------------ writes

  async post(trx: Trx, effects: BatchEffects, thread: ThreadRecord, participant: { id: string; displayName?: string }, input: CheckedComment, now: string): Promise<CommentRow> {
    let depth = 0;
    if (input.parentId !== undefined) {
      const parent = await trx.selectFrom('comments').select(['thread_id', 'depth', 'moderation', 'deleted']).where('id', '=', input.parentId).executeTakeFirst();
      if (!parent || parent.thread_id !== thread.id || parent.deleted === 1 || parent.moderation !== 'published') {
        throw Problem.validation([{ field: 'parentId', message: 'The comment you reply to is not available.' }]);
      }
      depth = parent.depth + 1;
    }
    const row = await trx
      .insertInto('comments')
      .values({
        id: newId('c'),
        thread_id: thread.id,
        parent_id: input.parentId ?? null,
        participant_id: participant.id,
        author_name: participant.displayName ?? null,
        body: input.body,
        stance: input.stance ?? null,
        moderation: thread.preModeration ? 'pending' : 'published',
        deleted: 0,
        depth,
        supports: 0,
        replies: 0,
        reports: 0,
        reports_handled: 0,
        created_at: now,
        edited_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#moved(trx, effects, undefined, row);
    return row;
  }

  async edit(trx: Trx, commentId: string, participantId: string, body: string, now: string): Promise<CommentRow> {
    const current = await this.#ownWithinWindow(trx, commentId, participantId, 'edit', now);
    const thread = await this.requireThread(current.thread_id, trx);
    if (thread.closed) throw closed();
    return trx.updateTable('comments').set({ body, edited_at: now }).where('id', '=', commentId).returningAll().executeTakeFirstOrThrow();
  }

  async remove(trx: Trx, effects: BatchEffects, commentId: string, participantId: string, now: string): Promise<CommentRow> {
    const current = await this.#ownWithinWindow(trx, commentId, participantId, 'delete', now);
    const row = await trx.updateTable('comments').set({ deleted: 1, body: '' }).where('id', '=', commentId).returningAll().executeTakeFirstOrThrow();
    await this.#moved(trx, effects, current, row);
    return row;
  }

  async react(trx: Trx, commentId: string, participant: { id: string; verification: string }, support: boolean, now: string): Promise<CommentRow> {
    const current = await this.#visible(trx, commentId, participant.id);
    if (current.deleted === 1 || current.moderation !== 'published') throw new Problem(403, 'forbidden', 'Only a published comment can be supported.');
    const thread = await this.requireThread(current.thread_id, trx);
    if (thread.requiredVerification === 'verified' && participant.verification !== 'verified') {
      throw new Problem(403, 'forbidden', 'Only verified participants may support comments in this discussion.');
    }
    if (thread.closed) throw closed();
    // The unique (comment, participant) row decides: supporting twice, at once or not, counts once.
    const changed = support
      ? await trx
          .insertInto('comment_supports')
          .values({ comment_id: commentId, participant_id: participant.id, created_at: now })
          .onConflict((conflict) => conflict.columns(['comment_id', 'participant_id']).doNothing())
          .returning('comment_id')
          .executeTakeFirst()
      : await trx.deleteFrom('comment_supports').where('comment_id', '=', commentId).where('participant_id', '=', participant.id).returning('comment_id').executeTakeFirst();
    if (!changed) return current;
    return trx
      .updateTable('comments')
      .set({ supports: sql`supports + ${support ? 1 : -1}` })
      .where('id', '=', commentId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** A repeated report is accepted and not counted again. Returns the comment when it was auto-hidden. */
  async report(
    trx: Trx,
    effects: BatchEffects,
    commentId: string,
    participantId: string,
    input: { reason: 'spam' | 'abuse' | 'personal-data' | 'off-topic' | 'other'; details?: string },
    now: string,
  ): Promise<CommentRow | undefined> {
    const current = await this.#visible(trx, commentId, participantId);
    if (current.deleted === 1) throw new Problem(404, 'not-found', `Comment "${commentId}" was deleted.`);
    const inserted = await trx
      .insertInto('comment_reports')
      .values({ comment_id: commentId, participant_id: participantId, reason: input.reason, details: input.details?.trim() || null, created_at: now })
      .onConflict((conflict) => conflict.columns(['comment_id', 'participant_id']).doNothing())
      .returning('comment_id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    const counted = await trx.updateTable('comments').set({ reports: sql`reports + 1` }).where('id', '=', commentId).returningAll().executeTakeFirstOrThrow();
    const thread = await this.requireThread(counted.thread_id, trx);
    const threshold = thread.autoHideReports;
    if (counted.moderation !== 'published' || threshold === 0 || counted.reports - counted.reports_handled < threshold) return undefined;
    const hidden = await trx.updateTable('comments').set({ moderation: 'hidden' }).where('id', '=', commentId).returningAll().executeTakeFirstOrThrow();
    await this.#moved(trx, effects, counted, hidden);
    return hidden;
  }

  /**
   * The council's decision. `hide` turns a published comment into a placeholder and rejects a
   * pending one; `approve` and `restore` publish it, and the reports so far count as weighed.
   */
  async moderate(trx: Trx, effects: BatchEffects, commentId: string, action: ModerationAction): Promise<{ row: CommentRow; change: LiveChange }> {
    const current = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst();
    if (!current || current.deleted === 1) throw notFound(commentId);
    const { moderation, change } = moderated(current.moderation, action, true);
    const row = await trx
      .updateTable('comments')
      .set({ moderation, reports_handled: action === 'hide' ? current.reports_handled : current.reports })
      .where('id', '=', commentId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#moved(trx, effects, current, row);
    return { row, change };
  }

  // ------------------------------------------------------------------ counters

  /** Moves the counters a change of one comment moves: its thread's, and its ancestors' replies. */
  async #moved(trx: Trx, effects: BatchEffects, before: CommentRow | undefined, after: CommentRow): Promise<void> {
    const countDelta = Number(counted(after)) - Number(before ? counted(before) : false);
    if (countDelta !== 0) effects.add(THREAD_COUNTS, { threadId: after.thread_id, delta: countDelta } satisfies ThreadCountChange);
    let delta = Number(publiclyVisible(after)) - Number(before ? publiclyVisible(before) : false);
    let parentId = after.parent_id;
    // A deleted comment stays visible only while it has visible replies: a change may climb.
    while (parentId !== null && delta !== 0) {
      const parent = await trx
        .updateTable('comments')
        .set({ replies: sql`replies + ${delta}` })
        .where('id', '=', parentId)
        .returning(['deleted', 'moderation', 'replies', 'parent_id'])
        .executeTakeFirstOrThrow();
      delta = Number(publiclyVisible(parent)) - Number(publiclyVisible({ ...parent, replies: parent.replies - delta }));
      parentId = parent.parent_id;
    }
  }

  // ------------------------------------------------------------------ lookups

  async #visible(trx: Trx, commentId: string, participantId: string): Promise<CommentRow> {
    const row = await trx.selectFrom('comments').selectAll().where('id', '=', commentId).executeTakeFirst();
    if (!row || !visibleTo(row, participantId)) throw notFound(commentId);
    return row;
  }

  async #ownWithinWindow(trx: Trx, commentId: string, participantId: string, verb: 'edit' | 'delete', now: string): Promise<CommentRow> {
    const row = await this.#visible(trx, commentId, participantId);
    if (row.deleted === 1) throw new Problem(404, 'not-found', `Comment "${commentId}" was deleted.`);
    if (row.participant_id !== participantId) throw new Problem(403, 'forbidden', `Only its author may ${verb} a comment.`);
    if (row.moderation === 'hidden' || row.moderation === 'rejected') throw new Problem(403, 'forbidden', 'A moderated comment cannot be changed.');
    const thread = await this.requireThread(row.thread_id, trx);
    if (Date.parse(now) - Date.parse(row.created_at) >= thread.editWindowSeconds * 1000) {
      throw new Problem(403, 'forbidden', `The time to ${verb} this comment has passed.`);
    }
    return row;
  }
}

interface ThreadCountChange {
  threadId: string;
  delta: number;
}

/**
 * A thread's comment count moves once per batch, threads in id order: a busy discussion's row is
 * written (and, on PostgreSQL, locked) once per commit rather than once per comment.
 */
export function registerThreadCountFinisher(queue: CommitQueue): void {
  queue.finisher(THREAD_COUNTS, async (trx, effects) => {
    const byThread = new Map<string, number>();
    for (const { threadId, delta } of effects as ThreadCountChange[]) byThread.set(threadId, (byThread.get(threadId) ?? 0) + delta);
    for (const threadId of [...byThread.keys()].sort()) {
      const delta = byThread.get(threadId)!;
      if (delta === 0) continue;
      await trx.updateTable('threads').set({ comments: sql`comments + ${delta}` }).where('id', '=', threadId).execute();
      // An idea's discussion: the idea carries the same count, for its card and its sort.
      if (threadId.startsWith('idea:')) await trx.updateTable('ideas').set({ comments: sql`comments + ${delta}` }).where('id', '=', threadId.slice(5)).execute();
      if (threadId.startsWith('map-report:')) await trx.updateTable('map_reports').set({ comments: sql`comments + ${delta}` }).where('id', '=', threadId.slice(11)).execute();
    }
  });
}

/**
 * Published and hidden comments are seen by all (hidden ones as placeholders), pending and
 * rejected ones by their author only, deleted ones as placeholders while they have replies.
 */
function visibleTo(row: CommentRow, participantId: string | undefined): boolean {
  if (publiclyVisible(row)) return true;
  return row.deleted === 0 && participantId !== undefined && row.participant_id === participantId;
}

function visibleExpression(eb: CommentsExpression, participantId: string | undefined) {
  const shown = [
    eb.and([eb('deleted', '=', 0), eb('moderation', 'in', ['published', 'hidden'])]),
    eb.and([eb('deleted', '=', 1), eb('replies', '>', 0)]),
  ];
  if (participantId !== undefined) shown.push(eb.and([eb('deleted', '=', 0), eb('participant_id', '=', participantId)]));
  return eb.or(shown);
}

interface CursorKey {
  supports: number;
  createdAt: string;
  id: string;
}

/** Rows strictly after `key` in the sort order: comments posted meanwhile shift nothing. */
function afterKey(eb: CommentsExpression, sort: CommentSort, key: CursorKey) {
  const later = (direction: '>' | '<') =>
    eb.or([eb('created_at', direction, key.createdAt), eb.and([eb('created_at', '=', key.createdAt), eb('id', direction, key.id)])]);
  switch (sort) {
    case 'oldest':
      return later('>');
    case 'newest':
      return later('<');
    case 'most-supported':
      return eb.or([eb('supports', '<', key.supports), eb.and([eb('supports', '=', key.supports), later('>')])]);
  }
}

/** Cursors carry the last item's sort key, scoped to the listing they came from. */
function writeCursor(sort: CommentSort, threadId: string, parentId: string | undefined, row: CommentRow): string {
  return Buffer.from(JSON.stringify([sort, threadId, parentId ?? '', row.supports, row.created_at, row.id])).toString('base64url');
}

function readCursor(cursor: string, sort: CommentSort, threadId: string, parentId: string | undefined): CursorKey {
  try {
    const [cursorSort, cursorThread, cursorParent, supports, createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      cursorSort === sort &&
      cursorThread === threadId &&
      cursorParent === (parentId ?? '') &&
      Number.isInteger(supports) &&
      typeof createdAt === 'string' &&
      typeof id === 'string'
    ) {
      return { supports: supports as number, createdAt, id };
    }
  } catch {
    // Not one of ours: answered below.
  }
  throw Problem.validation([{ field: 'cursor', message: 'This cursor does not belong to this listing; start again from the first page.' }]);
}

function notFound(commentId: string): Problem {
  return new Problem(404, 'not-found', `There is no comment "${commentId}".`);
}

function closed(): Problem {
  return new Problem(403, 'closed', 'This discussion is closed.');
}
