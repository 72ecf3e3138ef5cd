import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import { Problem } from '../http/problem.js';
import { BallotSchema, IdeaStatusSchema, IsoDateTime, ModerationStateSchema, problems, ReportReasonSchema, StanceSchema, Verification } from '../http/schemas.js';
import { commentTopic } from '../comments/routes.js';
import { ideaTopic } from '../ideas/routes.js';
import { forgetStoredEvents } from '../live/hub.js';
import { eraseMapData, exportMapData, mapExportFields } from '../maps/gdpr.js';
import { ballotFromRow } from '../polls/model.js';

const ExportSchema = Type.Object({
  participant: Type.Object({ id: Type.String(), verification: Verification, createdAt: IsoDateTime }),
  ballots: Type.Array(Type.Object({ pollTitle: Type.String(), ballot: BallotSchema })),
  /** Every comment the participant wrote, as stored (also those hidden or awaiting moderation). */
  comments: Type.Array(
    Type.Object({
      id: Type.String(),
      threadId: Type.String(),
      threadTitle: Type.Optional(Type.String()),
      parentId: Type.Optional(Type.String()),
      body: Type.String(),
      stance: Type.Optional(StanceSchema),
      authorName: Type.Optional(Type.String()),
      moderation: ModerationStateSchema,
      deleted: Type.Boolean(),
      createdAt: IsoDateTime,
      editedAt: Type.Optional(IsoDateTime),
    }),
  ),
  supports: Type.Array(Type.Object({ commentId: Type.String(), createdAt: IsoDateTime })),
  reports: Type.Array(Type.Object({ commentId: Type.String(), reason: ReportReasonSchema, details: Type.Optional(Type.String()), createdAt: IsoDateTime })),
  /** Every idea the participant proposed, as stored, and the ideas they support and reported. */
  ideas: Type.Array(
    Type.Object({
      id: Type.String(),
      boxId: Type.String(),
      title: Type.String(),
      body: Type.String(),
      categoryId: Type.Optional(Type.String()),
      location: Type.Optional(Type.Object({ address: Type.Optional(Type.String()), point: Type.Optional(Type.Object({ lat: Type.Number(), lng: Type.Number() })) })),
      imageUrl: Type.Optional(Type.String()),
      authorName: Type.Optional(Type.String()),
      status: IdeaStatusSchema,
      moderation: ModerationStateSchema,
      createdAt: IsoDateTime,
    }),
  ),
  ideaSupports: Type.Array(Type.Object({ ideaId: Type.String(), createdAt: IsoDateTime })),
  ideaReports: Type.Array(Type.Object({ ideaId: Type.String(), reason: ReportReasonSchema, details: Type.Optional(Type.String()), createdAt: IsoDateTime })),
  ...mapExportFields,
  exportedAt: IsoDateTime,
});

