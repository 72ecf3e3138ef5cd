/**
 * Every domain of the REST contract. A widget imports the domains it uses, so that a page carrying
 * one widget does not download the others' routes; import this module to call a RestAdapter
 * directly for any domain.
 */
import './polls.js';
import './comments.js';
import './ideas.js';
import './maps.js';
import './tracker.js';

import type { ParticipationAdapter } from '../../contract/adapter.js';
import { RestAdapter, type RestAdapterOptions } from '../rest-adapter.js';

/** A RestAdapter with every domain of the contract. */
export type FullRestAdapter = RestAdapter & Required<Pick<ParticipationAdapter, 'polls' | 'comments' | 'ideas' | 'maps' | 'tracker'>>;

/** A RestAdapter for calling any domain directly, outside the widgets. */
export function createRestAdapter(options: RestAdapterOptions): FullRestAdapter {
  return new RestAdapter(options) as FullRestAdapter;
}
