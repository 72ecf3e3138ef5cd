// End to end: the demo council page, the real loader and CDN build, <civic-poll> with the
// RestAdapter, against the reference server on a fresh SQLite file, in Chromium and Firefox ESR.
// Needs the build (`npm run build`); `npm test` builds first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, errorsOf, launchers, shadowText } from './support/harness.mjs';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
process.env.ADMIN_KEY = ADMIN_KEY;

async function ballots(server, pollId) {
  const response = await fetch(`${server.url}/api/v1/admin/polls/${pollId}/results`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  if (response.ok) return (await response.json()).ballots;
  // Fall back on the public results when the poll shows them to anyone.
  return (await (await fetch(`${server.url}/api/v1/polls/${pollId}/results`)).json()).ballots;
}

/** Text of an element inside a poll's shadow root, or null. */
const pollText = (page, pollId, selector) => shadowText(page, `civic-poll[poll="${pollId}"]`, selector);

async function waitForText(page, pollId, selector, expected, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await pollText(page, pollId, selector);
    if (last !== null && last.includes(expected)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${pollId} ${selector}: expected “${expected}”, last saw “${last}”`);
}

/** Keyboard only: focus the first option, move to the second with an arrow, Tab to “Voter”, Enter. */
async function voteSecondOptionWithKeyboard(page, pollId) {
  await page.evaluate((id) => document.querySelector(`civic-poll[poll="${id}"]`).shadowRoot.querySelector('input[type=radio]').focus(), pollId);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate((id) => document.querySelector(`civic-poll[poll="${id}"]`).shadowRoot.activeElement?.textContent?.trim(), pollId);
  assert.equal(focused, 'Voter');
  await page.keyboard.press('Enter');
}

// A vote attempted while the server is down logs the browser's own network error.
const NETWORK_ERROR = /Failed to load resource|NetworkError|ERR_CONNECTION/;

for (const [name, launch] of Object.entries(launchers)) {
  describe(`demo page in ${name}`, () => {
    const demo = demoSuite(launch, '/polls/budget-2027');

    it('votes with the keyboard, then finds the vote again after a reload', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page, NETWORK_ERROR);
      const before = await ballots(demo.server, 'budget-2027');
      await page.goto(demo.server.url + '/', { waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '[part~=title]', 'Budget participatif 2027');
      await voteSecondOptionWithKeyboard(page, 'budget-2027');
      await waitForText(page, 'budget-2027', '#outcome', 'Merci, votre vote est enregistré');
      assert.equal(await ballots(demo.server, 'budget-2027'), before + 1);

      await page.reload({ waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '#outcome', 'Vous avez voté à cette consultation');
      assert.equal(await ballots(demo.server, 'budget-2027'), before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('keeps a vote made while the server is down, and sends it once when it is back', async () => {
      const context = await demo.browser.createBrowserContext();
      const page = await context.newPage();
      const errors = errorsOf(page, NETWORK_ERROR);
      const before = await ballots(demo.server, 'budget-2027');
      await page.goto(demo.server.url + '/', { waitUntil: 'load' });
      await waitForText(page, 'budget-2027', '[part~=title]', 'Budget participatif 2027');
      await demo.server.stop();
      await voteSecondOptionWithKeyboard(page, 'budget-2027');
      await waitForText(page, 'budget-2027', '#outcome', 'Votre vote est enregistré sur cet appareil');
      await demo.server.start();
      // The outbox retries on its own with backoff; the browser's "online" event makes it try at once.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitForText(page, 'budget-2027', '#outcome', 'Merci, votre vote est enregistré', 30_000);
      assert.equal(await ballots(demo.server, 'budget-2027'), before + 1);
      // Flushing again sends nothing twice.
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await ballots(demo.server, 'budget-2027'), before + 1);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