export async function meRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { storage } = services;

  app.get(
    '/me/export',
    {
      onRequest: [services.authenticate],
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
      const [ideas, ideaSupports, ideaReports] = await Promise.all([
        storage.reader.selectFrom('ideas').selectAll().where('participant_id', '=', id).orderBy('created_at').execute(),
        storage.reader.selectFrom('idea_supports').select(['idea_id', 'created_at']).where('participant_id', '=', id).orderBy('created_at').execute(),
        storage.reader.selectFrom('idea_reports').select(['idea_id', 'reason', 'details', 'created_at']).where('participant_id', '=', id).orderBy('created_at').execute(),
      ]);
      const [comments, supports, reports] = await Promise.all([
        storage.reader
          .selectFrom('comments')
          .innerJoin('threads', 'threads.id', 'comments.thread_id')
          .selectAll('comments')
          .select('threads.title as thread_title')
          .where('comments.participant_id', '=', id)
          .orderBy('comments.created_at')
          .execute(),
        storage.reader.selectFrom('comment_supports').select(['comment_id', 'created_at']).where('participant_id', '=', id).orderBy('created_at').execute(),
        storage.reader.selectFrom('comment_reports').select(['comment_id', 'reason', 'details', 'created_at']).where('participant_id', '=', id).orderBy('created_at').execute(),
      ]);
      return {
        participant: { id: participant.id, verification: participant.verification, createdAt: participant.created_at },
        ballots: ballots.map(({ poll_title, ...row }) => ({ pollTitle: poll_title, ballot: ballotFromRow(row) })),
        comments: comments.map((row) => ({
          id: row.id,
          threadId: row.thread_id,
          ...(row.thread_title === null ? {} : { threadTitle: row.thread_title }),
          ...(row.parent_id === null ? {} : { parentId: row.parent_id }),
          body: row.body,
          ...(row.stance === null ? {} : { stance: row.stance }),
          ...(row.author_name === null ? {} : { authorName: row.author_name }),
          moderation: row.moderation,
          deleted: row.deleted === 1,
          createdAt: row.created_at,
          ...(row.edited_at === null ? {} : { editedAt: row.edited_at }),
        })),
        supports: supports.map((row) => ({ commentId: row.comment_id, createdAt: row.created_at })),
        reports: reports.map((row) => ({ commentId: row.comment_id, reason: row.reason, ...(row.details === null ? {} : { details: row.details }), createdAt: row.created_at })),
        ideas: ideas.map((row) => ({
          id: row.id,
          boxId: row.box_id,
          title: row.title,
          body: row.body,
          ...(row.category_id === null ? {} : { categoryId: row.category_id }),
          ...(row.location === null ? {} : { location: JSON.parse(row.location) as { address?: string } }),
          ...(row.image === null ? {} : { imageUrl: row.image }),
          ...(row.author_name === null ? {} : { authorName: row.author_name }),
          status: row.status,
          moderation: row.moderation,
          createdAt: row.created_at,
        })),
        ideaSupports: ideaSupports.map((row) => ({ ideaId: row.idea_id, createdAt: row.created_at })),
        ideaReports: ideaReports.map((row) => ({ ideaId: row.idea_id, reason: row.reason, ...(row.details === null ? {} : { details: row.details }), createdAt: row.created_at })),
        ...(await exportMapData(storage, id)),
        exportedAt: new Date().toISOString(),
      };
    },
  );

  app.delete(
    '/me',
    {
      onRequest: [services.authenticate],
      schema: {
        summary: "Erase the participant's identity (GDPR)",
        description:
          'Ballots keep counting but lose any link to the participant; the token stops working. ' +
          'Comments and ideas stay as anonymous text (without the name they were posted under); supports and reports keep counting, unlinked. ' +
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
        const written = await trx
          .updateTable('comments')
          .set({ participant_id: null, author_name: null })
          .where('participant_id', '=', id)
          .returning(['id', 'thread_id'])
          .execute();
        // Live events kept for reconnection may still show the name: those about these comments go.
        for (const comment of written) await forgetStoredEvents(trx, commentTopic(comment.thread_id), comment.id);
        const proposed = await trx.updateTable('ideas').set({ participant_id: null, author_name: null }).where('participant_id', '=', id).returning(['id', 'box_id']).execute();
        for (const idea of proposed) {
          await forgetStoredEvents(trx, ideaTopic(idea.box_id), idea.id);
        }
        await trx.updateTable('idea_supports').set({ participant_id: null }).where('participant_id', '=', id).execute();
        await trx.updateTable('idea_reports').set({ participant_id: null }).where('participant_id', '=', id).execute();
        await trx.deleteFrom('idea_box_supporters').where('participant_id', '=', id).execute();
        await trx.updateTable('comment_supports').set({ participant_id: null }).where('participant_id', '=', id).execute();
        await trx.updateTable('comment_reports').set({ participant_id: null }).where('participant_id', '=', id).execute();
        await eraseMapData(trx, id);
        await trx.deleteFrom('idempotency_keys').where('scope', '=', id).execute();
        await trx.deleteFrom('participants').where('id', '=', id).execute();
      });
      services.participants.forget(id);
      return reply.status(204).send();
    },
  );
}
