import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../app.js';
import type { Trx } from '../db/commit-queue.js';
import type { ProjectStatus } from '../db/schema-tracker.js';
import { Id, pageOf, problems } from '../http/schemas.js';
import { participantOnly } from '../http/participant-routes.js';
import { atomFeed } from './feed.js';
import type { ProjectRow } from './model.js';
import { ContributionFateSchema, ContributionQuery, ProjectListQuery, TrackedProjectSchema, TrackerSchema, type ProjectSortWire, type TrackerLiveEventWire } from './schemas.js';
import type { TrackerStore } from './store.js';

type ById = { Params: { id: string } };
const Params = Type.Object({ id: Id });

export function trackerTopic(trackerId: string): string {
  return `tracker:${trackerId}:projects`;
}

/** A change as subscribers see it: the project as listed, with its latest update. Sent once committed. */
export async function projectLiveEvent(store: TrackerStore, trx: Trx, row: ProjectRow, type: 'created' | 'updated'): Promise<TrackerLiveEventWire> {
  const [project] = await store.views(trx, [row], 'latest');
  return { type, project: project! };
}

export function sendTrackerLive(services: Services, events: TrackerLiveEventWire[]): void {
  for (const event of events) void services.live.publish(trackerTopic(event.project.trackerId), event).catch(() => {});
}

export async function trackerRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { trackers } = services;
  const tags = ['tracker'];

  app.get<ById>(
    '/trackers/:id',
    {
      schema: {
        summary: 'A results tracker, its filters and its overview',
        description:
          '`overview` has one row per status in the order planned, in-progress, done, cancelled (zeros included), with the budgets of the projects that have them. ' +
          '`districts` and `categories` are those the projects use, in French order.',
        tags,
        params: Params,
        response: { 200: TrackerSchema, ...problems(404) },
      },
    },
    async (request) => trackers.tracker(request.params.id),
  );

  app.get<ById & { Querystring: { status?: ProjectStatus; district?: string; category?: string; q?: string; sort?: ProjectSortWire; cursor?: string; limit?: string } }>(
    '/trackers/:id/projects',
    {
      schema: {
        summary: 'Projects of a tracker, a page at a time',
        description:
          'Filters `status`, `district`, `category`; `q` searches title and summary whatever the case and accents. `sort`: updated (default, most recent first), title (French order), ' +
          'status (planned, in-progress, done, cancelled, then title), budget (planned budget, largest first, none last), start (earliest first, none last). ' +
          'Each project carries its latest update only. 12 a page, at most 50.',
        tags,
        params: Params,
        querystring: ProjectListQuery,
        response: { 200: pageOf(TrackedProjectSchema), ...problems(404) },
      },
    },
    async (request) => {
      const { sort = 'updated', limit, ...filters } = request.query;
      return trackers.list(request.params.id, { sort, ...filters, ...(limit === undefined ? {} : { limit: Number(limit) }) });
    },
  );

  app.get<ById>(
    '/projects/:id',
    {
      schema: {
        summary: 'One project, with all its updates (newest first)',
        description: 'Origins carry live counts: supports of an idea, ballots of a poll, followers of a map report, comments of a thread. Its discussion is the thread `project:{id}`.',
        tags,
        params: Params,
        response: { 200: TrackedProjectSchema, ...problems(404) },
      },
    },
    async (request) => trackers.project(request.params.id),
  );

  app.get<ById & { Querystring: { cursor?: string; limit?: string } }>(
    '/trackers/:id/my-contributions',
    {
      onRequest: [services.authenticate],
      schema: {
        summary: 'What became of the participant’s contributions',
        description:
          'Every idea proposed, poll voted, map report made and thread commented (one entry per thread) by the participant, newest first. ' +
          '`outcome` is `in-project` (with `project`) when a project of any tracker names it among its origins, or the idea or report names the project; ' +
          'otherwise `not-published` for an idea or report that moderation hid or refused (its author still sees it listed); ' +
          'otherwise from the source: idea submitted → awaiting, under-review, accepted, rejected, done, duplicate as they are; report open → awaiting, acknowledged or in-progress → under-review, closed → done; ' +
          'ballots and comments → counted. `answer` is the idea’s official answer or the report’s latest update. 20 a page.',
        tags,
        security: participantOnly,
        params: Params,
        querystring: ContributionQuery,
        response: { 200: pageOf(ContributionFateSchema), ...problems(401, 404) },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      return trackers.contributions(request.params.id, request.participant!.id, cursor, limit === undefined ? undefined : Number(limit));
    },
  );

  app.get<ById & { Headers: { 'if-none-match'?: string; 'if-modified-since'?: string } }>(
    '/trackers/:id/feed.atom',
    {
      schema: {
        summary: 'Atom feed of the tracker’s project updates',
        description:
          'Atom 1.0 (RFC 4287), the 50 newest updates first, each with the project’s title and the update’s title (or its new status), the council HTML as escaped `html` content. ' +
          'Ids are stable tag: URIs. Answers 304 to `If-None-Match` or `If-Modified-Since` when nothing changed.',
        tags,
        params: Params,
        response: {
          200: { description: 'The feed', content: { 'application/atom+xml': { schema: { type: 'string' } } } },
          304: Type.Null({ description: 'Not modified' }),
          ...problems(404),
        },
      },
    },
    async (request, reply) => {
      const tracker = await trackers.requireTrackerRow(request.params.id);
      const entries = await trackers.feedEntries(tracker.id);
      const selfUrl = `${request.protocol}://${request.host}${request.url}`;
      const { xml, updated } = atomFeed({ tracker, entries, selfUrl, host: request.hostname });
      const etag = `"${createHash('sha256').update(xml).digest('base64url').slice(0, 32)}"`;
      // HTTP dates have whole seconds.
      const modified = Math.floor(Date.parse(updated) / 1000) * 1000;
      reply
        .header('etag', etag)
        .header('last-modified', new Date(modified).toUTCString())
        .header('cache-control', 'public, max-age=300');
      const { 'if-none-match': noneMatch, 'if-modified-since': since } = request.headers;
      const fresh = noneMatch !== undefined ? noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag) : since !== undefined && Date.parse(since) >= modified;
      if (fresh) return reply.status(304).send();
      return reply.type('application/atom+xml; charset=utf-8').send(xml);
    },
  );
}
