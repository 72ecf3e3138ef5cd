import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import type { Api } from '../support/client.js';
import { expectProblem } from './contract.js';

/**
 * The results tracker's REST contract, as any backend must honour it. It needs one tracker (the
 * demo's `realisations`, or the one named by CIVIC_TRACKER) with projects of several statuses, at
 * least one with an update, and changes nothing.
 */
export const contractTracker = process.env.CIVIC_TRACKER ?? 'realisations';

const STATUSES = ['planned', 'in-progress', 'done', 'cancelled'];
const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

type Project = { id: string; title: string; summary: string; status: string; budgetPlanned?: number; startsAt?: string; updatedAt: string; updates: Array<{ at: string }>; origins: Array<{ count: number }>; comments: number };

/** Parses XML as a browser would: a document with a parsererror element when it is not well formed. */
export function parseXml(text: string): Document {
  const { DOMParser } = new JSDOM('').window;
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  assert.equal(doc.getElementsByTagName('parsererror').length, 0, `not well-formed XML:\n${text.slice(0, 500)}`);
  return doc;
}

export function trackerContractSuite(context: () => Api): void {
  const api = () => context();
  const path = `/trackers/${encodeURIComponent(contractTracker)}`;
  const all = async (query = ''): Promise<Project[]> => {
    const items: Project[] = [];
    let cursor: string | undefined;
    do {
      const page = await api().get(`${path}/projects?limit=5${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  describe('results tracker', () => {
    it('serves a tracker with an overview of every status in order, and 404 for unknown ones', async () => {
      const tracker = (await api().get(path)).body;
      assert.equal(tracker.id, contractTracker);
      assert.match(tracker.currency, /^[A-Z]{3}$/);
      assert.deepEqual(tracker.overview.map((row: { status: string }) => row.status), STATUSES);
      const projects = await all();
      for (const row of tracker.overview) {
        const own = projects.filter((project) => project.status === row.status);
        assert.equal(row.projects, own.length, row.status);
        assert.equal(row.budgetPlanned, own.reduce((sum, project) => sum + (project.budgetPlanned ?? 0), 0), row.status);
      }
      assert.deepEqual(tracker.districts, [...tracker.districts].sort(collator.compare));
      assert.deepEqual(tracker.categories, [...tracker.categories].sort(collator.compare));
      expectProblem(await api().get('/trackers/no-such-tracker'), 404, 'not-found');
      expectProblem(await api().get('/trackers/no-such-tracker/projects'), 404, 'not-found');
      expectProblem(await api().get('/projects/no-such-project'), 404, 'not-found');
    });

    it('pages projects with a total and a cursor, each carrying its latest update only', async () => {
      const first = await api().get(`${path}/projects?limit=2`);
      assert.equal(first.status, 200);
      assert.ok(first.body.items.length <= 2 && first.body.total >= first.body.items.length);
      const projects = await all();
      assert.equal(projects.length, first.body.total);
      assert.equal(new Set(projects.map((project) => project.id)).size, projects.length, 'no project twice across pages');
      const updated = projects.map((project) => Date.parse(project.updatedAt));
      assert.deepEqual(updated, [...updated].sort((a, b) => b - a), 'most recently updated first by default');
      for (const project of projects) assert.ok(project.updates.length <= 1);
      const large = await api().get(`${path}/projects?limit=200`);
      assert.ok(large.body.items.length <= 50);
      expectProblem(await api().get(`${path}/projects?sort=loudest`), 400, 'validation');
      expectProblem(await api().get(`${path}/projects?status=finished`), 400, 'validation');
      expectProblem(await api().get(`${path}/projects?cursor=not-ours`), 400, 'validation');
      if (first.body.nextCursor) expectProblem(await api().get(`${path}/projects?sort=title&cursor=${encodeURIComponent(first.body.nextCursor)}`), 400, 'validation');
    });

    it('sorts by title, status, budget and start, and filters by status', async () => {
      const titles = (await all('&sort=title')).map((project) => project.title);
      assert.deepEqual(titles, [...titles].sort(collator.compare));
      const statuses = (await all('&sort=status')).map((project) => STATUSES.indexOf(project.status));
      assert.deepEqual(statuses, [...statuses].sort((a, b) => a - b));
      const budgets = (await all('&sort=budget')).map((project) => project.budgetPlanned ?? -1);
      const planned = budgets.filter((budget) => budget >= 0);
      assert.deepEqual(budgets, [...planned.sort((a, b) => b - a), ...budgets.filter((budget) => budget < 0)], 'largest first, none last');
      const starts = (await all('&sort=start')).map((project) => (project.startsAt ? Date.parse(project.startsAt) : Infinity));
      assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'earliest first, none last');
      for (const status of STATUSES) {
        for (const project of await all(`&status=${status}`)) assert.equal(project.status, status);
      }
    });

    it('searches titles and summaries whatever the case and the accents', async () => {
      const projects = await all();
      const word = projects.flatMap((project) => project.title.split(/\s+/)).find((candidate) => /[^\x00-\x7f]/.test(candidate) && candidate.length >= 5) ?? projects[0]!.title.split(/\s+/)[0]!;
      const expected = projects.filter((project) => fold(`${project.title}\n${project.summary}`).includes(fold(word))).map((project) => project.id).sort();
      for (const q of [word, fold(word), word.toUpperCase()]) {
        const found = (await all(`&q=${encodeURIComponent(q)}`)).map((project) => project.id).sort();
        assert.deepEqual(found, expected, q);
      }
    });

    it('serves a project with all its updates, newest first, and its origins with counts', async () => {
      const projects = await all();
      const withUpdates = projects.find((project) => project.updates.length > 0);
      assert.ok(withUpdates, 'the tracker needs a project with an update');
      const project = (await api().get(`/projects/${encodeURIComponent(withUpdates.id)}`)).body as Project;
      assert.ok(project.updates.length >= 1);
      assert.deepEqual(project.updates[0], withUpdates.updates[0], 'the listed update is the latest');
      const times = project.updates.map((update) => Date.parse(update.at));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      for (const origin of project.origins) assert.ok(Number.isInteger(origin.count) && origin.count >= 0);
      assert.ok(Number.isInteger(project.comments));
    });

    it('answers my contributions to participants only, with an empty page for a newcomer', async () => {
      expectProblem(await api().get(`${path}/my-contributions`), 401, 'unauthorised');
      const { token } = await api().session();
      const page = await api().get(`${path}/my-contributions`, { token });
      assert.equal(page.status, 200);
      assert.deepEqual(page.body.items, []);
      expectProblem(await api().get('/trackers/no-such-tracker/my-contributions', { token }), 404, 'not-found');
    });

    it('serves an Atom feed that parses, newest first, cached by ETag', async () => {
      const response = await api().get(`${path}/feed.atom`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/atom\+xml/);
      const doc = parseXml(response.body);
      const feed = doc.documentElement;
      assert.equal(feed.localName, 'feed');
      assert.equal(feed.namespaceURI, 'http://www.w3.org/2005/Atom');
      for (const name of ['id', 'title', 'updated']) assert.ok(feed.querySelector(`:scope > ${name}`)?.textContent, name);
      const entries = [...feed.getElementsByTagName('entry')];
      assert.ok(entries.length >= 1 && entries.length <= 50);
      const times = entries.map((entry) => Date.parse(entry.querySelector('updated')!.textContent!));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      for (const entry of entries) {
        for (const name of ['id', 'title', 'updated']) assert.ok(entry.querySelector(name)?.textContent, name);
        assert.equal(entry.querySelector('content')?.getAttribute('type'), 'html');
      }
      const etag = response.headers.get('etag');
      assert.ok(etag);
      const again = await api().get(`${path}/feed.atom`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      expectProblem(await api().get('/trackers/no-such-tracker/feed.atom'), 404, 'not-found');
    });
  });
}
