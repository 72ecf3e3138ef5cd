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
