import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { MemoryStore, type OutboxEntry } from '@civic-widgets/core';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import { $, $$, THREAD_IDS, action, article, focused, mountThread, newPageOutbox, text, townAdapter, until } from './helpers.js';

function write(el: CivicCommentThread, value: string, field = '#new-body'): void {
  const textarea = $<HTMLTextAreaElement>(el, field);
  textarea.value = value;
  textarea.dispatchEvent(new Event('input'));
}

describe('<civic-comment-thread> loses nothing', () => {
  beforeEach(() => localStorage.clear());

  it('offline comment → reload → back online: exactly one comment, and the citizen saw it waiting', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const outbox = newPageOutbox(store);
    const adapter = townAdapter();
    const events: string[] = [];
    const first = await mountThread(THREAD_IDS.library, adapter);
    first.addEventListener('civic-comment', (event) => events.push(event.detail.status));
    adapter.online = false;
    write(first, 'Written on the bus, offline.');
    $<HTMLButtonElement>(first, 'form button[type=submit]').click();
    await until(first, '.waiting [data-status=waiting]');
    expect(text($(first, '.waiting'))).to.contain('Written on the bus, offline.');
    expect(events).to.deep.equal(['waiting']);
    expect(outbox.entries()).to.have.length(1);

    // The page is reloaded: a new element and a new outbox over the same device storage.
    first.remove();
    newPageOutbox(store);
    const second = await mountThread(THREAD_IDS.library, adapter);
    await until(second, '.waiting [data-status=waiting]');
    expect($(second, '[part=error]')).to.exist;
    expect(text($(second, '.waiting'))).to.contain('Written on the bus, offline.');

    adapter.online = true;
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => second.shadowRoot!.querySelector('.thread') && !second.shadowRoot!.querySelector('.waiting'), 'never sent', { timeout: 4000 });
    const items = (await adapter.comments.list(THREAD_IDS.library, { limit: 100 })).items;
    expect(items.filter((comment) => comment.body === 'Written on the bus, offline.')).to.have.length(1);
    for (let tries = 0; tries < 150 && (await store.values()).length > 0; tries++) await aTimeout(20);
    expect(await store.values()).to.deep.equal([]);
  });

  it('restores the comment and the reply being typed after a reload', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const first = await mountThread(THREAD_IDS.market, adapter);
    write(first, 'Half-written thought');
    $<HTMLInputElement>(first, '#new-stance input[value=neutral]').click();
    action(first, 'm2', 'reply').click();
    await first.updateComplete;
    write(first, 'A reply in progress', '#reply-body');
    first.remove();
    const second = await mountThread(THREAD_IDS.market, adapter);
    expect($<HTMLTextAreaElement>(second, '#new-body').value).to.equal('Half-written thought');
    expect($<HTMLInputElement>(second, '#new-stance input[value=neutral]').checked).to.be.true;
    action(second, 'm2', 'reply').click();
    await second.updateComplete;
    expect($<HTMLTextAreaElement>(second, '#reply-body').value).to.equal('A reply in progress');
  });

  it('a refused comment comes back into the composer with the server’s field error', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountThread(THREAD_IDS.library, adapter);
    const errors: string[] = [];
    el.addEventListener('civic-error', (event) => errors.push(`${event.detail.during}:${event.detail.error.kind}`));
    adapter.failNext('forbidden');
    write(el, 'Refused text');
    $<HTMLButtonElement>(el, 'form button[type=submit]').click();
    await until(el, '.composer [role=alert]');
    expect($<HTMLTextAreaElement>(el, '#new-body').value).to.equal('Refused text');
    expect(errors).to.deep.equal(['submit:forbidden']);
  });

  it('rolls a support back, with a message, when it is refused', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountThread(THREAD_IDS.market, adapter);
    adapter.failNext('forbidden');
    action(el, 'm2', 'support').click();
    await el.updateComplete;
    expect(action(el, 'm2', 'support').getAttribute('aria-pressed')).to.equal('true');
    await until(el, '#comment-m2 [role=alert]');
    expect(action(el, 'm2', 'support').getAttribute('aria-pressed')).to.equal('false');
    expect(action(el, 'm2', 'support').textContent).to.contain('7');
    expect(text(article(el, 'm2'))).to.contain('could not be recorded');
  });
});

