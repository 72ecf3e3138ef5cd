import { expect, waitUntil } from '@open-wc/testing';
import { setLocale } from '@civic-widgets/core';
import { expectDistinctNames, expectNoSkippedLevel, expectSkipPast, outline } from '../support/a11y.js';
import { $, $$, BOX_IDS, action, activate, mountBox, newPageOutbox, text, townAdapter } from './helpers.js';

describe('<civic-idea-box> accessibility of the page', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('says which fields of the idea form are required, in words and to assistive technologies', async () => {
    const el = await mountBox(BOX_IDS.town, townAdapter());
    await activate(el, $(el, '#propose'));
    const label = (id: string) => text($(el, `label[for=${id}]`));
    expect([label('idea-title'), label('idea-body'), label('idea-category')]).to.deep.equal(['Title (required)', 'Your idea (required)', 'Category (required)']);
    expect(label('idea-address')).to.equal('Location (optional)');
    for (const id of ['idea-title', 'idea-body', 'idea-category']) expect($<HTMLInputElement>(el, `#${id}`).required, id).to.be.true;
    expect($<HTMLInputElement>(el, '#idea-address').required).to.be.false;
    await expect(el).to.be.accessible();
    try {
      await setLocale('fr');
      await el.updateComplete;
      expect([label('idea-title'), label('idea-body'), label('idea-category')]).to.deep.equal(['Titre (obligatoire)', 'Votre idée (obligatoire)', 'Catégorie (obligatoire)']);
    } finally {
      await setLocale('en');
    }
  });

  it('names each support button after its idea, and announces what became of a support', async () => {
    const adapter = townAdapter();
    const el = await mountBox(BOX_IDS.town, adapter);
    expectDistinctNames($$(el, '[data-action=support]'), /^Support the idea “.+” \d+ supports?$/);
    // The status region is there, empty, before the support: screen readers hear what it then says.
    const region = $(el, '#announcement');
    expect(region.getAttribute('role')).to.equal('status');
    expect(text(region)).to.equal('');
    const title = text(action(el, 't4', 'open'));
    const before = (await adapter.ideas.get('t4')).supports;
    await activate(el, action(el, 't4', 'support'));
    await waitUntil(() => text(region) !== '', 'nothing was announced', { timeout: 4000 });
    expect($(el, '#announcement') === region, 'the region was replaced').to.be.true;
    expect(text(region)).to.equal(`Your support for “${title}” is recorded: ${before + 1} supports.`);
    await activate(el, action(el, 't4', 'support'));
    await waitUntil(() => text(region).includes('withdrawn'), 'the withdrawal was never announced', { timeout: 4000 });
    expect(text(region)).to.equal(`Your support for “${title}” is withdrawn: ${before} supports.`);
  });

  it('keeps its outline: ideas one level below the box, the form and the answer in their place', async () => {
    const el = await mountBox(BOX_IDS.town, townAdapter());
    const headings = outline(el);
    expect(headings[0]).to.deep.equal([2, text($(el, '#title'))]);
    expect(headings.slice(1).every(([level]) => level === 3)).to.be.true;
    expectNoSkippedLevel(headings);
    await activate(el, $(el, '#propose'));
    expectNoSkippedLevel(outline(el));
  });

  it('offers a way past itself with the keyboard', async () => {
    const el = await mountBox(BOX_IDS.town, townAdapter());
    await expectSkipPast(el, /^Skip past the ideas$/);
    await expect(el).to.be.accessible();
  });
});
