import { CivicPoll, type CivicResultsShownDetail, type CivicVoteDetail } from './poll.js';
import type { CivicPollRanking } from './poll-ranking.js';
import type { CivicPollResults } from './poll-results.js';

// The sub-elements are defined by the poll itself, the first time it shows one.
CivicPoll.define('civic-poll');

declare global {
  interface HTMLElementTagNameMap {
    'civic-poll': CivicPoll;
    'civic-poll-ranking': CivicPollRanking;
    'civic-poll-results': CivicPollResults;
  }

  interface HTMLElementEventMap {
    'civic-vote': CustomEvent<CivicVoteDetail>;
    'civic-results-shown': CustomEvent<CivicResultsShownDetail>;
  }
}
