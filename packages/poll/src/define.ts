import { CivicPoll } from './poll.js';
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
}
