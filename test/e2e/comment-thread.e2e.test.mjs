// End to end: the demo council page, the real loader and CDN build, <civic-comment-thread> with
// the RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox
// ESR. Needs the build (`npm run build`); `npm test` builds first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, errorsOf, launchers, waitFor } from './support/harness.mjs';

const THREAD = 'civic-comment-thread[thread="budget-2027"]';

/** Whether a comment of the thread shows `text`. */
const showsComment = (page, text) =>
  page.evaluate(
    (selector, expected) =>
      [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll('[part~=comment] [part~=body]') ?? [])].some((body) => body.textContent.includes(expected)),
    THREAD,
    text,
  );

for (const [name, launch] of Object.entries(launchers)) {
  describe(`comment thread on the demo page in ${name}`, () => {
    const demo = demoSuite(launch, '/threads/budget-2027');

    it('posts a comment with the keyboard, then finds it again after a reload', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page);
      const text = `Un banc à l’ombre près de l’arrêt de car, s’il vous plaît (${name}).`;
      const before = (await (await fetch(`${demo.server.url}/api/v1/threads/budget-2027`)).json()).comments;
      await page.goto(demo.server.url + '/', { waitUntil: 'load' });
      await waitFor(() => showsComment(page, 'jardins partagés du Clos-Moreau'), 'the seeded debate');

      // Keyboard only: the first stance of the composer, Space to choose it, Tab to the text, type, Tab to "post", Enter.
      await page.evaluate((selector) => document.querySelector(selector).shadowRoot.querySelector('form.composer input[type=radio]').focus(), THREAD);
      await page.keyboard.press(' ');
      await page.keyboard.press('Tab');
      const field = await page.evaluate((selector) => document.querySelector(selector).shadowRoot.activeElement?.tagName, THREAD);
      assert.equal(field, 'TEXTAREA');
      await page.keyboard.type(text);
      let submit;
      for (let i = 0; i < 5 && !submit; i += 1) {
        await page.keyboard.press('Tab');
        submit = await page.evaluate((selector) => {
          const active = document.querySelector(selector).shadowRoot.activeElement;
          return active?.getAttribute('type') === 'submit' ? active.textContent.trim() : undefined;
        }, THREAD);
      }
      assert.ok(submit, 'Tab reaches the submit button');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await (await fetch(`${demo.server.url}/api/v1/threads/budget-2027`)).json()).comments === before + 1, 'the comment on the server');
      await waitFor(() => showsComment(page, text), 'the posted comment on the page');

      await page.reload({ waitUntil: 'load' });
      await waitFor(() => showsComment(page, text), 'the comment after a reload');
      assert.equal((await (await fetch(`${demo.server.url}/api/v1/threads/budget-2027`)).json()).comments, before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
