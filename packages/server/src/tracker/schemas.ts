import { Type, type Static, type TSchema } from 'typebox';
import { Id, IsoDateTime } from '../http/schemas.js';

/**
 * The tracker's wire shapes. They mirror the "tracker" section of
 * packages/core/src/contract/types.ts; contract-check.ts makes the compiler hold them equal.
 */

export const ProjectStatusSchema = Type.Enum(['planned', 'in-progress', 'done', 'cancelled']);
export const OriginKindSchema = Type.Enum(['idea', 'poll', 'map-report', 'comment-thread']);
export const ProjectSortSchema = Type.Enum(['updated', 'title', 'status', 'budget', 'start']);
export const ContributionOutcomeSchema = Type.Enum(['in-project', 'awaiting', 'under-review', 'accepted', 'rejected', 'done', 'duplicate', 'counted', 'not-published']);

const Label = Type.String({ minLength: 1, maxLength: 60 });
export const StatusLabelsSchema = Type.Object(
  { planned: Type.Optional(Label), 'in-progress': Type.Optional(Label), done: Type.Optional(Label), cancelled: Type.Optional(Label) },
  { additionalProperties: false },
);

export const StatusTotalSchema = Type.Object({
  status: ProjectStatusSchema,
  projects: Type.Integer(),
  budgetPlanned: Type.Number(),
  budgetSpent: Type.Number(),
});

export const TrackerSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  statusLabels: Type.Optional(Type.Object({
    planned: Type.Optional(Type.String()),
    'in-progress': Type.Optional(Type.String()),
    done: Type.Optional(Type.String()),
    cancelled: Type.Optional(Type.String()),
  })),
  currency: Type.String(),
  districts: Type.Array(Type.String()),
  categories: Type.Array(Type.String()),
  overview: Type.Array(StatusTotalSchema),
});

/** What the council sees: the public tracker and its page, the feed's alternate link. */
export const AdminTrackerSchema = Type.Object({ ...TrackerSchema.properties, pageUrl: Type.Optional(Type.String()) });

export const ProjectOriginSchema = Type.Object({
  kind: OriginKindSchema,
  id: Type.String(),
  title: Type.String(),
  count: Type.Integer(),
  url: Type.Optional(Type.String()),
});

export const ProjectUpdateSchema = Type.Object({
  id: Type.String(),
  at: IsoDateTime,
  title: Type.Optional(Type.String()),
  body: Type.String(),
  status: Type.Optional(ProjectStatusSchema),
  progress: Type.Optional(Type.Integer()),
});

export const TrackedProjectSchema = Type.Object({
  id: Type.String(),
  trackerId: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  status: ProjectStatusSchema,
  progress: Type.Integer(),
  budgetPlanned: Type.Optional(Type.Number()),
  budgetSpent: Type.Optional(Type.Number()),
  startsAt: Type.Optional(IsoDateTime),
  endsAt: Type.Optional(IsoDateTime),
  district: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  imageUrl: Type.Optional(Type.String()),
  imageAlt: Type.Optional(Type.String()),
  origins: Type.Array(ProjectOriginSchema),
  updates: Type.Array(ProjectUpdateSchema),
  comments: Type.Integer(),
  updatedAt: IsoDateTime,
});

export const TrackerLiveEventSchema = Type.Object({ type: Type.Enum(['created', 'updated']), project: TrackedProjectSchema });

export const ContributionFateSchema = Type.Object({
  kind: OriginKindSchema,
  id: Type.String(),
  title: Type.String(),
  at: IsoDateTime,
  outcome: ContributionOutcomeSchema,
  answer: Type.Optional(Type.String()),
  project: Type.Optional(Type.Object({ id: Type.String(), title: Type.String(), status: ProjectStatusSchema })),
});

// ---------------------------------------------------------------- inputs

const WebUrl = Type.String({ maxLength: 2000, pattern: '^https?://[^\\s]+$' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR.' });

const trackerSettings = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  statusLabels: Type.Optional(StatusLabelsSchema),
  currency: Currency,
  pageUrl: Type.Optional(WebUrl),
};

export const TrackerCreateSchema = Type.Object({ id: Id, ...trackerSettings }, { additionalProperties: false });
/** Settings left out stay as they are; null removes the description or the page. */
export const TrackerPatchSchema = Type.Object(
  {
    title: Type.Optional(trackerSettings.title),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Null()])),
    statusLabels: Type.Optional(StatusLabelsSchema),
    currency: Type.Optional(Currency),
    pageUrl: Type.Optional(Type.Union([WebUrl, Type.Null()])),
  },
  { additionalProperties: false },
);

