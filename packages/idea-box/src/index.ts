export { CivicIdeaBox } from './idea-box.js';
export type { CivicIdeaProposedDetail, CivicIdeaReportDetail, CivicIdeaSupportDetail, IdeaAction, IdeaLayout } from './idea-box.js';
// The global event map for this package's events (types only).
export {} from './events.js';
