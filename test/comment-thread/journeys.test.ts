import { expect, waitUntil } from '@open-wc/testing';
import { resetMouse, sendMouse } from '@web/test-runner-commands';
import type { MemoryAdapter } from '@civic-widgets/core';
import type { CivicCommentThread } from '@civic-widgets/comment-thread';
import {
  $,
  $$,
  THREAD_IDS,
  action,
  activate,
  article,
  focused,
  mountThread,
  newPageOutbox,
  press,
  tabUntil,
  text,
  townAdapter,
  typeText,
  until,
} from './helpers.js';

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/**
 * Clicks where the element is once the page is still, as a person aims: comments off screen are
 * laid out only as they come near the viewport, so those around a target settle to their real
 * size in the frame after it is scrolled to.
 */
async function click(element: Element): Promise<void> {
  let box: DOMRect | undefined;
  for (let tries = 0; tries < 10; tries++) {
    element.scrollIntoView({ block: 'center' });
    await nextFrame();
    const now = element.getBoundingClientRect();
    if (box && now.x === box.x && now.y === box.y) break;
    box = now;
  }
  expect(box, 'the element never settled').to.exist;
  await sendMouse({ type: 'click', position: [Math.round(box!.x + box!.width / 2), Math.round(box!.y + box!.height / 2)] });
}

async function topLevel(adapter: MemoryAdapter, threadId: string) {
  return (await adapter.comments.list(threadId, { sort: 'newest', limit: 100 })).items;
}

