import { Type, type Static, type TSchema } from 'typebox';

/**
 * The wire shapes of /api/v1. They validate requests, serialise responses (which drops any field
 * not listed, so nothing internal leaks) and generate the OpenAPI document. They mirror
 * packages/core/src/contract/types.ts; contract-check.ts makes the compiler hold them equal.
 */

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
    website: Type.Optional(Type.String({ maxLength: 200 })),
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
  return Object.fromEntries([400, 429, 500, ...statuses].map((status) => [status, problemResponse]));
}

export type PollWire = Static<typeof PollSchema>;
export type AdminPollWire = Static<typeof AdminPollSchema>;
export type PollCreate = Static<typeof PollCreateSchema>;
export type PollPatch = Static<typeof PollPatchSchema>;
export type BallotInputWire = Static<typeof BallotInputSchema>;
export type BallotWire = Static<typeof BallotSchema>;
export type PollResultsWire = Static<typeof PollResultsSchema>;
