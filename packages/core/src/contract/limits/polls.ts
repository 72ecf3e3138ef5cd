/** Longest accepted "other" answer, in characters. */
export const OTHER_MAX_LENGTH = 500;
