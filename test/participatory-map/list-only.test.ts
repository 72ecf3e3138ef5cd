import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { MapReport, MemoryAdapter } from '@civic-widgets/core';
import { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { $, $$, MAP_IDS, REPORT_IDS, activate, focused, mountMap, newPageOutbox, settled, text, townAdapter, until, write } from './helpers.js';

// This file runs in a page of its own: nothing here may load the map's chunk.

/** A map whose Leaflet chunk cannot be fetched, as when offline or blocked. */
class UnreachableMap extends CivicParticipatoryMap {
  protected static override loadMapView(): Promise<{ defineMapView(): void }> {
    return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
  }
}
customElements.define('unreachable-participatory-map', UnreachableMap);

const listed = (el: Element) => $$(el, '[part~=report]').map((article) => article.id.replace(/^report-/, ''));

describe('<civic-participatory-map> without the map', () => {
  let adapter: MemoryAdapter;

  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    adapter = townAdapter();
  });

  afterEach(() => {
    // The map's chunk was never needed.
    expect(customElements.get('civic-map-view')).to.equal(undefined);
  });

  it('lists every report, located or not, each readable in full, page after page', async () => {
    const el = await mountMap(MAP_IDS.town, adapter, { view: 'list', pageSize: 5 });
    expect(el.shadowRoot!.querySelector('civic-map-view, [part=map]')).to.be.null;
    const all = await adapter.maps.listReports(MAP_IDS.town, { limit: 100 });
    expect(all.total).to.equal(all.items.length);
    expect(text($(el, '#count'))).to.equal(`${all.total} reports`);
    while (el.shadowRoot!.querySelector('[part=list] ~ p button')) {
      const count = listed(el).length;
      await activate(el, $(el, '[part=list] ~ p button'));
      await waitUntil(() => listed(el).length > count, 'never showed more', { timeout: 4000 });
      await el.updateComplete;
      expect(focused(el)?.id).to.equal(`report-${listed(el)[count]}`);
    }
    expect(listed(el)).to.deep.equal(all.items.map((report) => report.id));
    expect(listed(el)).to.include(REPORT_IDS.addressOnly);
    expect(text($(el, `#report-${REPORT_IDS.addressOnly}`))).to.contain('Located by its address only');

    for (const id of [REPORT_IDS.addressOnly, REPORT_IDS.discussed]) {
      const report = all.items.find((item) => item.id === id) as MapReport;
      await activate(el, $(el, `#report-${id} [data-action=open]`));
      expect(focused(el)?.id).to.equal('detail-title');
      const detail = text($(el, '[part=detail]'));
      expect(detail).to.contain(report.description.replace(/\s+/g, ' ').slice(0, 40));
      if (report.address) expect(detail).to.contain(report.address);
      await activate(el, $(el, '#back'));
      expect(focused(el)).to.equal($(el, `#report-${id} [data-action=open]`));
    }
  });

  it('reports by address alone, and says that an address is needed when none is given', async () => {
    const el = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
    const sent: MapReport[] = [];
    el.addEventListener('civic-report-submitted', (event) => event.detail.report && sent.push(event.detail.report));
    await activate(el, $(el, '#report'));
    expect(el.shadowRoot!.querySelector('#report-point')).to.be.null;
    expect(text($(el, 'label[for=report-address]'))).to.equal('Address or place (required)');
    write(el, '#report-category', 'espaces-verts');
    write(el, '#report-description', 'A dead tree leans over the school yard.');
    await activate(el, $(el, 'form button[type=submit]'));
    expect(focused(el)?.id).to.equal('error-summary');
    expect(text($(el, '#report-address-error'))).to.equal('Type the address or describe the place.');
    write(el, '#report-address', '3 rue de l’École');
    await activate(el, $(el, 'form button[type=submit]'));
    await waitUntil(() => sent.length === 1, 'never sent', { timeout: 4000 });
    expect(sent[0]!.point).to.equal(undefined);
    expect(sent[0]!.address).to.equal('3 rue de l’École');
    await el.updateComplete;
    expect(listed(el)[0]).to.equal(sent[0]!.id);
  });

  it('says clearly when the map cannot be loaded, and the list and the form still work', async () => {
    const errors: string[] = [];
    const el = await fixture<UnreachableMap>(
      html`<unreachable-participatory-map map=${MAP_IDS.town} .adapter=${adapter} @civic-error=${(event: CustomEvent) => errors.push(event.detail.during)}></unreachable-participatory-map>`,
    );
    await settled(el);
    await until(el, '.map-failed');
    expect(text($(el, '.map-failed'))).to.equal(
      'The map could not be loaded. Every report is in the list below, and you can report a problem by giving its address.',
    );
    expect(errors).to.deep.equal(['map']);
    expect(listed(el).length).to.equal(20);
    await activate(el, $(el, `#report-${REPORT_IDS.pothole} [data-action=open]`));
    expect(text($(el, '#detail-title'))).to.contain('Voirie');
    await activate(el, $(el, '#back'));
    await activate(el, $(el, '#report'));
    expect(el.shadowRoot!.querySelector('#report-point')).to.be.null;
    write(el, '#report-category', 'mobilier');
    write(el, '#report-address', 'Abribus de la gare');
    write(el, '#report-description', 'The glass of the bus shelter is broken.');
    await activate(el, $(el, 'form button[type=submit]'));
    await waitUntil(() => text($(el, '#announcement')) === 'Your report is published.', 'never sent', { timeout: 4000 });
  });
});
