import { html } from 'lit';
import { fixture, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { MemoryAdapter, MemoryStore, Outbox, type KeyValueStore, type MemoryAdapterOptions, type OutboxEntry } from '@civic-widgets/core';
import '@civic-widgets/comment-thread/define.js';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import { VISITOR_ID, commentSeed, type CommentSeedOptions } from '../../stories/fixtures/comments.js';

export { THREAD_IDS, UNKNOWN_THREAD, VISITOR_ID } from '../../stories/fixtures/comments.js';

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

export function townAdapter(options: MemoryAdapterOptions & { seed?: CommentSeedOptions } = {}): MemoryAdapter {
  const { seed, ...rest } = options;
  return new MemoryAdapter({ participant: { id: VISITOR_ID }, ...rest, seed: commentSeed(seed) });
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

/** The comment's article. */
export function article(el: CivicCommentThread, id: string): HTMLElement {
  return $(el, `#${CSS.escape(`comment-${id}`)}`);
}

/** A button of a comment, by its action. */
export function action(el: CivicCommentThread, id: string, name: string): HTMLButtonElement {
  return $(el, `#${CSS.escape(`comment-${id}`)} [data-action=${name}]`);
}

export async function until(el: CivicCommentThread, selector: string, timeout = 4000): Promise<void> {
  await waitUntil(() => el.shadowRoot!.querySelector(selector), `never showed ${selector}`, { timeout });
  await el.updateComplete;
}

export async function settled(el: CivicCommentThread): Promise<CivicCommentThread> {
  await waitUntil(() => el.shadowRoot?.querySelector('.thread, .error'), 'the thread never loaded', { timeout: 4000 });
  await el.updateComplete;
  return el;
}

export async function mountThread(
  threadId: string,
  adapter: MemoryAdapter | undefined,
  { wait = true, sort }: { wait?: boolean; sort?: string } = {},
): Promise<CivicCommentThread> {
  const el = await fixture<CivicCommentThread>(
    html`<civic-comment-thread thread=${threadId} sort=${sort ?? 'oldest'} .adapter=${adapter}></civic-comment-thread>`,
  );
  return wait ? settled(el) : el;
}

/** What has focus inside the thread, through its sub-elements' shadow roots. */
export function focused(el: CivicCommentThread): Element | null {
  let active: Element | null = el.shadowRoot!.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export async function press(...keys: string[]): Promise<void> {
  // Puppeteer's Firefox (WebDriver BiDi) knows the space bar only as ' '.
  for (const key of keys) await sendKeys({ press: key === 'Space' ? ' ' : key });
}

/** Tabs until `matches` holds for the focused element. */
export async function tabUntil(el: CivicCommentThread, matches: (element: Element) => boolean, max = 80): Promise<Element> {
  for (let i = 0; i < max; i++) {
    const current = focused(el);
    if (current && matches(current)) return current;
    await press('Tab');
  }
  throw new Error('The element was never reached with Tab');
}

/** Types into the focused field, as the keyboard does. */
export async function typeText(value: string): Promise<void> {
  await sendKeys({ type: value });
}
