import { CivicIdeaBox, type CivicIdeaProposedDetail, type CivicIdeaReportDetail, type CivicIdeaSupportDetail } from './idea-box.js';
import type { CivicIdeaReport } from './idea-report.js';

// The report form is defined by the box itself, the first time a citizen opens one.
CivicIdeaBox.define('civic-idea-box');

declare global {
  interface HTMLElementTagNameMap {
    'civic-idea-box': CivicIdeaBox;
    'civic-idea-report': CivicIdeaReport;
  }

  interface HTMLElementEventMap {
    'civic-idea-proposed': CustomEvent<CivicIdeaProposedDetail>;
    'civic-idea-support': CustomEvent<CivicIdeaSupportDetail>;
    'civic-idea-report': CustomEvent<CivicIdeaReportDetail>;
  }
}
