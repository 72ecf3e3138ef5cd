import { expect } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../packages/core/src/adapters/memory-adapter.js';
import { COMMENT_MAX_LENGTH, COMMENT_PAGE_SIZE, MAX_REPLY_DEPTH, REPORT_DETAILS_MAX_LENGTH } from '../../packages/core/src/contract/limits.js';
import type { CommentLiveEvent, LiveMessage, ThreadComment } from '../../packages/core/src/contract/types.js';
import { CivicError } from '../../packages/core/src/contract/errors.js';
import { expectKind } from '../support/errors.js';
import { createTownSeed } from './fixtures/polls.js';
import { COMMENT_IDS, THREAD_IDS, VISITOR_ID, createLargeThread, createThreadSeed } from './fixtures/threads.js';

const START = new Date('2027-03-10T12:00:00+01:00');
const { consultation, moderated, closed } = THREAD_IDS;
let keys = 0;
const write = () => ({ idempotencyKey: `comment-key-${++keys}` });

/** An adapter over the town's threads, acting as the visitor, with a clock the test can move. */
function town(options: MemoryAdapterOptions = {}) {
  const clock = { now: START };
  const adapter = new MemoryAdapter({
    seed: createThreadSeed(START),
    participant: { id: VISITOR_ID },
    now: () => clock.now,
    ...options,
  });
  const advance = (seconds: number) => (clock.now = new Date(clock.now.getTime() + seconds * 1000));
  return { adapter, advance };
}

