import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { MemoryStore, type MemorySeedIdea, type OutboxEntry } from '@civic-widgets/core';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { $, $$, BOX_IDS, action, mountBox, newPageOutbox, text, townAdapter, until, write } from './helpers.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

function propose(el: CivicIdeaBox, title: string, body: string): void {
  write(el, '#idea-title', title);
  write(el, '#idea-body', body);
  $<HTMLButtonElement>(el, 'form button[type=submit]').click();
}

describe('<civic-idea-box> loses nothing', () => {
  beforeEach(() => localStorage.clear());

  it('offline idea → reload → back online: exactly one idea, and the citizen saw it waiting', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const outbox = newPageOutbox(store);
    const adapter = townAdapter();
    const events: string[] = [];
    const first = await mountBox(BOX_IDS.moderated, adapter);
    first.addEventListener('civic-idea-proposed', (event) => events.push(event.detail.status));
    adapter.online = false;
    $<HTMLButtonElement>(first, '#propose').click();
    await first.updateComplete;
    propose(first, 'Written on the bus', 'An idea written on the bus, without any network.');
    await until(first, '.waiting [data-status=waiting]');
    expect(text($(first, '.waiting'))).to.contain('Written on the bus');
    expect(events).to.deep.equal(['waiting']);
    expect(outbox.entries()).to.have.length(1);

    // The page is reloaded: a new element and a new outbox over the same device storage.
    first.remove();
    newPageOutbox(store);
    const second = await mountBox(BOX_IDS.moderated, adapter);
    await until(second, '.waiting [data-status=waiting]');
    expect($(second, '[part=error]')).to.exist;

    adapter.online = true;
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => second.shadowRoot!.querySelector('.box') && !second.shadowRoot!.querySelector('.waiting'), 'never sent', { timeout: 4000 });
    const items = (await adapter.ideas.list(BOX_IDS.moderated, { limit: 50 })).items;
    expect(items.filter((idea) => idea.title === 'Written on the bus')).to.have.length(1);
    for (let tries = 0; tries < 150 && (await store.values()).length > 0; tries++) await aTimeout(20);
    expect(await store.values()).to.deep.equal([]);
  });

  it('restores the idea being typed after a reload, but not the image', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const first = await mountBox(BOX_IDS.town, adapter);
    $<HTMLButtonElement>(first, '#propose').click();
    await first.updateComplete;
    write(first, '#idea-title', 'Half-written title');
    write(first, '#idea-body', 'A body in progress');
    write(first, '#idea-category', 'culture');
    write(first, '#idea-address', 'Rue des Tanneurs');
    await aTimeout(500);
    first.remove();
    const second = await mountBox(BOX_IDS.town, adapter);
    $<HTMLButtonElement>(second, '#propose').click();
    await second.updateComplete;
    expect($<HTMLInputElement>(second, '#idea-title').value).to.equal('Half-written title');
    expect($<HTMLTextAreaElement>(second, '#idea-body').value).to.equal('A body in progress');
    expect($<HTMLSelectElement>(second, '#idea-category').value).to.equal('culture');
    expect($<HTMLInputElement>(second, '#idea-address').value).to.equal('Rue des Tanneurs');
    expect($<HTMLInputElement>(second, '#idea-image').value).to.equal('');
  });

  it('refuses an image of the wrong type or size in the browser, with a clear message', async () => {
    newPageOutbox();
    const el = await mountBox(BOX_IDS.town, townAdapter());
    $<HTMLButtonElement>(el, '#propose').click();
    await el.updateComplete;
    const input = $<HTMLInputElement>(el, '#idea-image');
    const choose = async (file: File) => {
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
      await el.updateComplete;
    };
    await choose(new File(['GIF89a'], 'cat.gif', { type: 'image/gif' }));
    expect(text($(el, '#idea-image-error'))).to.equal('Choose a JPEG, PNG or WebP image.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await choose(new File([new Uint8Array(2 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' }));
    expect(text($(el, '#idea-image-error'))).to.contain('too large');
    await choose(new File([new Uint8Array([137, 80, 78, 71])], 'ok.png', { type: 'image/png' }));
    await waitUntil(() => text(el).includes('Chosen: ok.png'));
    expect(el.shadowRoot!.querySelector('#idea-image-error')).to.be.null;
  });

  it('rolls a support back, with a message, when it is refused', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountBox(BOX_IDS.town, adapter);
    const errors: string[] = [];
    el.addEventListener('civic-error', (event) => errors.push(`${event.detail.during}:${event.detail.error.kind}`));
    adapter.failNext('forbidden');
    const before = Number(action(el, 't4', 'support').querySelector('.supports')!.textContent);
    action(el, 't4', 'support').click();
    await el.updateComplete;
    expect(action(el, 't4', 'support').getAttribute('aria-pressed')).to.equal('true');
    await until(el, '#idea-t4 [role=alert]');
    expect(action(el, 't4', 'support').getAttribute('aria-pressed')).to.equal('false');
    expect(Number(action(el, 't4', 'support').querySelector('.supports')!.textContent)).to.equal(before);
    expect(text($(el, '#idea-t4 [role=alert]'))).to.contain('Your support could not be recorded');
    expect(errors).to.deep.equal(['support:forbidden']);
  });

  it('shows the limit reached when the server refuses a support over the limit', async () => {
    newPageOutbox();
    const el = await mountBox(BOX_IDS.town, townAdapter());
    // t3 is supported already; two more reach the limit of 3.
    action(el, 't4', 'support').click();
    action(el, 't5', 'support').click();
    await waitUntil(() => $(el, '#limit').dataset.reached === 'true');
    action(el, 't7', 'support').click();
    await el.updateComplete;
    expect(action(el, 't7', 'support').getAttribute('aria-pressed')).to.equal('false');
    expect(text($(el, '#idea-t7 [role=alert]'))).to.contain('used all your supports');
  });

  it('announces new ideas politely without moving focus, and shows them on demand', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountBox(BOX_IDS.town, adapter);
    const search = $<HTMLInputElement>(el, '#search');
    search.focus();
    adapter.actAs({ id: 'neighbour' });
    await adapter.ideas.propose(BOX_IDS.town, { title: 'A new fountain', body: 'A drinking fountain in the park, for walkers.', categoryId: 'nature' }, { idempotencyKey: 'n1' });
    await adapter.ideas.propose(BOX_IDS.town, { title: 'A second fountain', body: 'Another drinking fountain by the school.', categoryId: 'nature' }, { idempotencyKey: 'n2' });
    await until(el, '[part~=new-ideas]');
    await waitUntil(() => text($(el, '[part~=new-ideas]')).startsWith('2 new ideas'));
    expect(text($(el, '[aria-live=polite]'))).to.equal('2 new ideas');
    expect(el.shadowRoot!.activeElement).to.equal(search);
    $<HTMLButtonElement>(el, '[part~=new-ideas]').click();
    await el.updateComplete;
    expect(text($(el, '[part~=idea]'))).to.contain('A second fountain');
  });
});

