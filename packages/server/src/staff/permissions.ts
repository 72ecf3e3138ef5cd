import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffRole } from '../db/schema-staff.js';

/**
 * What each admin operation needs, in one table: the route guard reads it, the README documents
 * it, and the permission tests walk it for every role, in and out of scope. An admin route missing
 * here is refused to every staff member (only the admin key passes), and a test says so.
 */
export type Permission =
  /** See spaces with their council-only settings. */
  | 'read'
  /** Ballots, results, reports and projects as files. */
  | 'export'
  /** Create a poll, thread, idea box, map or tracker. */
  | 'create'
  /** Change spaces, answer ideas, publish updates, edit projects. */
  | 'edit'
  | 'moderate'
  | 'audit'
  | 'staff'
  /** A staff member's own session and second factor. */
  | 'self';

export const ROLES: readonly StaffRole[] = ['admin', 'editor', 'moderator', 'analyst'];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  admin: ['read', 'export', 'create', 'edit', 'moderate', 'audit', 'staff', 'self'],
  editor: ['read', 'create', 'edit', 'self'],
  moderator: ['read', 'moderate', 'self'],
  analyst: ['read', 'export', 'self'],
};

/** The kinds a scope names: `ideas:parks-box` is the idea box parks-box and everything in it. */
export const SCOPE_KINDS = ['polls', 'ideas', 'maps', 'threads', 'trackers'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];
export const SCOPE_PATTERN = '^(polls|ideas|maps|threads|trackers):[A-Za-z0-9:_-]{1,120}$';

/**
 * How an operation finds the space it touches, from its path's `:id` (or `:kind/:id`):
 * `global` operations have no space, so a staff member limited to some spaces may not run them;
 * `list` operations are open to limited staff and show them their spaces only.
 */
export type Target =
  | 'global'
  | 'list'
  | 'poll'
  | 'ballot'
  | 'thread'
  | 'comment'
  | 'idea-box'
  | 'idea'
  | 'map'
  | 'map-report'
  | 'tracker'
  | 'project'
  /** Bulk moderation: each item of the body is checked by the handler. */
  | 'items'
  /** The caller's own account, whatever their scopes. */
  | 'self';

export interface Operation {
  permission: Permission;
  target: Target;
}

const moderation = (path: string, target: Target): Record<string, Operation> =>
  Object.fromEntries(['approve', 'hide', 'restore'].map((action) => [`POST ${path}/${action}`, { permission: 'moderate', target }]));

/** `METHOD /path` as registered under /api/v1 → what it needs. */
export const OPERATIONS: Record<string, Operation> = {
  'GET /admin/polls': { permission: 'read', target: 'list' },
  'POST /admin/polls': { permission: 'create', target: 'global' },
  'GET /admin/polls/:id': { permission: 'read', target: 'poll' },
  'PATCH /admin/polls/:id': { permission: 'edit', target: 'poll' },
  'POST /admin/polls/:id/publish-results': { permission: 'edit', target: 'poll' },
  'GET /admin/polls/:id/ballots': { permission: 'export', target: 'poll' },
  'GET /admin/polls/:id/results': { permission: 'export', target: 'poll' },
  'GET /admin/moderation': { permission: 'moderate', target: 'list' },
  'POST /admin/moderation/:kind/:id': { permission: 'moderate', target: 'ballot' },
  'GET /admin/inbox': { permission: 'moderate', target: 'list' },
  'POST /admin/inbox': { permission: 'moderate', target: 'items' },
  'POST /admin/threads': { permission: 'create', target: 'global' },
  'PATCH /admin/threads/:id': { permission: 'edit', target: 'thread' },
  ...moderation('/admin/comments/:id', 'comment'),
  'POST /admin/idea-boxes': { permission: 'create', target: 'global' },
  'PATCH /admin/idea-boxes/:id': { permission: 'edit', target: 'idea-box' },
  'POST /admin/ideas/:id/answer': { permission: 'edit', target: 'idea' },
  'POST /admin/ideas/:id/merge': { permission: 'edit', target: 'idea' },
  'PATCH /admin/ideas/:id': { permission: 'edit', target: 'idea' },
  ...moderation('/admin/ideas/:id', 'idea'),
  'POST /admin/maps': { permission: 'create', target: 'global' },
  'PATCH /admin/maps/:id': { permission: 'edit', target: 'map' },
  'GET /admin/maps/:id/reports': { permission: 'export', target: 'map' },
  'POST /admin/map-reports/:id/updates': { permission: 'edit', target: 'map-report' },
  'PATCH /admin/map-reports/:id': { permission: 'edit', target: 'map-report' },
  ...moderation('/admin/map-reports/:id', 'map-report'),
  'POST /admin/trackers': { permission: 'create', target: 'global' },
  'GET /admin/trackers/:id': { permission: 'read', target: 'tracker' },
  'PATCH /admin/trackers/:id': { permission: 'edit', target: 'tracker' },
  'POST /admin/trackers/:id/projects': { permission: 'edit', target: 'tracker' },
  'GET /admin/trackers/:id/projects.csv': { permission: 'export', target: 'tracker' },
  'POST /admin/trackers/:id/projects.csv': { permission: 'edit', target: 'tracker' },
  'PATCH /admin/projects/:id': { permission: 'edit', target: 'project' },
  'DELETE /admin/projects/:id': { permission: 'edit', target: 'project' },
  'POST /admin/projects/:id/updates': { permission: 'edit', target: 'project' },
  'PUT /admin/projects/:id/origins': { permission: 'edit', target: 'project' },
  'GET /admin/audit': { permission: 'audit', target: 'global' },
  'GET /admin/staff': { permission: 'staff', target: 'global' },
  'POST /admin/staff': { permission: 'staff', target: 'global' },
  'PATCH /admin/staff/:id': { permission: 'staff', target: 'global' },
  'POST /admin/staff/:id/reset-link': { permission: 'staff', target: 'global' },
  'GET /admin/session': { permission: 'self', target: 'self' },
  'DELETE /admin/session': { permission: 'self', target: 'self' },
  'DELETE /admin/sessions': { permission: 'self', target: 'self' },
  'POST /admin/totp': { permission: 'self', target: 'self' },
  'POST /admin/totp/confirm': { permission: 'self', target: 'self' },
};

