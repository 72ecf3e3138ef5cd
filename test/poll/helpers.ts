import { html } from 'lit';
import { fixture, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, MemoryStore, Outbox, type MemoryAdapterOptions, type OutboxEntry, type KeyValueStore } from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import type { CivicPoll } from '@civic-widgets/poll';
import { createTownSeed } from '../core/fixtures/polls.js';

export { POLL_IDS } from '../core/fixtures/polls.js';

const SHARED = Symbol.for('civic-widgets.outbox');
type Page = typeof globalThis & { [SHARED]?: Outbox };

/**
 * Gives the page a new shared outbox, as a page load does. Disposes of the previous one, as
 * leaving a page does, so that it sends nothing more.
 */
export function newPageOutbox(store: KeyValueStore<OutboxEntry> = new MemoryStore()): Outbox {
  const page = globalThis as Page;
  page[SHARED]?.dispose();
  const outbox = new Outbox({ store, backoff: { baseMs: 50, maxMs: 200 } });
  page[SHARED] = outbox;
  return outbox;
}

export function townAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter({ seed: createTownSeed(), ...options });
}

/** The poll's shadow root, typed for queries. */
export function root(el: CivicPoll): ShadowRoot {
  return el.shadowRoot!;
}

export function $<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`Nothing matches ${selector}`);
  return found;
}

export function $$<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  return [...el.shadowRoot!.querySelectorAll<E>(selector)];
}

export function text(el: Element): string {
  return (el.shadowRoot?.textContent ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Waits for a part of the poll to show, then for the poll to settle: its sub-elements load on
 * demand, and `updateComplete` waits for them.
 */
export async function until(el: CivicPoll, selector: string): Promise<void> {
  await waitUntil(() => el.shadowRoot!.querySelector(selector), `never showed ${selector}`, { timeout: 4000 });
  await el.updateComplete;
}

/** Waits for the poll to settle on something other than "loading". */
export async function settled(el: CivicPoll): Promise<CivicPoll> {
  await waitUntil(() => el.shadowRoot?.querySelector('article, .error'), 'the poll never loaded', { timeout: 4000 });
  await el.updateComplete;
  return el;
}

export async function mountPoll(
  pollId: string,
  adapter: MemoryAdapter | undefined,
  { headingLevel = 2, wait = true }: { headingLevel?: number; wait?: boolean } = {},
): Promise<CivicPoll> {
  const el = await fixture<CivicPoll>(
    html`<civic-poll poll=${pollId} heading-level=${headingLevel} .adapter=${adapter}></civic-poll>`,
  );
  return wait ? settled(el) : el;
}

/** The ballot the current participant has in the adapter. */
export async function recordedBallot(adapter: MemoryAdapter, pollId: string) {
  return (await adapter.polls.participation(pollId)).ballot;
}
