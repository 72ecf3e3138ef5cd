import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql, type RawBuilder } from 'kysely';
import { Type, type Static } from 'typebox';
import { API_PREFIX, type Services } from '../app.js';
import type { Storage } from '../db/connect.js';
import { Id, IdempotencyHeaders, IsoDateTime, ModerationKind, ModerationState, pageOf, problems, ReportReasonSchema } from '../http/schemas.js';
import { Problem } from '../http/problem.js';
import { scopedIds } from '../staff/permissions.js';

/**
 * The console's moderation inbox: comments, ideas, map reports and "other" poll answers in one
 * queue, oldest first (what has waited longest), paged by a key (created at, kind, id) so that a
 * page costs the same at the 10,000th item as at the first.
 */
export const InboxItemSchema = Type.Object({
  kind: ModerationKind,
  id: Type.String(),
  text: Type.String(),
  state: ModerationState,
  createdAt: IsoDateTime,
  /** Seconds since it was posted, when the page was read. */
  ageSeconds: Type.Integer(),
  /** Where it belongs: the thread of a comment, the idea box of an idea, the map of a report, the poll of an answer. */
  context: Type.Object({ kind: Type.Enum(['thread', 'idea-box', 'map', 'poll']), id: Type.String() }),
  /** Distinct reports (flags, for map reports) so far, and how many gave each reason. */
  flags: Type.Integer(),
  reasons: Type.Array(Type.Object({ reason: ReportReasonSchema, count: Type.Integer() })),
});
export type InboxItem = Static<typeof InboxItemSchema>;

export const InboxQuery = Type.Object(
  {
    kind: Type.Optional(ModerationKind),
    state: Type.Optional(ModerationState),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page.' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 200 (default 50).' })),
  },
  { additionalProperties: false },
);

type Kind = InboxItem['kind'];
type State = InboxItem['state'];
type Key = [createdAt: string, kind: Kind, id: string];

interface Branch {
  kind: Kind;
  context: InboxItem['context']['kind'];
  /** Selects kind, id, space_id, text, state, created_at, flags; `where` is added after. */
  select: RawBuilder<unknown>;
  state: string;
  created: string;
  space: string;
  scope: 'threads' | 'ideas' | 'maps' | 'polls';
  extra?: RawBuilder<unknown>;
  reasons?: { table: string; column: string };
}

const BRANCHES: Branch[] = [
  {
    kind: 'comment',
    context: 'thread',
    select: sql`select 'comment' as kind, id, thread_id as space_id, body as text, moderation as state, created_at, reports as flags from comments`,
    state: 'moderation',
    created: 'created_at',
    space: 'thread_id',
    scope: 'threads',
    extra: sql`deleted = 0`,
    reasons: { table: 'comment_reports', column: 'comment_id' },
  },
  {
    kind: 'idea',
    context: 'idea-box',
    select: sql`select 'idea' as kind, id, box_id as space_id, title || ${sql.lit('\n\n')} || body as text, moderation as state, created_at, reports as flags from ideas`,
    state: 'moderation',
    created: 'created_at',
    space: 'box_id',
    scope: 'ideas',
    reasons: { table: 'idea_reports', column: 'idea_id' },
  },
  {
    kind: 'map-report',
    context: 'map',
    select: sql`select 'map-report' as kind, id, map_id as space_id, coalesce(address || ${sql.lit('\n\n')}, '') || description as text, moderation as state, created_at, reports as flags from map_reports`,
    state: 'moderation',
    created: 'created_at',
    space: 'map_id',
    scope: 'maps',
    reasons: { table: 'map_report_flags', column: 'report_id' },
  },
  {
    kind: 'poll-other',
    context: 'poll',
    select: sql`select 'poll-other' as kind, id, poll_id as space_id, other_text as text, other_state as state, cast_at as created_at, 0 as flags from ballots`,
    state: 'other_state',
    created: 'cast_at',
    space: 'poll_id',
    scope: 'polls',
    extra: sql`other_text is not null`,
  },
];

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 3 && key.every((part) => typeof part === 'string') && BRANCHES.some((branch) => branch.kind === key[1])) return key as Key;
  } catch {
    // answered below
  }
  throw Problem.validation([{ field: 'cursor', message: 'Not a cursor from this list.' }]);
}

