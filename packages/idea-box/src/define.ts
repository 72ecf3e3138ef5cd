import { CivicIdeaBox, type CivicIdeaProposedDetail, type CivicIdeaReportDetail, type CivicIdeaSupportDetail } from './idea-box.js';

// Core's report form, <civic-report-form>, is defined the first time a citizen opens one.
CivicIdeaBox.define('civic-idea-box');

declare global {
  interface HTMLElementTagNameMap {
    'civic-idea-box': CivicIdeaBox;
  }

  interface HTMLElementEventMap {
    'civic-idea-proposed': CustomEvent<CivicIdeaProposedDetail>;
    'civic-idea-support': CustomEvent<CivicIdeaSupportDetail>;
    'civic-idea-report': CustomEvent<CivicIdeaReportDetail>;
  }
}
