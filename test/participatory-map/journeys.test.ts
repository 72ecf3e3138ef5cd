import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { MapReport, MemoryAdapter } from '@civic-widgets/core';
import type { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import {
  $,
  $$,
  BELVOIR_CENTER,
  MAP_IDS,
  REPORT_IDS,
  activate,
  fakeGeolocation,
  focused,
  mapView,
  mountMap,
  newPageOutbox,
  press,
  tabUntil,
  text,
  townAdapter,
  typeText,
  until,
  write,
} from './helpers.js';

const listed = (el: CivicParticipatoryMap) => $$(el, '[part~=report]').map((article) => article.id.replace(/^report-/, ''));

describe('<civic-participatory-map> journeys', () => {
  let adapter: MemoryAdapter;
  let restoreGeolocation: (() => void) | undefined;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
    (document.activeElement as HTMLElement | null)?.blur();
  });

  afterEach(() => {
    restoreGeolocation?.();
    restoreGeolocation = undefined;
  });

  it('reports with the keyboard only: category, crosshair moved with the arrows and placed with Enter, fields, description, send', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    const submitted: Array<{ status: string; report?: MapReport }> = [];
    el.addEventListener('civic-report-submitted', (event) => submitted.push(event.detail));

    await tabUntil(el, (element) => element.id === 'report');
    await press('Enter');
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('report-category');
    const category = $<HTMLSelectElement>(el, '#report-category');
    category.value = 'eclairage';
    category.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect($(el, 'label[for=report-attr-numero-lampadaire]')).to.exist;
    const lamp = (await tabUntil(el, (element) => element.id === 'report-attr-numero-lampadaire')) as HTMLInputElement;
    await typeText('L-0007');
    expect(lamp.value).to.equal('L-0007');

    await tabUntil(el, (element) => element.id === 'report-point');
    await press('Enter');
    await el.updateComplete;
    const container = view.shadowRoot!.querySelector('.leaflet-container')!;
    expect(focused(el)).to.equal(container);
    expect(view.shadowRoot!.querySelector('.crosshair')).to.exist;
    const start = view.centre!;
    const announced = () => text(view.shadowRoot!.querySelector('[role=status]')!);
    await press('ArrowUp');
    await waitUntil(() => view.centre!.lat > start.lat && announced().includes('north of the centre'), 'the crosshair never moved north', { timeout: 4000 });
    // Leaflet takes no arrow key while a pan is still moving: a citizen waits for the announcement.
    await press('ArrowRight');
    await waitUntil(() => view.centre!.lng > start.lng, 'the crosshair never moved east', { timeout: 4000 });
    await waitUntil(() => announced().includes('north-east of the centre'), 'the position was never announced', { timeout: 4000 });
    const chosen = view.centre!;
    await press('Enter');
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('report-point');
    expect(text($(el, '#report-point-status'))).to.match(/m north-east of the centre of the map area \(latitude 47\.\d{5}, longitude 2\.\d{5}\)/);
    expect(text($(el, '#announcement'))).to.contain('Point placed');

    await press('Tab');
    expect(focused(el)?.id).to.equal('remove-point');
    await tabUntil(el, (element) => element.id === 'report-description');
    await typeText('The street lamp blinks all night long.');
    await tabUntil(el, (element) => element.matches('button[type=submit]'));
    await press('Enter');
    await waitUntil(() => submitted.some((detail) => detail.status === 'sent'), 'never sent', { timeout: 4000 });
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('report');
    const report = submitted[0]!.report!;
    expect(report.categoryId).to.equal('eclairage');
    expect(report.attributes).to.deep.equal({ 'numero-lampadaire': 'L-0007', danger: false });
    expect(report.point!.lat).to.be.closeTo(chosen.lat, 1e-9);
    expect(report.point!.lng).to.be.closeTo(chosen.lng, 1e-9);
    expect(listed(el)[0]).to.equal(report.id);
    expect((await adapter.maps.getReport(report.id)).description).to.equal('The street lamp blinks all night long.');
  });

  it('places a point with a click on the map', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    await activate(el, $(el, '#report'));
    const container = view.shadowRoot!.querySelector<HTMLElement>('.leaflet-container')!;
    const box = container.getBoundingClientRect();
    container.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 }));
    await until(el, '#report-point-status');
    expect(text($(el, '#report-point-status'))).to.contain('latitude 47.');
  });

  it('shows the errors in a summary that takes focus, each field marked and described', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    await mapView(el);
    await activate(el, $(el, '#report'));
    write(el, '#report-category', 'proprete');
    await el.updateComplete;
    write(el, '#report-attr-volume', 'a lot');
    write(el, '#report-description', 'Bags');
    await activate(el, $(el, 'form button[type=submit]'));
    expect(focused(el)?.id).to.equal('error-summary');
    const summary = text($(el, '#error-summary'));
    expect(summary).to.contain('Volume estimé (m³): Enter a number');
    expect(summary).to.contain('Address or place: Place the point on the map, use your location, or type an address.');
    expect(summary).to.contain('Description: The description needs at least 10 characters.');
    expect($(el, '#report-attr-volume').getAttribute('aria-invalid')).to.equal('true');
    expect($(el, '#report-attr-volume').getAttribute('aria-describedby')).to.contain('report-attr-volume-error');
    expect($(el, 'label[for=report-attr-volume]').textContent).to.contain('(required)');
    $<HTMLAnchorElement>(el, '#error-summary a').click();
    expect(focused(el)?.id).to.equal('report-attr-volume');
  });

  it('offers nearby reports of the same category first, and follows one instead', async () => {
    const pothole = await adapter.maps.getReport(REPORT_IDS.pothole);
    restoreGeolocation = fakeGeolocation(pothole.point!);
    const el = await mountMap(MAP_IDS.town, adapter);
    await mapView(el);
    const follows: boolean[] = [];
    el.addEventListener('civic-report-follow', (event) => follows.push(event.detail.followed));
    await activate(el, $(el, '#report'));
    write(el, '#report-category', 'voirie');
    await activate(el, $(el, '#locate'));
    await until(el, '[part=nearby]');
    expect(text($(el, '[part=nearby]'))).to.contain('Same problem? Follow it instead');
    const offered = $$(el, '[part=nearby] li').map((item) => item.id.replace('nearby-', ''));
    expect(offered).to.include.members([REPORT_IDS.pothole, REPORT_IDS.nearbyPothole]);
    expect(offered).to.not.include(REPORT_IDS.nearbyClosedPothole);
    expect(offered).to.not.include(REPORT_IDS.nearbyLighting);
    const follow = $<HTMLButtonElement>(el, `#nearby-${REPORT_IDS.nearbyPothole} [data-action=follow]`);
    expect(follow.getAttribute('aria-pressed')).to.equal('false');
    const followers = Number(follow.querySelector('.followers')!.textContent);
    const name = () => $(el, `#nearby-${REPORT_IDS.nearbyPothole} [data-action=follow]`).textContent!.replace(/\s+/g, ' ').trim();
    // The report's name: its category, and the start of its description (it has no address).
    expect(name().startsWith('Follow the report “Voirie et trottoirs — '), name()).to.be.true;
    expect(name()).to.contain(text($(el, `#nearby-${REPORT_IDS.nearbyPothole} .excerpt`)).slice(0, 30));
    expect(name().endsWith(`” ${followers} ${followers === 1 ? 'follower' : 'followers'}`), name()).to.be.true;
    await activate(el, follow);
    await waitUntil(() => name().endsWith(`” ${followers + 1} ${followers + 1 === 1 ? 'follower' : 'followers'}`), `named ${name()}`, { timeout: 4000 });
    await waitUntil(() => text($(el, `#nearby-${REPORT_IDS.nearbyPothole}`)).includes('You follow this report'), 'never followed', { timeout: 4000 });
    expect($(el, `#nearby-${REPORT_IDS.nearbyPothole} [data-action=follow]`).getAttribute('aria-pressed')).to.equal('true');
    expect((await adapter.maps.getReport(REPORT_IDS.nearbyPothole)).followedByMe).to.be.true;
    expect(follows).to.deep.equal([true]);
  });

  it('says why when the location cannot be used, and the form goes on', async () => {
    restoreGeolocation = fakeGeolocation({ code: 1 });
    const el = await mountMap(MAP_IDS.town, adapter);
    await mapView(el);
    await activate(el, $(el, '#report'));
    await activate(el, $(el, '#locate'));
    await until(el, '.where [role=alert]');
    expect(text($(el, '.where [role=alert]'))).to.equal('Your location was not shared. Place the point on the map or type an address instead.');
    restoreGeolocation();
    restoreGeolocation = fakeGeolocation({ lat: 48.8566, lng: 2.3522 });
    await activate(el, $(el, '#locate'));
    await waitUntil(() => el.shadowRoot!.querySelector('.where [role=alert]')?.textContent?.includes('outside the map’s area'), 'Paris was taken for Belvoir', { timeout: 4000 });
    expect(el.shadowRoot!.querySelector('#report-point-status')).to.be.null;
  });

  it('syncs selection both ways: a list item pans to and highlights its marker; a marker opens and focuses its report', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    const selected: string[] = [];
    el.addEventListener('civic-report-selected', (event) => selected.push(`${event.detail.from}:${event.detail.reportId}`));
    const target = REPORT_IDS.mostFollowed;
    const report = await adapter.maps.getReport(target);
    await activate(el, $(el, `#report-${target} [data-action=open]`));
    expect(focused(el)?.id).to.equal('detail-title');
    await view.updateComplete;
    expect(view.selected?.id).to.equal(target);
    const marker = await waitUntil(() => view.shadowRoot!.querySelector(`[data-report=${target}]`), 'the marker was never highlighted', { timeout: 4000 })
      .then(() => view.shadowRoot!.querySelector<HTMLElement>(`[data-report=${target}]`)!);
    expect(marker.getAttribute('aria-current')).to.equal('true');
    const container = view.shadowRoot!.querySelector('.leaflet-container')!;
    const inside = (element: Element) => {
      const frame = container.getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom;
    };
    await waitUntil(() => inside(marker) && Math.abs(view.centre!.lat - report.point!.lat) < 0.01, 'the map never panned to the report', { timeout: 4000 });
    expect(text(view.shadowRoot!.querySelector('.leaflet-popup')!)).to.contain('La chaussée s’affaisse');

    await activate(el, $(el, '#back'));
    expect(focused(el)).to.equal($(el, `#report-${target} [data-action=open]`));
    await view.updateComplete;
    // Any report drawn on its own, whichever the clustering leaves alone at this zoom.
    const otherMarker = await waitUntil(() => view.shadowRoot!.querySelector(`[data-report]:not([data-report=${target}])`), 'no report drawn alone', { timeout: 4000 })
      .then(() => view.shadowRoot!.querySelector<HTMLElement>(`[data-report]:not([data-report=${target}])`)!);
    const other = otherMarker.dataset.report!;
    const otherReport = await adapter.maps.getReport(other);
    const { categories } = await adapter.maps.getMap(MAP_IDS.town);
    const label = categories.find((category) => category.id === otherReport.categoryId)!.label;
    expect(otherMarker.getAttribute('role')).to.equal('button');
    const statuses = { open: 'Open', acknowledged: 'Acknowledged', 'in-progress': 'In progress', closed: 'Closed' };
    expect(otherMarker.getAttribute('aria-label')).to.equal(`${label}, ${statuses[otherReport.status]}`);
    otherMarker.focus();
    await press('Enter');
    await until(el, '#detail-title');
    await el.updateComplete;
    expect(focused(el)?.id).to.equal('detail-title');
    expect(text($(el, '#detail-title'))).to.contain(label);
    expect(selected).to.deep.equal([`list:${target}`, `map:${other}`]);
  });

  it('applies the category and status filters to the list and to the map alike', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    await waitUntil(() => view.points.length > 10, 'no points drawn');
    write(el, '#category', 'voirie');
    await waitUntil(() => listed(el).length > 0 && $$(el, '[part~=category]').every((span) => span.textContent!.includes('Voirie')), 'the list never filtered', { timeout: 4000 });
    await waitUntil(() => view.points.length > 0 && view.points.every((point) => point.categoryId === 'voirie'), 'the map never filtered', { timeout: 4000 });
    expect(text($(el, '#announcement'))).to.match(/^\d+ reports? match(es)?\.$/);
    write(el, '#status', 'closed');
    await waitUntil(() => $$(el, '[part~=badge]').every((badge) => badge.textContent === 'Closed'), 'the list never filtered by status', { timeout: 4000 });
    const closed = (await adapter.maps.points(MAP_IDS.town, { category: 'voirie', status: 'closed' })).map((point) => point.id).sort();
    await waitUntil(() => view.points.map((point) => point.id).sort().join() === closed.join(), 'the map never filtered by status', { timeout: 4000 });
  });

  it('lists only the reports in the map’s view when asked, following the map as it moves', async () => {
    const el = await mountMap(MAP_IDS.town, adapter, { pageSize: 100 });
    const view = await mapView(el);
    const all = listed(el);
    const leaflet = (view as unknown as { leaflet: { setView(centre: [number, number], zoom: number, options: object): void } }).leaflet;
    leaflet.setView([BELVOIR_CENTER.lat, BELVOIR_CENTER.lng], 18, { animate: false });
    $(el, '#in-view').focus();
    await press('Space');
    await waitUntil(() => listed(el).length < all.length, 'the list never followed the view', { timeout: 4000 });
    const shown = await Promise.all(listed(el).map((id) => adapter.maps.getReport(id)));
    expect(shown.every((report) => report.point)).to.be.true;
    expect(text($(el, '#announcement'))).to.match(/^(No report matches|\d+ reports? match(es)?)\.$/);
    await press('Space');
    await waitUntil(() => listed(el).length === all.length, 'the whole list never came back', { timeout: 4000 });
  });

  it('opens a report with the council’s updates, its attributes and its discussion loaded on demand', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    await mapView(el);
    expect(customElements.get('civic-comment-thread')).to.equal(undefined);
    await activate(el, $(el, `#report-${REPORT_IDS.mostFollowed} [data-action=open]`));
    expect(text($(el, '[part=updates]'))).to.contain('Un périmètre de sécurité est posé');
    const answers = $$(el, '.attributes div').map((row) => `${text(row.querySelector('dt')!)} = ${text(row.querySelector('dd')!)}`);
    expect(answers).to.deep.equal(['Type de dégât = Fissure ou affaissement', 'Largeur approximative (cm) = 120']);
    await activate(el, $(el, '#discuss'));
    await until(el, 'civic-comment-thread');
    expect($(el, 'civic-comment-thread').getAttribute('thread')).to.equal(`map-report:${REPORT_IDS.mostFollowed}`);
  });

  it('announces new reports politely, draws them at once and moves neither focus nor the list', async () => {
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    const filter = $<HTMLSelectElement>(el, '#status');
    filter.focus();
    const before = listed(el);
    adapter.actAs({ id: 'neighbour' });
    const created = await adapter.maps.submitReport(
      MAP_IDS.town,
      { categoryId: 'espaces-verts', point: BELVOIR_CENTER, description: 'A branch hangs over the cycle path.' },
      { idempotencyKey: 'neighbour-1' },
    );
    await until(el, '[part~=new-reports]');
    expect(text($(el, '.reports [aria-live=polite]'))).to.equal('1 new report');
    expect(el.shadowRoot!.activeElement).to.equal(filter);
    expect(listed(el)).to.deep.equal(before);
    await waitUntil(() => view.points.some((point) => point.id === created.id), 'never drawn');
    await aTimeout(0);
  });
});
