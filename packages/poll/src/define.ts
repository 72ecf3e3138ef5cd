import { CivicPoll, type CivicResultsShownDetail, type CivicVoteDetail } from './poll.js';
import { CivicPollRanking } from './poll-ranking.js';
import { CivicPollResults } from './poll-results.js';

// Sub-elements first, so that the poll's first render upgrades them at once. When another copy
// of the library defined them already, `CivicPoll.define` is the one that says so.
if (!customElements.get('civic-poll-ranking')) customElements.define('civic-poll-ranking', CivicPollRanking);
if (!customElements.get('civic-poll-results')) customElements.define('civic-poll-results', CivicPollResults);
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
