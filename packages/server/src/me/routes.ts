import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { Problem } from '../http/problem.js';
import { BallotSchema, IsoDateTime, problems, Verification } from '../http/schemas.js';
import { ballotFromRow } from '../polls/model.js';

const ExportSchema = Type.Object({
  participant: Type.Object({ id: Type.String(), verification: Verification, createdAt: IsoDateTime }),
  ballots: Type.Array(Type.Object({ pollTitle: Type.String(), ballot: BallotSchema })),
  exportedAt: IsoDateTime,
});

export async function meRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { storage } = services;

  app.get(
    '/me/export',
    {
      preHandler: [services.authenticate],
      schema: {
        summary: "The participant's own data (GDPR access and portability)",
        tags: ['me'],
        security: [{ participant: [] }],
        response: { 200: ExportSchema, ...problems(401) },
      },
    },
    async (request) => {
      const id = request.participant!.id;
      const participant = await storage.reader.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
      if (!participant) throw new Problem(401, 'unauthorised', 'This participant no longer exists.');
      const ballots = await storage.reader
        .selectFrom('ballots')
        .innerJoin('polls', 'polls.id', 'ballots.poll_id')
        .selectAll('ballots')
        .select('polls.title as poll_title')
        .where('ballots.participant_id', '=', id)
        .orderBy('ballots.cast_at')
        .execute();
      return {
        participant: { id: participant.id, verification: participant.verification, createdAt: participant.created_at },
        ballots: ballots.map(({ poll_title, ...row }) => ({ pollTitle: poll_title, ballot: ballotFromRow(row) })),
        exportedAt: new Date().toISOString(),
      };
    },
  );

  app.delete(
    '/me',
    {
      preHandler: [services.authenticate],
      schema: {
        summary: "Erase the participant's identity (GDPR)",
        description:
          'Ballots keep counting but lose any link to the participant; the token stops working. ' +
          'Idempotent by nature (a second call also answers 204), so no Idempotency-Key is needed.',
        tags: ['me'],
        security: [{ participant: [] }],
        response: { 204: Type.Null({ description: 'Erased' }), ...problems(401) },
      },
    },
    async (request, reply) => {
      const id = request.participant!.id;
      await services.queue.run(async (trx) => {
        await trx.updateTable('ballots').set({ participant_id: null }).where('participant_id', '=', id).execute();
        await trx.deleteFrom('idempotency_keys').where('scope', '=', id).execute();
        await trx.deleteFrom('participants').where('id', '=', id).execute();
      });
      services.participants.forget(id);
      return reply.status(204).send();
    },
  );
}
