export * from './draft-controller.js';
