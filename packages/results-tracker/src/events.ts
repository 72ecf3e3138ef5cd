/*
 * The public events of <civic-results-tracker>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { CivicProjectSelectedDetail } from './results-tracker.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-project-selected': CustomEvent<CivicProjectSelectedDetail>;
  }
}

export {};
