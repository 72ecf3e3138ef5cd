import { Type, type Static, type TSchema } from 'typebox';
import { Honeypot, Id, IsoDateTime, ModerationStateSchema, Verification } from '../http/schemas.js';

/**
 * The wire shapes of the maps routes; they mirror the "maps" section of
 * packages/core/src/contract/types.ts, and contract-check.ts holds them equal.
 */

export const MapReportStatusSchema = Type.Enum(['open', 'acknowledged', 'in-progress', 'closed']);
export const MapReportSortSchema = Type.Enum(['newest', 'most-followed']);

/**
 * Two items of one kind, as a fixed-length array: TypeBox writes tuples as draft-07 `items: [..]`,
 * which OpenAPI 3.1's JSON Schema (2020-12) reads otherwise.
 */
function pair<T extends TSchema>(item: T, options: { description?: string } = {}) {
  return Type.Unsafe<[Static<T>, Static<T>]>(Type.Array(item, { minItems: 2, maxItems: 2, ...options }));
}

const GeoPoint = Type.Object({ lat: Type.Number(), lng: Type.Number() });
/** A point as written: inside the world, checked against the map's bounds afterwards. */
const GeoPointInput = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false });

export const MapCategoryFieldSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    type: Type.Enum(['text', 'number', 'select', 'checkbox']),
    required: Type.Boolean(),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    options: Type.Optional(
      Type.Array(Type.Object({ value: Type.String({ minLength: 1, maxLength: 100 }), label: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 50,
      }),
    ),
  },
  { additionalProperties: false },
);

export const MapCategorySchema = Type.Object(
  {
    id: Id,
    label: Type.String({ minLength: 1, maxLength: 100 }),
    color: Type.Optional(Type.String({ maxLength: 32, pattern: '^(#[0-9A-Fa-f]{3,8}|[a-z]+)$' })),
    icon: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    fields: Type.Array(MapCategoryFieldSchema, { maxItems: 20 }),
  },
  { additionalProperties: false },
);

const BoundsInput = pair(GeoPointInput, { description: 'South-west and north-east corners.' });

const mapSettings = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  center: GeoPointInput,
  zoom: Type.Integer({ minimum: 0, maximum: 22 }),
  bounds: Type.Optional(BoundsInput),
  categories: Type.Array(MapCategorySchema, { maxItems: 50 }),
  tileUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https://' })),
  tileAttribution: Type.Optional(Type.String({ maxLength: 500 })),
  closed: Type.Boolean(),
  preModeration: Type.Boolean(),
  allowImages: Type.Boolean(),
  requiredVerification: Verification,
};

export const MapSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.Optional(Type.String()),
  center: GeoPoint,
  zoom: Type.Integer(),
  bounds: Type.Optional(pair(GeoPoint)),
  categories: Type.Array(MapCategorySchema),
  tileUrl: Type.Optional(Type.String()),
  tileAttribution: Type.Optional(Type.String()),
  closed: Type.Boolean(),
  preModeration: Type.Boolean(),
  allowImages: Type.Boolean(),
  requiredVerification: Verification,
});

/** Settings left out: no categories, open, no pre-moderation, no images, anonymous participants. */
export const MapCreateSchema = Type.Object(
  { id: Id, ...Type.Partial(Type.Object(mapSettings)).properties, title: mapSettings.title, center: mapSettings.center, zoom: mapSettings.zoom },
  { additionalProperties: false },
);
/** `bounds: null` removes the bounds. */
export const MapPatchSchema = Type.Object(
  { ...Type.Partial(Type.Object(mapSettings)).properties, bounds: Type.Optional(Type.Union([BoundsInput, Type.Null()])) },
  { additionalProperties: false },
);

const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const MapReportUpdateSchema = Type.Object({ at: IsoDateTime, status: Type.Optional(MapReportStatusSchema), body: Type.String() });

export const MapReportSchema = Type.Object({
  id: Type.String(),
  mapId: Type.String(),
  categoryId: Type.String(),
  point: Type.Optional(GeoPoint),
  address: Type.Optional(Type.String()),
  description: Type.String(),
  attributes: Type.Optional(Type.Record(Type.String(), AttributeValue)),
  imageUrl: Type.Optional(Type.String()),
  status: MapReportStatusSchema,
  moderation: ModerationStateSchema,
  updates: Type.Array(MapReportUpdateSchema),
  followers: Type.Integer(),
  followedByMe: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean()),
  comments: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: Type.Optional(IsoDateTime),
  trackedProjectId: Type.Optional(Type.String()),
});

export const MapLiveEventSchema = Type.Object({ type: Type.Enum(['created', 'updated']), report: MapReportSchema });

/** Lengths are checked after trimming (model.ts); the raw text may carry some spaces more. An image is a data: URL of at most 2 MiB. */
export const MapReportInputSchema = Type.Object(
  {
    categoryId: Type.String({ maxLength: 64 }),
    point: Type.Optional(GeoPointInput),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    description: Type.String({ maxLength: 2500, pattern: '\\S' }),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), AttributeValue, { maxProperties: 50 })),
    image: Type.Optional(Type.String({ maxLength: 2_900_000 })),
    /** Honeypot: people never see it, so it stays empty; bots fill it in. */
    website: Type.Optional(Honeypot),
  },
  { additionalProperties: false },
);

const DEGREES = '-?[0-9]{1,3}(\\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?';
const Bbox = Type.String({ pattern: `^${DEGREES},${DEGREES},${DEGREES},${DEGREES}$`, maxLength: 100, description: 'west,south,east,north in degrees (WGS 84).' });

const filterFields = {
  bbox: Type.Optional(Bbox),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(MapReportStatusSchema),
};

export const MapPointsQuery = Type.Object(filterFields, { additionalProperties: false });

export const MapReportListQuery = Type.Object(
  {
    ...filterFields,
    sort: Type.Optional(MapReportSortSchema),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 100 (default 20).' })),
  },
  { additionalProperties: false },
);

export const NearbyQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    radius: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'Metres, at most 1000 (default 50).' })),
    category: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const PointFeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.String(),
      geometry: Type.Object({ type: Type.Literal('Point'), coordinates: pair(Type.Number(), { description: '[lng, lat]' }) }),
      properties: Type.Object({ categoryId: Type.String(), status: MapReportStatusSchema }),
    }),
  ),
});

export const MapReportCouncilUpdateSchema = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 20_000 }), status: Type.Optional(MapReportStatusSchema) },
  { additionalProperties: false },
);

export const MapReportAdminPatchSchema = Type.Object({ trackedProjectId: Type.Union([Id, Type.Null()]) }, { additionalProperties: false });

export type MapWire = Static<typeof MapSchema>;
export type MapCreate = Static<typeof MapCreateSchema>;
export type MapPatch = Static<typeof MapPatchSchema>;
export type MapCategoryWire = Static<typeof MapCategorySchema>;
export type MapCategoryFieldWire = Static<typeof MapCategoryFieldSchema>;
export type MapReportWire = Static<typeof MapReportSchema>;
export type MapReportInputWire = Static<typeof MapReportInputSchema>;
export type MapLiveEventWire = Static<typeof MapLiveEventSchema>;
export type MapReportStatusWire = Static<typeof MapReportStatusSchema>;
export type MapReportCouncilUpdateWire = Static<typeof MapReportCouncilUpdateSchema>;
