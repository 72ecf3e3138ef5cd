/**
 * Compile-time proof that the wire schemas and the browser's contract types are the same shapes:
 * if either side changes alone, type-checking the server fails here. No runtime code.
 */
import type {
  Ballot,
  BallotInput,
  CommentInput,
  CommentLiveEvent,
  Idea,
  IdeaBox,
  IdeaInput,
  IdeaLiveEvent,
  Poll,
  PollParticipation,
  PollResults,
  ReportInput,
  Session,
  Thread,
  ThreadComment,
} from '../../../core/src/contract/types.js';
import type * as CoreLimits from '../../../core/src/contract/limits.js';
import type { Static } from 'typebox';
import type * as ServerLimits from '../comments/model.js';
import type * as IdeaLimits from '../ideas/model.js';
import type * as MapLimits from '../maps/model.js';
import type { MapLiveEventSchema, MapReportInputSchema, MapReportSchema, MapSchema } from '../maps/schemas.js';
import type { MapLiveEvent, MapReport, MapReportInput, ParticipatoryMap } from '../../../core/src/contract/types.js';
import type * as TrackerLimits from '../tracker/model.js';
import type { Open311Attribute, Open311Request, Open311Service, Open311Update } from '../open311/model.js';
import type { DefinitionSchema, RequestSchema, ServiceSchema, UpdateSchema } from '../open311/routes.js';
import type { ContributionFateSchema, ProjectOriginSchema, ProjectUpdateSchema, StatusTotalSchema, TrackedProjectSchema, TrackerLiveEventSchema, TrackerSchema } from '../tracker/schemas.js';
import type { ContributionFate, ProjectOrigin, ProjectUpdate, StatusTotal, TrackedProject, Tracker, TrackerLiveEvent } from '../../../core/src/contract/types.js';
import type {
  BallotInputSchema,
  BallotSchema,
  CommentInputSchema,
  CommentLiveEventSchema,
  IdeaBoxSchema,
  IdeaInputSchema,
  IdeaLiveEventSchema,
  IdeaSchema,
  ParticipationSchema,
  PollResultsSchema,
  PollSchema,
  ReportInputSchema,
  SessionSchema,
  ThreadCommentSchema,
  ThreadSchema,
} from './schemas.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ContractHolds = [
  Assert<Same<Static<typeof PollSchema>, Poll>>,
  Assert<Same<Omit<Static<typeof BallotInputSchema>, 'website'>, BallotInput>>,
  Assert<Same<Static<typeof BallotSchema>, Ballot>>,
  Assert<Same<Static<typeof ParticipationSchema>, PollParticipation>>,
  Assert<Same<Static<typeof PollResultsSchema>, PollResults>>,
  Assert<Same<Static<typeof SessionSchema>, Session>>,
  Assert<Same<Static<typeof ThreadSchema>, Thread>>,
  Assert<Same<Static<typeof ThreadCommentSchema>, ThreadComment>>,
  Assert<Same<Omit<Static<typeof CommentInputSchema>, 'website'>, CommentInput>>,
  Assert<Same<Static<typeof ReportInputSchema>, ReportInput>>,
  Assert<Same<Static<typeof CommentLiveEventSchema>, CommentLiveEvent>>,
  Assert<Same<Static<typeof IdeaBoxSchema>, IdeaBox>>,
  Assert<Same<Static<typeof IdeaSchema>, Idea>>,
  Assert<Same<Omit<Static<typeof IdeaInputSchema>, 'website'>, IdeaInput>>,
  Assert<Same<Static<typeof IdeaLiveEventSchema>, IdeaLiveEvent>>,
  Assert<Same<Static<typeof MapSchema>, ParticipatoryMap>>,
  Assert<Same<Static<typeof MapReportSchema>, MapReport>>,
  Assert<Same<Omit<Static<typeof MapReportInputSchema>, 'website'>, MapReportInput>>,
  Assert<Same<Static<typeof MapLiveEventSchema>, MapLiveEvent>>,
  Assert<Same<Static<typeof TrackerSchema>, Tracker>>,
  Assert<Same<Static<typeof StatusTotalSchema>, StatusTotal>>,
  Assert<Same<Static<typeof ProjectOriginSchema>, ProjectOrigin>>,
  Assert<Same<Static<typeof ProjectUpdateSchema>, ProjectUpdate>>,
  Assert<Same<Static<typeof TrackedProjectSchema>, TrackedProject>>,
  Assert<Same<Static<typeof ContributionFateSchema>, ContributionFate>>,
  Assert<Same<Static<typeof TrackerLiveEventSchema>, TrackerLiveEvent>>,
  // Open311's documented answers are the shapes its model builds.
  Assert<Same<Static<typeof ServiceSchema>, Open311Service>>,
  Assert<Same<Static<typeof DefinitionSchema>, { service_code: string; attributes: Open311Attribute[] }>>,
  Assert<Same<Static<typeof RequestSchema>, Open311Request>>,
  Assert<Same<Static<typeof UpdateSchema>, Open311Update>>,
];

