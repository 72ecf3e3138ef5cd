export { RestAdapter } from './rest-adapter.js';
export type { RestAdapterOptions, RestRetryPolicy } from './rest-adapter.js';
export { MemoryAdapter } from './memory-adapter.js';
export type { MemoryAdapterOptions, MemoryParticipant, MemorySeed } from './memory-adapter.js';
