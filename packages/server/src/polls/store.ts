import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { BatchEffects, CommitQueue } from '../db/commit-queue.js';
import type { Storage } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import { Problem } from '../http/problem.js';
import type { BallotWire, PollCreate, PollPatch, PollResultsWire } from '../http/schemas.js';
import { ballotFromRow, pollFromRow, pollToRow, toIso, type Answer, type PollRecord } from './model.js';
import { contributions, type CheckedBallot } from './rules.js';

type Trx = Transaction<Database>;

// Random bytes drawn 4 KB at a time: one system call serves some 340 ids.
let pool = Buffer.alloc(0);
let offset = 0;

/** An opaque, unguessable id: the prefix, then 96 random bits. */
export function newId(prefix: string): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += 12;
  return `${prefix}_${pool.subarray(offset - 12, offset).toString('base64url')}`;
}

/**
 * Polls, ballots and their running totals. Poll definitions and results are cached for a moment:
 * a read never waits for the database on the hot path, and another instance's change shows within
 * `cacheMs` (live events invalidate results sooner).
 */
export class PollStore {
  readonly #storage: Storage;
  readonly #cacheMs: number;
  readonly #polls = new Map<string, { poll: PollRecord | undefined; at: number }>();
  readonly #results = new Map<string, { results: PollResultsWire; at: number }>();

  constructor(storage: Storage, options: { cacheMs?: number } = {}) {
    this.#storage = storage;
    this.#cacheMs = options.cacheMs ?? 1000;
  }

