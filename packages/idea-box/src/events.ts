/*
 * The public events of <civic-idea-box>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { CivicIdeaProposedDetail, CivicIdeaReportDetail, CivicIdeaSupportDetail } from './idea-box.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-idea-proposed': CustomEvent<CivicIdeaProposedDetail>;
    'civic-idea-support': CustomEvent<CivicIdeaSupportDetail>;
    'civic-idea-report': CustomEvent<CivicIdeaReportDetail>;
  }
}

export {};