describe('<civic-comment-thread> journeys', () => {
  let adapter: MemoryAdapter;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  afterEach(() => resetMouse());

  describe('with the keyboard only', () => {
    it('reads: Tab reaches the composer, the sort and the comments; sort, load more, open replies', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      await press('Tab');
      expect(focused(el)?.matches('a.skip-past')).to.be.true;
      await press('Tab');
      expect(focused(el)?.matches('input[type=radio]')).to.be.true;
      const sort = (await tabUntil(el, (e) => e.id === 'sort')) as HTMLSelectElement;
      expect(sort.labels?.[0]?.textContent).to.contain('Sort comments');

      // Sort: most supported first.
      sort.value = 'most-supported';
      sort.dispatchEvent(new Event('change'));
      await waitUntil(() => $$(el, 'article')[0]?.id !== 'comment-m1', 'never sorted', { timeout: 4000 });
      await el.updateComplete;
      const supports = $$(el, '[data-action=support] span:not(.visually-hidden)').map((span) => Number(span.textContent));
      expect(supports).to.deep.equal([...supports].sort((a, b) => b - a));

      // Load more: focus goes to the first new comment. The page of 20 comes in slices after its first screen.
      await waitUntil(() => $$(el, 'ol[part=list] > li').length === 20, 'the whole first page', { timeout: 4000 });
      const more = [...$$<HTMLButtonElement>(el, 'button')].find((b) => b.textContent!.includes('Load more comments'))!;
      await activate(el, more);
      await waitUntil(() => $$(el, '.thread > section > ol > li').length === 26, 'no second page', { timeout: 4000 });
      await el.updateComplete;
      expect(focused(el)?.localName).to.equal('article');
      expect(focused(el)?.id).to.equal($$(el, '.thread > section > ol > li > article')[20]!.id);
    });

    it('opens replies down to depth 3, then shows deeper ones flattened "in reply to"', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      const first = action(el, 'm1', 'replies');
      expect(first.textContent).to.contain('Show 2 replies');
      expect(first.getAttribute('aria-expanded')).to.equal('false');
      const chain = ['m1', 'm1-r1', 'm1-r2', 'm1-r3', 'm1-r4', 'm1-r5'];
      for (let i = 0; i < chain.length - 1; i++) {
        await activate(el, action(el, chain[i]!, 'replies'));
        await until(el, `#comment-${chain[i + 1]}`);
      }
      expect(action(el, 'm1', 'replies').getAttribute('aria-expanded')).to.equal('true');
      // Depths 0..3 nest; 4 and 5 are siblings of depth 3, each saying whom it answers.
      const r3 = article(el, 'm1-r3');
      const r4 = article(el, 'm1-r4');
      const r5 = article(el, 'm1-r5');
      expect(r4.parentElement!.parentElement).to.equal(r3.parentElement!.parentElement);
      expect(r5.parentElement!.parentElement).to.equal(r3.parentElement!.parentElement);
      expect(text(r4)).to.contain(`In reply to ${text($(el, '#comment-m1-r3-by'))}`);
      expect(text(r5)).to.contain(`In reply to ${text($(el, '#comment-m1-r4-by'))}`);
      expect(r3.closest('ol')!.parentElement!.closest('ol')!.parentElement!.closest('ol')).to.exist;
    });

    it('writes a comment with a stance: an error first, then posted and focused', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      const events: string[] = [];
      el.addEventListener('civic-comment', (event) => events.push(event.detail.status));
      const textarea = $<HTMLTextAreaElement>(el, '#new-body');
      textarea.focus();
      await typeText('Trees **and** benches, please.');
      await tabUntil(el, (e) => e.matches('button[type=submit]'));
      await press('Enter');
      await el.updateComplete;
      // No stance chosen: the summary takes focus and leads to the radios, which say so.
      expect(focused(el)?.id).to.equal('new-summary');
      expect($(el, '#new-stance').getAttribute('aria-describedby')).to.equal('new-stance-error');
      expect($(el, '#new-stance input').getAttribute('aria-invalid')).to.equal('true');
      await press('Tab', 'Enter');
      expect(focused(el)?.matches('#new-stance input')).to.be.true;
      await press('ArrowRight'); // for → against
      await el.updateComplete;
      await tabUntil(el, (e) => e.matches('button[type=submit]'));
      await press('Enter');
      await waitUntil(() => events.includes('sent'), 'never sent', { timeout: 4000 });
      await el.updateComplete;
      const posted = (await topLevel(adapter, THREAD_IDS.market))[0]!;
      expect(posted.body).to.equal('Trees **and** benches, please.');
      expect(posted.stance).to.equal('against');
      expect(focused(el)).to.equal(article(el, posted.id));
      expect(article(el, posted.id).querySelector('strong')?.textContent).to.equal('and');
      expect($<HTMLTextAreaElement>(el, '#new-body').value).to.equal('');
      expect(events).to.deep.equal(['sent']);
    });

    it('previews the markdown subset', async () => {
      const el = await mountThread(THREAD_IDS.library, adapter);
      $<HTMLTextAreaElement>(el, '#new-body').focus();
      await typeText('*Sunday* mornings');
      const preview = (await tabUntil(el, (e) => e.textContent?.trim() === 'Preview')) as HTMLButtonElement;
      await press('Enter');
      await el.updateComplete;
      expect(preview.getAttribute('aria-pressed')).to.equal('true');
      expect($(el, '[part=preview] em').textContent).to.equal('Sunday');
    });

    it('replies under a comment', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      await activate(el, action(el, 'm4', 'reply'));
      expect(focused(el)?.id).to.equal('reply-body');
      await typeText('Bicycle stands, yes.');
      await tabUntil(el, (e) => e.matches('#reply-stance input'), 1).catch(() => undefined);
      $<HTMLInputElement>(el, '#reply-stance input').focus();
      await press('Space');
      await tabUntil(el, (e) => e.matches('button[type=submit]') && e.closest('article')?.id === 'comment-m4');
      await press('Enter');
      await waitUntil(() => el.shadowRoot!.querySelector('#comment-m4 + ol article'), 'the reply never showed', { timeout: 4000 });
      await el.updateComplete;
      const reply = $(el, '#comment-m4 + ol article');
      expect(text(reply)).to.contain('Bicycle stands, yes.');
      expect(focused(el)).to.equal(reply);
      expect(action(el, 'm4', 'replies').textContent).to.contain('Hide replies');
    });

    it('edits and deletes one’s own comment, with a confirmation', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      $<HTMLButtonElement>(el, 'button[part~=button]').focus();
      const more = [...$$<HTMLButtonElement>(el, 'button')].find((b) => b.textContent!.includes('Load more comments'))!;
      await activate(el, more);
      await until(el, '#comment-mine');
      expect($$(el, '[data-action=edit]').length).to.equal(1);
      await activate(el, action(el, 'mine', 'edit'));
      expect(focused(el)?.id).to.equal('edit-body');
      await press('End');
      await typeText(' Edited.');
      await press('Tab');
      await press('Enter');
      await waitUntil(() => text(article(el, 'mine')).includes('Edited.') && !el.shadowRoot!.querySelector('#edit-body'), 'never edited', { timeout: 4000 });
      expect(text(article(el, 'mine'))).to.contain('edited');
      expect((await adapter.comments.get('mine')).body).to.equal('My own comment, which I may still edit. Edited.');

      await activate(el, action(el, 'mine', 'delete'));
      expect(focused(el)?.id).to.equal('confirm-delete');
      expect(text($(el, '#comment-mine-confirm'))).to.contain('cannot be undone');
      await press('Tab');
      await press('Enter'); // Keep it
      await el.updateComplete;
      expect(focused(el)).to.equal(action(el, 'mine', 'delete'));
      await press('Enter');
      await el.updateComplete;
      await press('Enter'); // Delete
      await waitUntil(() => !el.shadowRoot!.querySelector('#comment-mine'), 'never deleted', { timeout: 4000 });
      await el.updateComplete;
      expect(focused(el)?.id).to.equal('title');
      const error = await adapter.comments.get('mine').catch((e) => e.kind);
      expect(error).to.equal('not-found');
    });

    it('supports a comment (aria-pressed and count), and withdraws', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      const events: boolean[] = [];
      el.addEventListener('civic-comment-support', (event) => events.push(event.detail.supported));
      const support = action(el, 'm2', 'support');
      expect(support.getAttribute('aria-pressed')).to.equal('false');
      await activate(el, support);
      expect(support.getAttribute('aria-pressed')).to.equal('true');
      expect(support.textContent).to.contain('8');
      await waitUntil(async () => (await adapter.comments.get('m2')).supports === 8, 'never recorded', { timeout: 4000 });
      await press('Space');
      await el.updateComplete;
      expect(support.getAttribute('aria-pressed')).to.equal('false');
      await waitUntil(async () => (await adapter.comments.get('m2')).supports === 7, 'never withdrawn', { timeout: 4000 });
      expect(events).to.deep.equal([true, false]);
    });

    it('reports a comment with a reason and details', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      const reports: string[] = [];
      el.addEventListener('civic-comment-report', (event) => reports.push(`${event.detail.commentId}:${event.detail.reason}`));
      await activate(el, action(el, 'm5', 'report'));
      await until(el, 'civic-report-form');
      await waitUntil(() => focused(el)?.matches('input[type=radio]'), 'the report form never took focus', { timeout: 4000 });
      // Without a reason: refused, focus on the reasons.
      const form = $(el, 'civic-report-form').shadowRoot!;
      (form.querySelector('button[type=submit]') as HTMLButtonElement).focus();
      await press('Enter');
      await el.updateComplete;
      await $<CivicCommentThread>(el, 'civic-report-form').updateComplete;
      expect(form.querySelector('#reason-error')).to.exist;
      expect(focused(el)?.matches('input[type=radio]')).to.be.true;
      await press('ArrowDown'); // abuse
      await press('Tab');
      await typeText('Personal attack on a neighbour.');
      await press('Tab');
      await press('Enter');
      await waitUntil(() => text(article(el, 'm5')).includes('Thank you'), 'no thanks', { timeout: 4000 });
      expect(reports).to.deep.equal(['m5:abuse']);
      expect(focused(el)).to.equal(action(el, 'm5', 'report'));
    });
  });

  describe('with a pointer', () => {
    it('supports, opens replies and loads more with clicks', async () => {
      const el = await mountThread(THREAD_IDS.market, adapter);
      await click(action(el, 'm3', 'support'));
      await el.updateComplete;
      expect(action(el, 'm3', 'support').getAttribute('aria-pressed')).to.equal('true');
      await click(action(el, 'm2', 'replies'));
      await until(el, '#comment-m2-r1');
      // Hidden by moderation, its reply readable.
      expect(text(article(el, 'm2-r1'))).to.contain('Hidden by moderation');
      expect(text(article(el, 'm2-r1'))).not.to.contain('rude');
      await click(action(el, 'm2-r1', 'replies'));
      await until(el, '#comment-m2-r1-r1');
      expect(text(article(el, 'm2-r1-r1'))).to.contain('Let us keep this civil');
      await click(action(el, 'm3', 'replies'));
      await until(el, '#comment-m3-r1');
      expect(text(article(el, 'm3-r1'))).to.contain('Comment deleted by its author');
      const more = [...$$<HTMLButtonElement>(el, 'button')].find((b) => b.textContent!.includes('Load more comments'))!;
      await click(more);
      await until(el, '#comment-m25');
    });
  });
});
