import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { MemoryStore, setLocale, type MemorySeedMapReport, type OutboxEntry } from '@civic-widgets/core';
import type { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { $, $$, BELVOIR_CENTER, MAP_IDS, REPORT_IDS, activate, mapView, mountMap, newPageOutbox, text, townAdapter, until, write } from './helpers.js';

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

async function fillReport(el: CivicParticipatoryMap, description: string): Promise<void> {
  await activate(el, $(el, '#report'));
  write(el, '#report-category', 'mobilier');
  write(el, '#report-address', 'Place du Marché, près de la fontaine');
  write(el, '#report-description', description);
}

describe('<civic-participatory-map> loses nothing', () => {
  beforeEach(() => localStorage.clear());

  it('offline report → reload → back online: exactly one report, and the citizen saw it waiting', async () => {
    const store = new MemoryStore<OutboxEntry>();
    const outbox = newPageOutbox(store);
    const adapter = townAdapter();
    const events: string[] = [];
    const first = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
    first.addEventListener('civic-report-submitted', (event) => events.push(event.detail.status));
    adapter.online = false;
    await fillReport(first, 'Written on the bus, without any network.');
    await activate(first, $(first, 'form button[type=submit]'));
    await until(first, '.waiting [data-status=waiting]');
    expect(text($(first, '.waiting'))).to.contain('Written on the bus');
    expect(events).to.deep.equal(['waiting']);
    expect(outbox.entries()).to.have.length(1);

    first.remove();
    newPageOutbox(store);
    const second = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
    await until(second, '.waiting [data-status=waiting]');
    expect($(second, '[part=error]')).to.exist;

    adapter.online = true;
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => second.shadowRoot!.querySelector('.box') && !second.shadowRoot!.querySelector('.waiting'), 'never sent', { timeout: 4000 });
    const items = (await adapter.maps.listReports(MAP_IDS.town, { limit: 100 })).items;
    expect(items.filter((report) => report.description === 'Written on the bus, without any network.')).to.have.length(1);
    for (let tries = 0; tries < 150 && (await store.values()).length > 0; tries++) await aTimeout(20);
    expect(await store.values()).to.deep.equal([]);
  });

  it('restores the report being written after a reload, point and answers included, but not the photo', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const first = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(first);
    await activate(first, $(first, '#report'));
    write(first, '#report-category', 'proprete');
    await first.updateComplete;
    write(first, '#report-attr-volume', '0,5');
    $<HTMLInputElement>(first, '#report-attr-encombrants').click();
    view.dispatchEvent(new CustomEvent('map-place', { detail: { point: BELVOIR_CENTER } }));
    write(first, '#report-address', 'Rue des Tanneurs');
    write(first, '#report-description', 'Half-written description');
    await aTimeout(500);
    first.remove();

    const second = await mountMap(MAP_IDS.town, adapter);
    await mapView(second);
    await activate(second, $(second, '#report'));
    expect($<HTMLSelectElement>(second, '#report-category').value).to.equal('proprete');
    expect($<HTMLInputElement>(second, '#report-attr-volume').value).to.equal('0,5');
    expect($<HTMLInputElement>(second, '#report-attr-encombrants').checked).to.be.true;
    expect(text($(second, '#report-point-status'))).to.contain('At the centre of the map area');
    expect($<HTMLInputElement>(second, '#report-address').value).to.equal('Rue des Tanneurs');
    expect($<HTMLTextAreaElement>(second, '#report-description').value).to.equal('Half-written description');
    expect($<HTMLInputElement>(second, '#report-image').value).to.equal('');
  });

  it('refuses a photo of the wrong type or size in the browser, with a clear message', async () => {
    newPageOutbox();
    const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
    await activate(el, $(el, '#report'));
    const input = $<HTMLInputElement>(el, '#report-image');
    const choose = async (file: File) => {
      const files = new DataTransfer();
      files.items.add(file);
      input.files = files.files;
      input.dispatchEvent(new Event('change'));
      await el.updateComplete;
    };
    await choose(new File(['GIF89a'], 'cat.gif', { type: 'image/gif' }));
    expect(text($(el, '#report-image-error'))).to.equal('Choose a JPEG, PNG or WebP photo.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await choose(new File([new Uint8Array(2 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' }));
    expect(text($(el, '#report-image-error'))).to.contain('too large');
    await choose(new File([new Uint8Array([137, 80, 78, 71])], 'ok.png', { type: 'image/png' }));
    await waitUntil(() => text(el).includes('Chosen: ok.png'));
    expect(el.shadowRoot!.querySelector('#report-image-error')).to.be.null;
  });

  it('takes a refused report back into the form, with the reason', async () => {
    newPageOutbox();
    const adapter = townAdapter();
    const el = await mountMap(MAP_IDS.closed, adapter, { view: 'list' });
    expect(el.shadowRoot!.querySelector('#report')).to.be.null;
    expect(text($(el, '[part=notice]'))).to.contain('This map is closed');

    const open = await mountMap(MAP_IDS.town, adapter, { view: 'list' });
    const errors: string[] = [];
    open.addEventListener('civic-error', (event) => errors.push(`${event.detail.during}:${event.detail.error.kind}`));
    adapter.failNext('validation');
    await fillReport(open, 'A broken bench near the fountain.');
    await activate(open, $(open, 'form button[type=submit]'));
    await until(open, 'form [role=alert]');
    expect($<HTMLTextAreaElement>(open, '#report-description').value).to.equal('A broken bench near the fountain.');
    expect(errors).to.deep.equal(['submit:validation']);
  });

  it('tells the citizen, in French, what is wrong', async () => {
    newPageOutbox();
    await setLocale('fr');
    try {
      const el = await mountMap(MAP_IDS.town, townAdapter(), { view: 'list' });
      await activate(el, $(el, '#report'));
      await activate(el, $(el, 'form button[type=submit]'));
      const summary = text($(el, '#error-summary'));
      expect(summary).to.contain('Vérifiez ces champs avant d’envoyer votre signalement');
      expect(summary).to.contain('Choisissez une catégorie.');
      expect(summary).to.contain('Décrivez le problème.');
      const offline = townAdapter();
      offline.online = false;
      const failed = await mountMap(MAP_IDS.town, offline, { view: 'list' });
      expect(text($(failed, '[part=error]'))).to.contain('Vous êtes hors ligne');
    } finally {
      await setLocale('en');
    }
  });
});

