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
export { Open311Adapter } from './open311-adapter.js';
export type { Open311AdapterOptions } from './open311-adapter.js';