/**
 * One page of the inbox. `scopes`: a limited moderator's, whose inbox holds their spaces only.
 * Each kind gives at most a page of its oldest items after the cursor, through its
 * (state, created at, id) index; the page is the oldest of those.
 */
export async function inboxPage(
  storage: Storage,
  options: { kind?: Kind; state?: State; cursor?: string; limit: number; scopes: readonly string[]; nowMs: number },
): Promise<{ items: InboxItem[]; nextCursor?: string }> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const states = options.state ? [options.state] : ['pending', 'hidden'];
  const parts: RawBuilder<unknown>[] = [];
  for (const branch of BRANCHES) {
    if (options.kind && options.kind !== branch.kind) continue;
    const conditions: RawBuilder<unknown>[] = [sql`${sql.ref(branch.state)} in (${sql.join(states)})`];
    if (branch.extra) conditions.push(branch.extra);
    const spaces = scopedIds(options.scopes, branch.scope);
    if (spaces) {
      if (!spaces.length) continue;
      conditions.push(sql`${sql.ref(branch.space)} in (${sql.join(spaces)})`);
    }
    if (after) {
      const [createdAt, kind, id] = after;
      const created = sql.ref(branch.created);
      // The key is (created at, kind, id); within a branch the kind is fixed.
      if (branch.kind === kind) conditions.push(sql`(${created} > ${createdAt} or (${created} = ${createdAt} and id > ${id}))`);
      else conditions.push(branch.kind > kind ? sql`${created} >= ${createdAt}` : sql`${created} > ${createdAt}`);
    }
    parts.push(sql`select * from (${branch.select} where ${sql.join(conditions, sql` and `)} order by ${sql.ref(branch.created)}, id limit ${options.limit + 1}) as ${sql.ref(`q_${branch.kind.replace('-', '_')}`)}`);
  }
  if (!parts.length) return { items: [] };
  const query = sql<{ kind: Kind; id: string; space_id: string; text: string | null; state: State; created_at: string; flags: number }>`select * from (${sql.join(parts, sql` union all `)}) as inbox order by created_at, kind, id limit ${options.limit + 1}`;
  const rows = (await query.execute(storage.reader)).rows;
  const page = rows.slice(0, options.limit);
  const reasons = await reasonsOf(storage, page);
  const items = page.map((row): InboxItem => {
    const branch = BRANCHES.find((candidate) => candidate.kind === row.kind)!;
    return {
      kind: row.kind,
      id: row.id,
      text: row.text ?? '',
      state: row.state,
      createdAt: row.created_at,
      ageSeconds: Math.max(0, Math.floor((options.nowMs - Date.parse(row.created_at)) / 1000)),
      context: { kind: branch.context, id: row.space_id },
      flags: Number(row.flags),
      reasons: reasons.get(`${row.kind}\u0000${row.id}`) ?? [],
    };
  });
  if (rows.length <= options.limit) return { items };
  const last = items.at(-1)!;
  return { items, nextCursor: encodeCursor([last.createdAt, last.kind, last.id]) };
}

/** The reasons given for the items of a page, counted: one query per kind present. */
async function reasonsOf(storage: Storage, items: Array<{ kind: Kind; id: string }>): Promise<Map<string, InboxItem['reasons']>> {
  const found = new Map<string, InboxItem['reasons']>();
  for (const branch of BRANCHES) {
    if (!branch.reasons) continue;
    const ids = items.filter((item) => item.kind === branch.kind).map((item) => item.id);
    if (!ids.length) continue;
    const { table, column } = branch.reasons;
    const rows = (
      await sql<{ item: string; reason: InboxItem['reasons'][number]['reason']; n: number }>`select ${sql.ref(column)} as item, reason, count(*) as n from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(ids)}) group by ${sql.ref(column)}, reason order by ${sql.ref(column)}, reason`.execute(storage.reader)
    ).rows;
    for (const row of rows) {
      const key = `${branch.kind}\u0000${row.item}`;
      found.set(key, [...(found.get(key) ?? []), { reason: row.reason, count: Number(row.n) }]);
    }
  }
  return found;
}

