import { Type, type Static, type TSchema } from 'typebox';

/**
 * The wire shapes of /api/v1. They validate requests, serialise responses (which drops any field
 * not listed, so nothing internal leaks) and generate the OpenAPI document. They mirror
 * packages/core/src/contract/types.ts; contract-check.ts makes the compiler hold them equal.
 */

/** A field people never see and bots fill in: it must stay empty. */
export const Honeypot = Type.String({ maxLength: 0, description: 'Honeypot: leave it out or empty.' });

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
export const IsoDateTime = Type.String({ format: 'date-time', maxLength: 40 });
export const Verification = Type.Enum(['anonymous', 'verified']);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.Enum(['validation', 'unauthorised', 'forbidden', 'not-found', 'conflict', 'rate-limited', 'closed', 'server']),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details (application/problem+json).' },
);

export const SessionSchema = Type.Object({
  participantId: Type.String(),
  verification: Verification,
  displayName: Type.Optional(Type.String()),
  token: Type.Optional(Type.String()),
  expiresAt: Type.Optional(IsoDateTime),
});

export const CreatedSessionSchema = Type.Object({
  token: Type.String(),
  participantId: Type.String(),
  verification: Verification,
  expiresAt: IsoDateTime,
});

export const PollOptionSchema = Type.Object(
  {
    id: Id,
    label: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const RatingScaleSchema = Type.Object(
  {
    min: Type.Integer({ minimum: -100, maximum: 100 }),
    max: Type.Integer({ minimum: -100, maximum: 100 }),
    labels: Type.Optional(Type.Record(Type.String({ maxLength: 8 }), Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);

export const PollTypeSchema = Type.Enum(['single', 'multiple', 'ranking', 'rating']);
export const ResultVisibilitySchema = Type.Enum(['always', 'after-voting', 'after-closing', 'after-publication']);

const pollFields = {
  id: Id,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  type: PollTypeSchema,
  options: Type.Array(PollOptionSchema, { minItems: 1, maxItems: 50 }),
  minChoices: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
  maxChoices: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  scale: Type.Optional(RatingScaleSchema),
  allowOther: Type.Optional(Type.Boolean()),
  opensAt: Type.Optional(IsoDateTime),
  closesAt: Type.Optional(IsoDateTime),
  resultVisibility: ResultVisibilitySchema,
  resultsPublishedAt: Type.Optional(IsoDateTime),
  quorum: Type.Optional(Type.Integer({ minimum: 0 })),
  allowBallotChange: Type.Boolean(),
  requiredVerification: Verification,
  eligibilityNote: Type.Optional(Type.String({ maxLength: 1000 })),
};

export const PollSchema = Type.Object(pollFields);

/** What the council sees and edits: the public poll plus settings participants need not see. */
export const AdminPollSchema = Type.Object({
  ...pollFields,
  electorate: Type.Optional(Type.Integer({ minimum: 0 })),
  proofOfWork: Type.Boolean(),
  ballots: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

const adminPollInputFields = {
  ...pollFields,
  electorate: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  proofOfWork: Type.Optional(Type.Boolean()),
};
const { resultsPublishedAt: _published, ...writablePollFields } = adminPollInputFields;

export const PollCreateSchema = Type.Object(writablePollFields, { additionalProperties: false });
const { id: _id, ...patchableFields } = writablePollFields;
export const PollPatchSchema = Type.Partial(Type.Object(patchableFields, { additionalProperties: false }));

const OtherText = Type.String({ maxLength: 500 });

export const BallotInputSchema = Type.Object(
  {
    choices: Type.Optional(Type.Array(Id, { maxItems: 50 })),
    ranking: Type.Optional(Type.Array(Id, { maxItems: 50 })),
    ratings: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Number(), { maxProperties: 50 })),
    other: Type.Optional(OtherText),
    /** Honeypot: people never see it, so it stays empty; bots fill it in. */
    website: Type.Optional(Honeypot),
  },
  { additionalProperties: false },
);

export const BallotSchema = Type.Object({
  id: Type.String(),
  pollId: Type.String(),
  choices: Type.Optional(Type.Array(Type.String())),
  ranking: Type.Optional(Type.Array(Type.String())),
  ratings: Type.Optional(Type.Record(Type.String(), Type.Number())),
  other: Type.Optional(Type.String()),
  castAt: IsoDateTime,
  updatedAt: Type.Optional(IsoDateTime),
});

export const ParticipationSchema = Type.Object({
  ballot: Type.Optional(BallotSchema),
  canSeeResults: Type.Boolean(),
});

export const OptionResultSchema = Type.Object({
  optionId: Type.String(),
  count: Type.Number(),
  average: Type.Optional(Type.Number()),
});

export const PollResultsSchema = Type.Object({
  pollId: Type.String(),
  ballots: Type.Integer(),
  options: Type.Array(OptionResultSchema),
  otherCount: Type.Optional(Type.Integer()),
  quorum: Type.Optional(Type.Integer()),
  quorumReached: Type.Optional(Type.Boolean()),
  electorate: Type.Optional(Type.Integer()),
  updatedAt: IsoDateTime,
});

export const ChallengeSchema = Type.Object({
  parameters: Type.Object(
    {
      algorithm: Type.String(),
      nonce: Type.String(),
      salt: Type.String(),
      cost: Type.Integer(),
      keyLength: Type.Integer(),
      keyPrefix: Type.String(),
      keySignature: Type.Optional(Type.String()),
      expiresAt: Type.Optional(Type.Integer()),
    },
  ),
  signature: Type.Optional(Type.String()),
});

export const PollParams = Type.Object({ id: Id });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21-\\x7e]+$', description: 'A UUID per submission; retries reuse it.' }),
});

export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 200 (default 50).' })),
  },
  { additionalProperties: false },
);

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Optional(Type.String()),
    total: Type.Optional(Type.Integer()),
  });
}

