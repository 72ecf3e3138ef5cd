import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import { setLocale, type MemoryAdapter } from '@civic-widgets/core';
import type { CivicIdeaBox } from '@civic-widgets/idea-box';
import { $, $$, BOX_IDS, action, activate, focused, mountBox, newPageOutbox, press, settled, tabUntil, text, townAdapter, typeText, until } from './helpers.js';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** Clicks in the middle of the element once the page is still, as a person aims. */
async function click(element: Element): Promise<void> {
  let box: DOMRect | undefined;
  for (let tries = 0; tries < 10; tries++) {
    element.scrollIntoView({ block: 'center' });
    await nextFrame();
    const now = element.getBoundingClientRect();
    if (box && now.x === box.x && now.y === box.y) break;
    box = now;
  }
  await sendMouse({ type: 'click', position: [Math.round(box!.x + box!.width / 2), Math.round(box!.y + box!.height / 2)] });
}

const ids = (el: CivicIdeaBox) => $$(el, '[part~=idea]').map((article) => article.id.replace(/^idea-/, ''));

describe('<civic-idea-box> journeys', () => {
  let adapter: MemoryAdapter;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  afterEach(() => resetMouse());

  it('names each support button with its idea, its count and the word in the right number, in English and in French', async () => {
    const el = await mountBox(BOX_IDS.town, adapter);
    const names = () =>
      $$(el, '[data-action=support]').map((button) => ({
        title: text(button.closest('article')!.querySelector('[data-action=open]')!),
        count: Number(button.querySelector('.supports')!.textContent),
        name: button.textContent!.replace(/\s+/g, ' ').trim(),
      }));
    const counts = names().map((entry) => entry.count);
    expect(counts.some((count) => count <= 1) && counts.some((count) => count > 1), `counts ${counts}`).to.be.true;
    for (const { title, count, name } of names()) expect(name).to.equal(`Support the idea “${title}” ${count} ${count === 1 ? 'support' : 'supports'}`);
    try {
      await setLocale('fr');
      await el.updateComplete;
      // French puts 0 and 1 in the singular.
      for (const { title, count, name } of names()) expect(name).to.equal(`Soutenir l’idée « ${title} » ${count} ${count <= 1 ? 'soutien' : 'soutiens'}`);
    } finally {
      await setLocale('en');
    }
  });

  describe('with the keyboard only', () => {
    it('browses: sort, filter by category and status, search with a count announced, show more with focus on the first new idea', async () => {
      const el = await mountBox(BOX_IDS.town, adapter);
      await press('Tab');
      expect(focused(el)?.matches('a.skip-past')).to.be.true;
      await press('Tab');
      expect(focused(el)?.id).to.equal('propose');

      const sort = (await tabUntil(el, (e) => e.id === 'sort')) as HTMLSelectElement;
      sort.value = 'most-supported';
      sort.dispatchEvent(new Event('change'));
      await waitUntil(() => ids(el)[0] !== 't1', 'never sorted', { timeout: 4000 });
      const supports = $$(el, '[data-action=support] .supports').map((span) => Number(span.textContent));
      expect(supports).to.deep.equal([...supports].sort((a, b) => b - a));

      const category = (await tabUntil(el, (e) => e.id === 'category')) as HTMLSelectElement;
      category.value = 'culture';
      category.dispatchEvent(new Event('change'));
      await waitUntil(() => ids(el).length === 3, 'never filtered', { timeout: 4000 });
      expect($$(el, '[part~=category]').every((span) => span.textContent === 'Culture')).to.be.true;
      expect(text($(el, '#announcement'))).to.equal('3 ideas match.');

      category.value = '';
      category.dispatchEvent(new Event('change'));
      const status = (await tabUntil(el, (e) => e.id === 'status')) as HTMLSelectElement;
      status.value = 'accepted';
      status.dispatchEvent(new Event('change'));
      await waitUntil(() => ids(el).join() === 't1', 'never filtered by status', { timeout: 4000 });
      status.value = '';
      status.dispatchEvent(new Event('change'));
      await waitUntil(() => ids(el).length === 12, 'filters never cleared', { timeout: 4000 });

      await activate(el, $(el, '#search'));
      await typeText('hospital');
      await waitUntil(() => ids(el).length === 3, 'never searched', { timeout: 4000 });
      expect(text($(el, '#announcement'))).to.equal('3 ideas match.');
      expect(focused(el)?.id).to.equal('search');

      const search = $<HTMLInputElement>(el, '#search');
      search.value = '';
      search.dispatchEvent(new Event('input'));
      await waitUntil(() => ids(el).length === 12, 'search never cleared', { timeout: 4000 });
      const more = [...$$<HTMLButtonElement>(el, 'button')].find((button) => button.textContent!.includes('Show more ideas'))!;
      await activate(el, more);
      await waitUntil(() => ids(el).length === 15, 'never showed more', { timeout: 4000 });
      await el.updateComplete;
      expect(focused(el)?.id).to.equal(`idea-${ids(el)[12]}`);
    });

    it('opens an idea in place, reads the answer and the discussion, and goes back with focus restored', async () => {
      const el = await mountBox(BOX_IDS.town, adapter);
      await activate(el, action(el, 't1', 'open'));
      expect(focused(el)?.id).to.equal('detail-title');
      expect(text($(el, '[part=answer]'))).to.contain('The council accepts this idea');
      expect(text($(el, '[part=detail]'))).to.contain('Quai de Loire');
      await activate(el, $(el, '#discuss'));
      await until(el, 'civic-comment-thread');
      const thread = $(el, 'civic-comment-thread');
      expect(thread.getAttribute('thread')).to.equal('idea:t1');
      await waitUntil(() => thread.shadowRoot?.textContent?.includes('light it at night'), 'the discussion never showed', { timeout: 4000 });
      await activate(el, $(el, '#back'));
      expect(focused(el)).to.equal(action(el, 't1', 'open'));
    });

    it('follows a duplicate to the original idea', async () => {
      const el = await mountBox(BOX_IDS.town, adapter);
      await activate(el, action(el, 't6', 'open'));
      const link = [...$$<HTMLButtonElement>(el, '[part=detail] button.link')].at(-1)!;
      expect(link.textContent).to.contain('Bicycle lanes on the quays');
      await activate(el, link);
      expect(text($(el, '#detail-title'))).to.equal('Bicycle lanes on the quays');
      await activate(el, $(el, '#back'));
      expect(focused(el)).to.equal(action(el, 't6', 'open'));
    });

    it('proposes: the error summary takes focus, similar ideas are offered and supported, then the idea is sent', async () => {
      const el = await mountBox(BOX_IDS.town, adapter);
      const proposed: string[] = [];
      el.addEventListener('civic-idea-proposed', (event) => proposed.push(event.detail.status));
      await activate(el, $(el, '#propose'));
      expect(focused(el)?.id).to.equal('idea-title');
      await typeText('Trees');
      await press('Tab');
      await typeText('Plant trees along the market square, please.');
      await until(el, '[part=similar]');
      const similar = $$<HTMLButtonElement>(el, '[part=similar] [data-action=support]');
      expect(similar.length).to.be.greaterThan(0);
      const offer = similar.find((button) => button.getAttribute('aria-pressed') === 'false')!;
      await activate(el, offer);
      await waitUntil(() => offer.getAttribute('aria-pressed') === 'true', 'the similar idea was never supported');

      const submit = $<HTMLButtonElement>(el, 'form button[type=submit]');
      await activate(el, submit);
      expect(focused(el)?.id).to.equal('error-summary');
      expect(text($(el, '#error-summary'))).to.contain('Choose a category.');
      expect($(el, '#idea-category').getAttribute('aria-describedby')).to.contain('idea-category-error');
      const category = $<HTMLSelectElement>(el, '#idea-category');
      category.focus();
      category.value = 'nature';
      category.dispatchEvent(new Event('change'));
      await activate(el, $(el, 'form button[type=submit]'));
      await waitUntil(() => proposed.includes('sent'), 'never sent', { timeout: 4000 });
      await el.updateComplete;
      expect(ids(el)[0]).to.not.equal('t1');
      expect(text($(el, '[part~=idea]'))).to.contain('Trees');
      expect(proposed).to.deep.equal(['sent']);
      expect(focused(el)?.id).to.equal('propose');
    });

    it('counts supports given to ideas not on the page yet, as the backend reports them', async () => {
      const el = await fixture<CivicIdeaBox>(
        html`<civic-idea-box box=${BOX_IDS.town} page-size="1" sort="most-discussed" .adapter=${adapter}></civic-idea-box>`,
      );
      await settled(el);
      expect($$(el, '[part~=idea]')).to.have.length(1);
      // The one supported idea is not among those shown: only the backend's count knows of it.
      expect($$(el, '[aria-pressed=true]')).to.have.length(0);
      expect(text($(el, '#limit'))).to.equal('You can support 3 ideas — 2 left');
    });

    it('supports and withdraws with aria-pressed and the limit counted down, then reports an idea', async () => {
      const el = await mountBox(BOX_IDS.town, adapter);
      const supports: boolean[] = [];
      const reports: string[] = [];
      el.addEventListener('civic-idea-support', (event) => supports.push(event.detail.supported));
      el.addEventListener('civic-idea-report', (event) => reports.push(event.detail.reason));
      expect(text($(el, '#limit'))).to.equal('You can support 3 ideas — 2 left');
      const button = action(el, 't4', 'support');
      await activate(el, button);
      await waitUntil(() => button.getAttribute('aria-pressed') === 'true');
      expect(text($(el, '#limit'))).to.equal('You can support 3 ideas — 1 left');
      await activate(el, action(el, 't4', 'support'));
      await waitUntil(() => action(el, 't4', 'support').getAttribute('aria-pressed') === 'false');
      expect(text($(el, '#limit'))).to.equal('You can support 3 ideas — 2 left');
      expect(supports).to.deep.equal([true, false]);

      await activate(el, action(el, 't2', 'open'));
      await activate(el, $(el, '[data-action=report]'));
      await until(el, 'civic-report-form');
      const form = $(el, 'civic-report-form');
      await waitUntil(() => form.shadowRoot?.querySelector('input'));
      expect(focused(el)?.matches('input[type=radio]')).to.be.true;
      await press('Space');
      await press('Tab', 'Tab');
      await press('Enter');
      await until(el, '[part=detail] [role=status]');
      await waitUntil(() => text($(el, '[part=detail]')).includes('the moderators will look at this idea'), 'the report was never received', { timeout: 4000 });
      expect(reports).to.deep.equal(['spam']);
      expect(focused(el)?.getAttribute('data-action')).to.equal('report');
    });
  });

  describe('with a pointer', () => {
    it('opens an idea, supports it, goes back; switches to the compact list', async () => {
      const el = await mountBox(BOX_IDS.town, adapter, { layout: 'list' });
      expect($(el, '[part=list]').dataset.layout).to.equal('list');
      await click(action(el, 't2', 'open'));
      await until(el, '#detail-title');
      const support = $<HTMLButtonElement>(el, '[part=detail] [data-action=support]');
      await click(support);
      await waitUntil(() => $(el, '[part=detail] [data-action=support]').getAttribute('aria-pressed') === 'true');
      await click($(el, '#back'));
      await el.updateComplete;
      expect(action(el, 't2', 'support').getAttribute('aria-pressed')).to.equal('true');
      expect((await adapter.ideas.get('t2')).supportedByMe).to.be.true;
    });

    it('proposes in a few clicks', async () => {
      const el = await mountBox(BOX_IDS.moderated, adapter);
      await click($(el, '#propose'));
      await el.updateComplete;
      await click($(el, '#idea-title'));
      await typeText('A reading room for students');
      await click($(el, '#idea-body'));
      await typeText('A quiet room with desks, open in the evenings during exams.');
      await click($(el, 'form button[type=submit]'));
      await until(el, '#proposal-status [part=notice]');
      expect(text($(el, '#proposal-status'))).to.contain('awaiting moderation');
      expect(text(el)).to.contain('A reading room for students');
    });
  });
});
