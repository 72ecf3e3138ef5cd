// End to end: the demo council page, the real loader and CDN build, <civic-idea-box> with
// the RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox
// ESR. Needs the build (`npm run build`); `npm test` builds first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, errorsOf, launchers, waitFor } from './support/harness.mjs';

const BOX = 'civic-idea-box[box="belvoir-idees"]';
const API = (server, path) => fetch(`${server.url}/api/v1${path}`).then((response) => response.json());

/** Titles of the ideas the element lists. */
const titles = (page) =>
  page.evaluate((selector) => [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('[part~=idea-title]') ?? [])].map((title) => title.textContent.trim()), BOX);

/** The element's focused control: its id, or its type for buttons. */
const active = (page) =>
  page.evaluate((selector) => {
    const element = document.querySelector(selector).shadowRoot.activeElement;
    return element ? element.id || element.getAttribute('type') || element.tagName : undefined;
  }, BOX);

/** Tabs until the element's focus is on `target` (an id, or `submit`). */
async function tabTo(page, target) {
  for (let i = 0; i < 12; i += 1) {
    if ((await active(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab does not reach ${target}`);
}

for (const [name, launch] of Object.entries(launchers)) {
  describe(`idea box on the demo page in ${name}`, () => {
    const demo = demoSuite(launch, '/idea-boxes/belvoir-idees');

    it('proposes an idea with the keyboard, supports another, and finds both after a reload', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const title = `Des toilettes publiques au port (${name})`;
      const body = 'Les promeneurs des quais et les familles du port n’ont aucune toilette publique ouverte le week-end.';
      const seeded = 'Des bancs le long des quais de Loire';
      await page.goto(demo.server.url + '/', { waitUntil: 'load' });
      await waitFor(async () => (await titles(page)).includes(seeded), 'the seeded ideas');

      // Keyboard only: Enter on "propose", type the title, Tab to the text, type, Tab to the category, pick one, Tab to "send", Enter.
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#propose').focus(), BOX);
      await page.keyboard.press('Enter');
      await waitFor(async () => page.evaluate((selector) => Boolean(document.querySelector(selector).shadowRoot.querySelector('#idea-title')), BOX), 'the proposal form');
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#idea-title').focus(), BOX);
      await page.keyboard.type(title);
      await tabTo(page, 'idea-body');
      await page.keyboard.type(body);
      await tabTo(page, 'idea-category');
      await page.keyboard.press('ArrowDown');
      await waitFor(
        async () => page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('#idea-category').value !== '', BOX),
        'a category chosen with the keyboard',
      );
      await tabTo(page, 'submit');
      await page.keyboard.press('Enter');
      const search = `/idea-boxes/belvoir-idees/ideas?q=${encodeURIComponent(title)}`;
      await waitFor(async () => (await API(demo.server, search)).total === 1, 'the idea on the server');
      await waitFor(async () => (await titles(page)).includes(title), 'the proposed idea on the page');

      // Support a seeded idea.
      const target = (await API(demo.server, '/idea-boxes/belvoir-idees/ideas?limit=50')).items.find((idea) => idea.title === seeded);
      await page.evaluate((selector, id) => document.querySelector(selector).shadowRoot.querySelector(`[data-action=support][data-id="${id}"]`).click(), BOX, target.id);
      await waitFor(async () => (await API(demo.server, `/ideas/${target.id}`)).supports === target.supports + 1, 'the support on the server');

      await page.reload({ waitUntil: 'load' });
      await waitFor(async () => (await titles(page)).includes(title), 'the proposed idea after a reload');
      await waitFor(
        async () =>
          page.evaluate(
            (selector, id) => document.querySelector(selector).shadowRoot.querySelector(`[data-action=support][data-id="${id}"]`)?.getAttribute('aria-pressed') === 'true',
            BOX,
            target.id,
          ),
        'the support shown as given after a reload',
      );
      assert.equal((await API(demo.server, `/ideas/${target.id}`)).supports, target.supports + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
