import { html } from 'lit';
import { fixture } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import type { CivicPoll } from '@civic-widgets/poll';
import { settledOn } from '../support/widgets.js';
import { createTownSeed } from '../core/fixtures/polls.js';

export { $, $$, focused, newPageOutbox, press, tabUntil as tabWithin, text, until } from '../support/widgets.js';
export { POLL_IDS } from '../core/fixtures/polls.js';

export function townAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  return new MemoryAdapter({ seed: createTownSeed(), ...options });
}

/** The poll's shadow root, typed for queries. */
export function root(el: CivicPoll): ShadowRoot {
  return el.shadowRoot!;
}

/** Waits for the poll to settle on something other than "loading". */
export function settled(el: CivicPoll): Promise<CivicPoll> {
  return settledOn(el, 'article, .error', 'the poll');
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
