/** Longest accepted details of a report, in characters. */
export const REPORT_DETAILS_MAX_LENGTH = 1000;
