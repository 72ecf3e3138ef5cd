import type { Selectable } from 'kysely';
import type { PollTable } from '../db/schema.js';
import type { AdminPollWire, BallotWire, PollCreate, PollWire } from '../http/schemas.js';
import type { BallotTable } from '../db/schema.js';

/** A poll as the server reasons about it: the public poll plus council-only settings. */
export interface PollRecord extends PollWire {
  electorate?: number;
  proofOfWork: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The stored answer; `other` lives in its own column because it is moderated. */
export interface Answer {
  choices?: string[];
  ranking?: string[];
  ratings?: Record<string, number>;
}

export function toIso(date: Date | string): string {
  return (typeof date === 'string' ? new Date(date) : date).toISOString();
}

function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

export function pollFromRow(row: Selectable<PollTable>): PollRecord {
  return {
    id: row.id,
    title: row.title,
    description: optional(row.description),
    type: row.type,
    options: JSON.parse(row.options),
    minChoices: optional(row.min_choices),
    maxChoices: optional(row.max_choices),
    scale: row.scale === null ? undefined : JSON.parse(row.scale),
    allowOther: row.allow_other === 1,
    opensAt: optional(row.opens_at),
    closesAt: optional(row.closes_at),
    resultVisibility: row.result_visibility,
    resultsPublishedAt: optional(row.results_published_at),
    quorum: optional(row.quorum),
    electorate: optional(row.electorate),
    allowBallotChange: row.allow_ballot_change === 1,
    requiredVerification: row.required_verification,
    eligibilityNote: optional(row.eligibility_note),
    proofOfWork: row.proof_of_work === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function pollToRow(poll: PollCreate & { description?: string }, now: string): Selectable<PollTable> {
  return {
    id: poll.id,
    title: poll.title,
    description: poll.description ?? null,
    type: poll.type,
    options: JSON.stringify(poll.options),
    min_choices: poll.minChoices ?? null,
    max_choices: poll.maxChoices ?? null,
    scale: poll.scale ? JSON.stringify(poll.scale) : null,
    allow_other: poll.allowOther ? 1 : 0,
    opens_at: poll.opensAt ? toIso(poll.opensAt) : null,
    closes_at: poll.closesAt ? toIso(poll.closesAt) : null,
    result_visibility: poll.resultVisibility,
    results_published_at: null,
    quorum: poll.quorum ?? null,
    electorate: poll.electorate ?? null,
    allow_ballot_change: poll.allowBallotChange ? 1 : 0,
    required_verification: poll.requiredVerification,
    eligibility_note: poll.eligibilityNote ?? null,
    proof_of_work: poll.proofOfWork ? 1 : 0,
    created_at: now,
    updated_at: now,
  };
}

/** The public view: what participants may read. */
export function publicPoll(poll: PollRecord): PollWire {
  const { electorate: _e, proofOfWork: _p, createdAt: _c, updatedAt: _u, ...rest } = poll;
  return rest;
}

export function adminPoll(poll: PollRecord, ballots: number): AdminPollWire {
  return { ...poll, ballots };
}

export function ballotFromRow(row: Selectable<BallotTable>): BallotWire {
  const answer = JSON.parse(row.answer) as Answer;
  return {
    id: row.id,
    pollId: row.poll_id,
    ...answer,
    ...(row.other_text === null ? {} : { other: row.other_text }),
    castAt: row.cast_at,
    ...(row.updated_at === null ? {} : { updatedAt: row.updated_at }),
  };
}

export type PollPhase = 'not-open' | 'open' | 'closed';

export function pollPhase(poll: PollRecord, now = Date.now()): PollPhase {
  if (poll.opensAt && Date.parse(poll.opensAt) > now) return 'not-open';
  if (poll.closesAt && Date.parse(poll.closesAt) <= now) return 'closed';
  return 'open';
}

/** Whether results are visible to everyone, whoever asks. */
export function resultsArePublic(poll: PollRecord, now = Date.now()): boolean {
  if (poll.resultsPublishedAt) return true;
  switch (poll.resultVisibility) {
    case 'always':
      return true;
    case 'after-voting':
    case 'after-closing':
      return pollPhase(poll, now) === 'closed';
    case 'after-publication':
      return false;
  }
}

export function canSeeResults(poll: PollRecord, hasVoted: boolean, now = Date.now()): boolean {
  return resultsArePublic(poll, now) || (poll.resultVisibility === 'after-voting' && hasVoted);
}
