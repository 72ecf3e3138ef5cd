/** Projects per page when the caller does not say, and the most a page may hold. */
export const PROJECT_PAGE_SIZE = 12;
export const PROJECT_MAX_PAGE_SIZE = 50;

/** Contributions per page of "what became of my contributions?". */
export const CONTRIBUTION_PAGE_SIZE = 20;