const problemResponse = {
  description: 'A problem (RFC 9457)',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};

/** Problem responses, for route schemas: every status a route may answer with. */
export function problems(...statuses: number[]): Record<number, typeof problemResponse> {
  // 414 (a path segment over 100 characters) and 431 (a request line or headers over 16 KB) may come anywhere.
  return Object.fromEntries([400, 414, 429, 431, 500, ...statuses].map((status) => [status, problemResponse]));
}

export type PollWire = Static<typeof PollSchema>;
export type AdminPollWire = Static<typeof AdminPollSchema>;
export type PollCreate = Static<typeof PollCreateSchema>;
export type PollPatch = Static<typeof PollPatchSchema>;
export type BallotInputWire = Static<typeof BallotInputSchema>;
export type BallotWire = Static<typeof BallotSchema>;
export type PollResultsWire = Static<typeof PollResultsSchema>;

// ---------------------------------------------------------------- comments

/** Thread ids are free text so that any page can carry a discussion, e.g. `idea:42`. */
export const ThreadId = Type.String({ minLength: 1, maxLength: 120, pattern: '^[A-Za-z0-9:_-]+$' });
const CommentId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$' });
export const StanceSchema = Type.Enum(['for', 'against', 'neutral']);
export const CommentSortSchema = Type.Enum(['oldest', 'newest', 'most-supported']);
export const ModerationStateSchema = Type.Enum(['published', 'pending', 'hidden', 'rejected']);
export const ReportReasonSchema = Type.Enum(['spam', 'abuse', 'personal-data', 'off-topic', 'other']);

const threadSettings = {
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  stances: Type.Boolean(),
  preModeration: Type.Boolean(),
  editWindowSeconds: Type.Integer({ minimum: 0, maximum: 31_536_000 }),
  autoHideReports: Type.Integer({ minimum: 0, maximum: 1000 }),
  closed: Type.Boolean(),
  requiredVerification: Verification,
};

export const ThreadSchema = Type.Object({ id: Type.String(), ...threadSettings, comments: Type.Integer() });

/** Settings left out take their defaults: no stances, no pre-moderation, 15 minutes, 3 reports, open, anonymous. */
export const ThreadCreateSchema = Type.Object({ id: ThreadId, ...Type.Partial(Type.Object(threadSettings)).properties }, { additionalProperties: false });
export const ThreadPatchSchema = Type.Object(Type.Partial(Type.Object(threadSettings)).properties, { additionalProperties: false });

