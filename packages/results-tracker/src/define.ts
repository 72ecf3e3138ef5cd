import { CivicResultsTracker } from './results-tracker.js';

// The project and contribution views and <civic-comment-thread> are fetched when a citizen opens them.
CivicResultsTracker.define('civic-results-tracker');

declare global {
  interface HTMLElementTagNameMap {
    'civic-results-tracker': CivicResultsTracker;
  }
}
