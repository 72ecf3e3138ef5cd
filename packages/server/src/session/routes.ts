import type { FastifyInstance } from 'fastify';
import { Problem } from '../http/problem.js';
import type { Services } from '../app.js';
import { CreatedSessionSchema, problems, SessionSchema } from '../http/schemas.js';

export async function sessionRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.post(
    '/session',
    {
      onRequest: [services.sessionLimit],
      schema: {
        summary: 'Start an anonymous participant session',
        description: 'Creates an anonymous participant and returns its bearer token. Needs no body and no Idempotency-Key: a retry only makes another anonymous participant.',
        tags: ['session'],
        response: { 201: CreatedSessionSchema, ...problems() },
      },
    },
    async (_request, reply) => {
      const { token, participant } = await services.participants.createAnonymous();
      return reply.status(201).send({ token, participantId: participant.id, verification: participant.verification, expiresAt: participant.expiresAt });
    },
  );

  app.get(
    '/session',
    {
      onRequest: [services.authenticate],
      schema: {
        summary: 'Who the bearer of this token is',
        tags: ['session'],
        security: [{ participant: [] }],
        response: { 200: SessionSchema, ...problems(401) },
      },
    },
    async (request) => {
      const participant = request.participant!;
      // An erased participant's token still carries a valid signature: check they still exist.
      if (!(await services.participants.exists(participant.id))) {
        throw new Problem(401, 'unauthorised', 'This participant no longer exists; start a new session.');
      }
      return {
        participantId: participant.id,
        verification: participant.verification,
        ...(participant.displayName ? { displayName: participant.displayName } : {}),
        ...(participant.expiresAt ? { expiresAt: participant.expiresAt } : {}),
      };
    },
  );
}
