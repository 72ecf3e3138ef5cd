// End to end: the demo page as a whole, on a phone-sized screen, over plain HTTP/1.1 (six
// connections per host), in Chromium and Firefox ESR: every kind of widget and six polls on one
// page, through the real loader and CDN build, against the reference server on a fresh SQLite file.
// - Nothing is sent to create a participant, and nothing is stored on the device (no storage entry,
//   no database, no cookie), until the citizen acts; the first write creates exactly one session.
// - Voting, commenting, supporting an idea, reporting on the map and opening a project are each
//   confirmed within 2 s, while the page never holds more than one event stream.
// - Two tabs of the site share one event stream, and the second takes it over when the first closes.
// - The page does not jump while its widgets load: layout shift at most 0.05 (Chromium's
//   layout-shift entries, and the same formula over the page's blocks in both browsers).
// Needs the build (`npm run build`); `npm test` builds first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoSuite, errorsOf, inShadow, launchers, waitFor } from './support/harness.mjs';
import { observeShifts } from './support/layout-shift.mjs';

const POLLS = ['budget-2027', 'velo-centre', 'priorites-quartier', 'satisfaction-parcs', 'marche-nocturne', 'nom-mediatheque'];
const THREAD = 'civic-comment-thread[thread="budget-2027"]';
const BOX = 'civic-idea-box[box="belvoir-idees"]';
const MAP = 'civic-participatory-map[map="signalements"]';
const TRACKER = 'civic-results-tracker[tracker="realisations"]';
const PHONE = { width: 390, height: 844 };
// The map may fail to reach its tile server (no network): not a reason to wait for `load`.
const READY = { waitUntil: 'domcontentloaded' };
const CONFIRMED_WITHIN_MS = 2000;

/**
 * Runs in the page before its scripts: records each request the widgets make with fetch, and how
 * many event streams are open at once (from the request until its body ends or is cancelled).
 */
