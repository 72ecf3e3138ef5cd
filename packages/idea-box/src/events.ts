/*
 * The public events of <civic-idea-box>, typed for `addEventListener` on the document or any element,
 * without defining the element: this module has no side effect, and the package's index
 * brings it in. `civic-error` comes with @civic-widgets/core.
 */
import type { Idea, ReportReason } from '@civic-widgets/core';

/** The detail of `civic-idea-proposed`. */
export interface CivicIdeaProposedDetail {
  boxId: string;
  /** The idea as recorded, once sent. */
  idea?: Idea;
  /** `waiting`: kept on the device (offline or failing) and sent automatically later. */
  status: 'sent' | 'waiting';
}

/** The detail of `civic-idea-support`. */
export interface CivicIdeaSupportDetail {
  ideaId: string;
  /** True when the citizen gave support, false when they withdrew it. */
  supported: boolean;
}

/** The detail of `civic-idea-report`. */
export interface CivicIdeaReportDetail {
  ideaId: string;
  reason: ReportReason;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'civic-idea-proposed': CustomEvent<CivicIdeaProposedDetail>;
    'civic-idea-support': CustomEvent<CivicIdeaSupportDetail>;
    'civic-idea-report': CustomEvent<CivicIdeaReportDetail>;
  }
}