const BulkSchema = Type.Object(
  {
    action: Type.Enum(['approve', 'hide', 'restore']),
    items: Type.Array(Type.Object({ kind: ModerationKind, id: Id }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
type Bulk = Static<typeof BulkSchema>;

const BulkResultSchema = Type.Object({
  results: Type.Array(
    Type.Object({
      kind: ModerationKind,
      id: Type.String(),
      /** The status the item's own route answered: 200, or 403 out of scope, 404, 409… */
      status: Type.Integer(),
      state: Type.Optional(ModerationState),
      detail: Type.Optional(Type.String()),
    }),
  ),
});

const ITEM_ROUTES: Record<Kind, string> = { comment: 'comments', idea: 'ideas', 'map-report': 'map-reports', 'poll-other': 'moderation/poll-other' };
/** What the caller sent that the item's own route needs: who they are, their language, where the request came from. */
const FORWARDED = ['authorization', 'cookie', 'x-csrf-token', 'accept-language', 'sec-fetch-site'];

export async function inboxRoutes(admin: FastifyInstance, services: Services, doc: { tags: string[]; security: Array<Record<string, string[]>> }): Promise<void> {
  const { tags, security } = doc;
  admin.get<{ Querystring: { kind?: Kind; state?: State; cursor?: string; limit?: string } }>(
    '/admin/inbox',
    {
      schema: {
        summary: 'Moderation inbox: comments, ideas, map reports and "other" answers in one queue',
        description:
          'Oldest first, pending and hidden items unless `state` says otherwise, paged by `cursor`. Each item has its context ' +
          '(the thread of a comment, the idea box of an idea, the map of a report, the poll of an answer), its age, its flags and their reasons.',
        tags,
        security,
        querystring: InboxQuery,
        response: { 200: pageOf(InboxItemSchema), ...problems(401, 403) },
      },
    },
    async (request) => {
      const { scopes } = request.actor!;
      const limit = Math.min(200, Math.max(1, Number(request.query.limit ?? 50)));
      return inboxPage(services.storage, { kind: request.query.kind, state: request.query.state, cursor: request.query.cursor, limit, scopes, nowMs: Date.now() });
    },
  );

  admin.post<{ Body: Bulk; Headers: { 'idempotency-key': string } }>(
    '/admin/inbox',
    {
      schema: {
        summary: 'Approve, hide or restore several items at once',
        description:
          'Each item goes through its own route (POST /admin/comments/{id}/hide and so on), with the caller’s rights and scopes, ' +
          'its own audit entry and its own Idempotency-Key derived from this one; `results` says what each answered. For "other" answers restore is approve.',
        tags,
        security,
        headers: IdempotencyHeaders,
        body: BulkSchema,
        response: { 200: BulkResultSchema, ...problems(401, 403, 413, 415) },
      },
    },
    async (request) => {
      const { action, items } = request.body;
      const headers: Record<string, string> = {};
      for (const name of FORWARDED) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const results: Static<typeof BulkResultSchema>['results'] = [];
      for (const item of items) {
        const key = createHash('sha256').update(`${request.headers['idempotency-key']}\u0000${item.kind}\u0000${item.id}`).digest('hex');
        const pollOther = item.kind === 'poll-other';
        const response = await admin.inject({
          method: 'POST',
          url: `${API_PREFIX}/admin/${ITEM_ROUTES[item.kind]}/${item.id}${pollOther ? '' : `/${action}`}`,
          headers: { ...headers, 'idempotency-key': key, ...(pollOther ? { 'content-type': 'application/json' } : {}) },
          ...(pollOther ? { payload: JSON.stringify({ action: action === 'restore' ? 'approve' : action }) } : {}),
          remoteAddress: request.ip,
        });
        const body = response.json() as { state?: State; moderation?: State; detail?: string };
        const state = body.state ?? body.moderation;
        results.push({ kind: item.kind, id: item.id, status: response.statusCode, ...(response.statusCode < 300 ? { state } : { detail: body.detail }) });
      }
      return { results };
    },
  );
}