function instrument() {
  const log = (window.__civic = { requests: [], streams: 0, maxStreams: 0 });
  const original = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    log.requests.push(`${method} ${url.pathname}`);
    if (url.pathname !== '/api/v1/events') return original(input, init);
    log.streams += 1;
    log.maxStreams = Math.max(log.maxStreams, log.streams);
    log.opened = (log.opened ?? 0) + 1;
    let open = true;
    const close = () => {
      if (open) log.streams -= 1;
      open = false;
    };
    // Closed as the page sees it: aborted, cancelled by its reader, or ended.
    init.signal?.addEventListener('abort', close);
    try {
      const response = await original(input, init);
      if (!response.body) {
        close();
        return response;
      }
      const reader = response.body.getReader();
      const body = new ReadableStream({
        async pull(controller) {
          try {
            const { value, done } = await reader.read();
            if (done) {
              close();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            close();
            controller.error(error);
          }
        },
        cancel(reason) {
          close();
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      close();
      throw error;
    }
  };
}

const record = (page) => page.evaluate(() => ({ ...window.__civic, requests: [...window.__civic.requests] }));

/** Everything the page keeps on the device. */
const deviceState = (page) =>
  page.evaluate(async () => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    databases: (await indexedDB.databases()).map((database) => database.name),
    cookie: document.cookie,
  }));

const pollTitle = (page, id) => inShadow(page, `civic-poll[poll="${id}"]`, (root) => root?.querySelector('[part~=title]')?.textContent.trim() ?? '');

/** Waits for `condition` at most CONFIRMED_WITHIN_MS after `act` ran; returns the time taken. */
async function confirmed(act, condition, what) {
  const started = Date.now();
  await act();
  await waitFor(condition, what, CONFIRMED_WITHIN_MS);
  return Date.now() - started;
}

/** Someone else's comment on the debate, through the API, as another resident posts it. */
async function commentFromElsewhere(server, body) {
  const session = await (await fetch(`${server.url}/api/v1/session`, { method: 'POST' })).json();
  const response = await fetch(`${server.url}/api/v1/threads/budget-2027/comments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ body, stance: 'for' }),
  });
  assert.equal(response.status, 201, await response.text());
}

/** The thread's "N new comments — show" button, once a live comment has come. */
const newComments = (page) => inShadow(page, THREAD, (root) => root?.querySelector('[part~=new-comments]')?.textContent.trim() ?? '');

/**
 * The demo page in a new tab (of `context`, or of a new context), once every widget shows its
 * content. Requests whose address `unreachable` matches fail as they do offline, until
 * `reachable()` is called; the browser's own report of each is then not counted as an error.
 */
async function openPage(demo, name, { context, viewport = PHONE, before = instrument, unreachable } = {}) {
  context ??= await demo.browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument(before);
  const errors = errorsOf(page, name === 'firefox' ? /NetworkError/ : unreachable ? /Failed to load resource/ : undefined);
  let offline = Boolean(unreachable);
  if (unreachable) {
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (offline && unreachable.test(request.url())) void request.abort('internetdisconnected');
      else void request.continue();
    });
  }
  const reachable = () => (offline = false);
  await page.goto(demo.server.url + '/', READY);
  for (const id of POLLS) await waitFor(async () => (await pollTitle(page, id)) !== '', `the poll ${id}`, 20_000);
  await waitFor(() => inShadow(page, THREAD, (root) => (root?.querySelectorAll('[part~=comment]').length ?? 0) > 0), 'the comments');
  await waitFor(() => inShadow(page, BOX, (root) => (root?.querySelectorAll('[part~=idea-title]').length ?? 0) > 0), 'the ideas');
  await waitFor(() => inShadow(page, MAP, (root) => (root?.querySelectorAll('[part~=list] [data-action=open]').length ?? 0) > 0), 'the reports');
  await waitFor(() => inShadow(page, TRACKER, (root) => (root?.querySelectorAll('[part~=list] [part~=project]').length ?? 0) > 0), 'the projects');
  return { context, page, errors, reachable };
}

for (const [name, launch] of Object.entries(launchers)) {
  describe(`the demo page as a whole in ${name}`, () => {
    const demo = demoSuite(launch, '/polls/budget-2027');

    it('sends nothing to create a participant and stores nothing before the citizen acts; the first vote creates one session', async () => {
      const { context, page, errors } = await openPage(demo, name);

      // Read as a visitor does: scroll down the page, open a report and a project, change sorts.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0; y <= height; y += PHONE.height / 2) await page.evaluate((top) => window.scrollTo(0, top), y);
      await inShadow(page, MAP, (root) => root.querySelector('[part~=list] [data-action=open]').click());
      await waitFor(() => inShadow(page, MAP, (root) => Boolean(root.querySelector('#detail-title, [part~=detail]'))), 'a report opened');
      await inShadow(page, TRACKER, (root) => root.querySelector('[part~=list] [data-action=open]').click());
      await waitFor(() => inShadow(page, TRACKER, (root) => Boolean(root.querySelector('#detail-title'))), 'a project opened');
      for (const host of [THREAD, BOX]) {
        await inShadow(page, host, (root) => {
          const sort = root.querySelector('#sort');
          sort.value = sort.options[sort.options.length - 1].value;
          sort.dispatchEvent(new Event('change', { bubbles: true }));
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));

      const read = await record(page);
      assert.deepEqual(read.requests.filter((request) => !request.startsWith('GET ')), [], 'only reads before the citizen acts');
      assert.ok(!read.requests.some((request) => request.endsWith('/session')), 'no request about the session');
      assert.deepEqual(await deviceState(page), { localStorage: [], sessionStorage: [], databases: [], cookie: '' });
      assert.deepEqual(await page.cookies(), []);

      // The first vote: one participant, one token kept for it.
      await inShadow(page, 'civic-poll[poll="budget-2027"]', (root) => {
        root.querySelectorAll('input[type=radio]')[1].click();
        root.querySelector('form [type=submit]').click();
      });
      await waitFor(async () => (await inShadow(page, 'civic-poll[poll="budget-2027"]', (root) => root.querySelector('#outcome')?.textContent ?? '')).includes('Merci'), 'the vote recorded');
      const voted = await record(page);
      assert.deepEqual(voted.requests.filter((request) => request === 'POST /api/v1/session'), ['POST /api/v1/session']);
      const kept = (await deviceState(page)).localStorage.filter((key) => key.startsWith('civic-widgets:session:'));
      assert.deepEqual(kept, ['civic-widgets:session:/api/v1']);
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('shares one event stream between two tabs of the site, and hands it over when the first tab closes', async () => {
      const first = await openPage(demo, name);
      const second = await openPage(demo, name, { context: first.context });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [a, b] = [await record(first.page), await record(second.page)];
      assert.deepEqual([a.streams, b.streams], [1, 0], 'the first tab carries the stream of both');
      assert.equal(b.opened ?? 0, 0, 'the second tab never opened one');

      // A comment posted elsewhere reaches the second tab through the first tab's stream.
      await commentFromElsewhere(demo.server, `Premier message en direct (${name}).`);
      await waitFor(async () => /1/.test(await newComments(second.page)), 'the live comment in the second tab');

      await first.page.close();
      await waitFor(async () => (await record(second.page)).streams === 1, 'the second tab took the stream over');
      await commentFromElsewhere(demo.server, `Second message en direct (${name}).`);
      await waitFor(async () => /2/.test(await newComments(second.page)), 'the second live comment, through its own stream');
      assert.deepEqual([...first.errors, ...second.errors], []);
      await first.context.close();
    });

    it('follows its widgets live again once back online, when the live script could not be fetched at first', async () => {
      // The page loads, then the network drops just as its widgets ask for the stream's own chunk.
      const { context, page, errors, reachable } = await openPage(demo, name, { unreachable: /\/core-event-stream-[^/]*\.js/ });
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await record(page)).opened ?? 0, 0, 'no stream while its script is out of reach');

      reachable();
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await waitFor(async () => (await record(page)).streams === 1, 'the stream, once back online');
      await commentFromElsewhere(demo.server, `Message en direct après une coupure (${name}).`);
      await waitFor(async () => /1/.test(await newComments(page)), 'the live comment');
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('keeps still while its widgets load: layout shift at most 0.05 on a phone and a desktop screen', async () => {
      for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
        const { context, page, errors } = await openPage(demo, name, { viewport, before: observeShifts });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const shifts = await page.evaluate(() => window.__shifts);
        const screen = `${viewport.width}×${viewport.height}`;
        if (shifts.supported) assert.ok(shifts.cls <= 0.05, `${screen}: layout shift ${shifts.cls.toFixed(3)}`);
        assert.ok(shifts.shift <= 0.05, `${screen}: the page's blocks shifted by ${shifts.shift.toFixed(3)}`);
        assert.deepEqual(errors, []);
        await context.close();
      }
    });

    it('confirms a vote, a comment, a support, a map report and an opened project within 2 s each, with one event stream at most', async () => {
      const { context, page, errors } = await openPage(demo, name);
      const times = {};

      times.vote = await confirmed(
        () =>
          inShadow(page, 'civic-poll[poll="budget-2027"]', (root) => {
            root.querySelectorAll('input[type=radio]')[2].click();
            root.querySelector('form [type=submit]').click();
          }),
        async () => (await inShadow(page, 'civic-poll[poll="budget-2027"]', (root) => root.querySelector('#outcome')?.textContent ?? '')).includes('Merci'),
        'the vote confirmed',
      );
      // The vote makes the page follow the poll's results: now or never would a stream too many open.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const comment = `Des bancs à l’ombre sur la place, s’il vous plaît (${name}).`;
      times.comment = await confirmed(
        async () => {
          await inShadow(page, THREAD, (root) => {
            root.querySelector('form.composer input[type=radio]').click();
            root.querySelector('form.composer textarea').focus();
          });
          await page.keyboard.type(comment, { delay: 0 });
          await inShadow(page, THREAD, (root) => root.querySelector('form.composer [type=submit]').click());
        },
        () => inShadow(page, THREAD, (root, text) => [...root.querySelectorAll('[part~=comment] [part~=body]')].some((body) => body.textContent.includes(text)), comment),
        'the comment shown',
      );

      times.support = await confirmed(
        () => inShadow(page, BOX, (root) => root.querySelector('[data-action=support][aria-pressed=false]').click()),
        () => inShadow(page, BOX, (root) => Boolean(root.querySelector('[data-action=support][aria-pressed=true]'))),
        'the support given',
      );

      const description = `Lampadaire éteint devant l’école depuis trois soirs (${name}).`;
      await inShadow(page, MAP, (root) => root.querySelector('#report').click());
      await waitFor(() => inShadow(page, MAP, (root) => Boolean(root.querySelector('#report-category'))), 'the report form');
      await inShadow(page, MAP, (root) => {
        const category = root.querySelector('#report-category');
        category.value = category.options[1].value;
        category.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await inShadow(page, MAP, (root) => {
        const set = (element, value) => {
          element.value = value;
          element.dispatchEvent(new Event(element.localName === 'select' ? 'change' : 'input', { bubbles: true }));
        };
        for (const field of root.querySelectorAll('[id^=report-attr-]')) {
          if (field.localName === 'select') set(field, field.options[1].value);
          else if (field.type === 'checkbox') field.click();
          // Every free answer of the seeded categories takes a number.
          else set(field, '40');
        }
        set(root.querySelector('#report-address'), '3 rue de l’École');
      });
      await inShadow(page, MAP, (root) => root.querySelector('#report-description').focus());
      await page.keyboard.type(description, { delay: 0 });
      times.report = await confirmed(
        () => inShadow(page, MAP, (root) => root.querySelector('form [type=submit]').click()),
        async () => /Votre signalement est (publié|en attente de modération)/.test(await inShadow(page, MAP, (root) => root.querySelector('#announcement')?.textContent ?? '')),
        'the report acknowledged',
      );

      times.project = await confirmed(
        () => inShadow(page, TRACKER, (root) => root.querySelector('[part~=list] [data-action=open]').click()),
        () => inShadow(page, TRACKER, (root) => Boolean(root.querySelector('#detail-title'))),
        'the project opened',
      );

      const seen = await record(page);
      assert.ok(seen.requests.includes('GET /api/v1/events'), 'the page follows its widgets live');
      assert.equal(seen.maxStreams, 1, `at most one event stream at a time (${seen.opened} opened; ${JSON.stringify(times)} ms)`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
