import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { API_PREFIX, type Services } from '../app.js';
import type { Storage } from '../db/connect.js';
import { Problem } from '../http/problem.js';
import { sanitiseCouncilHtml } from '../http/sanitise.js';
import {
  AdminPollSchema,
  Id,
  IdempotencyHeaders,
  IsoDateTime,
  ModerationItemSchema,
  ModerationKind,
  ModerationState,
  pageOf,
  PageQuery,
  PollCreateSchema,
  PollParams,
  PollPatchSchema,
  PollResultsSchema,
  problems,
  type AdminPollWire,
  type ModerationItem,
  type PollCreate,
  type PollPatch,
} from '../http/schemas.js';
import { adminPoll, pollFromRow, type PollRecord } from '../polls/model.js';
import { checkPollDefinition } from '../polls/rules.js';
import { commentAdminRoutes } from '../comments/admin-routes.js';
import { ideaAdminRoutes } from '../ideas/admin-routes.js';
import { trackerAdminRoutes } from '../tracker/admin-routes.js';
import { mapAdminRoutes, mapReportQueue } from '../maps/admin-routes.js';
import { ballotsOf, csvRows, jsonArray } from './exports.js';
import { inboxRoutes } from './inbox.js';
import { actorOf, staffGuard } from '../staff/guard.js';
import { scopedIds } from '../staff/permissions.js';
import { staffAdminRoutes } from '../staff/routes.js';


const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: IsoDateTime,
  actor: Type.String({ description: 'The staff member’s email, or `admin key`.' }),
  actorId: Type.Optional(Type.Integer()),
  actorName: Type.Optional(Type.String()),
  action: Type.String(),
  subjectKind: Type.String(),
  subjectId: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});


/** The audit log's cursor is the id of an entry. */
const AuditQuery = Type.Object(
  {
    ...PageQuery.properties,
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'nextCursor of the previous page.' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'Entries older than this id.' })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'An email, a staff id, or `admin key`.' })),
    action: Type.Optional(Type.String({ pattern: '^[a-z-]+(\\.[a-z-]+)*$', maxLength: 80 })),
    target: Type.Optional(Type.String({ pattern: '^[a-z-]+(:[A-Za-z0-9:_-]{1,120})?$', maxLength: 140, description: '`kind:id` or a kind.' })),
  },
  { additionalProperties: false },
);

const FormatQuery = Type.Object({ format: Type.Optional(Type.Enum(['csv', 'json'])) }, { additionalProperties: false });

