export { CivicPoll } from './poll.js';
export type { CivicVoteDetail, CivicResultsShownDetail } from './poll.js';
export { CivicPollResults, ballotsText } from './poll-results.js';
export { CivicPollRanking } from './poll-ranking.js';
// The global event map for this package's events (types only).
export {} from './events.js';
