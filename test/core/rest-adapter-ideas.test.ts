import { expect } from '@open-wc/testing';
import type { Idea, IdeaBox, Page } from '../../packages/core/src/contract/types.js';
import { BASE, adapterWith, json, problem, rejection } from '../support/rest.js';

const box: IdeaBox = {
  id: 'boite/2027',
  title: 'Boîte à idées 2027',
  categories: [{ id: 'mobilite', label: 'Mobilité', color: '#1d5fa8' }],
  supportLimit: 3,
  preModeration: false,
  requiredVerification: 'anonymous',
  allowImages: true,
  allowLocation: true,
  autoHideReports: 5,
};

const idea: Idea = {
  id: 'idee/42',
  boxId: 'boite/2027',
  title: 'Des bancs à l’ombre au parc des Tilleuls',
  body: 'Les bancs près de l’aire de jeux sont en plein soleil.',
  categoryId: 'mobilite',
  status: 'submitted',
  moderation: 'published',
  supports: 58,
  comments: 3,
  createdAt: '2027-03-05T10:00:00+01:00',
};

const page: Page<Idea> = { items: [idea], nextCursor: 'opaque+/=', total: 24 };
const write = (key = 'b6f2c1e0-0000-4000-8000-000000000042') => ({ idempotencyKey: key });

