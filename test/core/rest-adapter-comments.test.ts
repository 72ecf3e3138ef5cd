import { expect } from '@open-wc/testing';
import type { Page, Thread, ThreadComment } from '../../packages/core/src/contract/types.js';
import { BASE, adapterWith, json, problem, rejection } from '../support/rest.js';

const thread: Thread = {
  id: 'idea:42',
  title: 'Des bancs à l’ombre au parc des Tilleuls',
  stances: false,
  preModeration: true,
  editWindowSeconds: 600,
  autoHideReports: 3,
  closed: false,
  requiredVerification: 'anonymous',
  comments: 3,
};

const comment: ThreadComment = {
  id: 'idee/01',
  threadId: 'idea:42',
  body: 'Oui ! Les bancs près des jeux sont en plein soleil.',
  authorName: 'Sylvie M.',
  moderation: 'published',
  supports: 6,
  replies: 1,
  createdAt: '2027-03-05T10:00:00+01:00',
  depth: 0,
};

const page: Page<ThreadComment> = { items: [comment], nextCursor: 'opaque+/=', total: 12 };
const write = (key = 'b6f2c1e0-0000-4000-8000-000000000001') => ({ idempotencyKey: key });

describe('RestAdapter comments', () => {
  describe('reads', () => {
    it('gets a thread at its URL-encoded path, with no token and no session created', async () => {
      const { adapter, calls } = adapterWith(() => json(200, thread));
      expect(await adapter.comments.getThread('idea:42')).to.deep.equal(thread);
      expect(calls).to.have.length(1);
      expect(calls[0]!.method).to.equal('GET');
      expect(calls[0]!.url).to.equal(`${BASE}/threads/idea%3A42`);
      expect(calls[0]!.headers.get('Authorization')).to.be.null;
      expect(calls[0]!.headers.get('Accept')).to.contain('application/json');
    });

    it('lists top-level comments without a query string when nothing is asked', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      expect(await adapter.comments.list('idea:42')).to.deep.equal(page);
      expect(calls[0]!.url).to.equal(`${BASE}/threads/idea%3A42/comments`);
    });

    it('sends sort, parent, cursor and limit as encoded query values', async () => {
      const { adapter, calls } = adapterWith(() => json(200, page));
      await adapter.comments.list('idea:42', { sort: 'most-supported', parentId: 'idee/01 & co', cursor: 'opaque+/=', limit: 50 });
      const url = new URL(calls[0]!.url);
      expect(url.origin + url.pathname).to.equal(`${BASE}/threads/idea%3A42/comments`);
      expect(calls[0]!.url).to.contain('parent=idee%2F01+%26+co');
      expect(calls[0]!.url).to.contain('cursor=opaque%2B%2F%3D');
      expect([...url.searchParams]).to.deep.equal([
        ['sort', 'most-supported'],
        ['parent', 'idee/01 & co'],
        ['cursor', 'opaque+/='],
        ['limit', '50'],
      ]);
    });

    it('gets one comment for a permalink', async () => {
      const { adapter, calls } = adapterWith(() => json(200, comment));
      expect(await adapter.comments.get('idee/01')).to.deep.equal(comment);
      expect(calls[0]!.url).to.equal(`${BASE}/comments/idee%2F01`);
    });

    it('sends the anonymous token once there is one, so that the server can mark the participant’s own comments', async () => {
      const { adapter, calls } = adapterWith((call) => (call.method === 'POST' ? json(201, comment) : json(200, page)));
      await adapter.comments.post('idea:42', { body: 'Bonjour.' }, write());
      await adapter.comments.list('idea:42');
      expect(calls.at(-1)!.headers.get('Authorization')).to.equal('Bearer anon-1');
    });
  });

  describe('writes', () => {
    it('posts a comment after creating an anonymous session, with the token, key and JSON body', async () => {
      const { adapter, calls } = adapterWith(() => json(201, { ...comment, moderation: 'pending', mine: true }));
      const posted = await adapter.comments.post('idea:42', { body: 'Des bancs en bois.', parentId: 'idee/01' }, write('key-post'));
      expect(posted).to.include({ moderation: 'pending', mine: true });
      expect(calls.map((call) => `${call.method} ${call.url}`)).to.deep.equal([`POST ${BASE}/session`, `POST ${BASE}/threads/idea%3A42/comments`]);
      const post = calls[1]!;
      expect(post.headers.get('Authorization')).to.equal('Bearer anon-1');
      expect(post.headers.get('Idempotency-Key')).to.equal('key-post');
      expect(post.headers.get('Content-Type')).to.equal('application/json');
      expect(JSON.parse(post.body!)).to.deep.equal({ body: 'Des bancs en bois.', parentId: 'idee/01' });
    });

    it('edits with PATCH and the new body', async () => {
      const { adapter, calls } = adapterWith(() => json(200, { ...comment, editedAt: '2027-03-05T10:05:00+01:00' }));
      const edited = await adapter.comments.edit('idee/01', 'Corrigé.', write('key-edit'));
      expect(edited.editedAt).to.equal('2027-03-05T10:05:00+01:00');
      const patch = calls.at(-1)!;
      expect(`${patch.method} ${patch.url}`).to.equal(`PATCH ${BASE}/comments/idee%2F01`);
      expect(patch.headers.get('Idempotency-Key')).to.equal('key-edit');
      expect(JSON.parse(patch.body!)).to.deep.equal({ body: 'Corrigé.' });
    });

    it('deletes with DELETE, no body, and resolves on 204', async () => {
      const { adapter, calls } = adapterWith(() => new Response(null, { status: 204 }));
      expect(await adapter.comments.remove('idee/01', write('key-delete'))).to.be.undefined;
      const remove = calls.at(-1)!;
      expect(`${remove.method} ${remove.url}`).to.equal(`DELETE ${BASE}/comments/idee%2F01`);
      expect(remove.headers.get('Idempotency-Key')).to.equal('key-delete');
      expect(remove.headers.get('Authorization')).to.equal('Bearer anon-1');
      expect(remove.body).to.be.undefined;
      expect(remove.headers.get('Content-Type')).to.be.null;
    });

    it('supports and withdraws with PUT on the reaction', async () => {
      const { adapter, calls } = adapterWith((call) => json(200, { ...comment, supportedByMe: JSON.parse(call.body!).support }));
      expect((await adapter.comments.react('idee/01', true, write('key-1'))).supportedByMe).to.be.true;
      expect((await adapter.comments.react('idee/01', false, write('key-2'))).supportedByMe).to.be.false;
      const [support, withdraw] = calls.filter((call) => call.method === 'PUT');
      expect(support!.url).to.equal(`${BASE}/comments/idee%2F01/reaction`);
      expect(JSON.parse(support!.body!)).to.deep.equal({ support: true });
      expect(JSON.parse(withdraw!.body!)).to.deep.equal({ support: false });
      expect(withdraw!.headers.get('Idempotency-Key')).to.equal('key-2');
    });

    it('reports with a reason and details, and resolves on 204', async () => {
      const { adapter, calls } = adapterWith(() => new Response(null, { status: 204 }));
      expect(await adapter.comments.report('idee/01', { reason: 'personal-data', details: 'Un numéro de téléphone.' }, write('key-report'))).to.be
        .undefined;
      const report = calls.at(-1)!;
      expect(`${report.method} ${report.url}`).to.equal(`POST ${BASE}/comments/idee%2F01/reports`);
      expect(report.headers.get('Idempotency-Key')).to.equal('key-report');
      expect(JSON.parse(report.body!)).to.deep.equal({ reason: 'personal-data', details: 'Un numéro de téléphone.' });
    });

    it('uses the host token for every write and creates no anonymous session', async () => {
      const { adapter, calls } = adapterWith(() => json(200, comment), { token: () => 'signed-by-the-town' });
      await adapter.comments.react('idee/01', true, write());
      expect(calls).to.have.length(1);
      expect(calls[0]!.headers.get('Authorization')).to.equal('Bearer signed-by-the-town');
    });
  });

  describe('errors', () => {
    it('maps a closed thread, the window having passed and an unknown comment', async () => {
      const { adapter } = adapterWith((call) => {
        if (call.url.endsWith('/comments')) return problem(403, { code: 'closed', detail: 'This discussion is closed' });
        if (call.method === 'PATCH') return problem(403, { code: 'forbidden' });
        return problem(404, { code: 'not-found' });
      });
      const closed = await rejection(adapter.comments.post('projet:piste', { body: 'Trop tard ?' }, write()));
      expect(closed.kind).to.equal('closed');
      expect(closed.status).to.equal(403);
      expect((await rejection(adapter.comments.edit('c1', 'Après.', write('key-2')))).kind).to.equal('forbidden');
      expect((await rejection(adapter.comments.get('c1'))).kind).to.equal('not-found');
    });

    it('keeps the field errors of a refused comment', async () => {
      const { adapter } = adapterWith(() =>
        problem(422, {
          errors: [
            { field: 'body', message: 'Write your comment' },
            { field: 'stance', message: 'Say whether you are for, against or neutral' },
            { field: 'parentId', message: 'The comment you reply to is not available' },
          ],
        }),
      );
      const error = await rejection(adapter.comments.post('concertation:place-du-marche', { body: ' ' }, write()));
      expect(error.kind).to.equal('validation');
      expect(error.fieldErrors).to.deep.equal({
        body: 'Write your comment',
        stance: 'Say whether you are for, against or neutral',
        parentId: 'The comment you reply to is not available',
      });
    });

    it('reports a rate limit with its Retry-After', async () => {
      const { adapter } = adapterWith(() => problem(429, {}, { 'Retry-After': '30' }));
      const error = await rejection(adapter.comments.post('idea:42', { body: 'Encore.' }, write()));
      expect(error.kind).to.equal('rate-limited');
      expect(error.retryAfter).to.equal(30);
    });

    it('retries a comment write with the same Idempotency-Key after a server error', async () => {
      const { adapter, calls } = adapterWith((_, index) => (index === 1 ? problem(503, {}) : json(201, comment)), {
        retry: { retries: 1, baseDelayMs: 1 },
      });
      await adapter.comments.post('idea:42', { body: 'Bonjour.' }, write('same-key'));
      const posts = calls.filter((call) => call.url.endsWith('/comments'));
      expect(posts).to.have.length(2);
      expect(posts.map((call) => call.headers.get('Idempotency-Key'))).to.deep.equal(['same-key', 'same-key']);
      expect(posts[0]!.body).to.equal(posts[1]!.body);
    });
  });
});
