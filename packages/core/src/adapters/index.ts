export { RestAdapter } from './rest-adapter.js';
export type { RestAdapterOptions, RestRetryPolicy } from './rest-adapter.js';
export { MemoryAdapter } from './memory-adapter.js';
export type {
  IdeaAnswerInput,
  IdeaModerationAction,
  MapModerationAction,
  MapReportUpdateInput,
  MemoryMapSeed,
  MemorySeedMapReport,
  MemoryAdapterOptions,
  MemoryIdeaSeed,
  MemorySeedIdea,
  MemoryCommentSeed,
  MemoryParticipant,
  MemorySeed,
  MemorySeedComment,
  MemorySeedThread,
  ModerationAction,
} from './memory-adapter.js';
export type {
  MemorySeedContribution,
  MemorySeedOrigin,
  MemorySeedProject,
  MemorySeedTracker,
  MemoryTrackerSeed,
  ProjectUpdateInput,
} from './memory-adapter.js';
