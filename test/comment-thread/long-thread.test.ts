import { expect, waitUntil } from '@open-wc/testing';
import { COMMENT_MAX_PAGE_SIZE, type MemoryAdapter, type MemorySeedComment } from '@civic-widgets/core';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import { $$, THREAD_IDS, action, article, focused, mountThread, newPageOutbox, press, townAdapter } from './helpers.js';

/** A page of 200 top-level comments: more than the thread renders before its first paint. */
const COUNT = 200;

function longThread(): MemorySeedComment[] {
  const start = Date.now() - COUNT * 60_000;
  return Array.from({ length: COUNT }, (_, i) => ({
    id: `long${i}`,
    threadId: THREAD_IDS.empty,
    participantId: `p${i % 7}`,
    authorName: `Resident ${i}`,
    body: i % 4 === 0 ? `Comment ${i}, with **some** markup.` : `Comment ${i}.`,
    moderation: 'published' as const,
    supports: i % 5,
    createdAt: new Date(start + i * 60_000).toISOString(),
  }));
}

/** A backend that serves a page of 200 at once, as the paint bench's does (the contract stops at 100). */
function wholePages(adapter: MemoryAdapter): MemoryAdapter {
  const list = adapter.comments.list;
  adapter.comments.list = async (threadId, query = {}, options) => {
    const limit = query.limit ?? 0;
    if (query.parentId || limit <= COMMENT_MAX_PAGE_SIZE) return list(threadId, query, options);
    const first = await list(threadId, { ...query, limit: COMMENT_MAX_PAGE_SIZE }, options);
    if (!first.nextCursor) return first;
    const rest = await list(threadId, { ...query, limit: limit - COMMENT_MAX_PAGE_SIZE, cursor: first.nextCursor }, options);
    return { ...rest, items: [...first.items, ...rest.items] };
  };
  return adapter;
}

const longAdapter = () => wholePages(townAdapter({ seed: { comments: longThread() } }));

const mountLong = () => mountThread(THREAD_IDS.empty, longAdapter(), { pageSize: COUNT });

const ids = (el: CivicCommentThread) => $$(el, 'article').map((item) => item.id);

const allIn = (el: CivicCommentThread) =>
  waitUntil(() => ids(el).length === COUNT, 'not every comment was rendered', { timeout: 4000 });

describe('<civic-comment-thread> long pages', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('puts every comment of a long page in the document shortly after the first paint, in order', async () => {
    const el = await mountLong();
    await allIn(el);
    expect(ids(el)).to.deep.equal(Array.from({ length: COUNT }, (_, i) => `comment-long${i}`));
    expect($$(el, '.pending')).to.have.length(0);
    // One list of 200 items: nothing left in it stands for comments still to come.
    expect($$(el, '.thread > section > ol > li')).to.have.length(COUNT);
  });

  it('never paints the first screen with comments still to come in view', async () => {
    const el = await mountLong();
    const rest = $$(el, '.pending')[0];
    if (rest) expect(rest.getBoundingClientRect().top).to.be.at.least(innerHeight);
    const last = $$(el, 'article').at(-1)!;
    expect(last.getBoundingClientRect().bottom).to.be.at.least(Math.min(innerHeight, el.getBoundingClientRect().bottom));
  });

  it('a permalink to comment 180 of 200 scrolls to and focuses it', async () => {
    history.replaceState(null, '', '#comment-long180');
    const el = await mountLong();
    await waitUntil(() => focused(el)?.id === 'comment-long180', 'never focused', { timeout: 4000 });
    const box = article(el, 'long180').getBoundingClientRect();
    expect(box.top).to.be.within(-1, innerHeight - 1);
    await allIn(el);
    expect(focused(el)?.id).to.equal('comment-long180');
  });

  it('Tab goes on from the comments painted first to those rendered after them', async () => {
    const el = await mountLong();
    const painted = ids(el).length;
    expect(painted).to.be.within(1, COUNT - 1);
    action(el, `long${painted - 1}`, 'report').focus();
    // The link on the next comment's date, then its support button.
    await press('Tab');
    expect(focused(el)?.closest('article')?.id).to.equal(`comment-long${painted}`);
    await press('Tab');
    expect(focused(el)?.getAttribute('data-action')).to.equal('support');
    expect(focused(el)?.closest('article')?.id).to.equal(`comment-long${painted}`);
  });

  it('keeps focus and the reader’s place while the rest of the page comes in', async () => {
    const el = await mountLong();
    const reply = action(el, 'long1', 'reply');
    reply.focus();
    const top = reply.getBoundingClientRect().top;
    await allIn(el);
    await el.updateComplete;
    expect(focused(el) === reply, 'focus moved').to.be.true;
    expect(reply.getBoundingClientRect().top).to.equal(top);
  });

  it('Load more brings the rest of a long page in before focusing the first new comment', async () => {
    const el = await mountThread(THREAD_IDS.empty, longAdapter(), { pageSize: 100 });
    const more = $$<HTMLButtonElement>(el, 'button').find((button) => button.textContent!.includes('Load more comments'))!;
    more.click();
    await waitUntil(() => focused(el)?.id === 'comment-long100', 'the first new comment never took focus', { timeout: 4000 });
    expect(ids(el).slice(0, 101)).to.deep.equal(Array.from({ length: 101 }, (_, i) => `comment-long${i}`));
    await allIn(el);
  });
});