async function allPages(adapter: MemoryAdapter, threadId: string, query: { sort?: 'oldest' | 'newest' | 'most-supported'; parentId?: string; limit?: number }) {
  const items: ThreadComment[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.comments.list(threadId, { ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 1000);
  return { items, pages };
}

const ids = (items: ThreadComment[]) => items.map((comment) => comment.id);

function listen(adapter: MemoryAdapter, threadId: string) {
  const received: LiveMessage<CommentLiveEvent>[] = [];
  const stop = adapter.subscribe<CommentLiveEvent>(`thread:${threadId}:comments`, (message) => received.push(message));
  return { received, stop };
}

/** Live messages are delivered after the write resolves. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MemoryAdapter comments', () => {
  describe('threads', () => {
    it('serves a thread with its count of published, undeleted comments', async () => {
      const { adapter } = town();
      const thread = await adapter.comments.getThread(consultation);
      expect(thread).to.include({ id: consultation, stances: true, preModeration: false, closed: false, editWindowSeconds: 900, autoHideReports: 3 });
      // 31 seeded, one hidden and two deleted.
      expect(thread.comments).to.equal(28);
      expect((await adapter.comments.getThread(moderated)).comments).to.equal(3);
    });

    it('rejects an unknown thread, its listing and a post to it with not-found', async () => {
      const { adapter } = town();
      await expectKind(adapter.comments.getThread('idea:unknown'), 'not-found');
      await expectKind(adapter.comments.list('idea:unknown'), 'not-found');
      await expectKind(adapter.comments.post('idea:unknown', { body: 'Bonjour' }, write()), 'not-found');
    });

    it('lives beside the polls in one seed', async () => {
      const adapter = new MemoryAdapter({ seed: { ...createTownSeed(START), ...createThreadSeed(START) }, now: () => START });
      expect((await adapter.polls.get('nom-mediatheque')).id).to.equal('nom-mediatheque');
      expect((await adapter.comments.getThread(closed)).closed).to.be.true;
    });
  });

  describe('reading', () => {
    it('lists top-level comments oldest first, with reply counts and placeholders, leaving out a deleted one without replies', async () => {
      const { adapter } = town();
      const page = await adapter.comments.list(consultation);
      expect(ids(page.items)).to.deep.equal([
        'marche-01', 'marche-09', 'marche-12', 'marche-15', 'marche-21', 'marche-24', 'marche-27', 'marche-30', 'marche-29',
      ]);
      expect(page.total).to.equal(9);
      expect(page.nextCursor).to.be.undefined;
      const first = page.items[0]!;
      expect(first).to.deep.equal({
        id: 'marche-01',
        threadId: consultation,
        body: 'Enfin ! Le samedi matin, entre les étals et les voitures qui cherchent une place, c’est dangereux pour les enfants.',
        stance: 'for',
        authorName: 'Martine L.',
        moderation: 'published',
        supports: 14,
        supportedByMe: false,
        replies: 2,
        depth: 0,
        createdAt: new Date(START.getTime() - 3 * 24 * 3600 * 1000).toISOString(),
      });
      expect(page.items.find((comment) => comment.id === COMMENT_IDS.deletedAlone)).to.be.undefined;
    });

    it('shows a hidden comment as a placeholder whose replies stay readable', async () => {
      const { adapter } = town();
      const hidden = await adapter.comments.get(COMMENT_IDS.hidden);
      expect(hidden).to.include({ moderation: 'hidden', body: '', replies: 2 });
      expect(hidden).not.to.have.property('authorName');
      expect(hidden).not.to.have.property('stance');
      const replies = await adapter.comments.list(consultation, { parentId: COMMENT_IDS.hidden });
      expect(ids(replies.items)).to.deep.equal(['marche-13', 'marche-14']);
      expect(replies.items[0]!.body).to.contain('courtois');
    });

    it('keeps a deleted comment with replies as a placeholder, and its replies', async () => {
      const { adapter } = town();
      const replies = await adapter.comments.list(consultation, { parentId: 'marche-15' });
      expect(ids(replies.items)).to.deep.equal([COMMENT_IDS.deleted, 'marche-19']);
      const deleted = replies.items[0]!;
      expect(deleted).to.include({ deleted: true, body: '', replies: 1, depth: 1 });
      expect(deleted).not.to.have.property('authorName');
      expect(deleted).not.to.have.property('stance');
      expect(ids((await adapter.comments.list(consultation, { parentId: COMMENT_IDS.deleted })).items)).to.deep.equal(['marche-17']);
      await expectKind(adapter.comments.get(COMMENT_IDS.deletedAlone), 'not-found');
    });

    it('gives each comment its depth, and replies beyond the nesting limit the author they answer', async () => {
      const { adapter } = town();
      const nested = await adapter.comments.get('marche-04');
      expect(nested.depth).to.equal(MAX_REPLY_DEPTH);
      expect(nested).not.to.have.property('inReplyTo');
      const flattened = await adapter.comments.get(COMMENT_IDS.flattened);
      expect(flattened).to.include({ depth: MAX_REPLY_DEPTH + 1, parentId: 'marche-04' });
      expect(flattened.inReplyTo).to.deep.equal({ id: 'marche-04', authorName: 'Yasmine B.' });
      const deeper = await adapter.comments.get('marche-06');
      expect(deeper.depth).to.equal(MAX_REPLY_DEPTH + 2);
      expect(deeper.inReplyTo).to.deep.equal({ id: COMMENT_IDS.flattened, authorName: 'Gérard P.' });
    });

    it('marks the participant’s own comments and supports', async () => {
      const { adapter } = town();
      expect(await adapter.comments.get(COMMENT_IDS.mine)).to.include({ mine: true, supportedByMe: false });
      expect(await adapter.comments.get(COMMENT_IDS.supportedByVisitor)).to.include({ supportedByMe: true, supports: 9 });
      expect(await adapter.comments.get('marche-01')).not.to.have.property('mine');
    });

    it('sorts newest first, and most supported first with the oldest first among equals', async () => {
      const { adapter } = town();
      const newest = await adapter.comments.list(consultation, { sort: 'newest' });
      expect(ids(newest.items)).to.deep.equal([
        'marche-29', 'marche-30', 'marche-27', 'marche-24', 'marche-21', 'marche-15', 'marche-12', 'marche-09', 'marche-01',
      ]);
      const supported = await adapter.comments.list(consultation, { sort: 'most-supported' });
      // 14, 11, 9, 8, 6, then three at 0 by date: the hidden one, then 30 (2 h ago), then 29 (3 min ago).
      expect(ids(supported.items)).to.deep.equal([
        'marche-01', 'marche-21', 'marche-09', 'marche-24', 'marche-15', 'marche-27', 'marche-12', 'marche-30', 'marche-29',
      ]);
    });

    it('refuses an unknown sort order and an unknown or foreign parent', async () => {
      const { adapter } = town();
      const error = await expectKind(adapter.comments.list(consultation, { sort: 'random' as 'oldest' }), 'validation');
      expect(error.fieldErrors).to.have.property('sort');
      await expectKind(adapter.comments.list(consultation, { parentId: 'nope' }), 'not-found');
      await expectKind(adapter.comments.list(consultation, { parentId: 'idee-01' }), 'not-found');
    });

    it('pages with a cursor until every comment has come once, with the total on every page', async () => {
      const seed = createLargeThread(250);
      const adapter = new MemoryAdapter({ seed, now: () => START });
      const threadId = seed.threads[0]!.id;
      const topLevel = seed.comments.filter((comment) => comment.parentId === undefined).length;
      for (const sort of ['oldest', 'newest', 'most-supported'] as const) {
        const first = await adapter.comments.list(threadId, { sort });
        expect(first.items).to.have.length(COMMENT_PAGE_SIZE);
        expect(first.total).to.equal(topLevel);
        const { items, pages } = await allPages(adapter, threadId, { sort, limit: 7 });
        expect(items).to.have.length(topLevel);
        expect(new Set(ids(items)).size).to.equal(topLevel);
        expect(pages).to.equal(Math.ceil(topLevel / 7));
        expect(ids(items)).to.deep.equal(ids((await allPages(adapter, threadId, { sort, limit: 100 })).items));
      }
    });

    it('holds a page to at most 100 comments', async () => {
      const seed = createLargeThread(400);
      const adapter = new MemoryAdapter({ seed });
      const page = await adapter.comments.list(seed.threads[0]!.id, { limit: 1000 });
      expect(page.items).to.have.length(100);
      expect(page.total).to.be.greaterThan(100);
      expect(page.nextCursor).to.be.a('string');
    });

    it('neither repeats nor skips a comment when one is posted between two pages', async () => {
      const { adapter, advance } = town();
      const first = await adapter.comments.list(consultation, { sort: 'newest', limit: 4 });
      advance(60);
      await adapter.comments.post(consultation, { body: 'Un nouveau message.', stance: 'neutral' }, write());
      const second = await adapter.comments.list(consultation, { sort: 'newest', limit: 4, cursor: first.nextCursor });
      expect(ids(second.items)).to.deep.equal(['marche-21', 'marche-15', 'marche-12', 'marche-09']);
      expect(second.total).to.equal(10);
    });

    it('refuses a cursor from another listing or one it did not make', async () => {
      const { adapter } = town();
      const page = await adapter.comments.list(consultation, { limit: 2 });
      await expectKind(adapter.comments.list(consultation, { sort: 'newest', cursor: page.nextCursor }), 'validation');
      await expectKind(adapter.comments.list(consultation, { parentId: 'marche-01', cursor: page.nextCursor }), 'validation');
      await expectKind(adapter.comments.list(consultation, { cursor: 'pas-un-curseur' }), 'validation');
    });
  });

  describe('pre-moderation', () => {
    it('shows a pending comment to its author only, and a rejected one likewise', async () => {
      const { adapter } = town();
      const mine = await adapter.comments.list(moderated);
      expect(ids(mine.items)).to.deep.equal(['idee-01', 'idee-03', COMMENT_IDS.minePending]);
      expect(mine.items[2]).to.include({ mine: true, moderation: 'pending' });
      await expectKind(adapter.comments.get(COMMENT_IDS.othersPending), 'not-found');

      adapter.actAs({ id: 'habitant-lea' });
      expect(ids((await adapter.comments.list(moderated)).items)).to.deep.equal(['idee-01', 'idee-03', COMMENT_IDS.othersPending]);
      adapter.actAs({ id: 'habitant-anonyme-4' });
      expect((await adapter.comments.get('idee-06')).moderation).to.equal('rejected');
    });

    it('returns a new comment as pending, counts and broadcasts it only once approved', async () => {
      const { adapter } = town({ participant: { id: VISITOR_ID, displayName: 'Camille V.' } });
      const { received } = listen(adapter, moderated);
      const comment = await adapter.comments.post(moderated, { body: 'Des bancs en bois, pas en métal.' }, write());
      expect(comment).to.include({ moderation: 'pending', mine: true, authorName: 'Camille V.' });
      await settle();
      expect(received).to.have.length(0);
      expect((await adapter.comments.getThread(moderated)).comments).to.equal(3);
      adapter.actAs({ id: 'someone-else' });
      await expectKind(adapter.comments.get(comment.id), 'not-found');

      adapter.moderate(comment.id, 'approve');
      await settle();
      expect(received).to.have.length(1);
      expect(received[0]!.payload.type).to.equal('created');
      expect(received[0]!.payload.comment).to.include({ id: comment.id, moderation: 'published', body: 'Des bancs en bois, pas en métal.' });
      expect((await adapter.comments.get(comment.id)).moderation).to.equal('published');
      expect((await adapter.comments.getThread(moderated)).comments).to.equal(4);
    });

    it('rejects a pending comment that the council hides: its author alone still sees it', async () => {
      const { adapter } = town();
      adapter.moderate(COMMENT_IDS.minePending, 'hide');
      expect((await adapter.comments.get(COMMENT_IDS.minePending)).moderation).to.equal('rejected');
      adapter.actAs({ id: 'someone-else' });
      await expectKind(adapter.comments.get(COMMENT_IDS.minePending), 'not-found');
    });
  });

  describe('posting', () => {
    it('publishes a trimmed comment and a reply, one deeper than its parent', async () => {
      const { adapter } = town({ participant: { id: VISITOR_ID, displayName: 'Camille V.' } });
      const comment = await adapter.comments.post(consultation, { body: '  Je suis pour.  \n', stance: 'for' }, write());
      expect(comment).to.deep.include({
        threadId: consultation,
        body: 'Je suis pour.',
        stance: 'for',
        authorName: 'Camille V.',
        mine: true,
        moderation: 'published',
        supports: 0,
        supportedByMe: false,
        replies: 0,
        depth: 0,
        createdAt: START.toISOString(),
      });
      expect(comment).not.to.have.property('parentId');
      const reply = await adapter.comments.post(consultation, { body: 'Moi aussi.', stance: 'for', parentId: comment.id }, write());
      expect(reply).to.include({ parentId: comment.id, depth: 1 });
      expect((await adapter.comments.get(comment.id)).replies).to.equal(1);
      expect((await adapter.comments.getThread(consultation)).comments).to.equal(30);

      const flattened = await adapter.comments.post(consultation, { body: 'Et pour la navette ?', stance: 'neutral', parentId: COMMENT_IDS.flattened }, write());
      expect(flattened.depth).to.equal(MAX_REPLY_DEPTH + 2);
      expect(flattened.inReplyTo).to.deep.equal({ id: COMMENT_IDS.flattened, authorName: 'Gérard P.' });
      expect(ids((await adapter.comments.list(consultation, { parentId: COMMENT_IDS.flattened })).items)).to.deep.equal(['marche-06', flattened.id]);
    });

    it('names every faulty field at once', async () => {
      const { adapter } = town();
      const error = await expectKind(adapter.comments.post(consultation, { body: '   ', stance: 'maybe' as 'for', parentId: 'nope' }, write()), 'validation');
      expect(error.fieldErrors).to.have.all.keys('body', 'stance', 'parentId');
      expect(error.status).to.equal(422);
    });

    it('takes a body of up to the maximum length after trimming, no longer', async () => {
      const { adapter } = town();
      const longest = await adapter.comments.post(moderated, { body: ` ${'a'.repeat(COMMENT_MAX_LENGTH)} ` }, write());
      expect(longest.body).to.have.length(COMMENT_MAX_LENGTH);
      const error = await expectKind(adapter.comments.post(moderated, { body: 'a'.repeat(COMMENT_MAX_LENGTH + 1) }, write()), 'validation');
      expect(error.fieldErrors).to.have.all.keys('body');
    });

    it('asks for a stance where the thread wants one, and refuses one elsewhere', async () => {
      const { adapter } = town();
      const missing = await expectKind(adapter.comments.post(consultation, { body: 'Sans avis.' }, write()), 'validation');
      expect(missing.fieldErrors).to.have.all.keys('stance');
      const reply = await expectKind(adapter.comments.post(consultation, { body: 'Sans avis.', parentId: 'marche-01' }, write()), 'validation');
      expect(reply.fieldErrors).to.have.all.keys('stance');
      const extra = await expectKind(adapter.comments.post(moderated, { body: 'Pour.', stance: 'for' }, write()), 'validation');
      expect(extra.fieldErrors).to.have.all.keys('stance');
      for (const stance of ['for', 'against', 'neutral'] as const) {
        expect((await adapter.comments.post(consultation, { body: 'Avis.', stance }, write())).stance).to.equal(stance);
      }
    });

    it('refuses a reply to a comment of another thread, a deleted, hidden or pending one', async () => {
      const { adapter } = town();
      for (const parentId of ['idee-01', COMMENT_IDS.deleted, COMMENT_IDS.hidden]) {
        const error = await expectKind(adapter.comments.post(consultation, { body: 'Réponse.', stance: 'for', parentId }, write()), 'validation');
        expect(error.fieldErrors, parentId).to.have.all.keys('parentId');
      }
      const pending = await expectKind(adapter.comments.post(moderated, { body: 'Réponse.', parentId: COMMENT_IDS.minePending }, write()), 'validation');
      expect(pending.fieldErrors).to.have.all.keys('parentId');
    });

    it('refuses a comment in a closed thread with closed', async () => {
      const { adapter } = town();
      const error = await expectKind(adapter.comments.post(closed, { body: 'Trop tard ?' }, write()), 'closed');
      expect(error.status).to.equal(403);
      expect((await adapter.comments.getThread(closed)).comments).to.equal(4);
    });

    it('lets only verified participants comment where the thread requires it', async () => {
      const seed = createThreadSeed(START);
      seed.threads[1]!.requiredVerification = 'verified';
      const adapter = new MemoryAdapter({ seed, participant: { id: 'anon' } });
      await expectKind(adapter.comments.post(moderated, { body: 'Bonjour.' }, write()), 'forbidden');
      adapter.actAs({ id: 'ana', verification: 'verified', displayName: 'Ana B.' });
      expect((await adapter.comments.post(moderated, { body: 'Bonjour.' }, write())).authorName).to.equal('Ana B.');
    });

    it('replays the same write for the same key, and refuses the key for another comment', async () => {
      const { adapter } = town();
      const options = write();
      const first = await adapter.comments.post(consultation, { body: 'Une seule fois.', stance: 'for' }, options);
      const again = await adapter.comments.post(consultation, { body: 'Une seule fois.', stance: 'for' }, options);
      expect(again).to.deep.equal(first);
      expect((await adapter.comments.list(consultation)).total).to.equal(10);
      const error = await expectKind(adapter.comments.post(consultation, { body: 'Autre chose.', stance: 'for' }, options), 'validation');
      expect(error.status).to.equal(422);
      expect((await adapter.comments.list(consultation)).total).to.equal(10);
    });

    it('keeps no reference to the input or to what it returned', async () => {
      const { adapter } = town();
      const input = { body: 'Texte initial.', stance: 'for' as const };
      const comment = await adapter.comments.post(consultation, input, write());
      input.body = 'Changé.';
      comment.body = 'Changé aussi.';
      expect((await adapter.comments.get(comment.id)).body).to.equal('Texte initial.');
    });
  });

  describe('editing and deleting one’s own', () => {
    it('edits within the window, setting editedAt', async () => {
      const { adapter, advance } = town();
      advance(60);
      const edited = await adapter.comments.edit(COMMENT_IDS.mine, '  Je suis pour, si la navette est gratuite.  ', write());
      expect(edited).to.include({ body: 'Je suis pour, si la navette est gratuite.', editedAt: new Date(START.getTime() + 60000).toISOString(), stance: 'for' });
      expect((await adapter.comments.get(COMMENT_IDS.mine)).body).to.equal('Je suis pour, si la navette est gratuite.');
    });

    it('refuses an edit or a deletion once the window has passed', async () => {
      const { adapter, advance } = town();
      // Posted 3 minutes before START, with a 15-minute window.
      advance(12 * 60 - 1);
      await adapter.comments.edit(COMMENT_IDS.mine, 'Encore à temps.', write());
      advance(1);
      await expectKind(adapter.comments.edit(COMMENT_IDS.mine, 'Trop tard.', write()), 'forbidden');
      await expectKind(adapter.comments.remove(COMMENT_IDS.mine, write()), 'forbidden');
      expect((await adapter.comments.get(COMMENT_IDS.mine)).body).to.equal('Encore à temps.');
    });

    it('refuses to edit or delete someone else’s comment', async () => {
      const { adapter } = town();
      const comment = await adapter.comments.post(consultation, { body: 'À moi.', stance: 'for' }, write());
      adapter.actAs({ id: 'someone-else' });
      await expectKind(adapter.comments.edit(comment.id, 'Pris.', write()), 'forbidden');
      await expectKind(adapter.comments.remove(comment.id, write()), 'forbidden');
    });

    it('validates the edited body', async () => {
      const { adapter } = town();
      const blank = await expectKind(adapter.comments.edit(COMMENT_IDS.mine, ' \n ', write()), 'validation');
      expect(blank.fieldErrors).to.have.all.keys('body');
      const long = await expectKind(adapter.comments.edit(COMMENT_IDS.mine, 'a'.repeat(COMMENT_MAX_LENGTH + 1), write()), 'validation');
      expect(long.fieldErrors).to.have.all.keys('body');
    });

    it('refuses to change a hidden comment, even its author’s', async () => {
      const { adapter } = town();
      adapter.moderate(COMMENT_IDS.mine, 'hide');
      await expectKind(adapter.comments.edit(COMMENT_IDS.mine, 'Contourner.', write()), 'forbidden');
    });

    it('deletes: gone when nothing answers it, a placeholder while replies do', async () => {
      const { adapter } = town();
      await adapter.comments.remove(COMMENT_IDS.mine, write());
      await expectKind(adapter.comments.get(COMMENT_IDS.mine), 'not-found');
      expect(ids((await adapter.comments.list(consultation)).items)).not.to.include(COMMENT_IDS.mine);

      const parent = await adapter.comments.post(consultation, { body: 'Question ?', stance: 'neutral' }, write());
      adapter.actAs({ id: 'someone-else' });
      await adapter.comments.post(consultation, { body: 'Réponse.', stance: 'for', parentId: parent.id }, write());
      adapter.actAs({ id: VISITOR_ID });
      await adapter.comments.remove(parent.id, write());
      expect(await adapter.comments.get(parent.id)).to.include({ deleted: true, body: '', replies: 1 });
      await expectKind(adapter.comments.remove(parent.id, write()), 'not-found');
      await expectKind(adapter.comments.edit(parent.id, 'Revenir.', write()), 'not-found');
    });

    it('replays a deletion for the same key', async () => {
      const { adapter } = town();
      const options = write();
      await adapter.comments.remove(COMMENT_IDS.mine, options);
      expect(await adapter.comments.remove(COMMENT_IDS.mine, options)).to.be.undefined;
    });

    it('takes no edit in a closed thread', async () => {
      const seed = createThreadSeed(START);
      seed.comments.push({ id: 'late', threadId: closed, participantId: VISITOR_ID, body: 'Juste avant.', moderation: 'published', createdAt: START.toISOString() });
      const adapter = new MemoryAdapter({ seed, participant: { id: VISITOR_ID }, now: () => START });
      await expectKind(adapter.comments.edit('late', 'Après.', write()), 'closed');
      await adapter.comments.remove('late', write());
      await expectKind(adapter.comments.get('late'), 'not-found');
    });
  });

  describe('supports', () => {
    it('counts one support per participant, however often given, and withdraws it', async () => {
      const { adapter } = town();
      const supported = await adapter.comments.react('marche-01', true, write());
      expect(supported).to.include({ supports: 15, supportedByMe: true });
      expect(await adapter.comments.react('marche-01', true, write())).to.include({ supports: 15, supportedByMe: true });
      adapter.actAs({ id: 'someone-else' });
      expect(await adapter.comments.react('marche-01', true, write())).to.include({ supports: 16, supportedByMe: true });
      adapter.actAs({ id: VISITOR_ID });
      expect(await adapter.comments.react('marche-01', false, write())).to.include({ supports: 15, supportedByMe: false });
      expect(await adapter.comments.react('marche-01', false, write())).to.include({ supports: 15, supportedByMe: false });
    });

    it('knows the seeded supporters', async () => {
      const { adapter } = town();
      expect(await adapter.comments.react(COMMENT_IDS.supportedByVisitor, true, write())).to.include({ supports: 9 });
      expect(await adapter.comments.react(COMMENT_IDS.supportedByVisitor, false, write())).to.include({ supports: 8, supportedByMe: false });
    });

    it('takes no support for a hidden, deleted or pending comment, nor in a closed thread', async () => {
      const { adapter } = town();
      await expectKind(adapter.comments.react(COMMENT_IDS.hidden, true, write()), 'forbidden');
      await expectKind(adapter.comments.react(COMMENT_IDS.deleted, true, write()), 'forbidden');
      await expectKind(adapter.comments.react(COMMENT_IDS.minePending, true, write()), 'forbidden');
      await expectKind(adapter.comments.react(COMMENT_IDS.othersPending, true, write()), 'not-found');
      await expectKind(adapter.comments.react('rd12-01', true, write()), 'closed');
    });
  });

  describe('reports', () => {
    it('hides a comment after the thread’s number of distinct reports, counting a repeat once', async () => {
      const { adapter } = town();
      const { received } = listen(adapter, consultation);
      adapter.actAs({ id: 'r1' });
      await adapter.comments.report('marche-30', { reason: 'off-topic' }, write());
      await adapter.comments.report('marche-30', { reason: 'abuse', details: 'Encore.' }, write());
      adapter.actAs({ id: 'r2' });
      await adapter.comments.report('marche-30', { reason: 'abuse' }, write());
      expect((await adapter.comments.get('marche-30')).moderation).to.equal('published');
      await settle();
      expect(received).to.have.length(0);

      adapter.actAs({ id: 'r3' });
      expect(await adapter.comments.report('marche-30', { reason: 'spam' }, write())).to.be.undefined;
      const hidden = await adapter.comments.get('marche-30');
      expect(hidden).to.include({ moderation: 'hidden', body: '', replies: 1 });
      expect(hidden).not.to.have.property('authorName');
      await settle();
      expect(received.map((message) => message.payload.type)).to.deep.equal(['updated']);
      expect(received[0]!.payload.comment).to.include({ id: 'marche-30', moderation: 'hidden', body: '' });
    });

    it('counts only new reports once the council has restored a comment', async () => {
      const { adapter } = town();
      adapter.moderate(COMMENT_IDS.hidden, 'restore');
      expect((await adapter.comments.get(COMMENT_IDS.hidden)).authorName).to.equal('Citoyen en colère');
      for (const reporter of ['habitant-paul', 'n1', 'n2']) {
        adapter.actAs({ id: reporter });
        await adapter.comments.report(COMMENT_IDS.hidden, { reason: 'abuse' }, write());
      }
      expect((await adapter.comments.get(COMMENT_IDS.hidden)).moderation).to.equal('published');
      adapter.actAs({ id: 'n3' });
      await adapter.comments.report(COMMENT_IDS.hidden, { reason: 'abuse' }, write());
      expect((await adapter.comments.get(COMMENT_IDS.hidden)).moderation).to.equal('hidden');
    });

    it('validates the reason and the length of the details', async () => {
      const { adapter } = town();
      const reason = await expectKind(adapter.comments.report('marche-01', { reason: 'boring' as 'spam' }, write()), 'validation');
      expect(reason.fieldErrors).to.have.all.keys('reason');
      const details = await expectKind(
        adapter.comments.report('marche-01', { reason: 'other', details: 'x'.repeat(REPORT_DETAILS_MAX_LENGTH + 1) }, write()),
        'validation',
      );
      expect(details.fieldErrors).to.have.all.keys('details');
      await adapter.comments.report('marche-01', { reason: 'other', details: 'x'.repeat(REPORT_DETAILS_MAX_LENGTH) }, write());
    });

    it('finds nothing to report in a deleted or invisible comment', async () => {
      const { adapter } = town();
      await expectKind(adapter.comments.report(COMMENT_IDS.deleted, { reason: 'spam' }, write()), 'not-found');
      await expectKind(adapter.comments.report(COMMENT_IDS.othersPending, { reason: 'spam' }, write()), 'not-found');
    });
  });

  describe('moderation by the council', () => {
    it('hides and restores a published comment, broadcasting each change', async () => {
      const { adapter } = town();
      const { received } = listen(adapter, consultation);
      adapter.moderate('marche-01', 'hide');
      adapter.moderate('marche-01', 'hide');
      expect(await adapter.comments.get('marche-01')).to.include({ moderation: 'hidden', body: '', replies: 2 });
      adapter.moderate('marche-01', 'restore');
      expect(await adapter.comments.get('marche-01')).to.include({ moderation: 'published', authorName: 'Martine L.' });
      await settle();
      expect(received.map((message) => [message.payload.type, message.payload.comment.moderation])).to.deep.equal([
        ['updated', 'hidden'],
        ['updated', 'published'],
      ]);
    });

    it('knows no deleted or unknown comment', () => {
      const { adapter } = town();
      expect(() => adapter.moderate('nope', 'approve')).to.throw(CivicError);
      expect(() => adapter.moderate(COMMENT_IDS.deleted, 'restore')).to.throw(CivicError);
    });
  });

  describe('live', () => {
    it('broadcasts created, updated and removed as everyone sees them', async () => {
      const { adapter } = town({ participant: { id: VISITOR_ID, displayName: 'Camille V.' } });
      const { received, stop } = listen(adapter, consultation);
      const other = listen(adapter, moderated);
      const comment = await adapter.comments.post(consultation, { body: 'En direct.', stance: 'for' }, write());
      await adapter.comments.edit(comment.id, 'En direct, corrigé.', write());
      await adapter.comments.remove(comment.id, write());
      await settle();
      expect(received.map((message) => message.payload.type)).to.deep.equal(['created', 'updated', 'removed']);
      expect(received.every((message) => message.topic === `thread:${consultation}:comments`)).to.be.true;
      const [created, updated, removed] = received.map((message) => message.payload.comment);
      expect(created).to.deep.equal({
        id: comment.id,
        threadId: consultation,
        body: 'En direct.',
        stance: 'for',
        authorName: 'Camille V.',
        moderation: 'published',
        supports: 0,
        replies: 0,
        depth: 0,
        createdAt: START.toISOString(),
      });
      expect(updated!.body).to.equal('En direct, corrigé.');
      expect(removed).to.include({ deleted: true, body: '', replies: 0 });
      expect(removed).not.to.have.property('authorName');
      expect(other.received).to.have.length(0);

      stop();
      await adapter.comments.post(consultation, { body: 'Plus écouté.', stance: 'for' }, write());
      await settle();
      expect(received).to.have.length(3);
    });

    it('does not broadcast a pending comment, its edit or its deletion', async () => {
      const { adapter } = town();
      const { received } = listen(adapter, moderated);
      const comment = await adapter.comments.post(moderated, { body: 'En attente.' }, write());
      await adapter.comments.edit(comment.id, 'Toujours en attente.', write());
      await adapter.comments.remove(comment.id, write());
      await settle();
      expect(received).to.have.length(0);
    });

    it('counts only the replies everyone can see in a broadcast', async () => {
      const { adapter } = town();
      const parent = await adapter.comments.post(moderated, { body: 'Parent.' }, write());
      adapter.moderate(parent.id, 'approve');
      const { received } = listen(adapter, moderated);
      adapter.actAs({ id: 'other' });
      const reply = await adapter.comments.post(moderated, { body: 'Réponse en attente.', parentId: parent.id }, write());
      adapter.actAs({ id: VISITOR_ID });
      expect((await adapter.comments.get(parent.id)).replies).to.equal(0);
      adapter.moderate(parent.id, 'hide');
      await settle();
      expect(received.map((message) => message.payload.comment.replies)).to.deep.equal([0]);
      adapter.actAs({ id: 'other' });
      expect((await adapter.comments.get(parent.id)).replies).to.equal(1);
      expect((await adapter.comments.get(reply.id)).moderation).to.equal('pending');
    });
  });

  describe('latency and failures', () => {
    it('injects failures, goes offline and waits like the poll calls', async () => {
      const { adapter } = town({ latency: 40 });
      adapter.failNext('rate-limited');
      const limited = await expectKind(adapter.comments.post(consultation, { body: 'Vite.', stance: 'for' }, write()), 'rate-limited');
      expect(limited.retryAfter).to.equal(1);
      expect((await adapter.comments.list(consultation)).total).to.equal(9);

      adapter.online = false;
      await expectKind(adapter.comments.getThread(consultation), 'offline');
      await expectKind(adapter.comments.react('marche-01', true, write()), 'offline');
      adapter.online = true;

      const started = performance.now();
      await adapter.comments.get('marche-01');
      expect(performance.now() - started).to.be.at.least(35);
    });

    it('rejects with the abort reason when the caller gives up', async () => {
      const { adapter } = town({ latency: 1000 });
      const controller = new AbortController();
      const pending = adapter.comments.list(consultation, {}, { signal: controller.signal });
      controller.abort(new DOMException('stop', 'AbortError'));
      let error: unknown;
      try {
        await pending;
      } catch (caught) {
        error = caught;
      }
      expect((error as DOMException).name).to.equal('AbortError');
    });
  });

  describe('large thread', () => {
    it('is the same for the same size, published, with replies no deeper than five', () => {
      const a = createLargeThread(500);
      expect(createLargeThread(500)).to.deep.equal(a);
      expect(a.comments).to.have.length(500);
      const byId = new Map(a.comments.map((comment) => [comment.id, comment]));
      const depth = (id: string | undefined): number => (id === undefined ? -1 : 1 + depth(byId.get(id)!.parentId));
      const depths = a.comments.map((comment) => depth(comment.id));
      expect(Math.max(...depths)).to.equal(5);
      expect(depths.filter((d) => d === 0).length).to.be.within(100, 300);
      expect(a.comments.every((comment) => comment.moderation === 'published' && comment.body.length > 0)).to.be.true;
    });
  });
});
