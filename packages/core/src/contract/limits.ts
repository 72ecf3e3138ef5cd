/**
 * Limits of the contract that widgets, adapters and the server all apply. They live apart from any
 * adapter so that a widget can use them without bundling that adapter.
 */

/** Longest accepted "other" answer, in characters. */
export const OTHER_MAX_LENGTH = 500;
