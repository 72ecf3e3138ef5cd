import { expect } from '@open-wc/testing';
import { setLocale } from '@civic-widgets/core';
import { expectDistinctNames, expectSkipPast, nameOf, visibleText } from '../support/a11y.js';
import { $, $$, THREAD_IDS, action, focused, mountThread, newPageOutbox, press, tabUntil, text, townAdapter } from './helpers.js';

describe('<civic-comment-thread> accessibility of the page', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('says which fields of the composer are required, in words and to assistive technologies', async () => {
    const el = await mountThread(THREAD_IDS.market, townAdapter());
    expect(text($(el, '#new-stance legend'))).to.equal('Your position (required)');
    expect(text($(el, 'label[for=new-body]'))).to.equal('Your comment (required)');
    expect($$<HTMLInputElement>(el, '#new-stance input[type=radio]').every((radio) => radio.required)).to.be.true;
    expect($<HTMLTextAreaElement>(el, '#new-body').required).to.be.true;
    await expect(el).to.be.accessible();
    try {
      await setLocale('fr');
      await el.updateComplete;
      expect(text($(el, '#new-stance legend'))).to.equal('Votre position (obligatoire)');
      expect(text($(el, 'label[for=new-body]'))).to.equal('Votre commentaire (obligatoire)');
    } finally {
      await setLocale('en');
    }
  });

  it('refused: a summary of the fields to fix takes focus, its links lead to them, the position error is read with each radio', async () => {
    const el = await mountThread(THREAD_IDS.market, townAdapter());
    $<HTMLTextAreaElement>(el, '#new-body').focus();
    await tabUntil(el, (e) => e.matches('#new-body ~ .actions button[type=submit]'));
    await press('Enter');
    await el.updateComplete;
    const summary = $(el, '#new-summary');
    expect(focused(el) === summary, 'focus is elsewhere').to.be.true;
    expect(summary.getAttribute('role')).to.equal('alert');
    expect(text(summary)).to.equal(
      'Check these fields before posting: Your position: Choose your position: for, against or neutral. Your comment: Write your comment before posting it.',
    );
    for (const radio of $$(el, '#new-stance input[type=radio]')) {
      expect(radio.getAttribute('aria-invalid')).to.equal('true');
      expect(radio.getAttribute('aria-describedby')).to.equal('new-stance-error');
    }
    await expect(el).to.be.accessible();
    // The first link leads to the position, the second to the comment.
    await press('Tab');
    await press('Enter');
    expect(focused(el) === $(el, '#new-stance-for'), 'focus is elsewhere').to.be.true;
    summary.focus();
    await press('Tab');
    await press('Tab');
    await press('Enter');
    expect(focused(el) === $(el, '#new-body'), 'focus is elsewhere').to.be.true;
  });

  it('names support, reply and report after the comment they act on, the visible label first', async () => {
    const el = await mountThread(THREAD_IDS.market, townAdapter());
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const id of ids) {
      const author = text($(el, `#comment-${id}-by`));
      expect(nameOf(action(el, id, 'support'))).to.match(new RegExp(`^Support ${author}’s comment \\d+$`));
      expect(nameOf(action(el, id, 'reply'))).to.equal(`Reply to ${author}’s comment`);
      expect(nameOf(action(el, id, 'report'))).to.equal(`Report ${author}’s comment`);
    }
    expectDistinctNames(ids.map((id) => action(el, id, 'support')), /^Support /);
    expectDistinctNames(ids.map((id) => action(el, id, 'reply')), /^Reply /);
    expectDistinctNames(ids.map((id) => action(el, id, 'report')), /^Report /);
    // What shows stays short.
    expect(visibleText(action(el, 'm1', 'reply'))).to.equal('Reply');
    expect(visibleText(action(el, 'm1', 'support'))).to.match(/^Support \d+$/);
    try {
      await setLocale('fr');
      await el.updateComplete;
      const author = text($(el, '#comment-m1-by'));
      expect(nameOf(action(el, 'm1', 'support'))).to.match(new RegExp(`^Soutenir le commentaire de ${author} \\d+$`));
      expect(nameOf(action(el, 'm1', 'reply'))).to.equal(`Répondre au commentaire de ${author}`);
      expect(nameOf(action(el, 'm1', 'report'))).to.equal(`Signaler le commentaire de ${author}`);
    } finally {
      await setLocale('en');
    }
  });

  it('offers a way past itself with the keyboard', async () => {
    const el = await mountThread(THREAD_IDS.market, townAdapter());
    await expectSkipPast(el, /^Skip past the comments$/);
    await expect(el).to.be.accessible();
  });
});
