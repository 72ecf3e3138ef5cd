/**
 * Limits of the contract that widgets, adapters and the server all apply. They live apart from any
 * adapter so that a widget can use them without bundling that adapter.
 */

/** Longest accepted "other" answer, in characters. */
export const OTHER_MAX_LENGTH = 500;

/** Thread ids are free text so that any page can carry a discussion, e.g. `idea:42`. */
export const THREAD_ID_PATTERN = /^[A-Za-z0-9:_-]{1,120}$/;

/** Longest accepted comment, in characters after trimming; a blank comment is refused. */
export const COMMENT_MAX_LENGTH = 5000;

/** Longest accepted details of a report, in characters. */
export const REPORT_DETAILS_MAX_LENGTH = 1000;

/** Comments per page when the caller does not say, and the most a page may hold. */
export const COMMENT_PAGE_SIZE = 20;
export const COMMENT_MAX_PAGE_SIZE = 100;

/** Replies nest this deep; a reply to a comment at this depth is shown flattened "in reply to". */
export const MAX_REPLY_DEPTH = 3;

/** Title of an idea, in characters after trimming. */
export const IDEA_TITLE_MIN_LENGTH = 5;
export const IDEA_TITLE_MAX_LENGTH = 140;

/** Body of an idea, in characters after trimming. */
export const IDEA_BODY_MIN_LENGTH = 20;
export const IDEA_BODY_MAX_LENGTH = 5000;

/** An idea's image: a `data:` URL of one of these types, at most this many bytes once decoded. */
export const IDEA_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
export const IDEA_IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** Ideas per page when the caller does not say, and the most a page may hold. */
export const IDEA_PAGE_SIZE = 12;
export const IDEA_MAX_PAGE_SIZE = 50;

/** The most similar ideas offered before proposing a new one. */
export const SIMILAR_IDEAS_LIMIT = 5;

/** Distinct reports that hide an idea when its box does not say. */
export const IDEA_AUTO_HIDE_REPORTS = 5;

/** A map report's description, in characters after trimming. */
export const MAP_DESCRIPTION_MIN_LENGTH = 10;
export const MAP_DESCRIPTION_MAX_LENGTH = 2000;

/** A map report's address, in characters after trimming. */
export const MAP_ADDRESS_MAX_LENGTH = 200;

/** A text attribute of a map report (an Open311 attribute), in characters. */
export const MAP_ATTRIBUTE_MAX_LENGTH = 500;

/** Reports per page of the list when the caller does not say, and the most a page may hold. */
export const MAP_REPORT_PAGE_SIZE = 20;
export const MAP_REPORT_MAX_PAGE_SIZE = 100;

/** The most points one `points` call returns. */
export const MAP_POINTS_MAX = 50_000;

/** "Same problem?": open reports of the same category within this radius, at most this many. */
export const NEARBY_RADIUS_METERS = 50;
export const NEARBY_REPORTS_LIMIT = 5;

/** Projects per page when the caller does not say, and the most a page may hold. */
export const PROJECT_PAGE_SIZE = 12;
export const PROJECT_MAX_PAGE_SIZE = 50;

/** Contributions per page of "what became of my contributions?". */
export const CONTRIBUTION_PAGE_SIZE = 20;
