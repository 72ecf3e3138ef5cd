import { html, nothing } from 'lit';
import { fixture } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '@civic-widgets/core';
import '@civic-widgets/comment-thread/define.js';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import { $, settledOn } from '../support/widgets.js';
import { VISITOR_ID, commentSeed, type CommentSeedOptions } from '../../stories/fixtures/comments.js';

export { $, $$, activate, focused, newPageOutbox, press, tabUntil, text, typeText, until } from '../support/widgets.js';
export { THREAD_IDS, UNKNOWN_THREAD, VISITOR_ID } from '../../stories/fixtures/comments.js';

export function townAdapter(options: MemoryAdapterOptions & { seed?: CommentSeedOptions } = {}): MemoryAdapter {
  const { seed, ...rest } = options;
  return new MemoryAdapter({ participant: { id: VISITOR_ID }, ...rest, seed: commentSeed(seed) });
}

/** The comment's article. */
export function article(el: CivicCommentThread, id: string): HTMLElement {
  return $(el, `#${CSS.escape(`comment-${id}`)}`);
}

/** A button of a comment, by its action. */
export function action(el: CivicCommentThread, id: string, name: string): HTMLButtonElement {
  return $(el, `#${CSS.escape(`comment-${id}`)} [data-action=${name}]`);
}

export function settled(el: CivicCommentThread): Promise<CivicCommentThread> {
  return settledOn(el, '.thread, .error', 'the thread');
}

export async function mountThread(
  threadId: string,
  adapter: MemoryAdapter | undefined,
  { wait = true, sort, pageSize }: { wait?: boolean; sort?: string; pageSize?: number } = {},
): Promise<CivicCommentThread> {
  const el = await fixture<CivicCommentThread>(
    html`<civic-comment-thread
      thread=${threadId}
      sort=${sort ?? 'oldest'}
      page-size=${pageSize ?? nothing}
      .adapter=${adapter}
    ></civic-comment-thread>`,
  );
  return wait ? settled(el) : el;
}
