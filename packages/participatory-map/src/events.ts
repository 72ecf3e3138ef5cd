/*
 * The public events of <civic-participatory-map>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { CivicReportFollowDetail, CivicReportSelectedDetail, CivicReportSubmittedDetail } from './participatory-map.js';

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-report-submitted': CustomEvent<CivicReportSubmittedDetail>;
    'civic-report-selected': CustomEvent<CivicReportSelectedDetail>;
    'civic-report-follow': CustomEvent<CivicReportFollowDetail>;
  }
}

export {};