/** A source id: an idea, poll or report id, or a thread id such as `idea:42`. */
export const SourceId = Type.String({ minLength: 1, maxLength: 120, pattern: '^[A-Za-z0-9][A-Za-z0-9:_-]*$' });
export const OriginInputSchema = Type.Object({ kind: OriginKindSchema, id: SourceId, url: Type.Optional(WebUrl) }, { additionalProperties: false });
export const OriginsInputSchema = Type.Array(OriginInputSchema, { maxItems: 50 });

const Money = Type.Number({ minimum: 0, maximum: 1e13 });
const Progress = Type.Integer({ minimum: 0, maximum: 100 });
const Short = Type.String({ minLength: 1, maxLength: 100 });

/** Optional project fields: left out when creating, null to clear when changing. */
const projectOptionals = {
  budgetPlanned: Money,
  budgetSpent: Money,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  district: Short,
  category: Short,
  imageUrl: WebUrl,
  imageAlt: Type.String({ maxLength: 300 }),
};
const projectRequired = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  summary: Type.String({ maxLength: 2000 }),
  status: ProjectStatusSchema,
  progress: Progress,
};

export const ProjectCreateSchema = Type.Object(
  {
    id: Type.Optional(Id),
    title: projectRequired.title,
    summary: Type.Optional(projectRequired.summary),
    status: Type.Optional(projectRequired.status),
    progress: Type.Optional(projectRequired.progress),
    ...Type.Partial(Type.Object(projectOptionals)).properties,
    origins: Type.Optional(OriginsInputSchema),
  },
  { additionalProperties: false },
);

const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

export const ProjectPatchSchema = Type.Object(
  {
    title: Type.Optional(projectRequired.title),
    summary: Type.Optional(projectRequired.summary),
    status: Type.Optional(projectRequired.status),
    progress: Type.Optional(projectRequired.progress),
    budgetPlanned: nullable(projectOptionals.budgetPlanned),
    budgetSpent: nullable(projectOptionals.budgetSpent),
    startsAt: nullable(projectOptionals.startsAt),
    endsAt: nullable(projectOptionals.endsAt),
    district: nullable(projectOptionals.district),
    category: nullable(projectOptionals.category),
    imageUrl: nullable(projectOptionals.imageUrl),
    imageAlt: nullable(projectOptionals.imageAlt),
  },
  { additionalProperties: false },
);

export const ProjectUpdateInputSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    body: Type.String({ minLength: 1, maxLength: 20_000 }),
    status: Type.Optional(ProjectStatusSchema),
    progress: Type.Optional(Progress),
  },
  { additionalProperties: false },
);

export const ProjectListQuery = Type.Object(
  {
    status: Type.Optional(ProjectStatusSchema),
    district: Type.Optional(Type.String({ maxLength: 100 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    sort: Type.Optional(ProjectSortSchema),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 50 (default 12).' })),
  },
  { additionalProperties: false },
);

export const ContributionQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 100 (default 20).' })),
  },
  { additionalProperties: false },
);

export const ImportErrorSchema = Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() });
export const ImportResultSchema = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  errors: Type.Array(ImportErrorSchema),
});

export type ProjectStatusWire = Static<typeof ProjectStatusSchema>;
export type OriginKindWire = Static<typeof OriginKindSchema>;
export type ProjectSortWire = Static<typeof ProjectSortSchema>;
export type TrackerWire = Static<typeof TrackerSchema>;
export type AdminTrackerWire = Static<typeof AdminTrackerSchema>;
export type TrackerCreate = Static<typeof TrackerCreateSchema>;
export type TrackerPatch = Static<typeof TrackerPatchSchema>;
export type StatusTotalWire = Static<typeof StatusTotalSchema>;
export type ProjectOriginWire = Static<typeof ProjectOriginSchema>;
export type ProjectUpdateWire = Static<typeof ProjectUpdateSchema>;
export type TrackedProjectWire = Static<typeof TrackedProjectSchema>;
export type TrackerLiveEventWire = Static<typeof TrackerLiveEventSchema>;
export type ContributionFateWire = Static<typeof ContributionFateSchema>;
export type OriginInput = Static<typeof OriginInputSchema>;
export type ProjectCreate = Static<typeof ProjectCreateSchema>;
export type ProjectPatch = Static<typeof ProjectPatchSchema>;
export type ProjectUpdateInput = Static<typeof ProjectUpdateInputSchema>;
export type ImportError = Static<typeof ImportErrorSchema>;
export type ImportResult = Static<typeof ImportResultSchema>;
