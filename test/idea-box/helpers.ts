import { html } from 'lit';
import { fixture } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions, type MemorySeedIdea } from '@civic-widgets/core';
import '@civic-widgets/idea-box/define.js';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { $, settledOn } from '../support/widgets.js';
import { VISITOR_ID, ideaSeed } from '../../stories/fixtures/ideas.js';

export { $, $$, activate, focused, newPageOutbox, press, tabUntil, text, typeText, until } from '../support/widgets.js';
export { BOX_IDS, UNKNOWN_BOX, VISITOR_ID } from '../../stories/fixtures/ideas.js';

export function townAdapter(options: MemoryAdapterOptions & { ideas?: MemorySeedIdea[] } = {}): MemoryAdapter {
  const { ideas, ...rest } = options;
  return new MemoryAdapter({ participant: { id: VISITOR_ID }, ...rest, seed: ideaSeed({ ideas }) });
}

/** A button of an idea in the list, by its action. */
export function action(el: CivicIdeaBox, id: string, name: string): HTMLButtonElement {
  return $(el, `#${CSS.escape(`idea-${id}`)} [data-action=${name}]`);
}

export function settled(el: CivicIdeaBox): Promise<CivicIdeaBox> {
  return settledOn(el, '.box, .error', 'the box');
}

export async function mountBox(
  boxId: string,
  adapter: unknown,
  { wait = true, layout = 'cards', sort = 'newest' }: { wait?: boolean; layout?: string; sort?: string } = {},
): Promise<CivicIdeaBox> {
  const el = await fixture<CivicIdeaBox>(html`<civic-idea-box box=${boxId} layout=${layout} sort=${sort} .adapter=${adapter}></civic-idea-box>`);
  return wait ? settled(el) : el;
}

/** Sets a field's value as typing does. */
export function write(el: CivicIdeaBox, selector: string, value: string): void {
  const field = $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(el, selector);
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input'));
}
