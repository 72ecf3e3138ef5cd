import { expect, waitUntil } from '@open-wc/testing';
import type { ContributionFate, LiveMessage, Page, TrackedProject, Tracker, TrackerLiveEvent } from '../../packages/core/src/contract/types.js';
import { BASE, adapterWith, json, problem, rejection, type Call } from '../support/rest.js';

const STORAGE_KEY = `civic-widgets:session:${BASE}`;

/** A Storage holding what a page would have kept from an earlier visit. */
function storageWith(entries: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(entries));
  return {
    get length() {
      return items.size;
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
  };
}

const kept = (token: string) =>
  storageWith({ [STORAGE_KEY]: JSON.stringify({ token, participantId: 'participant-9', verification: 'anonymous', expiresAt: '2099-01-01T00:00:00Z' }) });

const tracker: Tracker = {
  id: 'belvoir/realisations',
  title: 'Belvoir avance',
  statusLabels: { planned: 'À l’étude' },
  currency: 'EUR',
  districts: ['Centre-ville', 'Les Îles'],
  categories: ['Mobilité'],
  overview: [
    { status: 'planned', projects: 1, budgetPlanned: 18_000, budgetSpent: 0 },
    { status: 'in-progress', projects: 1, budgetPlanned: 480_000, budgetSpent: 190_000 },
    { status: 'done', projects: 0, budgetPlanned: 0, budgetSpent: 0 },
    { status: 'cancelled', projects: 0, budgetPlanned: 0, budgetSpent: 0 },
  ],
};

const project: TrackedProject = {
  id: 'piste/lycee',
  trackerId: 'belvoir/realisations',
  title: 'Piste cyclable du lycée Jean-Zay',
  summary: 'Une piste séparée de la route.',
  status: 'in-progress',
  progress: 45,
  budgetPlanned: 480_000,
  budgetSpent: 190_000,
  district: 'Les Îles',
  category: 'Mobilité',
  origins: [{ kind: 'idea', id: 'bv-piste', title: 'Une piste cyclable', count: 48 }],
  updates: [{ id: 'maj-3', at: '2027-03-04T12:00:00+01:00', body: '<p>Presque terminée.</p>', progress: 45 }],
  comments: 3,
  updatedAt: '2027-03-04T12:00:00+01:00',
};

const projects: Page<TrackedProject> = { items: [project], nextCursor: 'suite+/=', total: 15 };

const fates: Page<ContributionFate> = {
  items: [
    {
      kind: 'idea',
      id: 'bv-bancs-quais',
      title: 'Des bancs le long des quais',
      at: '2027-02-08T12:00:00+01:00',
      outcome: 'in-project',
      project: { id: 'bancs-quais', title: 'Des bancs le long des quais de Loire', status: 'planned' },
    },
  ],
  nextCursor: 'page-2',
  total: 20,
};

const line = (call: Call) => `${call.method} ${call.url}`;

