import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { expectDistinctNames, expectNoSkippedLevel, expectSkipPast, outline } from '../support/a11y.js';
import { $, $$, MAP_IDS, focused, mapView, mountMap, newPageOutbox, press, tabUntil, townAdapter, until, type MapView } from './helpers.js';

const isMarker = (element: Element | null) => !!element?.matches('.leaflet-marker-icon');

/** The markers the map draws, and those Tab stops at. */
function markers(view: MapView) {
  const all = [...view.shadowRoot!.querySelectorAll<HTMLElement>('.leaflet-marker-icon[role=button]')];
  return { all, stops: all.filter((marker) => marker.tabIndex === 0) };
}

async function drawn(el: CivicParticipatoryMap): Promise<MapView> {
  const view = await mapView(el);
  await waitUntil(() => markers(view).all.length > 2, 'too few markers drawn', { timeout: 4000 });
  return view;
}

describe('<civic-participatory-map> accessibility of the page', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('puts report titles one level below "List of reports"', async () => {
    const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
    expect($(el, '#list-title').tagName).to.equal('H3');
    const titles = $$(el, '[part~=report-title]');
    expect(titles.length).to.be.greaterThan(1);
    for (const title of titles) expect(title.tagName).to.equal('H4');
    expectNoSkippedLevel(outline(el));
  });

  it('tells reports of one category apart: titles and follow buttons name the report', async () => {
    const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
    const titles = $$(el, '[part~=report] [data-action=open]');
    expectDistinctNames(titles, /^.+ — .+$/);
    const follows = $$(el, '[part~=report] [data-action=follow]');
    const names = expectDistinctNames(follows, /^Follow the report “.+” \d+ followers?$/);
    // Each follow button names the report it is under.
    follows.forEach((button, index) => {
      const title = button.closest('[part~=report]')!.querySelector('[data-action=open]')!.textContent!.replace(/\s+/g, ' ').trim();
      expect(names[index]).to.contain(`“${title}”`);
    });
    await expect(el).to.be.accessible();
  });

  it('makes its markers one Tab stop, moved through with the arrow keys, Enter opening a report', async () => {
    const el = await mountMap(MAP_IDS.town, townAdapter());
    const view = await drawn(el);
    const { all, stops } = markers(view);
    expect(stops, 'Tab stops among the markers').to.have.length(1);
    await tabUntil(el, isMarker);
    const first = focused(el)!;
    expect(first === stops[0], 'focus is elsewhere').to.be.true;
    // Tab leaves the markers at once.
    await press('Tab');
    expect(isMarker(focused(el)), 'a second marker took Tab').to.be.false;
    await sendKeys({ down: 'Shift' });
    await press('Tab');
    await sendKeys({ up: 'Shift' });
    expect(focused(el) === first, 'focus is elsewhere').to.be.true;
    // The arrows move from one marker to the next, and the Tab stop moves with them.
    await press('ArrowRight');
    const second = focused(el)!;
    expect(isMarker(second) && second !== first).to.be.true;
    expect(markers(view).stops.length === 1 && markers(view).stops[0] === second, 'the Tab stop did not move').to.be.true;
    await press('ArrowLeft');
    expect(focused(el) === first, 'focus is elsewhere').to.be.true;
    // Home and End reach the first and the last marker drawn (focus pans the map to a marker, which
    // may bring others into view or out of it).
    await press('End');
    const last = focused(el);
    expect(isMarker(last) && last !== first, 'End').to.be.true;
    await press('Home');
    const home = focused(el);
    expect(isMarker(home) && home !== last, 'Home').to.be.true;
    // Enter on a report's own marker opens it.
    for (let i = 0; i < all.length && !(focused(el) as HTMLElement).dataset.report; i++) await press('ArrowDown');
    const report = (focused(el) as HTMLElement).dataset.report;
    expect(report, 'no marker of a single report').to.exist;
    await press('Enter');
    await until(el, '#detail-title');
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('detail-title');
  });

  it('offers a way past itself with the keyboard', async () => {
    const el = await mountMap(MAP_IDS.town, townAdapter());
    await drawn(el);
    await expectSkipPast(el, /^Skip past the map of reports$/);
    await expect(el).to.be.accessible();
  });
});
