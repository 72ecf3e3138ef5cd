import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CivicError, type ParticipationAdapter } from '@civic-widgets/core';
import { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { describeStates, type State } from '../support/states.js';
import { $, $$, BELVOIR_CENTER, MAP_IDS, REPORT_IDS, manyReports, mapView, mountMap, settled, text, townAdapter, until, write } from './helpers.js';

/** A map whose Leaflet chunk cannot be fetched. */
class UnreachableStateMap extends CivicParticipatoryMap {
  protected static override loadMapView(): Promise<{ defineMapView(): void }> {
    return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
  }
}
customElements.define('unreachable-state-map', UnreachableStateMap);

/** An adapter whose map reads fail as `kind`. */
function failingReads(kind: 'forbidden' | 'server' | 'not-found'): ParticipationAdapter {
  const adapter = townAdapter();
  return { name: 'failing', maps: { ...adapter.maps, getMap: () => Promise.reject(new CivicError(kind, `Simulated ${kind}`)) } };
}

async function mountWith(adapter: ParticipationAdapter | undefined): Promise<CivicParticipatoryMap> {
  const el = await fixture<CivicParticipatoryMap>(html`<civic-participatory-map map=${MAP_IDS.town} view="list" .adapter=${adapter}></civic-participatory-map>`);
  return settled(el);
}

async function openForm(el: CivicParticipatoryMap): Promise<void> {
  $<HTMLButtonElement>(el, '#report').click();
  await el.updateComplete;
}

const states: State<CivicParticipatoryMap>[] = [
  {
    name: 'loading',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter({ latency: 60_000 }), { wait: false });
      expect($(el, '[role=status]').getAttribute('aria-busy')).to.equal('true');
      return el;
    },
  },
  {
    name: 'map and list, with the legend open',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter());
      const view = await mapView(el);
      await waitUntil(() => view.shadowRoot!.querySelector('[data-report]'), 'no marker');
      $<HTMLDetailsElement>(el, '[part=legend]').open = true;
      return el;
    },
  },
  {
    name: '10,000 reports, clustered',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter({ extra: manyReports(10_000, 7) }));
      const view = await mapView(el);
      await waitUntil(() => view.shadowRoot!.querySelector('.cluster'), 'no cluster');
      expect(view.shadowRoot!.querySelectorAll('.leaflet-marker-icon').length).to.be.below(400);
      return el;
    },
  },
  {
    name: 'list only',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
      expect(el.shadowRoot!.querySelector('[part=map]')).to.be.null;
      return el;
    },
  },
  {
    name: 'map failed to load',
    async reach() {
      const el = await fixture<CivicParticipatoryMap>(html`<unreachable-state-map map=${MAP_IDS.town} .adapter=${townAdapter()}></unreachable-state-map>`);
      await settled(el);
      await until(el, '.map-failed');
      return el;
    },
  },
  {
    name: 'filtered, nothing matches',
    async reach() {
      const adapter = townAdapter();
      const { categories } = await adapter.maps.getMap(MAP_IDS.town);
      let empty: { category: string; status: 'closed' | 'in-progress' } | undefined;
      for (const category of categories) {
        for (const status of ['closed', 'in-progress'] as const) {
          if (!empty && (await adapter.maps.listReports(MAP_IDS.town, { category: category.id, status })).items.length === 0) empty = { category: category.id, status };
        }
      }
      const el = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
      write(el, '#category', empty!.category);
      write(el, '#status', empty!.status);
      await waitUntil(() => $$(el, '[part~=report]').length === 0 && !el.shadowRoot!.querySelector('.loading'), 'never filtered', { timeout: 4000 });
      return el;
    },
  },
  {
    name: 'report detail with updates and the discussion',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter(), { pageSize: 100 });
      await mapView(el);
      $<HTMLButtonElement>(el, `#report-${REPORT_IDS.discussed} [data-action=open]`).click();
      await until(el, '#detail-title');
      $<HTMLButtonElement>(el, '#discuss').click();
      await until(el, 'civic-comment-thread');
      const thread = $(el, 'civic-comment-thread');
      await waitUntil(() => thread.shadowRoot?.querySelector('.thread, .error'), 'the discussion never loaded', { timeout: 4000 });
      return el;
    },
  },
  {
    name: 'report form with a category’s fields and a point placed',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter());
      const view = await mapView(el);
      await openForm(el);
      write(el, '#report-category', 'eclairage');
      view.dispatchEvent(new CustomEvent('map-place', { detail: { point: BELVOIR_CENTER } }));
      await until(el, '#report-point-status');
      expect(view.shadowRoot!.querySelector('.crosshair')).to.exist;
      return el;
    },
  },
  {
    name: 'report form with errors and the summary',
    async reach() {
      const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
      await openForm(el);
      write(el, '#report-category', 'proprete');
      await el.updateComplete;
      write(el, '#report-attr-volume', 'lots');
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '#error-summary');
      return el;
    },
  },
  {
    name: 'nearby reports offered',
    async reach() {
      const adapter = townAdapter();
      const pothole = await adapter.maps.getReport(REPORT_IDS.pothole);
      const el = await mountMap(MAP_IDS.town, adapter);
      const view = await mapView(el);
      await openForm(el);
      write(el, '#report-category', 'voirie');
      view.dispatchEvent(new CustomEvent('map-place', { detail: { point: pothole.point } }));
      await until(el, '[part=nearby]');
      return el;
    },
  },
  {
    name: 'submitted, awaiting moderation',
    async reach() {
      const el = await mountMap(MAP_IDS.moderated, townAdapter({ verified: true }), { view: 'list' });
      await openForm(el);
      write(el, '#report-category', 'mobilier');
      write(el, '#report-address', 'Ponton des Mariniers');
      write(el, '#report-description', 'A plank of the landing stage is missing.');
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '#submission-status [part=notice]');
      return el;
    },
  },
  {
    name: 'a report kept offline',
    async reach() {
      const adapter = townAdapter();
      const el = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
      adapter.online = false;
      await openForm(el);
      write(el, '#report-category', 'mobilier');
      write(el, '#report-address', 'Gare routière');
      write(el, '#report-description', 'Written on the bus, without network.');
      $<HTMLButtonElement>(el, 'form button[type=submit]').click();
      await until(el, '.waiting [data-status=waiting]');
      return el;
    },
  },
  {
    name: 'closed map (read-only)',
    async reach() {
      const el = await mountMap(MAP_IDS.closed, townAdapter());
      await mapView(el);
      expect(el.shadowRoot!.querySelector('#report')).to.be.null;
      return el;
    },
  },
  {
    name: 'verification required',
    async reach() {
      const el = await mountMap(MAP_IDS.moderated, townAdapter(), { view: 'list' });
      expect(el.shadowRoot!.querySelector('#report')).to.be.null;
      expect(text($(el, '[part=notice]'))).to.not.equal('');
      return el;
    },
  },
  { name: 'not found', reach: () => mountWith(failingReads('not-found')) },
  { name: 'forbidden', reach: () => mountWith(failingReads('forbidden')) },
  {
    name: 'server error, with a retry',
    async reach() {
      const el = await mountWith(failingReads('server'));
      expect($(el, '[part=error] button')).to.exist;
      return el;
    },
  },
  {
    name: 'offline',
    async reach() {
      const adapter = townAdapter();
      adapter.online = false;
      return mountWith(adapter);
    },
  },
  {
    name: 'misconfigured (no adapter)',
    async reach() {
      const el = await mountWith(undefined);
      expect($(el, '[part=error] details')).to.exist;
      return el;
    },
  },
  { name: 'misconfigured (no maps domain)', reach: () => mountWith({ name: 'polls only', polls: townAdapter().polls }) },
];

describeStates('civic-participatory-map', states, {
  inFrench: (el) => {
    if ($$(el, '.box').length > 0) expect(text(el)).to.match(/signalement|Signalement/);
  },
});
