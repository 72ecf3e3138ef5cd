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
