export { CivicIdeaBox } from './idea-box.js';
export type { CivicIdeaProposedDetail, CivicIdeaReportDetail, CivicIdeaSupportDetail, IdeaAction, IdeaLayout } from './idea-box.js';
