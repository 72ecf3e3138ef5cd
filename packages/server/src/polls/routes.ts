import type { FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { Problem } from '../http/problem.js';
import {
  BallotInputSchema,
  BallotSchema,
  IdempotencyHeaders,
  ParticipationSchema,
  PollParams,
  PollResultsSchema,
  PollSchema,
  problems,
  type BallotInputWire,
  type BallotWire,
} from '../http/schemas.js';
import { canSeeResults, pollPhase, publicPoll, resultsArePublic } from './model.js';
import { checkBallot } from './rules.js';

type PollRequest = { Params: { id: string } };

export async function pollRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { polls, participants } = services;

  app.get<PollRequest>(
    '/polls/:id',
    { schema: { summary: 'A poll', tags: ['polls'], params: PollParams, response: { 200: PollSchema, ...problems(404) } } },
    async (request) => publicPoll(await polls.require(request.params.id)),
  );

  app.get<PollRequest>(
    '/polls/:id/participation',
    {
      schema: {
        summary: "The current participant's ballot and whether they may see results",
        description: 'Without a token: no ballot, and whether results are public.',
        tags: ['polls'],
        security: [{}, { participant: [] }],
        params: PollParams,
        response: { 200: ParticipationSchema, ...problems(401, 404) },
      },
    },
    async (request) => {
      const poll = await polls.require(request.params.id);
      const participant = await participants.authenticateOptional(request.headers.authorization);
      const ballot = participant ? await polls.ballotOf(poll.id, participant.id) : undefined;
      return { ...(ballot ? { ballot } : {}), canSeeResults: canSeeResults(poll, ballot !== undefined) };
    },
  );

  app.post<PollRequest & { Body: BallotInputWire; Headers: { 'idempotency-key': string; 'x-civic-proof'?: string } }>(
    '/polls/:id/ballots',
    {
      onRequest: [services.authenticate, services.participantLimit],
      schema: {
        summary: 'Cast (or change) a ballot',
        description:
          'One ballot per participant and poll. 201 when stored; 200 when it replaced an earlier ballot (only where the poll allows changes). ' +
          'The `website` field is a honeypot and must stay empty. Polls with proof of work need an `X-Civic-Proof` header (see /challenge).',
        tags: ['polls'],
        security: [{ participant: [] }],
        params: PollParams,
        headers: IdempotencyHeaders,
        body: BallotInputSchema,
        response: { 200: BallotSchema, 201: BallotSchema, ...problems(401, 403, 404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const participant = request.participant!;
      const poll = await polls.require(request.params.id);
      const { website, ...input } = request.body;
      if (website) throw Problem.validation([{ field: 'website', message: 'Leave this field empty.' }]);
      const phase = pollPhase(poll);
      if (phase === 'not-open') throw new Problem(403, 'closed', `This poll opens on ${poll.opensAt}.`);
      if (phase === 'closed') throw new Problem(403, 'closed', 'This poll is closed.');
      if (poll.requiredVerification === 'verified' && participant.verification !== 'verified') {
        throw new Problem(403, 'forbidden', 'This poll is open to verified participants only: sign in on the council site.');
      }
      const key = request.headers['idempotency-key'];
      if (poll.proofOfWork) await services.proof.verify(request.headers['x-civic-proof'], `${participant.id}\u0000${key}`);
      const checked = checkBallot(poll, input);
      if (Array.isArray(checked)) throw Problem.validation(checked);

      let result;
      try {
        result = await services.idempotency.run<BallotWire>(participant.id, key, { method: 'POST', path: `/polls/${poll.id}/ballots`, body: input }, (trx, now, effects) =>
          polls.cast(trx, effects, poll, participant.id, checked, now),
        );
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new Problem(401, 'unauthorised', 'This participant no longer exists; start a new session.');
        throw error;
      }
      if (!result.replayed) services.live.pollChanged(poll.id);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.status).send(result.body);
    },
  );

  app.get<PollRequest>(
    '/polls/:id/results',
    {
      schema: {
        summary: 'Results of a poll',
        description: 'Counts are kept as ballots arrive. 403 (code forbidden) while the poll does not let this participant see them.',
        tags: ['polls'],
        security: [{}, { participant: [] }],
        params: PollParams,
        response: { 200: PollResultsSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const poll = await polls.require(request.params.id);
      if (!resultsArePublic(poll)) {
        const participant = await participants.authenticateOptional(request.headers.authorization);
        const voted = participant !== undefined && (await polls.ballotOf(poll.id, participant.id)) !== undefined;
        if (!canSeeResults(poll, voted)) {
          throw new Problem(403, 'forbidden', poll.resultVisibility === 'after-voting' ? 'Results are shown once you have voted.' : 'Results are not published yet.');
        }
      }
      return polls.results(poll);
    },
  );
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}