  async get(id: string): Promise<PollRecord | undefined> {
    const cached = this.#polls.get(id);
    if (cached && Date.now() - cached.at < this.#cacheMs) return cached.poll;
    const row = await this.#storage.reader.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirst();
    const poll = row ? pollFromRow(row) : undefined;
    if (this.#polls.size > 10_000) this.#polls.clear();
    this.#polls.set(id, { poll, at: Date.now() });
    return poll;
  }

  async require(id: string): Promise<PollRecord> {
    const poll = await this.get(id);
    if (!poll) throw new Problem(404, 'not-found', `There is no poll "${id}".`);
    return poll;
  }

  forget(id: string): void {
    this.#polls.delete(id);
    this.#results.delete(id);
  }

  resultsChanged(id: string): void {
    this.#results.delete(id);
  }

  async results(poll: PollRecord): Promise<PollResultsWire> {
    const cached = this.#results.get(poll.id);
    if (cached && Date.now() - cached.at < this.#cacheMs) return cached.results;
    const results = await this.freshResults(poll);
    this.#results.set(poll.id, { results, at: Date.now() });
    return results;
  }

  async freshResults(poll: PollRecord): Promise<PollResultsWire> {
    const [tally, counts] = await Promise.all([
      this.#storage.reader.selectFrom('poll_tallies').selectAll().where('poll_id', '=', poll.id).executeTakeFirst(),
      this.#storage.reader.selectFrom('poll_option_counts').selectAll().where('poll_id', '=', poll.id).execute(),
    ]);
    const ballots = tally?.ballots ?? 0;
    const byOption = new Map(counts.map((row) => [row.option_id, row]));
    const options = poll.options.map((option) => {
      const row = byOption.get(option.id);
      const count = row?.count ?? 0;
      const total = row?.total ?? 0;
      if (poll.type === 'ranking') return { optionId: option.id, count, ...(ballots ? { average: round(total / ballots) } : {}) };
      if (poll.type === 'rating') return { optionId: option.id, count, ...(count ? { average: round(total / count) } : {}) };
      return { optionId: option.id, count };
    });
    const results: PollResultsWire = {
      pollId: poll.id,
      ballots,
      options,
      updatedAt: tally?.updated_at ?? poll.createdAt,
    };
    if (poll.allowOther) results.otherCount = tally?.other_count ?? 0;
    if (poll.quorum !== undefined) {
      results.quorum = poll.quorum;
      results.quorumReached = ballots >= poll.quorum;
    }
    if (poll.electorate !== undefined) results.electorate = poll.electorate;
    return results;
  }

  async ballotOf(pollId: string, participantId: string): Promise<BallotWire | undefined> {
    const row = await this.#storage.reader
      .selectFrom('ballots')
      .selectAll()
      .where('poll_id', '=', pollId)
      .where('participant_id', '=', participantId)
      .executeTakeFirst();
    return row ? ballotFromRow(row) : undefined;
  }

  /**
   * Stores a ballot, or replaces the participant's earlier one when the poll allows it, and moves
   * the running totals in the same transaction. The unique (poll, participant) constraint decides
   * who was first, also between instances.
   */
  async cast(
    trx: Trx,
    effects: BatchEffects,
    poll: PollRecord,
    participantId: string,
    ballot: CheckedBallot,
    now: string,
  ): Promise<{ status: 200 | 201; body: BallotWire }> {
    const other = ballot.other ?? null;
    const inserted = await trx
      .insertInto('ballots')
      .values({
        id: newId('b'),
        poll_id: poll.id,
        participant_id: participantId,
        answer: JSON.stringify(ballot.answer),
        other_text: other,
        other_state: other === null ? null : 'pending',
        cast_at: now,
        updated_at: null,
      })
      .onConflict((conflict) => conflict.columns(['poll_id', 'participant_id']).doNothing())
      .returningAll()
      .executeTakeFirst();

    if (inserted) {
      effects.add(COUNTS, countChange(poll.id, contributions(poll, ballot.answer), new Map(), 1, other === null ? 0 : 1, now));
      return { status: 201, body: ballotFromRow(inserted) };
    }

    if (!poll.allowBallotChange) throw new Problem(409, 'conflict', 'You have already voted in this poll.');
    let previousQuery = trx.selectFrom('ballots').selectAll().where('poll_id', '=', poll.id).where('participant_id', '=', participantId);
    if (this.#storage.dialect === 'postgres') previousQuery = previousQuery.forUpdate();
    const previous = await previousQuery.executeTakeFirstOrThrow();
    const updated = await trx
      .updateTable('ballots')
      .set({
        answer: JSON.stringify(ballot.answer),
        other_text: other,
        other_state: other === null ? null : other === previous.other_text ? previous.other_state : 'pending',
        updated_at: now,
      })
      .where('id', '=', previous.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const others = (other === null ? 0 : 1) - (previous.other_text === null ? 0 : 1);
    effects.add(COUNTS, countChange(poll.id, contributions(poll, ballot.answer), contributions(poll, JSON.parse(previous.answer) as Answer), 0, others, now));
    return { status: 200, body: ballotFromRow(updated) };
  }

  async create(trx: Trx, input: PollCreate, now: string): Promise<PollRecord> {
    const existing = await trx.selectFrom('polls').select('id').where('id', '=', input.id).executeTakeFirst();
    if (existing) throw new Problem(409, 'conflict', `A poll "${input.id}" already exists.`);
    const row = pollToRow(input, now);
    await trx.insertInto('polls').values(row).execute();
    await this.#resetCounts(trx, row.id, input.options.map((option) => option.id), now);
    this.forget(row.id);
    return pollFromRow(row);
  }

  async update(trx: Trx, id: string, patch: PollPatch, merged: PollCreate, now: string): Promise<PollRecord> {
    const current = await trx.selectFrom('polls').selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new Problem(404, 'not-found', `There is no poll "${id}".`);
    const tally = await trx.selectFrom('poll_tallies').select('ballots').where('poll_id', '=', id).executeTakeFirst();
    const structural = patch.type !== undefined || patch.options !== undefined || patch.scale !== undefined;
    if (structural && (tally?.ballots ?? 0) > 0) {
      throw new Problem(409, 'conflict', 'The type, options and scale of a poll cannot change once ballots are cast.');
    }
    const row = { ...pollToRow(merged, now), created_at: current.created_at, results_published_at: current.results_published_at };
    await trx.updateTable('polls').set(row).where('id', '=', id).execute();
    if (structural) await this.#resetCounts(trx, id, merged.options.map((option) => option.id), now);
    this.forget(id);
    return pollFromRow(row);
  }

  async publishResults(trx: Trx, id: string, now: string): Promise<PollRecord> {
    const row = await trx
      .updateTable('polls')
      .set({ results_published_at: now, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new Problem(404, 'not-found', `There is no poll "${id}".`);
    this.forget(id);
    return pollFromRow(row);
  }

  async #resetCounts(trx: Trx, pollId: string, optionIds: string[], now: string): Promise<void> {
    await trx.deleteFrom('poll_option_counts').where('poll_id', '=', pollId).execute();
    await trx
      .insertInto('poll_option_counts')
      .values(optionIds.map((option_id) => ({ poll_id: pollId, option_id, count: 0, total: 0 })))
      .execute();
    await trx
      .insertInto('poll_tallies')
      .values({ poll_id: pollId, ballots: 0, other_count: 0, updated_at: now })
      .onConflict((conflict) => conflict.column('poll_id').doNothing())
      .execute();
  }

  async ballotCount(pollId: string): Promise<number> {
    const tally = await this.#storage.reader.selectFrom('poll_tallies').select('ballots').where('poll_id', '=', pollId).executeTakeFirst();
    return tally?.ballots ?? 0;
  }
}

const COUNTS = 'poll-counts';

type Delta = { count: number; total: number };

interface CountChange {
  pollId: string;
  options: Map<string, Delta>;
  ballots: number;
  others: number;
  now: string;
}

function countChange(pollId: string, added: Map<string, Delta>, removed: Map<string, Delta>, ballots: number, others: number, now: string): CountChange {
  const options = new Map<string, Delta>();
  for (const [id, value] of added) options.set(id, { ...value });
  for (const [id, value] of removed) {
    const current = options.get(id) ?? { count: 0, total: 0 };
    options.set(id, { count: current.count - value.count, total: current.total - value.total });
  }
  return { pollId, options, ballots, others, now };
}

/**
 * Moves the running totals once per batch and poll, polls in id order: every ballot of a batch
 * adds up in memory first, so a poll's hot rows are written (and, on PostgreSQL, locked) once
 * per commit rather than once per ballot.
 */
export function registerCountFinisher(queue: CommitQueue): void {
  queue.finisher(COUNTS, async (trx, effects) => {
    const byPoll = new Map<string, CountChange>();
    for (const change of effects as CountChange[]) {
      const sum = byPoll.get(change.pollId);
      if (!sum) {
        byPoll.set(change.pollId, { ...change, options: new Map(change.options) });
        continue;
      }
      for (const [id, delta] of change.options) {
        const current = sum.options.get(id) ?? { count: 0, total: 0 };
        sum.options.set(id, { count: current.count + delta.count, total: current.total + delta.total });
      }
      sum.ballots += change.ballots;
      sum.others += change.others;
      if (change.now > sum.now) sum.now = change.now;
    }
    for (const pollId of [...byPoll.keys()].sort()) {
      const { options, ballots, others, now } = byPoll.get(pollId)!;
      // The tally row first: whoever holds it alone moves the poll's option rows, so batches
      // never lock those in different orders.
      await trx
        .updateTable('poll_tallies')
        .set({ ballots: sql`ballots + ${ballots}`, other_count: sql`other_count + ${others}`, updated_at: now })
        .where('poll_id', '=', pollId)
        .execute();
      const ids = [...options.keys()].filter((id) => options.get(id)!.count !== 0 || options.get(id)!.total !== 0).sort();
      if (ids.length === 0) continue;
      // One statement for every option of the poll, whatever its size.
      const caseOf = (pick: 'count' | 'total', type: 'integer' | 'double precision') =>
        sql`case option_id ${sql.join(
          ids.map((id) => sql`when ${id} then cast(${options.get(id)![pick]} as ${sql.raw(type)})`),
          sql` `,
        )} else 0 end`;
      await trx
        .updateTable('poll_option_counts')
        .set({
          count: sql`count + ${caseOf('count', 'integer')}`,
          total: sql`total + ${caseOf('total', 'double precision')}`,
        })
        .where('poll_id', '=', pollId)
        .where('option_id', 'in', ids)
        .execute();
    }
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export { toIso };