describe('RestAdapter tracker', () => {
  describe('reads', () => {
    it('gets a tracker at its URL-encoded path, with no token and no session created', async () => {
      const { adapter, calls } = adapterWith(() => json(200, tracker));
      expect(await adapter.tracker.getTracker('belvoir/realisations')).to.deep.equal(tracker);
      expect(calls.map(line)).to.deep.equal([`GET ${BASE}/trackers/belvoir%2Frealisations`]);
      expect(calls[0]!.headers.get('Authorization')).to.be.null;
      expect(calls[0]!.headers.get('Accept')).to.contain('application/json');
      expect(calls[0]!.body).to.be.undefined;
    });

    it('lists projects without a query string when nothing is asked', async () => {
      const { adapter, calls } = adapterWith(() => json(200, projects));
      expect(await adapter.tracker.listProjects('belvoir/realisations')).to.deep.equal(projects);
      expect(calls.map(line)).to.deep.equal([`GET ${BASE}/trackers/belvoir%2Frealisations/projects`]);
    });

    it('sends the filters, search, sort, cursor and limit as encoded query values', async () => {
      const { adapter, calls } = adapterWith(() => json(200, projects));
      await adapter.tracker.listProjects('belvoir/realisations', {
        status: 'in-progress',
        district: 'Les Îles & Saint-Lubin',
        category: 'Vie de quartier',
        q: 'école?',
        sort: 'budget',
        cursor: 'suite+/=',
        limit: 50,
      });
      const url = new URL(calls[0]!.url);
      expect(url.origin + url.pathname).to.equal(`${BASE}/trackers/belvoir%2Frealisations/projects`);
      expect(calls[0]!.url).to.contain('district=Les+%C3%8Eles+%26+Saint-Lubin');
      expect(calls[0]!.url).to.contain('cursor=suite%2B%2F%3D');
      expect([...url.searchParams]).to.deep.equal([
        ['status', 'in-progress'],
        ['district', 'Les Îles & Saint-Lubin'],
        ['category', 'Vie de quartier'],
        ['q', 'école?'],
        ['sort', 'budget'],
        ['cursor', 'suite+/='],
        ['limit', '50'],
      ]);
    });

    it('gets one project', async () => {
      const { adapter, calls } = adapterWith(() => json(200, project));
      expect(await adapter.tracker.getProject('piste/lycee')).to.deep.equal(project);
      expect(calls.map(line)).to.deep.equal([`GET ${BASE}/projects/piste%2Flycee`]);
    });

    it('follows a tracker’s projects on its live topic', async () => {
      let stream!: ReadableStreamDefaultController<Uint8Array>;
      const { adapter, calls } = adapterWith(
        () =>
          new Response(new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) }), {
            status: 200,
            headers: { 'Content-Type': 'text/event-stream' },
          }),
      );
      const received: LiveMessage<TrackerLiveEvent>[] = [];
      const stop = adapter.subscribe<TrackerLiveEvent>('tracker:belvoir:projects', (message) => received.push(message));
      await waitUntil(() => calls.length === 1 && stream !== undefined);
      expect(calls[0]!.url).to.equal(`${BASE}/events?topic=tracker%3Abelvoir%3Aprojects`);
      const event = { type: 'updated', project };
      stream.enqueue(new TextEncoder().encode(`id: 7\nevent: tracker:belvoir:projects\ndata: ${JSON.stringify(event)}\n\n`));
      await waitUntil(() => received.length === 1);
      expect(received[0]).to.deep.equal({ topic: 'tracker:belvoir:projects', id: '7', payload: event });
      stop();
    });
  });

  describe('my contributions', () => {
    it('answers an empty page without asking anyone when there is no token, and creates no session', async () => {
      const { adapter, calls } = adapterWith(() => json(200, fates));
      expect(await adapter.tracker.myContributions('belvoir/realisations')).to.deep.equal({ items: [], total: 0 });
      expect(await adapter.tracker.myContributions('belvoir/realisations', { limit: 5 })).to.deep.equal({ items: [], total: 0 });
      expect(calls).to.deep.equal([]);
    });

    it('answers an empty page when the host knows nobody and nothing is stored', async () => {
      const { adapter, calls } = adapterWith(() => json(200, fates), { token: () => undefined, storage: storageWith() });
      expect(await adapter.tracker.myContributions('belvoir')).to.deep.equal({ items: [], total: 0 });
      expect(calls).to.deep.equal([]);
    });

    it('asks with the host’s token, the cursor and the limit', async () => {
      const { adapter, calls } = adapterWith(() => json(200, fates), { token: async () => 'signe-par-la-mairie' });
      expect(await adapter.tracker.myContributions('belvoir/realisations', { cursor: 'page 2', limit: 10 })).to.deep.equal(fates);
      expect(calls.map(line)).to.deep.equal([`GET ${BASE}/trackers/belvoir%2Frealisations/my-contributions?cursor=page+2&limit=10`]);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer signe-par-la-mairie');
    });

    it('asks with the anonymous token kept from an earlier visit', async () => {
      const { adapter, calls } = adapterWith(() => json(200, fates), { storage: kept('jeton-garde') });
      expect(await adapter.tracker.myContributions('belvoir')).to.deep.equal(fates);
      expect(calls.map(line)).to.deep.equal([`GET ${BASE}/trackers/belvoir/my-contributions`]);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer jeton-garde');
    });

    it('asks with the anonymous token a contribution made on this page', async () => {
      const { adapter, calls } = adapterWith((call) => (call.method === 'PUT' ? json(200, {}) : json(200, fates)));
      await adapter.ideas.support('bv-piste', { idempotencyKey: 'cle-1' });
      await adapter.tracker.myContributions('belvoir');
      expect(calls.map(line)).to.deep.equal([
        `POST ${BASE}/session`,
        `PUT ${BASE}/ideas/bv-piste/support`,
        `GET ${BASE}/trackers/belvoir/my-contributions`,
      ]);
      expect(calls[2]!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });

    it('forgets a refused anonymous token and answers an empty page, still creating no session', async () => {
      const storage = kept('jeton-perime');
      const { adapter, calls } = adapterWith(() => problem(401, { code: 'unauthorised' }), { storage });
      expect(await adapter.tracker.myContributions('belvoir')).to.deep.equal({ items: [], total: 0 });
      expect(storage.getItem(STORAGE_KEY)).to.be.null;
      expect(calls.some((call) => call.url.endsWith('/session'))).to.be.false;
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer jeton-perime');
      expect(await adapter.tracker.myContributions('belvoir')).to.deep.equal({ items: [], total: 0 });
      expect(calls).to.have.length(2);
    });

    it('lets a refused host token and other failures through', async () => {
      const refused = adapterWith(() => problem(401, { code: 'unauthorised' }), { token: () => 'perime' });
      expect((await rejection(refused.adapter.tracker.myContributions('belvoir'))).kind).to.equal('unauthorised');
      const gone = adapterWith(() => problem(404, { code: 'not-found' }), { token: () => 'jeton' });
      expect((await rejection(gone.adapter.tracker.myContributions('inconnu'))).kind).to.equal('not-found');
    });

    it('gives up at once when the caller already has', async () => {
      const { adapter, calls } = adapterWith(() => json(200, fates));
      const controller = new AbortController();
      controller.abort(new DOMException('stop', 'AbortError'));
      let error: unknown;
      try {
        await adapter.tracker.myContributions('belvoir', {}, { signal: controller.signal });
      } catch (caught) {
        error = caught;
      }
      expect((error as DOMException).name).to.equal('AbortError');
      expect(calls).to.deep.equal([]);
    });
  });

  describe('errors', () => {
    it('maps an unknown tracker or project, and keeps the field errors of a refused query', async () => {
      const { adapter } = adapterWith((call) =>
        call.url.includes('/projects?')
          ? problem(422, { errors: [{ field: 'cursor', message: 'Start again from the first page' }, { field: 'sort', message: 'Unknown sort' }] })
          : problem(404, { code: 'not-found', detail: 'There is no tracker' }),
      );
      const missing = await rejection(adapter.tracker.getTracker('inconnu'));
      expect(missing.kind).to.equal('not-found');
      expect(missing.message).to.equal('There is no tracker');
      expect((await rejection(adapter.tracker.getProject('inconnu'))).kind).to.equal('not-found');
      const refused = await rejection(adapter.tracker.listProjects('belvoir', { cursor: 'vieux' }));
      expect(refused.kind).to.equal('validation');
      expect(refused.fieldErrors).to.deep.equal({ cursor: 'Start again from the first page', sort: 'Unknown sort' });
    });

    it('retries a listing after a server error', async () => {
      const { adapter, calls } = adapterWith((_, index) => (index === 0 ? problem(503, {}) : json(200, projects)), {
        retry: { retries: 1, baseDelayMs: 1 },
      });
      expect(await adapter.tracker.listProjects('belvoir', { status: 'done' })).to.deep.equal(projects);
      expect(calls.map(line)).to.deep.equal([
        `GET ${BASE}/trackers/belvoir/projects?status=done`,
        `GET ${BASE}/trackers/belvoir/projects?status=done`,
      ]);
    });
  });
});