export const ThreadCommentSchema = Type.Object({
  id: Type.String(),
  threadId: Type.String(),
  parentId: Type.Optional(Type.String()),
  body: Type.String(),
  stance: Type.Optional(StanceSchema),
  authorName: Type.Optional(Type.String()),
  mine: Type.Optional(Type.Boolean()),
  moderation: ModerationStateSchema,
  deleted: Type.Optional(Type.Boolean()),
  supports: Type.Integer(),
  supportedByMe: Type.Optional(Type.Boolean()),
  replies: Type.Integer(),
  createdAt: IsoDateTime,
  editedAt: Type.Optional(IsoDateTime),
  depth: Type.Optional(Type.Integer()),
  inReplyTo: Type.Optional(Type.Object({ id: Type.String(), authorName: Type.Optional(Type.String()) })),
});

export const CommentLiveEventSchema = Type.Object({
  type: Type.Enum(['created', 'updated', 'removed']),
  comment: ThreadCommentSchema,
});

/** Bodies are checked after trimming (COMMENT_MAX_LENGTH); the raw text may carry some spaces more. */
/** Text with something in it besides white space; the server also refuses text of invisible characters only. */
const VISIBLE = '\\S';
const RawCommentBody = Type.String({ maxLength: 6000, pattern: VISIBLE });

export const CommentInputSchema = Type.Object(
  {
    body: RawCommentBody,
    parentId: Type.Optional(CommentId),
    stance: Type.Optional(StanceSchema),
    /** Honeypot: people never see it, so it stays empty; bots fill it in. */
    website: Type.Optional(Honeypot),
  },
  { additionalProperties: false },
);

export const CommentEditSchema = Type.Object({ body: RawCommentBody }, { additionalProperties: false });
export const ReactionSchema = Type.Object({ support: Type.Boolean() }, { additionalProperties: false });
export const ReportInputSchema = Type.Object(
  { reason: ReportReasonSchema, details: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const ThreadParams = Type.Object({ id: ThreadId });
export const CommentParams = Type.Object({ id: CommentId });

export const CommentListQuery = Type.Object(
  {
    sort: Type.Optional(CommentSortSchema),
    parent: Type.Optional(CommentId),
    cursor: Type.Optional(Type.String({ maxLength: 600 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 100 (default 20).' })),
  },
  { additionalProperties: false },
);

/** One queue for everything citizens write that a moderator may hide: poll "other" answers and comments. */
export const ModerationKind = Type.Enum(['poll-other', 'comment', 'idea', 'map-report']);
export const ModerationState = Type.Enum(['pending', 'published', 'hidden', 'rejected']);
export const ModerationItemSchema = Type.Object({
  kind: ModerationKind,
  id: Type.String(),
  /** The poll or the thread. */
  spaceId: Type.String(),
  text: Type.String(),
  state: ModerationState,
  createdAt: IsoDateTime,
  /** Comments: distinct reports so far. */
  reports: Type.Optional(Type.Integer()),
});
export type ModerationItem = Static<typeof ModerationItemSchema>;

export type ThreadWire = Static<typeof ThreadSchema>;
export type ThreadCreate = Static<typeof ThreadCreateSchema>;
export type ThreadPatch = Static<typeof ThreadPatchSchema>;
export type ThreadCommentWire = Static<typeof ThreadCommentSchema>;
export type CommentInputWire = Static<typeof CommentInputSchema>;
export type ReportInputWire = Static<typeof ReportInputSchema>;
export type CommentLiveEventWire = Static<typeof CommentLiveEventSchema>;

// ---------------------------------------------------------------- ideas

export const IdeaStatusSchema = Type.Enum(['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate']);
export const IdeaSortSchema = Type.Enum(['newest', 'most-supported', 'most-discussed', 'random']);

export const CategorySchema = Type.Object(
  {
    id: Id,
    label: Type.String({ minLength: 1, maxLength: 100 }),
    color: Type.Optional(Type.String({ maxLength: 32, pattern: '^(#[0-9A-Fa-f]{3,8}|[a-z]+)$' })),
    icon: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z0-9-]+$' })),
  },
  { additionalProperties: false },
);

const ideaBoxSettings = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 20_000 })),
  categories: Type.Array(CategorySchema, { maxItems: 30 }),
  opensAt: Type.Optional(IsoDateTime),
  closesAt: Type.Optional(IsoDateTime),
  supportLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  preModeration: Type.Boolean(),
  requiredVerification: Verification,
  allowImages: Type.Boolean(),
  allowLocation: Type.Boolean(),
  autoHideReports: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
};