describe('<civic-participatory-map> with hostile content', () => {
  beforeEach(() => {
    newPageOutbox();
    localStorage.clear();
    delete (window as { __pwned?: number }).__pwned;
  });

  it('keeps descriptions, addresses, answers and council updates inert in the list, the detail, the popup and the tooltips', async () => {
    const evil: MemorySeedMapReport = {
      id: 'evil',
      mapId: MAP_IDS.town,
      categoryId: 'voirie',
      participantId: 'mallory',
      point: { lat: BELVOIR_CENTER.lat + 0.001, lng: BELVOIR_CENTER.lng + 0.001 },
      address: HOSTILE,
      description: `${HOSTILE}\n\n[click](javascript:alert(1))`,
      attributes: { 'type-degat': HOSTILE, largeur: 3 },
      status: 'open',
      moderation: 'published',
      updates: [{ at: new Date().toISOString(), body: `<p>Update</p>${HOSTILE}<a href="javascript:alert(1)">x</a>` }],
      createdAt: new Date(Date.now() + 60_000).toISOString(),
    };
    const adapter = townAdapter({ extra: [evil] });
    const el = await mountMap(MAP_IDS.town, adapter);
    const view = await mapView(el);
    expect(text($(el, '#report-evil'))).to.contain('<img src=x');
    await activate(el, $(el, '#report-evil [data-action=open]'));
    await until(el, '[part=updates]');
    await aTimeout(200);
    await view.updateComplete;
    const popup = await waitUntil(() => view.shadowRoot!.querySelector('.leaflet-popup'), 'no popup').then(() => view.shadowRoot!.querySelector('.leaflet-popup')!);
    expect(text(popup)).to.contain('<script>');
    const marker = view.shadowRoot!.querySelector<HTMLElement>('[data-report=evil]')!;
    marker.focus();
    await waitUntil(() => view.shadowRoot!.querySelector('.leaflet-tooltip'), 'no tooltip on focus');
    for (const root of [el.shadowRoot!, view.shadowRoot!]) {
      expect(root.querySelectorAll('script, [part=body] img, .leaflet-popup img, [onerror]')).to.have.length(0);
      expect(root.querySelectorAll('a[href^="javascript:"]')).to.have.length(0);
    }
    expect(text($(el, '[part=detail]'))).to.contain('<script>');
    expect((window as { __pwned?: number }).__pwned).to.be.undefined;
  });

  it('draws hostile category labels as text and keeps hostile colours out of styles', async () => {
    const adapter = townAdapter();
    const el = await mountMap(MAP_IDS.town, {
      name: 'hostile categories',
      maps: {
        ...adapter.maps,
        getMap: async (id: string) => {
          const map = await adapter.maps.getMap(id);
          return { ...map, categories: map.categories.map((category) => ({ ...category, label: HOSTILE, icon: '<b>', color: 'red; background-image: url(https://evil.example/x)' })) };
        },
      },
    });
    const view = await mapView(el);
    const category = $(el, `#report-${REPORT_IDS.pothole} [part=category]`);
    expect(category.textContent).to.contain(HOSTILE);
    expect($$(el, '.mark').every((mark) => !(mark.getAttribute('style') ?? '').includes('evil'))).to.be.true;
    await waitUntil(() => view.shadowRoot!.querySelector('.mark'));
    expect([...view.shadowRoot!.querySelectorAll('.mark')].every((mark) => !(mark.getAttribute('style') ?? '').includes('evil'))).to.be.true;
    expect((window as { __pwned?: number }).__pwned).to.be.undefined;
  });
});

describe('<civic-participatory-map> as a visitor', () => {
  it('is told about their own report awaiting moderation on a pre-moderated map', async () => {
    newPageOutbox();
    localStorage.clear();
    const el = await mountMap(MAP_IDS.moderated, townAdapter({ verified: true }), { view: 'list' });
    await activate(el, $(el, '#report'));
    write(el, '#report-category', 'mobilier');
    write(el, '#report-address', 'Ponton des Mariniers');
    write(el, '#report-description', 'A plank of the landing stage is missing.');
    await activate(el, $(el, 'form button[type=submit]'));
    await until(el, '#submission-status [part=notice]');
    expect(text($(el, '#submission-status'))).to.contain('awaiting moderation');
  });
});
