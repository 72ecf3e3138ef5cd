export * from './store.js';
export * from './outbox.js';
export * from './outbox-controller.js';
export * from './submission-status.js';
