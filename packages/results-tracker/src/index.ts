export { CivicResultsTracker } from './results-tracker.js';
export type { CivicProjectSelectedDetail } from './results-tracker.js';
export type { ContributionsViewContext, ProjectViewContext, TrackerViews } from './views.js';
// The global event map for this package's events (types only).
export {} from './events.js';
