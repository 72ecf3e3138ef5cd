// End to end: the demo council page, the real loader and CDN build, <civic-participatory-map> with
// the RestAdapter, against the reference server (its REST API and Open311 GeoReport v2) on a fresh
// SQLite file, in Chromium and Firefox ESR. Needs the build (`npm run build`); `npm test` builds first.
//
// The demo map draws OpenStreetMap's tiles, the tile server the seeded map configures: the one
// third-party request the page makes. Without a network (CI has none) they fail; the harness does
// not count those failed tile loads as page errors, the tests check that the map says so and that
// the page asks nothing of any other host. Pages are awaited to DOMContentLoaded, not `load`: a
// tile server that does not answer must not hold the test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_TILE_URL, demoSuite, errorsOf, htmlText, inShadow, launchers, sameText, tilePattern, waitFor } from './support/harness.mjs';

const MAP = 'civic-participatory-map[map="signalements"]';
const READY = { waitUntil: 'domcontentloaded' };

const api = (server, path) =>
  fetch(`${server.url}${path}`).then(async (response) => {
    assert.ok(response.ok, `GET ${path}: ${response.status}`);
    return response.json();
  });

/** Runs `fn(root, ...args)` in the page on the map element's shadow root (null before it is defined). */
const inMap = (page, fn, ...args) => inShadow(page, MAP, fn, ...args);

/** The element's focused control: its id, or its type for buttons without one. */
const active = (page) =>
  inMap(page, (root) => {
    const element = root?.activeElement;
    return element ? element.id || element.getAttribute('type') || element.localName : undefined;
  });

