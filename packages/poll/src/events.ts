/*
 * The public events of <civic-poll>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { CivicResultsShownDetail, CivicVoteDetail } from './poll.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-vote': CustomEvent<CivicVoteDetail>;
    'civic-results-shown': CustomEvent<CivicResultsShownDetail>;
  }
}

export {};
