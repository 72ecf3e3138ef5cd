// End to end: the demo council page, the real loader and CDN build, <civic-results-tracker> with
// the RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox
// ESR; the council's side through the admin API. Needs the build (`npm run build`); `npm test`
// builds first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, errorsOf, htmlText, inShadow, launchers, sameText, waitFor } from './support/harness.mjs';

const TRACKER = 'civic-results-tracker[tracker="realisations"]';
const BOX = 'civic-idea-box[box="belvoir-idees"]';
const ADMIN_KEY = 'e2e-admin-key-results-tracker-0123456789';
// The RestAdapter keeps its anonymous participant under its base URL, the page's data-endpoint.
const SESSION_KEY = 'civic-widgets:session:/api/v1';
// The map on the same page may fail to reach its tile server (no network): not a reason to wait for `load`.
const READY = { waitUntil: 'domcontentloaded' };

async function api(server, path, token) {
  const response = await fetch(`${server.url}/api/v1${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  assert.ok(response.ok, `GET ${path}: ${response.status}`);
  return response.json();
}

const inTracker = (page, fn, ...args) => inShadow(page, TRACKER, fn, ...args);

/** The focused control of the element `host` selects: its id, else its type, else its tag. */
const activeIn = (page, host) =>
  inShadow(page, host, (root) => {
    const element = root?.activeElement;
    return element ? element.id || element.getAttribute('type') || element.localName : undefined;
  });

/** Tabs until `reached()` holds. */
async function tabUntil(page, reached, what) {
  for (let i = 0; i < 20; i += 1) {
    if (await reached()) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab does not reach ${what}`);
}

const shiftTab = async (page) => {
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
};

/** The projects the list shows, in order, with their status as shown. */
const listed = (page) =>
  inTracker(page, (root) =>
    [...(root?.querySelectorAll('[part~=list] [part~=project]') ?? [])].map((project) => ({
      id: project.querySelector('[data-action=open]').dataset.id,
      title: project.querySelector('[data-action=open]').textContent.trim(),
      status: project.querySelector('[part~=badge]').dataset.status,
      label: project.querySelector('[part~=badge]').textContent.trim(),
    })),
  );

/** The project button the tracker's focus is on, if any. */
const focusedProject = (page) => inTracker(page, (root) => (root?.activeElement?.dataset.action === 'open' ? root.activeElement.dataset.id : undefined));

/** A number or an amount as shown ("820 000 €", "12"): its digits. */
const amount = (text) => Number(text.replace(/\D/g, ''));