describe('<civic-idea-box> with hostile content', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    delete (window as { __pwned?: number }).__pwned;
  });

  it('keeps titles, bodies, category labels, official answers and author names inert', async () => {
    const hostile: MemorySeedIdea = {
      id: 'evil',
      boxId: BOX_IDS.town,
      participantId: 'mallory',
      authorName: HOSTILE,
      title: HOSTILE,
      body: `${HOSTILE}\n\n[click](javascript:alert(1))`,
      categoryId: 'mobility',
      status: 'accepted',
      moderation: 'published',
      answer: { body: `<p>Answer</p>${HOSTILE}<a href="javascript:alert(1)">x</a>`, answeredAt: new Date().toISOString(), author: HOSTILE },
      createdAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const adapter = townAdapter({ ideas: [hostile] });
    const box = (await adapter.ideas.getBox(BOX_IDS.town)) as { categories: Array<{ label: string; color?: string }> };
    expect(box.categories.length).to.be.greaterThan(0);
    const el = await fixture<CivicIdeaBox>(html`<civic-idea-box box=${BOX_IDS.town} .adapter=${adapter}></civic-idea-box>`);
    await waitUntil(() => el.shadowRoot!.querySelector('#idea-evil'));
    await el.updateComplete;
    expect(text($(el, '#idea-evil'))).to.contain('<img src=x');
    action(el, 'evil', 'open').click();
    await until(el, '[part=answer]');
    await aTimeout(100);
    expect($$(el, 'script, [part=body] img, [onerror]')).to.have.length(0);
    expect($$(el, 'a[href^="javascript:"]')).to.have.length(0);
    expect(text($(el, '[part=detail]'))).to.contain('<script>');
    expect((window as { __pwned?: number }).__pwned).to.be.undefined;
  });

  it('shows hostile category labels and colours as text and a safe colour only', async () => {
    const adapter = townAdapter();
    const el = await mountBox(BOX_IDS.town, {
      name: 'hostile categories',
      ideas: {
        ...adapter.ideas,
        getBox: async (id: string) => ({
          ...(await adapter.ideas.getBox(id)),
          categories: [{ id: 'mobility', label: HOSTILE, color: 'red; background-image: url(https://evil.example/x)' }],
        }),
      },
    });
    const category = $(el, '#idea-t5 [part=category]');
    expect(category.textContent).to.equal(HOSTILE);
    expect(category.getAttribute('style') ?? '').to.not.contain('evil');
    expect((window as { __pwned?: number }).__pwned).to.be.undefined;
  });
});

describe('<civic-idea-box> events', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
  });

  it('fires nothing when properties change from code, nor while loading', async () => {
    const adapter = townAdapter();
    const heard: string[] = [];
    const listen = (event: Event) => heard.push(event.type);
    const el = await mountBox(BOX_IDS.town, adapter);
    for (const name of ['civic-idea-proposed', 'civic-idea-support', 'civic-idea-report', 'civic-error']) el.addEventListener(name, listen);
    el.sort = 'most-supported';
    el.layout = 'list';
    el.box = BOX_IDS.empty;
    await el.updateComplete;
    await waitUntil(() => text(el).includes('Ideas for the new park'));
    el.box = BOX_IDS.town;
    await waitUntil(() => $$(el, '[part~=idea]').length > 0);
    expect(heard).to.deep.equal([]);
  });

  it('fires civic-idea-support, bubbling and composed, on a citizen’s click', async () => {
    const el = await mountBox(BOX_IDS.town, townAdapter());
    const events: CustomEvent[] = [];
    el.parentElement!.addEventListener('civic-idea-support', (event) => events.push(event), { once: true });
    action(el, 't4', 'support').click();
    expect(events).to.have.length(1);
    expect(events[0]!.detail).to.deep.equal({ ideaId: 't4', supported: true });
    expect(events[0]!.composed).to.be.true;
  });
});