/** Tabs until the element's focus is on `target` (an id, or `submit`). */
async function tabTo(page, target) {
  for (let i = 0; i < 20; i += 1) {
    if ((await active(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab does not reach ${target}; focus is on ${await active(page)}`);
}

/** Ids of the reports the list shows, in order. */
const listed = (page) => inMap(page, (root) => [...(root?.querySelectorAll('[part~=list] [data-action=open]') ?? [])].map((button) => button.dataset.id));

/** The map view drawn by Leaflet, inside the element. */
const mapDrawn = (page) => inMap(page, (root) => Boolean(root?.querySelector('civic-map-view')?.shadowRoot?.querySelector('.map.leaflet-container')));

/** What became of the tiles: some drawn, or the map's own notice that they could not be. */
const tileOutcome = (page) =>
  inMap(page, (root) => {
    const view = root?.querySelector('civic-map-view')?.shadowRoot;
    if (view?.querySelector('img.leaflet-tile-loaded')) return 'drawn';
    return view?.querySelector('.notice') ? 'failed' : undefined;
  });


for (const [name, launch] of Object.entries(launchers)) {
  describe(`participatory map on the demo page in ${name}`, () => {
    const demo = demoSuite(launch, '/maps/signalements');

    it('reports a problem with the keyboard only, sees it acknowledged, and finds it after a reload and on the server, in its API and in Open311', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const map = await api(demo.server, '/api/v1/maps/signalements');
      const voirie = map.categories.find((category) => category.id === 'voirie');
      assert.deepEqual(voirie.fields.map((field) => field.code), ['gravite', 'largeur_cm'], 'the seeded category and its questions');
      const description = `Bouche d’égout descellée au milieu de la chaussée, les voitures l’évitent en se déportant (${name}).`;
      const address = `12 rue du Port (${name})`;

      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page))?.length > 0, 'the list of reports');
      await waitFor(() => mapDrawn(page), 'the map', 30_000);

      // Keyboard only from here: "report a problem", the category, its two questions.
      await inMap(page, (root) => root.querySelector('#report').focus());
      await page.keyboard.press('Enter');
      await waitFor(async () => (await active(page)) === 'report-category', 'focus on the category of the new report');
      await page.keyboard.press('ArrowDown');
      await waitFor(async () => (await inMap(page, (root) => root.querySelector('#report-category').value)) === 'voirie', 'the first category chosen');
      await tabTo(page, 'report-attr-gravite');
      await page.keyboard.press('ArrowDown');
      await waitFor(async () => (await inMap(page, (root) => root.querySelector('#report-attr-gravite').value)) === 'gene', 'the first answer chosen');
      await tabTo(page, 'report-attr-largeur_cm');
      await page.keyboard.type('80');

      // The point with the crosshair: Enter on "place the point" gives the map the keyboard, an arrow moves it, Enter places the point.
      await tabTo(page, 'report-point');
      await page.keyboard.press('Enter');
      await waitFor(
        () => inMap(page, (root) => root.activeElement?.localName === 'civic-map-view' && root.activeElement.shadowRoot.activeElement?.classList.contains('map')),
        'the keyboard on the map',
      );
      // The crosshair's new position is announced once the map has moved: then Enter.
      const announced = () => inMap(page, (root) => root.querySelector('civic-map-view').shadowRoot.querySelector('div.visually-hidden[role=status]').textContent.trim());
      await page.keyboard.press('ArrowUp');
      await waitFor(async () => (await announced()) !== '', 'the crosshair moved');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await active(page)) === 'report-point' && (await inMap(page, (root) => Boolean(root.querySelector('#report-point-status')))), 'the point placed, and focus back on its button');

      await tabTo(page, 'report-address');
      await page.keyboard.type(address);
      await tabTo(page, 'report-description');
      await page.keyboard.type(description);
      await tabTo(page, 'submit');
      await page.keyboard.press('Enter');

      let report;
      await waitFor(async () => {
        report = (await api(demo.server, '/api/v1/maps/signalements/reports?limit=100')).items.find((item) => item.description === description);
        return report !== undefined;
      }, 'the report on the server');
      const expected = map.preModeration
        ? { moderation: 'pending', announcement: 'Votre signalement est en attente de modération.' }
        : { moderation: 'published', announcement: 'Votre signalement est publié.' };
      assert.equal(report.moderation, expected.moderation);
      await waitFor(async () => (await inMap(page, (root) => root.querySelector('#announcement').textContent.trim())) === expected.announcement, 'the report acknowledged');
      await waitFor(async () => (await listed(page))[0] === report.id, 'the report at the top of the list');
      assert.equal(await active(page), 'report', 'focus back on "report a problem"');

      await page.reload(READY);
      await waitFor(async () => (await listed(page))?.[0] === report.id, 'the report after a reload');
      assert.equal(await inMap(page, (root, id) => root.querySelector(`#report-${CSS.escape(id)} [part~=body]`).textContent.trim(), report.id), description);

      // The server kept what was typed: the category's answers typed, the point where the crosshair was, the address.
      const stored = await api(demo.server, `/api/v1/map-reports/${encodeURIComponent(report.id)}`);
      assert.equal(stored.categoryId, 'voirie');
      assert.deepEqual(stored.attributes, { gravite: 'gene', largeur_cm: 80 });
      assert.equal(stored.address, address);
      assert.equal(stored.status, 'open');
      const [south, north] = [map.bounds[0].lat, map.bounds[1].lat].sort((a, b) => a - b);
      assert.ok(stored.point.lat > map.center.lat && stored.point.lat < north && stored.point.lat > south, `the point moved north of the centre: ${JSON.stringify(stored.point)}`);
      assert.ok(Math.abs(stored.point.lng - map.center.lng) < 0.001, `the point on the centre's meridian: ${JSON.stringify(stored.point)}`);

      const open311 = (await api(demo.server, '/open311/v2/requests.json')).find((request) => request.service_request_id === report.id);
      assert.ok(open311, 'the report in Open311 requests.json');
      assert.equal(open311.service_code, 'voirie');
      assert.equal(open311.service_name, voirie.label);
      assert.equal(open311.description, description);
      assert.equal(open311.address, address);
      assert.equal(open311.status, 'open');
      assert.equal(open311.lat, stored.point.lat);
      assert.equal(open311.long, stored.point.lng);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('lists the seeded reports, and opens one with the council’s updates, focus going back to it', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const map = await api(demo.server, '/api/v1/maps/signalements');
      const first = await api(demo.server, '/api/v1/maps/signalements/reports?limit=20');
      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page))?.length === first.items.length, 'a page of reports');
      assert.deepEqual(await listed(page), first.items.map((report) => report.id));
      const shown = await inMap(page, (root) => [...root.querySelectorAll('[part~=list] [data-action=open]')].map((button) => button.textContent.trim()));
      const label = (report) => map.categories.find((category) => category.id === report.categoryId).label;
      // A report's name: its category, and its address, else the start of its description.
      const named = (report, name) => {
        const prefix = `${label(report)} — `;
        if (report.address) return name === prefix + report.address;
        return name.startsWith(prefix) && sameText(report.description).startsWith(name.slice(prefix.length).replace(/…$/, ''));
      };
      first.items.forEach((report, index) => assert.ok(named(report, shown[index]), `${shown[index]} for ${report.id}`));
      assert.equal(new Set(shown).size, shown.length, 'reports are told apart by their names');
      assert.ok(first.total > first.items.length, 'more reports than a page');

      // The listed report the council answered most.
      const answered = first.items.reduce((most, report) => (report.updates.length > most.updates.length ? report : most));
      assert.ok(answered.updates.length > 0, 'a listed report with updates');
      await inMap(page, (root, id) => root.querySelector(`#report-${CSS.escape(id)} [data-action=open]`).focus(), answered.id);
      await page.keyboard.press('Enter');
      await waitFor(async () => (await active(page)) === 'detail-title', 'the report opened, focus on its title');
      const detail = await inMap(page, (root) => ({
        title: root.querySelector('#detail-title').textContent.trim(),
        status: root.querySelector('[part~=detail] [part~=badge]').dataset.status,
        body: root.querySelector('[part~=detail] [part~=body]').textContent,
        updates: [...root.querySelectorAll('[part~=updates] li')].map((item) => ({
          status: item.querySelector('[data-status]')?.dataset.status ?? null,
          text: item.querySelector(':scope > div').textContent,
        })),
      }));
      assert.equal(detail.title, shown[first.items.indexOf(answered)]);
      assert.equal(detail.status, answered.status);
      assert.equal(sameText(detail.body), sameText(answered.description));
      assert.deepEqual(
        detail.updates.map((update) => ({ status: update.status, text: sameText(update.text) })),
        answered.updates.map((update) => ({ status: update.status ?? null, text: htmlText(update.body) })),
      );

      // Back: Shift+Tab from the title reaches "back to the list"; Enter; focus returns to the report.
      await page.keyboard.down('Shift');
      await page.keyboard.press('Tab');
      await page.keyboard.up('Shift');
      assert.equal(await active(page), 'back');
      await page.keyboard.press('Enter');
      await waitFor(
        () => inMap(page, (root, id) => root.activeElement?.dataset.action === 'open' && root.activeElement.dataset.id === id, answered.id),
        'focus back on the report in the list',
      );
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('fetches Leaflet only once the map is on the page, and asks no host but the council’s tile server', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const map = await api(demo.server, '/api/v1/maps/signalements');
      // The seeded map names the tile server whose failed loads the harness does not count.
      assert.equal(map.tileUrl, DEMO_TILE_URL);
      const tiles = tilePattern(map.tileUrl);
      const { chunks } = await api(demo.server, '/civic-widgets.manifest.json');
      const chunksOf = (test) => Object.entries(chunks).filter(([, chunk]) => test(chunk)).map(([file]) => file);
      const leaflet = chunksOf((chunk) => Object.keys(chunk.modules).some((module) => module.startsWith('node_modules/leaflet/')));
      const mapDefine = chunksOf((chunk) => chunk.facade === 'participatory-map/src/define.ts');
      assert.equal(leaflet.length, 1, 'Leaflet is in one chunk');
      assert.equal(mapDefine.length, 1);

      const requests = [];
      page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
      const fetched = (file) => requests.filter((request) => new URL(request.url).pathname === `/${file}`).length;
      // The page as a council would publish it without the map: the element is held back as the
      // parser adds it, before the loader (a module script, so run after parsing) looks for widgets.
      await page.evaluateOnNewDocument(() => {
        const observer = new MutationObserver(() => {
          const element = document.querySelector('civic-participatory-map');
          if (!element) return;
          observer.disconnect();
          const placeholder = document.createComment('map held back');
          element.replaceWith(placeholder);
          globalThis.heldBackMap = { element, placeholder };
        });
        observer.observe(document, { childList: true, subtree: true });
      });
      await page.goto(demo.server.url + '/', READY);
      // Every other widget is drawn: the loader fetched what the page uses.
      await waitFor(
        () =>
          page.evaluate(() =>
            ['civic-poll', 'civic-comment-thread', 'civic-idea-box', 'civic-results-tracker'].every((tag) => document.querySelector(tag)?.shadowRoot?.querySelector('#title')),
          ),
        'the other widgets',
        30_000,
      );
      assert.equal(await page.evaluate(() => Boolean(globalThis.heldBackMap && !document.querySelector('civic-participatory-map'))), true, 'the page without its map');
      assert.equal(fetched(mapDefine[0]), 0, 'no map code without a map');
      assert.equal(fetched(leaflet[0]), 0, 'no Leaflet without a map');
      assert.equal(requests.filter((request) => tiles.test(request.url)).length, 0, 'no tiles without a map');

      await page.evaluate(() => globalThis.heldBackMap.placeholder.replaceWith(globalThis.heldBackMap.element));
      await waitFor(async () => (await listed(page))?.length > 0, 'the list of reports');
      await waitFor(() => mapDrawn(page), 'the map', 30_000);
      assert.equal(fetched(mapDefine[0]), 1);
      assert.equal(fetched(leaflet[0]), 1, 'Leaflet, once the map is on the page');
      // Tiles drawn with a network; without one, the map says its background is missing.
      await waitFor(async () => (await tileOutcome(page)) !== undefined, 'the tiles drawn, or the map saying they could not be', 30_000);

      const origin = new URL(demo.server.url).origin;
      const elsewhere = requests.filter((request) => !/^(data|blob):/.test(request.url) && new URL(request.url).origin !== origin);
      assert.ok(elsewhere.length > 0, 'tiles asked of the tile server');
      assert.deepEqual(
        elsewhere.filter((request) => request.method !== 'GET' || !tiles.test(request.url)),
        [],
        'no request to a third party but GETs of the configured tiles',
      );
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
