import type { PollDomain } from '../../contract/adapter.js';
import type { Ballot, Poll, PollParticipation, PollResults } from '../../contract/types.js';
import { id, registerRestDomain } from '../rest-adapter.js';

/*
 *   GET  /polls/{id}               → Poll.
 *   GET  /polls/{id}/participation → PollParticipation; without Authorization the server answers
 *                                    for a participant who has not voted.
 *   POST /polls/{id}/ballots       body BallotInput, header Idempotency-Key
 *                                  → 201 Ballot, or 200 Ballot when it replaces an earlier one.
 *   GET  /polls/{id}/results       → PollResults, or 403 problem with code `forbidden`.
 */
registerRestDomain('polls', (rest): PollDomain => ({
  get: (pollId, opts) => rest.get<Poll>(`/polls/${id(pollId)}`, opts),
  participation: (pollId, opts) => rest.get<PollParticipation>(`/polls/${id(pollId)}/participation`, opts),
  castBallot: (pollId, ballot, opts) => rest.write<Ballot>('POST', `/polls/${id(pollId)}/ballots`, ballot, opts),
  results: (pollId, opts) => rest.get<PollResults>(`/polls/${id(pollId)}/results`, opts),
}));