export const IdeaBoxSchema = Type.Object({
  id: Type.String(),
  ...ideaBoxSettings,
  /** For the participant asking, when the box has a limit: the supports they have given in it. */
  supportsGiven: Type.Optional(Type.Integer({ minimum: 0 })),
});
/** Settings left out: no categories, no limit, no pre-moderation, anonymous, no images or location, hidden after 5 reports. */
export const IdeaBoxCreateSchema = Type.Object(
  { id: Id, ...Type.Partial(Type.Object(ideaBoxSettings)).properties, title: ideaBoxSettings.title },
  { additionalProperties: false },
);
export const IdeaBoxPatchSchema = Type.Object(Type.Partial(Type.Object(ideaBoxSettings)).properties, { additionalProperties: false });

const GeoPointSchema = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false });
const LocationSchema = Type.Object(
  { address: Type.Optional(Type.String({ maxLength: 300 })), point: Type.Optional(GeoPointSchema) },
  { additionalProperties: false },
);

export const OfficialAnswerSchema = Type.Object({ body: Type.String(), answeredAt: IsoDateTime, author: Type.Optional(Type.String()) });

export const IdeaSchema = Type.Object({
  id: Type.String(),
  boxId: Type.String(),
  title: Type.String(),
  body: Type.String(),
  categoryId: Type.Optional(Type.String()),
  location: Type.Optional(Type.Object({ address: Type.Optional(Type.String()), point: Type.Optional(Type.Object({ lat: Type.Number(), lng: Type.Number() })) })),
  imageUrl: Type.Optional(Type.String()),
  status: IdeaStatusSchema,
  moderation: ModerationStateSchema,
  duplicateOf: Type.Optional(Type.String()),
  answer: Type.Optional(OfficialAnswerSchema),
  supports: Type.Integer(),
  comments: Type.Integer(),
  supportedByMe: Type.Optional(Type.Boolean()),
  mine: Type.Optional(Type.Boolean()),
  authorName: Type.Optional(Type.String()),
  createdAt: IsoDateTime,
  trackedProjectId: Type.Optional(Type.String()),
});

export const IdeaLiveEventSchema = Type.Object({ type: Type.Enum(['created', 'updated']), idea: IdeaSchema });

/** Lengths are checked after trimming (rules.ts); the raw text may carry some spaces more. An image is a data: URL of at most 2 MiB. */
export const IdeaInputSchema = Type.Object(
  {
    title: Type.String({ maxLength: 200, pattern: VISIBLE }),
    body: Type.String({ maxLength: 6000, pattern: VISIBLE }),
    categoryId: Type.Optional(Type.String({ maxLength: 64 })),
    location: Type.Optional(LocationSchema),
    image: Type.Optional(Type.String({ maxLength: 2_900_000 })),
    /** Honeypot: people never see it, so it stays empty; bots fill it in. */
    website: Type.Optional(Honeypot),
  },
  { additionalProperties: false },
);

export const IdeaListQuery = Type.Object(
  {
    sort: Type.Optional(IdeaSortSchema),
    seed: Type.Optional(Type.String({ maxLength: 64 })),
    category: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(IdeaStatusSchema),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Page size, 1 to 50 (default 12).' })),
  },
  { additionalProperties: false },
);

export const IdeaAnswerSchema = Type.Object(
  {
    status: IdeaStatusSchema,
    body: Type.String({ minLength: 1, maxLength: 20_000 }),
    duplicateOf: Type.Optional(Id),
    author: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const IdeaAdminPatchSchema = Type.Object(
  { trackedProjectId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);

export type IdeaBoxWire = Static<typeof IdeaBoxSchema>;
export type IdeaBoxCreate = Static<typeof IdeaBoxCreateSchema>;
export type IdeaBoxPatch = Static<typeof IdeaBoxPatchSchema>;
export type IdeaWire = Static<typeof IdeaSchema>;
export type IdeaInputWire = Static<typeof IdeaInputSchema>;
export type IdeaLiveEventWire = Static<typeof IdeaLiveEventSchema>;
export type IdeaAnswerWire = Static<typeof IdeaAnswerSchema>;
