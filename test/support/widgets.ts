import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryStore, Outbox, type KeyValueStore, type OutboxEntry } from '@civic-widgets/core';

/** A widget as the tests drive it: an element with a shadow root that renders asynchronously. */
export type Widget = Element & { readonly updateComplete: Promise<unknown> };

const SHARED = Symbol.for('civic-widgets.outbox');
type Page = typeof globalThis & { [SHARED]?: Outbox };

/**
 * Gives the page a new shared outbox, as a page load does. Disposes of the previous one, as
 * leaving a page does, so that it sends nothing more.
 */
export function newPageOutbox(store: KeyValueStore<OutboxEntry> = new MemoryStore(), baseMs = 50): Outbox {
  const page = globalThis as Page;
  page[SHARED]?.dispose();
  const outbox = new Outbox({ store, backoff: { baseMs, maxMs: Math.max(200, baseMs) } });
  page[SHARED] = outbox;
  return outbox;
}

export function $<E extends Element = HTMLElement>(el: Element, selector: string): E {
  const found = el.shadowRoot!.querySelector<E>(selector);
  if (!found) throw new Error(`Nothing matches ${selector}`);
  return found;
}

export function $$<E extends Element = HTMLElement>(el: Element, selector: string): E[] {
  return [...el.shadowRoot!.querySelectorAll<E>(selector)];
}

/** The text an element shows, through its shadow root if it has one, with white space collapsed. */
export function text(el: Element | ShadowRoot): string {
  const node = el instanceof Element && el.shadowRoot ? el.shadowRoot : el;
  return (node.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Waits for a part of the widget to show, then for the widget to settle: its sub-elements load on
 * demand, and `updateComplete` waits for them.
 */
export async function until(el: Widget, selector: string, timeout = 4000): Promise<void> {
  await waitUntil(() => el.shadowRoot!.querySelector(selector), `never showed ${selector}`, { timeout });
  await el.updateComplete;
}

/** Waits for the widget to show `selector` (its content or its error) rather than "loading". */
export async function settledOn<E extends Widget>(el: E, selector: string, what: string): Promise<E> {
  await waitUntil(() => el.shadowRoot?.querySelector(selector), `${what} never loaded`, { timeout: 4000 });
  await el.updateComplete;
  return el;
}

/** What has focus inside the widget, through its sub-elements' shadow roots. */
export function focused(el: Element): Element | null {
  let active: Element | null = el.shadowRoot!.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export async function press(...keys: string[]): Promise<void> {
  // Puppeteer's Firefox (WebDriver BiDi) knows the space bar only as ' '.
  for (const key of keys) await sendKeys({ press: key === 'Space' ? ' ' : key });
}

/** Tabs until `matches` holds for the focused element. */
export async function tabUntil(el: Element, matches: (element: Element) => boolean, max = 80): Promise<Element> {
  for (let i = 0; i < max; i++) {
    const current = focused(el);
    if (current && matches(current)) return current;
    await press('Tab');
  }
  throw new Error('The element was never reached with Tab');
}

/** Focuses a control of the widget and presses Enter on it, as a keyboard user reaches it with Tab. */
export async function activate(el: Widget, control: HTMLElement): Promise<void> {
  control.focus();
  expect(focused(el)).to.equal(control);
  await press('Enter');
  await el.updateComplete;
}

/** Types into the focused field, as the keyboard does. */
export async function typeText(value: string): Promise<void> {
  await sendKeys({ type: value });
}
