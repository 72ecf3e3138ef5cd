import { expect, waitUntil } from '@open-wc/testing';
import { expectNoSkippedLevel, expectSkipPast, outline } from '../support/a11y.js';
import { $, PROJECT_IDS, TRACKER_IDS, activate, mountTracker, newPageOutbox, openButton, text, townAdapter } from './helpers.js';

describe('<civic-results-tracker> accessibility of the page', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('puts project titles one level below the "Projects" heading above them', async () => {
    const el = await mountTracker(TRACKER_IDS.town, townAdapter());
    const listTitle = $(el, '#projects-title');
    expect(listTitle.tagName).to.equal('H3');
    const titles = [...el.shadowRoot!.querySelectorAll('[part~=project-title]')];
    expect(titles.length).to.be.greaterThan(1);
    for (const title of titles) expect(title.tagName).to.equal('H4');
    expectNoSkippedLevel(outline(el));
    await activate(el, openButton(el, PROJECT_IDS.quays));
    await waitUntil(() => el.shadowRoot!.querySelector('#detail-title'), 'the project never opened', { timeout: 4000 });
    expectNoSkippedLevel(outline(el));
  });

  it('says what it is busy with through a status region that is there, empty, beforehand', async () => {
    const el = await mountTracker(TRACKER_IDS.town, townAdapter({ latency: 300 }));
    const region = $(el, '#busy');
    expect(region.getAttribute('role')).to.equal('status');
    expect(text(region)).to.equal('');
    openButton(el, PROJECT_IDS.quays).click();
    await waitUntil(() => text(region) === 'Opening the project…', `said "${text(region)}"`, { timeout: 250 });
    expect($(el, '#busy') === region, 'the region was replaced').to.be.true;
    await waitUntil(() => el.shadowRoot!.querySelector('#detail-title'), 'the project never opened', { timeout: 4000 });
    await el.updateComplete;
    expect(text(region)).to.equal('');

    await activate(el, $(el, '#back'));
    $(el, '#my-contributions').click();
    await waitUntil(() => text(region) === 'Loading your contributions…', `said "${text(region)}"`, { timeout: 2000 });
    expect($(el, '#busy') === region, 'the region was replaced').to.be.true;
    await waitUntil(() => el.shadowRoot!.querySelector('[part~=contribution]'), 'the contributions never showed', { timeout: 4000 });
    await el.updateComplete;
    expect(text(region)).to.equal('');
  });

  it('offers a way past itself with the keyboard', async () => {
    const el = await mountTracker(TRACKER_IDS.town, townAdapter());
    await expectSkipPast(el, /^Skip past the projects$/);
    await expect(el).to.be.accessible();
  });
});