for (const [name, launch] of Object.entries(launchers)) {
  describe(`results tracker on the demo page in ${name}`, () => {
    const demo = demoSuite(launch, '/trackers/realisations', { adminKey: ADMIN_KEY });

    it('lists the seeded projects with the council’s status labels, and totals them as the server does', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const tracker = await api(demo.server, '/trackers/realisations');
      const first = await api(demo.server, '/trackers/realisations/projects');
      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page)).length === first.items.length, 'the seeded projects');
      assert.deepEqual(
        await listed(page),
        first.items.map((project) => ({ id: project.id, title: project.title, status: project.status, label: tracker.statusLabels[project.status] })),
      );
      assert.deepEqual(
        await inTracker(page, (root) => [...root.querySelectorAll('#overview-chart [data-status] .label')].map((label) => label.textContent.trim())),
        ['planned', 'in-progress', 'done', 'cancelled'].map((status) => tracker.statusLabels[status]),
      );

      await inTracker(page, (root) => root.querySelector('#as-table').focus());
      await page.keyboard.press('Enter');
      await waitFor(() => inTracker(page, (root) => Boolean(root.querySelector('#overview-table'))), 'the overview as a table');
      const table = await inTracker(page, (root) => ({
        rows: [...root.querySelectorAll('#overview-table tbody tr')].map((row) => ({
          status: row.dataset.status,
          label: row.querySelector('th').textContent.trim(),
          projects: row.querySelector('[data-value=projects]').textContent,
          planned: row.querySelector('[data-value=planned]').textContent,
          spent: row.querySelector('[data-value=spent]').textContent,
        })),
        total: [...root.querySelectorAll('#overview-table tfoot td')].map((cell) => cell.textContent),
      }));
      assert.deepEqual(
        table.rows.map((row) => ({ status: row.status, label: row.label, projects: amount(row.projects), planned: amount(row.planned), spent: amount(row.spent) })),
        tracker.overview.map((total) => ({
          status: total.status,
          label: tracker.statusLabels[total.status],
          projects: total.projects,
          planned: total.budgetPlanned,
          spent: total.budgetSpent,
        })),
      );
      const sum = (key) => tracker.overview.reduce((all, total) => all + total[key], 0);
      assert.deepEqual(table.total.map(amount), [sum('projects'), sum('budgetPlanned'), sum('budgetSpent')]);
      assert.equal(sum('projects'), first.total);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('filters by status, opens a project, reads its timeline and origins, and comes back, all with the keyboard', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const done = await api(demo.server, '/trackers/realisations/projects?status=done');
      assert.ok(done.items.length > 1, 'several projects done');
      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page)).length > done.items.length, 'the seeded projects');

      // The status filter: its options are "all", then planned, in progress, done, cancelled.
      await inTracker(page, (root) => root.querySelector('#status').focus());
      for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowDown');
      await waitFor(async () => (await inTracker(page, (root) => root.querySelector('#status').value)) === 'done', 'the status “done” chosen');
      await waitFor(async () => (await listed(page)).map((project) => project.id).join() === done.items.map((project) => project.id).join(), 'only the projects done');

      // Tab on to the first project, and open it.
      await tabUntil(page, async () => (await focusedProject(page)) !== undefined, 'a project');
      const id = await focusedProject(page);
      assert.equal(id, done.items[0].id);
      await page.keyboard.press('Enter');
      await waitFor(async () => (await activeIn(page, TRACKER)) === 'detail-title', 'the project opened, focus on its title');

      const project = await api(demo.server, `/projects/${encodeURIComponent(id)}`);
      const detail = await inTracker(page, (root) => ({
        title: root.querySelector('#detail-title').textContent.trim(),
        updates: [...root.querySelectorAll('[part~=timeline] [part~=update]')].map((update) => ({
          id: update.dataset.update,
          title: update.querySelector('[part~=update-title]')?.textContent.trim() ?? null,
          text: update.querySelector('.council-text').textContent,
        })),
        origins: root.querySelector('#origins-summary')?.textContent.trim(),
        sources: [...root.querySelectorAll('.origin-list li')].map((origin) => ({ kind: origin.dataset.kind, text: origin.textContent })),
      }));
      assert.equal(detail.title, project.title);
      assert.deepEqual(
        detail.updates.map((update) => ({ ...update, text: sameText(update.text) })),
        project.updates.map((update) => ({ id: update.id, title: update.title ?? null, text: htmlText(update.body) })),
      );
      // "Issu de 1 signalement suivi par 12 personnes.": each kind of origin with its people counted.
      assert.ok(project.origins.length > 0, 'a project with origins');
      assert.match(detail.origins, /^Issu de .+\.$/);
      const digits = detail.origins.replace(/(\d)\s(?=\d)/g, '$1');
      for (const kind of new Set(project.origins.map((origin) => origin.kind))) {
        const count = project.origins.filter((origin) => origin.kind === kind).reduce((all, origin) => all + origin.count, 0);
        assert.match(digits, new RegExp(`(^|\\D)${count}(\\D|$)`), `${kind}: ${count} in “${detail.origins}”`);
      }
      assert.deepEqual(detail.sources.map((source) => source.kind), project.origins.map((origin) => origin.kind));
      project.origins.forEach((origin, index) => assert.ok(sameText(detail.sources[index].text).includes(sameText(origin.title)), `origin ${origin.title}`));

      // Back: Shift+Tab from the title reaches "back", Enter; focus returns to the project, the filter kept.
      await shiftTab(page);
      assert.equal(await activeIn(page, TRACKER), 'back');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await focusedProject(page)) === id, 'focus back on the project in the list');
      assert.equal(await inTracker(page, (root) => root.querySelector('#status').value), 'done');
      assert.deepEqual((await listed(page)).map((item) => item.id), done.items.map((item) => item.id));
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('shows a citizen the idea they proposed on the page as part of the project the council linked it to', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const title = `De l’ombre et des arbres sur la place du Marché (${name})`;
      const body = 'L’été, la place du Marché est une fournaise : quelques arbres et des ombrières rendraient le marché supportable.';
      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page)).length > 0, 'the projects');
      await waitFor(() => inShadow(page, BOX, (root) => Boolean(root?.querySelector('#propose'))), 'the idea box');

      // The citizen proposes the idea in the idea box of the same page, with the keyboard.
      await inShadow(page, BOX, (root) => root.querySelector('#propose').focus());
      await page.keyboard.press('Enter');
      await waitFor(() => inShadow(page, BOX, (root) => Boolean(root.querySelector('#idea-title'))), 'the proposal form');
      await inShadow(page, BOX, (root) => root.querySelector('#idea-title').focus());
      await page.keyboard.type(title);
      await tabUntil(page, async () => (await activeIn(page, BOX)) === 'idea-body', 'the idea’s text');
      await page.keyboard.type(body);
      await tabUntil(page, async () => (await activeIn(page, BOX)) === 'idea-category', 'the idea’s category');
      await page.keyboard.press('ArrowDown');
      await waitFor(async () => (await inShadow(page, BOX, (root) => root.querySelector('#idea-category').value)) !== '', 'a category chosen');
      await tabUntil(page, async () => (await activeIn(page, BOX)) === 'submit', 'the idea’s send button');
      await page.keyboard.press('Enter');
      let idea;
      await waitFor(async () => {
        idea = (await api(demo.server, `/idea-boxes/belvoir-idees/ideas?q=${encodeURIComponent(title)}`)).items.find((item) => item.title === title);
        return idea !== undefined;
      }, 'the idea on the server');

      // The page's participant, as the server knows it: the idea is theirs, not yet in a project.
      const session = await page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), SESSION_KEY);
      assert.ok(session?.token, `the anonymous participant stored under ${SESSION_KEY}`);
      const fateOf = async () => (await api(demo.server, '/trackers/realisations/my-contributions?limit=50', session.token)).items.find((fate) => fate.kind === 'idea' && fate.id === idea.id);
      assert.equal((await fateOf())?.outcome, 'awaiting');

      // The council links the idea to a project, keeping the project's other origins.
      const projectId = 'ombrieres-marche';
      const before = await api(demo.server, `/projects/${projectId}`);
      await demo.server.admin('PUT', `/projects/${projectId}/origins`, [
        ...before.origins.map((origin) => ({ kind: origin.kind, id: origin.id, ...(origin.url ? { url: origin.url } : {}) })),
        { kind: 'idea', id: idea.id },
      ]);
      const fate = await fateOf();
      assert.equal(fate.outcome, 'in-project');
      assert.equal(fate.project?.id, projectId);

      // The citizen asks the tracker what became of their contributions.
      await inTracker(page, (root) => root.querySelector('#my-contributions').focus());
      await page.keyboard.press('Enter');
      await waitFor(async () => (await activeIn(page, TRACKER)) === 'contributions-title', 'the contributions, focus on their title');
      const shown = () =>
        inTracker(
          page,
          (root, ideaTitle) => {
            const article = [...root.querySelectorAll('[part~=contribution]')].find((item) => item.querySelector('h1, h2, h3, h4, h5, h6')?.textContent.includes(ideaTitle));
            if (!article) return undefined;
            const link = article.querySelector('[data-action=open-project]');
            return { id: article.id, outcome: article.querySelector('[part~=outcome]').dataset.outcome, project: link?.textContent.trim(), status: link?.nextElementSibling?.dataset.status };
          },
          title,
        );
      await waitFor(async () => (await shown()) !== undefined, 'the proposed idea among the contributions');
      const contribution = await shown();
      assert.equal(contribution.outcome, 'in-project');
      assert.equal(contribution.project, before.title);
      assert.equal(contribution.status, before.status);

      // From it, the project, with the idea among its origins; Back returns to the contribution.
      await inTracker(page, (root, articleId) => root.querySelector(`#${articleId} [data-action=open-project]`).focus(), contribution.id);
      await page.keyboard.press('Enter');
      await waitFor(async () => (await activeIn(page, TRACKER)) === 'detail-title', 'the project opened from the contribution');
      assert.equal(await inTracker(page, (root) => root.querySelector('#detail-title').textContent.trim()), before.title);
      const ideas = await inTracker(page, (root) => [...root.querySelectorAll('.origin-list li[data-kind=idea]')].map((item) => item.textContent));
      assert.ok(ideas.some((text) => text.includes(title)), `the idea among the project's origins: ${JSON.stringify(ideas)}`);
      await shiftTab(page);
      assert.equal(await activeIn(page, TRACKER), 'back');
      await page.keyboard.press('Enter');
      await waitFor(
        () => inTracker(page, (root, articleId) => root.activeElement === root.querySelector(`#${articleId} [data-action=open-project]`), contribution.id),
        'focus back on the contribution',
      );
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('links to an Atom feed that parses and leads with the project’s latest update', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const projectId = 'jardins-clos-moreau';
      const update = {
        title: `Le projet arrive en tête du vote (${name})`,
        body: '<p>Le budget participatif 2027 retient les <strong>jardins partagés</strong> : les parcelles seront attribuées au printemps.</p>',
        progress: 15,
      };
      await demo.server.admin('POST', `/projects/${projectId}/updates`, update);
      const project = await api(demo.server, `/projects/${projectId}`);
      assert.equal(project.updates[0].title, update.title);
      const listedProjects = (await api(demo.server, '/trackers/realisations/projects?limit=50')).items;

      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page)).length > 0, 'the projects');
      const href = await inTracker(page, (root) => root.querySelector('[part~=follow] a[type="application/atom+xml"]')?.href);
      assert.equal(href, `${demo.server.url}/api/v1/trackers/realisations/feed.atom`);

      // Read as a feed reader would: fetched, and parsed by the browser's XML parser.
      const feed = await page.evaluate(async (url) => {
        const response = await fetch(url);
        const text = await response.text();
        const document = new DOMParser().parseFromString(text, 'application/xml');
        const error = document.getElementsByTagName('parsererror')[0];
        const ATOM = 'http://www.w3.org/2005/Atom';
        const child = (node, localName) => [...node.children].find((item) => item.namespaceURI === ATOM && item.localName === localName);
        const root = document.documentElement;
        return {
          type: response.headers.get('content-type'),
          error: error?.textContent,
          root: `${root.namespaceURI} ${root.localName}`,
          id: child(root, 'id')?.textContent,
          updated: child(root, 'updated')?.textContent,
          entries: [...root.children]
            .filter((item) => item.namespaceURI === ATOM && item.localName === 'entry')
            .map((entry) => ({
              id: child(entry, 'id')?.textContent,
              title: child(entry, 'title')?.textContent,
              updated: child(entry, 'updated')?.textContent,
              contentType: child(entry, 'content')?.getAttribute('type'),
              content: child(entry, 'content')?.textContent,
            })),
        };
      }, href);
      assert.match(feed.type ?? '', /^application\/atom\+xml\b/);
      assert.equal(feed.error, undefined);
      assert.equal(feed.root, 'http://www.w3.org/2005/Atom feed');
      assert.ok(feed.id && feed.updated, 'the feed’s id and date');
      assert.ok(feed.entries.length > 0 && feed.entries.length <= 50);
      const dates = feed.entries.map((entry) => Date.parse(entry.updated));
      assert.deepEqual(dates, [...dates].sort((a, b) => b - a), 'newest first');

      // The newest entry is the update just published, its HTML carried as escaped content.
      const [newest] = feed.entries;
      const latest = project.updates[0];
      assert.ok(newest.id.endsWith(`:project:${projectId}:update:${latest.id}`), newest.id);
      assert.equal(newest.title, `${project.title} — ${update.title}`);
      assert.equal(newest.contentType, 'html');
      assert.equal(newest.content, latest.body);
      // And every project's latest update is in the feed.
      for (const item of listedProjects) {
        const [last] = item.updates;
        if (last) assert.ok(feed.entries.some((entry) => entry.id.endsWith(`:project:${item.id}:update:${last.id}`)), `${item.title}: its latest update in the feed`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
    it('is reached from the top of the page with the keyboard: the skip link’s target takes focus, long widgets offer a way past', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      await page.goto(demo.server.url + '/', READY);
      await waitFor(async () => (await listed(page)).length > 0, 'the projects');
      await waitFor(
        () => page.evaluate(() => Boolean(document.querySelector('civic-participatory-map')?.shadowRoot?.querySelector('civic-map-view')?.shadowRoot?.querySelector('.leaflet-marker-icon'))),
        'the map’s markers',
      );
      const inTrackerNow = () => page.evaluate((host) => document.activeElement === document.querySelector(host), TRACKER);
      // The page's own skip link: its target, <main>, takes focus.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Aller au contenu');
      await page.keyboard.press('Enter');
      await waitFor(() => page.evaluate(() => document.activeElement?.id === 'contenu'), 'focus on the main content');

      // Tab only, from the top: every stop on the way counts.
      const count = async (skip) => {
        await page.evaluate(() => {
          document.activeElement?.blur();
          window.scrollTo(0, 0);
        });
        await page.focus('a.skip');
        for (let stops = 1; stops < 400; stops += 1) {
          if (await inTrackerNow()) return stops;
          const onSkip = await page.evaluate(() => {
            let element = document.activeElement;
            while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
            return element?.classList.contains('skip-past') && element.localName === 'a';
          });
          if (skip && onSkip) {
            // Enter on the way past, then Tab: two presses.
            await page.keyboard.press('Enter');
            stops += 1;
          }
          await page.keyboard.press('Tab');
        }
        return Infinity;
      };
      const plain = await count(false);
      const skipping = await count(true);
      const markers = await page.evaluate(() => {
        const icons = [...document.querySelector('civic-participatory-map').shadowRoot.querySelector('civic-map-view').shadowRoot.querySelectorAll('.leaflet-marker-icon[role=button]')];
        return { drawn: icons.length, stops: icons.filter((icon) => icon.tabIndex === 0).length };
      });
      console.log(`Key presses from the top of the demo page to the tracker: ${plain} with Tab only, ${skipping} using the widgets' skip links; markers drawn ${markers.drawn}, Tab stops among them ${markers.stops}`);
      assert.equal(markers.stops, 1);
      // The audit counted 146 before the markers became one stop and the widgets offered a way past.
      assert.ok(plain < 146, `${plain} Tab stops`);
      assert.ok(skipping < plain / 2, `${skipping} stops with the skip links, ${plain} without`);
      // The tracker's first stop is its own way past.
      assert.equal(await inTracker(page, (root) => root.activeElement?.className), 'skip-past');
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