/** The server's copy of the comment limits equals the contract's. */
export type LimitsHold = [
  Assert<Same<typeof ServerLimits.COMMENT_MAX_LENGTH, typeof CoreLimits.COMMENT_MAX_LENGTH>>,
  Assert<Same<typeof ServerLimits.REPORT_DETAILS_MAX_LENGTH, typeof CoreLimits.REPORT_DETAILS_MAX_LENGTH>>,
  Assert<Same<typeof ServerLimits.COMMENT_PAGE_SIZE, typeof CoreLimits.COMMENT_PAGE_SIZE>>,
  Assert<Same<typeof ServerLimits.COMMENT_MAX_PAGE_SIZE, typeof CoreLimits.COMMENT_MAX_PAGE_SIZE>>,
  Assert<Same<typeof ServerLimits.MAX_REPLY_DEPTH, typeof CoreLimits.MAX_REPLY_DEPTH>>,
  Assert<Same<typeof IdeaLimits.IDEA_TITLE_MIN_LENGTH, typeof CoreLimits.IDEA_TITLE_MIN_LENGTH>>,
  Assert<Same<typeof IdeaLimits.IDEA_TITLE_MAX_LENGTH, typeof CoreLimits.IDEA_TITLE_MAX_LENGTH>>,
  Assert<Same<typeof IdeaLimits.IDEA_BODY_MIN_LENGTH, typeof CoreLimits.IDEA_BODY_MIN_LENGTH>>,
  Assert<Same<typeof IdeaLimits.IDEA_BODY_MAX_LENGTH, typeof CoreLimits.IDEA_BODY_MAX_LENGTH>>,
  Assert<Same<typeof IdeaLimits.IDEA_PAGE_SIZE, typeof CoreLimits.IDEA_PAGE_SIZE>>,
  Assert<Same<typeof IdeaLimits.IDEA_MAX_PAGE_SIZE, typeof CoreLimits.IDEA_MAX_PAGE_SIZE>>,
  Assert<Same<typeof IdeaLimits.SIMILAR_IDEAS_LIMIT, typeof CoreLimits.SIMILAR_IDEAS_LIMIT>>,
  Assert<Same<typeof IdeaLimits.IDEA_AUTO_HIDE_REPORTS, typeof CoreLimits.IDEA_AUTO_HIDE_REPORTS>>,
  Assert<Same<typeof MapLimits.MAP_DESCRIPTION_MIN_LENGTH, typeof CoreLimits.MAP_DESCRIPTION_MIN_LENGTH>>,
  Assert<Same<typeof MapLimits.MAP_DESCRIPTION_MAX_LENGTH, typeof CoreLimits.MAP_DESCRIPTION_MAX_LENGTH>>,
  Assert<Same<typeof MapLimits.MAP_ADDRESS_MAX_LENGTH, typeof CoreLimits.MAP_ADDRESS_MAX_LENGTH>>,
  Assert<Same<typeof MapLimits.MAP_ATTRIBUTE_MAX_LENGTH, typeof CoreLimits.MAP_ATTRIBUTE_MAX_LENGTH>>,
  Assert<Same<typeof MapLimits.MAP_REPORT_PAGE_SIZE, typeof CoreLimits.MAP_REPORT_PAGE_SIZE>>,
  Assert<Same<typeof MapLimits.MAP_REPORT_MAX_PAGE_SIZE, typeof CoreLimits.MAP_REPORT_MAX_PAGE_SIZE>>,
  Assert<Same<typeof MapLimits.MAP_POINTS_MAX, typeof CoreLimits.MAP_POINTS_MAX>>,
  Assert<Same<typeof MapLimits.NEARBY_RADIUS_METERS, typeof CoreLimits.NEARBY_RADIUS_METERS>>,
  Assert<Same<typeof MapLimits.NEARBY_REPORTS_LIMIT, typeof CoreLimits.NEARBY_REPORTS_LIMIT>>,
  Assert<Same<typeof TrackerLimits.PROJECT_PAGE_SIZE, typeof CoreLimits.PROJECT_PAGE_SIZE>>,
  Assert<Same<typeof TrackerLimits.PROJECT_MAX_PAGE_SIZE, typeof CoreLimits.PROJECT_MAX_PAGE_SIZE>>,
  Assert<Same<typeof TrackerLimits.CONTRIBUTION_PAGE_SIZE, typeof CoreLimits.CONTRIBUTION_PAGE_SIZE>>,
];
