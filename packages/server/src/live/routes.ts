import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { problems } from '../http/schemas.js';
import { Problem } from '../http/problem.js';
import { MAX_TOPICS_PER_STREAM, TOPIC_PATTERN } from './hub.js';

export async function liveRoutes(app: FastifyInstance, services: Services): Promise<void> {
  app.get<{ Querystring: { topic: string[] }; Headers: { 'last-event-id'?: string } }>(
    '/events',
    {
      schema: {
        summary: 'Live updates (Server-Sent Events)',
        description:
          'Each event has `id: <n>`, `event: <topic>` and `data: <JSON payload>`; for `poll:<id>:results` the payload is the new PollResults, ' +
          'sent at most a few times a second; for `thread:<id>:comments` it is `{ type: created|updated|removed, comment }`, the comment as everyone sees it. Comment lines keep the stream alive. Reconnect with Last-Event-ID to receive what was missed. ' +
          'Results that are not public reach only participants allowed to see them (send the bearer token). ' +
          `One stream carries up to ${MAX_TOPICS_PER_STREAM} topics, so that the widgets of a page share one connection; every topic must name a poll, thread, idea box, map or tracker that exists (404 otherwise). ` +
          'Open streams are capped per address and per server: past the cap the answer is 429 with Retry-After.',
        tags: ['live'],
        security: [{}, { participant: [] }],
        querystring: Type.Object(
          { topic: Type.Array(Type.String({ pattern: TOPIC_PATTERN, maxLength: 140 }), { minItems: 1, maxItems: MAX_TOPICS_PER_STREAM }) },
          { additionalProperties: false },
        ),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
        response: {
          200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...problems(401, 404),
        },
      },
    },
    async (request, reply) => {
      const participant = await services.participants.authenticateOptional(request.headers.authorization);
      const lastEventId = request.headers['last-event-id'];
      const release = services.live.reserve(request.ip);
      try {
        const unknown = await services.live.unknownTopics(request.query.topic);
        if (unknown.length) throw new Problem(404, 'not-found', `No such topic: ${unknown.join(', ')}.`, { errors: unknown.map((topic) => ({ field: 'topic', message: `"${topic}" does not exist.` })) });
      } catch (error) {
        release();
        throw error;
      }
      reply.raw.on('close', release);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // A reverse proxy must pass events through as they come (nginx reads this).
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      response.socket?.setNoDelay(true);
      try {
        await services.live.open(response, request.query.topic, participant?.id, lastEventId === undefined ? undefined : Number(lastEventId));
      } catch (error) {
        // The stream is already open: end it, and the client reconnects with its Last-Event-ID.
        request.log.error({ err: { message: (error as Error).message } }, 'event stream failed');
        response.end();
      }
    },
  );
}