describe('RestAdapter ideas', () => {
  describe('reads', () => {
    it('gets a box at its URL-encoded path, with no token and no session created', async () => {
      const { adapter, calls } = adapterWith(() => json(200, box));
      expect(await adapter.ideas.getBox('boite/2027')).to.deep.equal(box);
      expect(calls).to.have.length(1);
      expect(`${calls[0]!.method} ${calls[0]!.url}`).to.equal(`GET ${BASE}/idea-boxes/boite%2F2027`);
      expect(calls[0]!.headers.get('Authorization')).to.be.null;
      expect(calls[0]!.headers.get('Accept')).to.contain('application/json');
      expect(calls[0]!.body).to.be.undefined;
    });

    it('lists ideas without a query string when nothing is asked', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      expect(await adapter.ideas.list('boite/2027')).to.deep.equal(page);
      expect(calls[0]!.url).to.equal(`${BASE}/idea-boxes/boite%2F2027/ideas`);
    });

    it('sends sort, seed, category, status, search, cursor and limit as encoded query values', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      await adapter.ideas.list('boite/2027', {
        sort: 'random',
        seed: 'graine & sel',
        category: 'vie de quartier',
        status: 'under-review',
        q: 'bancs à l’ombre?',
        cursor: 'opaque+/=',
        limit: 50,
      });
      const url = new URL(calls[0]!.url);
      expect(url.origin + url.pathname).to.equal(`${BASE}/idea-boxes/boite%2F2027/ideas`);
      expect(calls[0]!.url).to.contain('seed=graine+%26+sel');
      expect(calls[0]!.url).to.contain('q=bancs+%C3%A0+l%E2%80%99ombre%3F');
      expect(calls[0]!.url).to.contain('cursor=opaque%2B%2F%3D');
      expect([...url.searchParams]).to.deep.equal([
        ['sort', 'random'],
        ['seed', 'graine & sel'],
        ['category', 'vie de quartier'],
        ['status', 'under-review'],
        ['q', 'bancs à l’ombre?'],
        ['cursor', 'opaque+/='],
        ['limit', '50'],
      ]);
    });

    it('gets one idea', async () => {
      const { adapter, calls } = adapterWith(() => json(200, idea));
      expect(await adapter.ideas.get('idee/42')).to.deep.equal(idea);
      expect(`${calls[0]!.method} ${calls[0]!.url}`).to.equal(`GET ${BASE}/ideas/idee%2F42`);
    });

    it('asks for similar ideas with the text as an encoded q', async () => {
      const { adapter, calls } = adapterWith(() => json(200, [idea]));
      expect(await adapter.ideas.similar('boite/2027', 'Des bancs & de l’ombre')).to.deep.equal([idea]);
      const url = new URL(calls[0]!.url);
      expect(calls[0]!.method).to.equal('GET');
      expect(url.origin + url.pathname).to.equal(`${BASE}/idea-boxes/boite%2F2027/similar`);
      expect([...url.searchParams]).to.deep.equal([['q', 'Des bancs & de l’ombre']]);
      expect(calls[0]!.headers.get('Authorization')).to.be.null;
    });

    it('sends the anonymous token once there is one, so that the server can mark the participant’s own ideas', async () => {
      const { adapter, calls } = adapterWith((call) => (call.method === 'PUT' ? json(200, idea) : json(200, page)));
      await adapter.ideas.support('idee/42', write());
      await adapter.ideas.list('boite/2027');
      expect(calls.at(-1)!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });
  });

  describe('writes', () => {
    it('proposes after creating an anonymous session, with the token, key and JSON body', async () => {
      const { adapter, calls } = adapterWith(() => json(201, { ...idea, mine: true }));
      const input = {
        title: 'Des bancs à l’ombre',
        body: 'Les bancs près de l’aire de jeux sont en plein soleil.',
        categoryId: 'mobilite',
        location: { address: 'Parc des Tilleuls', point: { lat: 45.11, lng: 4.82 } },
        image: 'data:image/png;base64,iVBORw0KGgo=',
      };
      expect(await adapter.ideas.propose('boite/2027', input, write('key-propose'))).to.include({ mine: true });
      expect(calls.map((call) => `${call.method} ${call.url}`)).to.deep.equal([`POST ${BASE}/session`, `POST ${BASE}/idea-boxes/boite%2F2027/ideas`]);
      const post = calls[1]!;
      expect(post.headers.get('Authorization')).to.equal('Bearer anon-1');
      expect(post.headers.get('Idempotency-Key')).to.equal('key-propose');
      expect(post.headers.get('Content-Type')).to.equal('application/json');
      expect(JSON.parse(post.body!)).to.deep.equal(input);
    });

    it('creates one anonymous session for writes made at once', async () => {
      const { adapter, calls } = adapterWith(() => json(200, idea));
      await Promise.all([adapter.ideas.support('a', write('k1')), adapter.ideas.support('b', write('k2'))]);
      expect(calls.filter((call) => call.url === `${BASE}/session`)).to.have.length(1);
    });

    it('supports with PUT and withdraws with DELETE on the support, without a body', async () => {
      const { adapter, calls } = adapterWith((call) => json(200, { ...idea, supportedByMe: call.method === 'PUT' }));
      expect((await adapter.ideas.support('idee/42', write('key-1'))).supportedByMe).to.be.true;
      expect((await adapter.ideas.withdrawSupport('idee/42', write('key-2'))).supportedByMe).to.be.false;
      const [support, withdraw] = calls.slice(1);
      expect(`${support!.method} ${support!.url}`).to.equal(`PUT ${BASE}/ideas/idee%2F42/support`);
      expect(`${withdraw!.method} ${withdraw!.url}`).to.equal(`DELETE ${BASE}/ideas/idee%2F42/support`);
      expect(support!.headers.get('Idempotency-Key')).to.equal('key-1');
      expect(withdraw!.headers.get('Idempotency-Key')).to.equal('key-2');
      for (const call of [support!, withdraw!]) {
        expect(call.body).to.be.undefined;
        expect(call.headers.get('Content-Type')).to.be.null;
        expect(call.headers.get('Authorization')).to.equal('Bearer anon-1');
      }
    });

    it('reports with a reason and details, and resolves on 204', async () => {
      const { adapter, calls } = adapterWith(() => new Response(null, { status: 204 }));
      expect(await adapter.ideas.report('idee/42', { reason: 'personal-data', details: 'Une adresse.' }, write('key-report'))).to.be.undefined;
      const report = calls.at(-1)!;
      expect(`${report.method} ${report.url}`).to.equal(`POST ${BASE}/ideas/idee%2F42/reports`);
      expect(report.headers.get('Idempotency-Key')).to.equal('key-report');
      expect(JSON.parse(report.body!)).to.deep.equal({ reason: 'personal-data', details: 'Une adresse.' });
    });

    it('uses the host token for every write and creates no anonymous session', async () => {
      const { adapter, calls } = adapterWith(() => json(200, idea), { token: () => 'signed-by-the-town' });
      await adapter.ideas.support('idee/42', write());
      expect(calls).to.have.length(1);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer signed-by-the-town');
    });
  });

  describe('errors', () => {
    it('maps a closed box, the support limit and an unknown idea', async () => {
      const { adapter } = adapterWith((call) => {
        if (call.url.endsWith('/ideas')) return problem(403, { code: 'closed', detail: 'This idea box is closed' });
        if (call.method === 'PUT') return problem(409, { code: 'conflict', detail: 'support limit reached' });
        return problem(404, { code: 'not-found' });
      });
      const closed = await rejection(adapter.ideas.propose('budget-2026', { title: 'Trop tard ?', body: 'Une idée arrivée après la clôture.' }, write()));
      expect(closed.kind).to.equal('closed');
      expect(closed.status).to.equal(403);
      const limit = await rejection(adapter.ideas.support('idee/42', write('key-2')));
      expect(limit.kind).to.equal('conflict');
      expect(limit.message).to.equal('support limit reached');
      expect((await rejection(adapter.ideas.get('inconnue'))).kind).to.equal('not-found');
    });

    it('keeps the field errors of a refused idea', async () => {
      const { adapter } = adapterWith(() =>
        problem(422, {
          errors: [
            { field: 'title', message: 'The title must be at least 5 characters' },
            { field: 'body', message: 'Describe your idea in at least 20 characters' },
            { field: 'categoryId', message: 'Choose a category' },
            { field: 'location', message: 'Give an address or a point on the map' },
            { field: 'image', message: 'The image must be a JPEG, PNG or WebP file' },
          ],
        }),
      );
      const error = await rejection(adapter.ideas.propose('boite/2027', { title: 'Ab', body: 'Court' }, write()));
      expect(error.kind).to.equal('validation');
      expect(Object.keys(error.fieldErrors!)).to.deep.equal(['title', 'body', 'categoryId', 'location', 'image']);
    });

    it('retries a proposal with the same Idempotency-Key and body after a server error', async () => {
      const { adapter, calls } = adapterWith((_, index) => (index === 1 ? problem(503, {}) : json(201, idea)), {
        retry: { retries: 1, baseDelayMs: 1 },
      });
      await adapter.ideas.propose('boite/2027', { title: 'Des bancs', body: 'Des bancs à l’ombre au parc, s’il vous plaît.' }, write('same-key'));
      const posts = calls.filter((call) => call.url.endsWith('/ideas'));
      expect(posts).to.have.length(2);
      expect(posts.map((call) => call.headers.get('Idempotency-Key'))).to.deep.equal(['same-key', 'same-key']);
      expect(posts[0]!.body).to.equal(posts[1]!.body);
    });

    it('reports a rate limit on support with its Retry-After', async () => {
      const { adapter } = adapterWith(() => problem(429, {}, { 'Retry-After': '30' }));
      const error = await rejection(adapter.ideas.support('idee/42', write()));
      expect(error.kind).to.equal('rate-limited');
      expect(error.retryAfter).to.equal(30);
    });
  });
});
