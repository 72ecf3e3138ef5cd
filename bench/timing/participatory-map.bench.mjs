// <civic-participatory-map> drawing reports: 10,000 and 50,000 located reports, then pan and zoom
// frames over 10,000. The element and its map chunk (Leaflet) are loaded first, through a first
// element, so that the numbers are about drawing, not downloading. The adapter is a plain object
// answering at once with reports generated in the page (deterministic), so that no adapter code is
// measured.
//
// The widget comes from the CDN build, through the loader, as on a council's page.

export default {
  name: 'participatory-map',
  budgets: { draw10k: 150, draw50k: 250, panFrame10k: 20, zoomFrame10k: 20 },
  async measure({ page, cdn }) {
    return page.evaluate(async (cdn) => {
      // Belvoir-sur-Loire's bounds, as the fixtures of the tests; denser towards the centre.
      const centre = { lat: 47.7352, lng: 2.4921 };
      const half = { lat: 0.03, lng: 0.05 };
      const categories = ['voirie', 'eclairage', 'proprete', 'espaces-verts', 'mobilier', 'accessibilite'];
      const statuses = ['open', 'open', 'acknowledged', 'in-progress', 'closed'];
      let state = 7;
      const random = () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      const points = Array.from({ length: 50_000 }, (_, i) => {
        const spread = random() < 0.6 ? 0.25 : 1;
        return {
          id: `b${i}`,
          lat: centre.lat + (random() * 2 - 1) * spread * half.lat,
          lng: centre.lng + (random() * 2 - 1) * spread * half.lng,
          categoryId: categories[i % categories.length],
          status: statuses[i % statuses.length],
        };
      });
      const map = (id) => ({
        id,
        title: 'Signaler un problème',
        center: centre,
        zoom: 14,
        bounds: [{ lat: centre.lat - half.lat, lng: centre.lng - half.lng }, { lat: centre.lat + half.lat, lng: centre.lng + half.lng }],
        categories: categories.map((category, i) => ({ id: category, label: category, color: ['#b3261e', '#8a5a00', '#5d4037', '#2e7d32', '#1d5fa8', '#6a1b9a'][i], fields: [] })),
        tileUrl: '',
        closed: false,
        preModeration: false,
        allowImages: false,
        requiredVerification: 'anonymous',
      });
      const counts = { 'bench-warm': 10, 'bench-10k': 10_000, 'bench-50k': 50_000 };
      const report = (point) => ({
        id: point.id, mapId: 'bench', categoryId: point.categoryId, point: { lat: point.lat, lng: point.lng },
        description: 'Lampadaire éteint depuis plusieurs nuits.', status: point.status, moderation: 'published',
        updates: [], followers: 0, comments: 0, createdAt: '2027-03-01T09:00:00+01:00',
      });
      const adapter = {
        name: 'bench',
        maps: {
          getMap: async (id) => map(id),
          listReports: async (id, query = {}) => ({ items: points.slice(0, Math.min(counts[id], query.limit ?? 20)).map(report), total: counts[id] }),
          points: async (id) => points.slice(0, counts[id]),
          getReport: async (id) => report(points.find((point) => point.id === id)),
          nearby: async () => [],
          submitReport: async () => { throw new Error('not in this bench'); },
        },
      };
      globalThis[Symbol.for('civic-widgets.config')] = { adapter };
      const script = document.createElement('script');
      script.type = 'module';
      script.src = new URL('civic-widgets.js', cdn).href;
      document.head.append(script);

      const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const style = document.createElement('style');
      style.textContent = 'civic-participatory-map { display: block; inline-size: 1024px; }';
      document.head.append(style);

      /** Appends a map and waits until its view has drawn markers for every point. */
      async function draw(mapId) {
        const element = document.createElement('civic-participatory-map');
        element.setAttribute('map', mapId);
        element.setAttribute('tile-url', '');
        const begin = performance.now();
        document.body.append(element);
        const deadline = begin + 20_000;
        for (;;) {
          const view = element.shadowRoot?.querySelector('civic-map-view');
          if (view?.points.length === counts[mapId] && view.shadowRoot?.querySelector('.leaflet-marker-icon')) break;
          if (performance.now() > deadline) throw new Error(`${mapId} was never drawn`);
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
        await frame();
        return { element, took: performance.now() - begin };
      }

      // Defined, with its map chunk, through a first element; then measured on fresh ones.
      document.body.append(document.createElement('civic-participatory-map'));
      await customElements.whenDefined('civic-participatory-map');
      document.body.replaceChildren();
      (await draw('bench-warm')).element.remove();

      const tenK = await draw('bench-10k');
      const leaflet = tenK.element.shadowRoot.querySelector('civic-map-view').leaflet;
      /**
       * One pan or zoom, without animation, over the town centre where reports are densest: pans
       * go back and forth, zooms between 14 and 16. Leaflet ends such a move synchronously, redraw
       * included: `work` is that JavaScript; `frame` runs on to the frame after it, style, layout
       * and paint included, which also waits for the display's next frame (up to 16.7 ms at 60 Hz).
       */
      async function step(move) {
        const begin = performance.now();
        move();
        const work = performance.now() - begin;
        await frame();
        return { work, frame: performance.now() - begin };
      }
      const pans = [];
      for (let i = 0; i < 8; i++) pans.push(await step(() => leaflet.panBy([i % 2 ? -200 : 200, i % 2 ? -120 : 120], { animate: false })));
      const zooms = [];
      for (let i = 0; i < 6; i++) zooms.push(await step(() => leaflet.setView([centre.lat, centre.lng], i % 2 ? 14 : 16, { animate: false })));
      tenK.element.remove();
      const fiftyK = await draw('bench-50k');
      fiftyK.element.remove();
      const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      return {
        draw10k: tenK.took,
        draw50k: fiftyK.took,
        panWork10k: median(pans.map((pan) => pan.work)),
        panFrame10k: median(pans.map((pan) => pan.frame)),
        zoomWork10k: median(zooms.map((zoom) => zoom.work)),
        zoomFrame10k: median(zooms.map((zoom) => zoom.frame)),
      };
    }, cdn);
  },
};