export async function adminRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { storage, polls, idempotency, audit } = services;
  await app.register(async (admin) => {
    // Before the body is read and anything validated: a caller without the key or a session, or
    // without the right, learns nothing more and changes nothing.
    admin.addHook('onRequest', staffGuard(storage, services.console, services.adminKey, API_PREFIX));
    // Every admin route may refuse a role or a scope: its document says so.
    admin.addHook('onRoute', (route) => {
      const response = ((route.schema ??= {}).response ??= {}) as Record<number, unknown>;
      response[403] ??= problems(403)[403];
    });
    const security = [{ admin: [] }];
    const tags = ['admin'];
    const withBallots = async (poll: PollRecord): Promise<AdminPollWire> => adminPoll(poll, await polls.ballotCount(poll.id));

    admin.get<{ Querystring: { cursor?: string; limit?: string } }>(
      '/admin/polls',
      { schema: { summary: 'List polls', tags, security, querystring: PageQuery, response: { 200: pageOf(AdminPollSchema), ...problems(401) } } },
      async (request) => {
        const limit = pageLimit(request.query.limit);
        let query = storage.reader.selectFrom('polls').selectAll().orderBy('id').limit(limit + 1);
        const visible = scopedIds(actorOf(request).scopes, 'polls');
        if (visible) query = query.where('id', 'in', visible.length ? visible : ['']);
        if (request.query.cursor) query = query.where('id', '>', request.query.cursor);
        const rows = await query.execute();
        const items = await Promise.all(rows.slice(0, limit).map((row) => withBallots(pollFromRow(row))));
        return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
      },
    );

    admin.post<{ Body: PollCreate; Headers: { 'idempotency-key': string } }>(
      '/admin/polls',
      {
        bodyLimit: 1024 * 1024,
        schema: {
          summary: 'Create a poll',
          description: 'The description is council HTML, sanitised before it is stored.',
          tags,
          security,
          headers: IdempotencyHeaders,
          body: PollCreateSchema,
          response: { 201: AdminPollSchema, ...problems(401, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const input = await cleanPoll(request.body);
        const result = await idempotency.run<AdminPollWire>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: '/admin/polls', body: request.body }, async (trx, now) => {
          const poll = await polls.create(trx, input, now);
          await audit.record(trx, { at: now, actor: actorOf(request), action: 'poll.create', subjectKind: 'poll', subjectId: poll.id, details: { title: poll.title } });
          return { status: 201, body: adminPoll(poll, 0) };
        });
        return reply.status(result.status).header('location', `/api/v1/admin/polls/${result.body.id}`).send(result.body);
      },
    );

    admin.get<{ Params: { id: string } }>(
      '/admin/polls/:id',
      { schema: { summary: 'A poll with its council-only settings', tags, security, params: PollParams, response: { 200: AdminPollSchema, ...problems(401, 404) } } },
      async (request) => {
        polls.forget(request.params.id);
        return withBallots(await polls.require(request.params.id));
      },
    );

    admin.patch<{ Params: { id: string }; Body: PollPatch; Headers: { 'idempotency-key': string } }>(
      '/admin/polls/:id',
      {
        bodyLimit: 1024 * 1024,
        schema: {
          summary: 'Change a poll',
          description: 'Type, options and scale are frozen once ballots are cast (409).',
          tags,
          security,
          params: PollParams,
          headers: IdempotencyHeaders,
          body: PollPatchSchema,
          response: { 200: AdminPollSchema, ...problems(401, 404, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        polls.forget(id);
        const current = await polls.require(id);
        const { resultsPublishedAt: _p, createdAt: _c, updatedAt: _u, ...editable } = current;
        const merged = await cleanPoll({ ...editable, ...request.body, id } as PollCreate);
        const result = await idempotency.run<PollRecord>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'PATCH', path: `/admin/polls/${id}`, body: request.body }, async (trx, now) => {
          const poll = await polls.update(trx, id, request.body, merged, now);
          await audit.record(trx, { at: now, actor: actorOf(request), action: 'poll.update', subjectKind: 'poll', subjectId: id, details: { fields: Object.keys(request.body) } });
          return { status: 200, body: poll };
        });
        polls.forget(id);
        services.live.pollChanged(id);
        return reply.status(result.status).send(await withBallots(result.body));
      },
    );

    admin.post<{ Params: { id: string }; Headers: { 'idempotency-key': string } }>(
      '/admin/polls/:id/publish-results',
      {
        schema: {
          summary: 'Publish the results of a poll',
          description: 'Results become visible to everyone, whatever the poll’s visibility rule.',
          tags,
          security,
          params: PollParams,
          headers: IdempotencyHeaders,
          response: { 200: AdminPollSchema, ...problems(401, 404, 422) },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        const result = await idempotency.run<PollRecord>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/polls/${id}/publish-results`, body: null }, async (trx, now) => {
          const poll = await polls.publishResults(trx, id, now);
          await audit.record(trx, { at: now, actor: actorOf(request), action: 'poll.publish-results', subjectKind: 'poll', subjectId: id, details: {} });
          return { status: 200, body: poll };
        });
        polls.forget(id);
        services.live.pollChanged(id);
        return reply.status(result.status).send(await withBallots(result.body));
      },
    );

    admin.get<{ Params: { id: string }; Querystring: { format?: 'csv' | 'json' } }>(
      '/admin/polls/:id/ballots',
      {
        schema: {
          summary: 'Export the ballots of a poll (streamed)',
          description: 'CSV or JSON (`?format=`, default json). Ballots carry no participant identity.',
          tags,
          security,
          params: PollParams,
          querystring: FormatQuery,
          response: {
            200: {
              description: 'Ballots',
              content: { 'application/json': { schema: { type: 'array', items: { type: 'object' } } }, 'text/csv': { schema: { type: 'string' } } },
            },
            ...problems(401, 404),
          },
        },
      },
      async (request, reply) => {
        const poll = await polls.require(request.params.id);
        const ballots = ballotsOf(storage, poll.id);
        if (request.query.format === 'csv') {
          const header = ['ballot_id', 'cast_at', 'updated_at', ...answerColumns(poll), 'other', 'other_state'];
          const rows = (async function* () {
            for await (const ballot of ballots) {
              yield [ballot.id, ballot.castAt, ballot.updatedAt, ...answerCells(poll, ballot), ballot.other, ballot.otherState];
            }
          })();
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${poll.id}-ballots.csv"`)
            .send(Readable.from(csvRows(header, rows)));
        }
        return reply
          .type('application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="${poll.id}-ballots.json"`)
          .send(Readable.from(jsonArray(ballots)));
      },
    );

    admin.get<{ Params: { id: string }; Querystring: { format?: 'csv' | 'json' } }>(
      '/admin/polls/:id/results',
      {
        schema: {
          summary: 'Export the results of a poll',
          description: 'Always available to the council, whatever their visibility. CSV or JSON (`?format=`, default json).',
          tags,
          security,
          params: PollParams,
          querystring: FormatQuery,
          response: {
            200: { description: 'Results', content: { 'application/json': { schema: PollResultsSchema }, 'text/csv': { schema: { type: 'string' } } } },
            ...problems(401, 404),
          },
        },
      },
      async (request, reply) => {
        const poll = await polls.require(request.params.id);
        const results = await polls.freshResults(poll);
        if (request.query.format !== 'csv') return reply.type('application/json; charset=utf-8').send(results);
        const labels = new Map(poll.options.map((option) => [option.id, option.label]));
        const rows = (async function* () {
          for (const option of results.options) yield [option.optionId, labels.get(option.optionId), option.count, option.average];
          if (results.otherCount !== undefined) yield ['other', 'Other', results.otherCount, undefined];
          yield ['ballots', 'Ballots', results.ballots, undefined];
        })();
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${poll.id}-results.csv"`)
          .send(Readable.from(csvRows(['option_id', 'label', 'count', 'average'], rows)));
      },
    );

    admin.get<{ Querystring: { cursor?: string; limit?: string; actor?: string; action?: string; target?: string; before?: string } }>(
      '/admin/audit',
      {
        schema: {
          summary: 'Audit log of admin actions, newest first',
          description:
            'Each entry names who acted: a staff member (`actor` their email, `actorId`, `actorName`) or `admin key`. ' +
            'Filters: `actor` (an email, a staff id or `admin key`), `action` (`idea.answer`, or `idea` for every idea action), ' +
            '`target` (`idea:42`, or `idea`), `before` (an entry id: older entries only; `cursor` pages the same way).',
          tags,
          security,
          querystring: AuditQuery,
          response: { 200: pageOf(AuditEntrySchema), ...problems(401, 403) },
        },
      },
      async (request) => {
        const { cursor, before, actor, action, target } = request.query;
        const ids = [cursor, before].filter((value) => value !== undefined).map(Number);
        return audit.page({ actor, action, target, before: ids.length ? Math.min(...ids) : undefined }, pageLimit(request.query.limit));
      },
    );

    admin.get<{ Querystring: { kind?: ModerationItem['kind']; state?: ModerationItem['state']; cursor?: string; limit?: string } }>(
      '/admin/moderation',
      {
        schema: {
          summary: 'Moderation queue',
          description:
            'Citizen texts awaiting (or past) moderation, by `kind` (default poll-other). For poll-other `state` defaults to pending; ' +
            'for comment and idea the queue holds pending and hidden ones (auto-hidden by reports, or by a moderator) unless `state` says otherwise.',
          tags,
          security,
          querystring: Type.Object({ ...PageQuery.properties, kind: Type.Optional(ModerationKind), state: Type.Optional(ModerationState) }, { additionalProperties: false }),
          response: { 200: pageOf(ModerationItemSchema), ...problems(401) },
        },
      },
      async (request) => {
        const limit = pageLimit(request.query.limit);
        // A moderator limited to some spaces sees their items only.
        const { scopes } = actorOf(request);
        if (request.query.kind === 'comment') return commentQueue(storage, request.query.state, request.query.cursor, limit, scopedIds(scopes, 'threads'));
        if (request.query.kind === 'idea') return ideaQueue(storage, request.query.state, request.query.cursor, limit, scopedIds(scopes, 'ideas'));
        if (request.query.kind === 'map-report') return mapReportQueue(storage, request.query.state, request.query.cursor, limit, scopedIds(scopes, 'maps'));
        if (request.query.state === 'rejected') return { items: [] };
        let query = storage.reader
          .selectFrom('ballots')
          .select(['id', 'poll_id', 'other_text', 'other_state', 'cast_at'])
          .where('other_state', '=', request.query.state ?? 'pending')
          .orderBy('id')
          .limit(limit + 1);
        const polls = scopedIds(scopes, 'polls');
        if (polls) query = query.where('poll_id', 'in', polls.length ? polls : ['']);
        if (request.query.cursor) query = query.where('id', '>', request.query.cursor);
        const rows = await query.execute();
        const items: ModerationItem[] = rows.slice(0, limit).map((row) => ({
          kind: 'poll-other',
          id: row.id,
          spaceId: row.poll_id,
          text: row.other_text ?? '',
          state: row.other_state!,
          createdAt: row.cast_at,
        }));
        return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
      },
    );

    admin.post<{ Params: { kind: 'poll-other'; id: string }; Body: { action: 'approve' | 'hide' }; Headers: { 'idempotency-key': string } }>(
      '/admin/moderation/:kind/:id',
      {
        schema: {
          summary: 'Approve or hide a moderated text',
          tags,
          security,
          params: Type.Object({ kind: Type.Enum(['poll-other']), id: Id }),
          headers: IdempotencyHeaders,
          body: Type.Object({ action: Type.Enum(['approve', 'hide']) }, { additionalProperties: false }),
          response: { 200: ModerationItemSchema, ...problems(401, 404, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const state = request.body.action === 'approve' ? 'published' : 'hidden';
        const result = await idempotency.run<ModerationItem>(actorOf(request).owner, request.headers['idempotency-key'], { method: 'POST', path: `/admin/moderation/poll-other/${id}`, body: request.body }, async (trx, now) => {
          const row = await trx
            .updateTable('ballots')
            .set({ other_state: state })
            .where('id', '=', id)
            .where('other_text', 'is not', null)
            .returning(['id', 'poll_id', 'other_text', 'cast_at'])
            .executeTakeFirst();
          if (!row) throw new Problem(404, 'not-found', 'There is no such text to moderate.');
          await audit.record(trx, { at: now, actor: actorOf(request), action: `moderation.${request.body.action}`, subjectKind: 'poll-other', subjectId: id, details: { pollId: row.poll_id } });
          return { status: 200, body: { kind: 'poll-other', id: row.id, spaceId: row.poll_id, text: row.other_text ?? '', state, createdAt: row.cast_at } };
        });
        return reply.status(result.status).send(result.body);
      },
    );

    await commentAdminRoutes(admin, services, { tags, security });
    await ideaAdminRoutes(admin, services, { tags, security });
    await trackerAdminRoutes(admin, services, { tags, security });
    await mapAdminRoutes(admin, services, { tags, security });
    await inboxRoutes(admin, services, { tags, security });
    await staffAdminRoutes(admin, services, services.staffLinks, { tags: ['staff'], security });
  });
}

/** Comments to moderate: pending and hidden ones by default, never deleted ones. */
async function commentQueue(storage: Storage, state: ModerationItem['state'] | undefined, cursor: string | undefined, limit: number, threads?: string[]) {
  let query = storage.reader
    .selectFrom('comments')
    .select(['id', 'thread_id', 'body', 'moderation', 'created_at', 'reports'])
    .where('deleted', '=', 0)
    .where('moderation', 'in', state ? [state] : ['pending', 'hidden'])
    .orderBy('id')
    .limit(limit + 1);
  if (threads) query = query.where('thread_id', 'in', threads.length ? threads : ['']);
  if (cursor) query = query.where('id', '>', cursor);
  const rows = await query.execute();
  const items: ModerationItem[] = rows.slice(0, limit).map((row) => ({
    kind: 'comment',
    id: row.id,
    spaceId: row.thread_id,
    text: row.body,
    state: row.moderation,
    createdAt: row.created_at,
    reports: row.reports,
  }));
  return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
}

/** Ideas to moderate: pending and hidden ones by default; the text is the title and the body. */
async function ideaQueue(storage: Storage, state: ModerationItem['state'] | undefined, cursor: string | undefined, limit: number, boxes?: string[]) {
  let query = storage.reader
    .selectFrom('ideas')
    .select(['id', 'box_id', 'title', 'body', 'moderation', 'created_at', 'reports'])
    .where('moderation', 'in', state ? [state] : ['pending', 'hidden'])
    .orderBy('id')
    .limit(limit + 1);
  if (boxes) query = query.where('box_id', 'in', boxes.length ? boxes : ['']);
  if (cursor) query = query.where('id', '>', cursor);
  const rows = await query.execute();
  const items: ModerationItem[] = rows.slice(0, limit).map((row) => ({
    kind: 'idea',
    id: row.id,
    spaceId: row.box_id,
    text: `${row.title}\n\n${row.body}`,
    state: row.moderation,
    createdAt: row.created_at,
    reports: row.reports,
  }));
  return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
}

function pageLimit(limit: string | undefined): number {
  return Math.min(200, Math.max(1, Number(limit ?? 50)));
}

async function cleanPoll(input: PollCreate): Promise<PollCreate> {
  const poll = { ...input };
  if (poll.description !== undefined) poll.description = await sanitiseCouncilHtml(poll.description);
  const errors = checkPollDefinition(poll);
  if (errors.length) throw Problem.validation(errors);
  return poll;
}

function answerColumns(poll: PollRecord): string[] {
  if (poll.type === 'ranking') return poll.options.map((option) => `rank:${option.id}`);
  if (poll.type === 'rating') return poll.options.map((option) => `rating:${option.id}`);
  return poll.options.map((option) => `choice:${option.id}`);
}

function answerCells(poll: PollRecord, ballot: { choices?: string[]; ranking?: string[]; ratings?: Record<string, number> }): unknown[] {
  if (poll.type === 'ranking') return poll.options.map((option) => (ballot.ranking ? ballot.ranking.indexOf(option.id) + 1 : undefined));
  if (poll.type === 'rating') return poll.options.map((option) => ballot.ratings?.[option.id]);
  return poll.options.map((option) => (ballot.choices?.includes(option.id) ? 1 : 0));
}
