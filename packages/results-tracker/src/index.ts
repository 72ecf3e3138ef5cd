export { CivicResultsTracker } from './results-tracker.js';
export type { CivicProjectSelectedDetail } from './results-tracker.js';
export type { ContributionsViewContext, ProjectViewContext, TrackerViews } from './views.js';