describe('<civic-comment-thread> live, permalinks and events', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
  });
  afterEach(() => history.replaceState(null, '', location.pathname + location.search));

  it('announces new comments without moving focus or scroll, and shows them on request', async () => {
    const adapter = townAdapter();
    const el = await mountThread(THREAD_IDS.empty, adapter);
    const support = $<HTMLTextAreaElement>(el, '#new-body');
    support.focus();
    const scroll = window.scrollY;
    adapter.actAs({ id: 'neighbour' });
    for (const body of ['One', 'Two', 'Three']) {
      await adapter.comments.post(THREAD_IDS.empty, { body }, { idempotencyKey: crypto.randomUUID() });
    }
    adapter.actAs({ id: 'visitor' });
    await until(el, '[part~=new-comments]');
    expect(focused(el)).to.equal(support);
    expect(window.scrollY).to.equal(scroll);
    expect(text($(el, '[aria-live=polite]:not(.composer *)'))).to.equal('3 new comments');
    expect(text(el)).not.to.contain('Three');
    $<HTMLButtonElement>(el, '[part~=new-comments]').click();
    await el.updateComplete;
    expect(text(el)).to.contain('Three');
    expect(focused(el)?.localName).to.equal('article');
    expect(text($(el, '#count'))).to.equal('3 comments');
  });

  it('a permalink scrolls to and focuses its comment, fetching it when it is not on the first page', async () => {
    history.replaceState(null, '', '#comment-m1-r1');
    const el = await mountThread(THREAD_IDS.market, townAdapter());
    await waitUntil(() => focused(el)?.id === 'comment-m1-r1', 'never focused', { timeout: 4000 });
    history.replaceState(null, '', '#comment-m25');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await waitUntil(() => focused(el)?.id === 'comment-m25', 'never focused m25', { timeout: 4000 });
    expect($$(el, '#comment-m25')).to.have.length(1);
  });

  it('fires events for the citizen’s actions only', async () => {
    const adapter = townAdapter();
    const el = await mountThread(THREAD_IDS.market, adapter);
    const fired: string[] = [];
    for (const name of ['civic-comment', 'civic-comment-support', 'civic-comment-report', 'civic-error'] as const) {
      el.addEventListener(name, () => fired.push(name));
    }
    // Set from code: a new sort and another thread, and live news.
    el.sort = 'newest';
    await el.updateComplete;
    el.thread = THREAD_IDS.empty;
    await waitUntil(() => text(el).includes('A new park'), 'never switched', { timeout: 4000 });
    adapter.actAs({ id: 'neighbour' });
    await adapter.comments.post(THREAD_IDS.empty, { body: 'News' }, { idempotencyKey: crypto.randomUUID() });
    await until(el, '[part~=new-comments]');
    expect(fired).to.deep.equal([]);
  });
});

const HOSTILE = [
  '<img src=x onerror=window.__pwned=1>',
  '<script>window.__pwned=1</script>',
  '[click](javascript:window.__pwned=1)',
  '"><svg/onload=window.__pwned=1>',
];

describe('<civic-comment-thread> with hostile content', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    delete (window as { __pwned?: unknown }).__pwned;
  });

  it('keeps bodies, author names and previews inert', async () => {
    const adapter = townAdapter({
      seed: {
        comments: HOSTILE.map((payload, i) => ({
          id: `h${i}`,
          threadId: 'empty-park',
          participantId: `x${i}`,
          authorName: `Name ${payload}`,
          body: `Body ${payload}`,
          moderation: 'published' as const,
          createdAt: new Date(Date.now() - 3_600_000 + i).toISOString(),
        })),
      },
    });
    const el = await mountThread('empty-park', adapter);
    write(el, HOSTILE.join('\n\n'));
    $<HTMLButtonElement>(el, '.composer button[aria-pressed]').click();
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.querySelector('img, script, svg, iframe, [onerror], [onload]')).to.be.null;
    for (const link of root.querySelectorAll('a')) expect(link.getAttribute('href') ?? '').not.to.match(/javascript:/i);
    for (const payload of HOSTILE) {
      expect(root.textContent).to.contain(`Name ${payload}`);
    }
    expect(text($(el, '[part=preview]'))).to.contain('<script>');
    await aTimeout(50);
    expect((window as { __pwned?: unknown }).__pwned).to.be.undefined;
  });
});
