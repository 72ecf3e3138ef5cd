import { html } from 'lit';
import { fixture } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '@civic-widgets/core';
import '@civic-widgets/results-tracker/define.js';
import type { CivicResultsTracker } from '@civic-widgets/results-tracker';
import { $, $$, settledOn } from '../support/widgets.js';
import { VISITOR_ID, trackerSeed } from '../../stories/fixtures/tracker.js';

export { $, $$, activate, focused, newPageOutbox, press, tabUntil, text, typeText, until } from '../support/widgets.js';
export { NEWCOMER_ID, PROJECT_IDS, TRACKER_IDS, UNKNOWN_TRACKER, VISITOR_ID } from '../../stories/fixtures/tracker.js';

/** The town's tracker on a fresh in-browser backend, seen by the visitor. */
export function townAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter({ participant: { id: VISITOR_ID }, ...options, seed: trackerSeed() });
}

export function settled(el: CivicResultsTracker): Promise<CivicResultsTracker> {
  return settledOn(el, '.tracker, .error', 'the tracker');
}

export async function mountTracker(
  trackerId: string,
  adapter: unknown,
  { wait = true, sort = 'updated', pageSize = 12, feedUrl }: { wait?: boolean; sort?: string; pageSize?: number; feedUrl?: string } = {},
): Promise<CivicResultsTracker> {
  const el = await fixture<CivicResultsTracker>(
    html`<civic-results-tracker tracker=${trackerId} sort=${sort} page-size=${pageSize} feed-url=${feedUrl ?? ''} .adapter=${adapter}></civic-results-tracker>`,
  );
  return wait ? settled(el) : el;
}

/** The button that opens a project of the list. */
export function openButton(el: CivicResultsTracker, id: string): HTMLButtonElement {
  return $(el, `#${CSS.escape(`project-${id}`)} [data-action=open]`);
}

/** The ids of the projects listed, in order. */
export function ids(el: CivicResultsTracker): string[] {
  return $$(el, '[part~=project]').map((article) => article.id.replace(/^project-/, ''));
}

/** Chooses an option of a select as the keyboard does, and tells the widget. */
export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}
