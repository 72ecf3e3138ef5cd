/**
 * Limits of the contract that widgets, adapters and the server all apply. They live apart from any
 * adapter so that a widget can use them without bundling that adapter.
 *
 * One module per domain, so that a bundle carries only the limits of the widgets it holds.
 */
export * from './limits/polls.js';
export * from './limits/comments.js';
export * from './limits/ideas.js';
export * from './limits/maps.js';
export * from './limits/tracker.js';
export * from './limits/reports.js';
