import type { Definitions } from './loader.js';

/**
 * Each tag's define module. Every entry becomes its own chunk of the CDN build, fetched the
 * first time the tag appears on the page.
 */
export const definitions: Definitions = {
  'civic-provider': () => import('@civic-widgets/core/define.js'),
  'civic-poll': () => import('@civic-widgets/poll/define.js'),
  'civic-comment-thread': () => import('@civic-widgets/comment-thread/define.js'),
  'civic-idea-box': () => import('@civic-widgets/idea-box/define.js'),
  'civic-participatory-map': () => import('@civic-widgets/participatory-map/define.js'),
  'civic-results-tracker': () => import('@civic-widgets/results-tracker/define.js'),
};
