import { html } from 'lit';
import { fixture, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, MemoryStore, Outbox, type KeyValueStore, type MemoryAdapterOptions, type MemorySeedIdea, type OutboxEntry } from '@civic-widgets/core';
import '@civic-widgets/idea-box/define.js';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { VISITOR_ID, ideaSeed } from '../../stories/fixtures/ideas.js';

export { BOX_IDS, UNKNOWN_BOX, VISITOR_ID } from '../../stories/fixtures/ideas.js';

const SHARED = Symbol.for('civic-widgets.outbox');
type Page = typeof globalThis & { [SHARED]?: Outbox };

/** Gives the page a new shared outbox, as a page load does, and disposes of the previous one. */
export function newPageOutbox(store: KeyValueStore<OutboxEntry> = new MemoryStore(), baseMs = 50): Outbox {
  const page = globalThis as Page;
  page[SHARED]?.dispose();
  const outbox = new Outbox({ store, backoff: { baseMs, maxMs: Math.max(200, baseMs) } });
  page[SHARED] = outbox;
  return outbox;
}

export function townAdapter(options: MemoryAdapterOptions & { ideas?: MemorySeedIdea[] } = {}): MemoryAdapter {
  const { ideas, ...rest } = options;
  return new MemoryAdapter({ participant: { id: VISITOR_ID }, ...rest, seed: ideaSeed({ ideas }) });
}

export function $<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`Nothing matches ${selector}`);
  return found;
}

export function $$<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  return [...el.shadowRoot!.querySelectorAll<E>(selector)];
}

export function text(el: Element | ShadowRoot): string {
  const node = el instanceof Element && el.shadowRoot ? el.shadowRoot : el;
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A button of an idea in the list, by its action. */
export function action(el: CivicIdeaBox, id: string, name: string): HTMLButtonElement {
  return $(el, `#${CSS.escape(`idea-${id}`)} [data-action=${name}]`);
}

export async function until(el: CivicIdeaBox, selector: string, timeout = 4000): Promise<void> {
  await waitUntil(() => el.shadowRoot!.querySelector(selector), `never showed ${selector}`, { timeout });
  await el.updateComplete;
}

export async function settled(el: CivicIdeaBox): Promise<CivicIdeaBox> {
  await waitUntil(() => el.shadowRoot?.querySelector('.box, .error'), 'the box never loaded', { timeout: 4000 });
  await el.updateComplete;
  return el;
}

export async function mountBox(
  boxId: string,
  adapter: unknown,
  { wait = true, layout = 'cards', sort = 'newest' }: { wait?: boolean; layout?: string; sort?: string } = {},
): Promise<CivicIdeaBox> {
  const el = await fixture<CivicIdeaBox>(html`<civic-idea-box box=${boxId} layout=${layout} sort=${sort} .adapter=${adapter}></civic-idea-box>`);
  return wait ? settled(el) : el;
}

/** What has focus inside the box, through its sub-elements' shadow roots. */
export function focused(el: CivicIdeaBox): Element | null {
  let active: Element | null = el.shadowRoot!.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export async function press(...keys: string[]): Promise<void> {
  // Puppeteer's Firefox (WebDriver BiDi) knows the space bar only as ' '.
  for (const key of keys) await sendKeys({ press: key === 'Space' ? ' ' : key });
}

/** Tabs until `matches` holds for the focused element. */
export async function tabUntil(el: CivicIdeaBox, matches: (element: Element) => boolean, max = 80): Promise<Element> {
  for (let i = 0; i < max; i++) {
    const current = focused(el);
    if (current && matches(current)) return current;
    await press('Tab');
  }
  throw new Error('The element was never reached with Tab');
}

export async function typeText(value: string): Promise<void> {
  await sendKeys({ type: value });
}

/** Sets a field's value as typing does. */
export function write(el: CivicIdeaBox, selector: string, value: string): void {
  const field = $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(el, selector);
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input'));
}