export function operationOf(method: string, path: string): Operation | undefined {
  return OPERATIONS[`${method} ${path}`];
}

export function roleAllows(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * The scopes a space falls under. Discussions belong to what they discuss: the thread `idea:42`
 * is in the scope of idea 42's box, `map-report:7` in its map's, `project:x` in its tracker's.
 * Undefined when the thing does not exist (its route answers 404).
 */
export async function scopesOf(db: Kysely<Database>, target: Target, id: string): Promise<string[] | undefined> {
  switch (target) {
    case 'poll':
      return [`polls:${id}`];
    case 'idea-box':
      return [`ideas:${id}`];
    case 'map':
      return [`maps:${id}`];
    case 'tracker':
      return [`trackers:${id}`];
    case 'thread':
      return threadScopes(db, id);
    case 'ballot': {
      const row = await db.selectFrom('ballots').select('poll_id').where('id', '=', id).executeTakeFirst();
      return row && [`polls:${row.poll_id}`];
    }
    case 'comment': {
      const row = await db.selectFrom('comments').select('thread_id').where('id', '=', id).executeTakeFirst();
      return row && threadScopes(db, row.thread_id);
    }
    case 'idea': {
      const row = await db.selectFrom('ideas').select('box_id').where('id', '=', id).executeTakeFirst();
      return row && [`ideas:${row.box_id}`];
    }
    case 'map-report': {
      const row = await db.selectFrom('map_reports').select('map_id').where('id', '=', id).executeTakeFirst();
      return row && [`maps:${row.map_id}`];
    }
    case 'project': {
      const row = await db.selectFrom('projects').select('tracker_id').where('id', '=', id).executeTakeFirst();
      return row && [`trackers:${row.tracker_id}`];
    }
    default:
      return [];
  }
}

async function threadScopes(db: Kysely<Database>, threadId: string): Promise<string[]> {
  const scopes = [`threads:${threadId}`];
  const [kind, ...rest] = threadId.split(':');
  const subject = rest.join(':');
  if (!subject) return scopes;
  const owner =
    kind === 'idea'
      ? await scopesOf(db, 'idea', subject)
      : kind === 'map-report'
        ? await scopesOf(db, 'map-report', subject)
        : kind === 'project'
          ? await scopesOf(db, 'project', subject)
          : kind === 'poll'
            ? [`polls:${subject}`]
            : undefined;
  return [...scopes, ...(owner ?? [])];
}

/** The ids of one kind of space a limited staff member may see in lists; undefined for everything. */
export function scopedIds(scopes: readonly string[], kind: ScopeKind): string[] | undefined {
  if (!scopes.length) return undefined;
  return scopes.filter((scope) => scope.startsWith(`${kind}:`)).map((scope) => scope.slice(kind.length + 1));
}
