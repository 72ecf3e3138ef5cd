import { expect } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../packages/core/src/adapters/memory-adapter.js';
import {
  IDEA_BODY_MAX_LENGTH,
  IDEA_IMAGE_MAX_BYTES,
  IDEA_MAX_PAGE_SIZE,
  IDEA_PAGE_SIZE,
  IDEA_TITLE_MAX_LENGTH,
  SIMILAR_IDEAS_LIMIT,
} from '../../packages/core/src/contract/limits.js';
import type { Idea, IdeaInput, IdeaLiveEvent, IdeaQuery, LiveMessage } from '../../packages/core/src/contract/types.js';
import { CivicError } from '../../packages/core/src/contract/errors.js';
import { expectKind } from '../support/errors.js';
import { createTownSeed } from './fixtures/polls.js';
import { IDEA_BOX_IDS, IDEA_IDS, TRACKED_PROJECT_ID, VISITOR_ID, createIdeaSeed } from './fixtures/ideas.js';

const START = new Date('2027-03-10T12:00:00+01:00');
const DAY = 24 * 3600;
const { open, moderated, closed } = IDEA_BOX_IDS;
let keys = 0;
const write = () => ({ idempotencyKey: `idea-key-${++keys}` });

function town(options: MemoryAdapterOptions = {}) {
  const clock = { now: START };
  const adapter = new MemoryAdapter({ seed: createIdeaSeed(START), participant: { id: VISITOR_ID }, now: () => clock.now, ...options });
  const advance = (seconds: number) => (clock.now = new Date(clock.now.getTime() + seconds * 1000));
  return { adapter, advance };
}

async function allPages(adapter: MemoryAdapter, query: IdeaQuery, boxId: string = open) {
  const items: Idea[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.ideas.list(boxId, { ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 100);
  return { items, pages };
}

const ids = (items: Idea[]) => items.map((idea) => idea.id);

function listen(adapter: MemoryAdapter, boxId: string = open) {
  const received: LiveMessage<IdeaLiveEvent>[] = [];
  const stop = adapter.subscribe<IdeaLiveEvent>(`idea-box:${boxId}:ideas`, (message) => received.push(message));
  return { received, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const proposal: IdeaInput = {
  title: 'Des nichoirs dans le parc',
  body: 'Installer des nichoirs pour les mésanges et les martinets dans les grands arbres du parc.',
  categoryId: 'environnement',
};

/** A `data:` URL of the given type holding `bytes` bytes. */
function dataUrl(type: string, bytes: number): string {
  return `data:${type};base64,${btoa('x'.repeat(bytes))}`;
}

/** Makes `count` other participants report the idea. */
async function reportBy(adapter: MemoryAdapter, ideaId: string, count: number, prefix = 'rapporteur') {
  for (let i = 0; i < count; i++) {
    adapter.actAs({ id: `${prefix}-${i}` });
    await adapter.ideas.report(ideaId, { reason: 'abuse' }, write());
  }
  adapter.actAs({ id: VISITOR_ID });
}

describe('MemoryAdapter ideas', () => {
  describe('boxes', () => {
    it('serves a box with its categories, limit and threshold, and rejects an unknown one', async () => {
      const { adapter } = town();
      const box = await adapter.ideas.getBox(open);
      expect(box).to.include({ id: open, supportLimit: 3, preModeration: false, autoHideReports: 3, allowImages: true, allowLocation: true });
      expect(box.categories.map((category) => category.id)).to.deep.equal(['mobilite', 'environnement', 'vie-de-quartier', 'culture-sport']);
      expect(box.categories.every((category) => /^#[0-9a-f]{6}$/.test(category.color!))).to.be.true;
      await expectKind(adapter.ideas.getBox('inconnue'), 'not-found');
      await expectKind(adapter.ideas.list('inconnue'), 'not-found');
      await expectKind(adapter.ideas.similar('inconnue', 'bancs'), 'not-found');
      await expectKind(adapter.ideas.propose('inconnue', proposal, write()), 'not-found');
    });

    it('lives beside the polls and the threads in one seed', async () => {
      const adapter = new MemoryAdapter({ seed: { ...createTownSeed(START), ...createIdeaSeed(START) }, now: () => START });
      expect((await adapter.polls.get('nom-mediatheque')).id).to.equal('nom-mediatheque');
      expect((await adapter.ideas.getBox(closed)).id).to.equal(closed);
      expect((await adapter.comments.getThread(`idea:${IDEA_IDS.discussed}`)).comments).to.equal(4);
    });
  });

  describe('reading', () => {
    it('lists the newest first, twelve at a time, with the total the visitor may see', async () => {
      const { adapter } = town();
      const page = await adapter.ideas.list(open);
      expect(page.items).to.have.length(IDEA_PAGE_SIZE);
      // 25 seeded: the hidden one is nobody's to see; the visitor's pending one is theirs.
      expect(page.total).to.equal(24);
      expect(page.nextCursor).to.be.a('string');
      const dates = page.items.map((idea) => Date.parse(idea.createdAt));
      expect(dates).to.deep.equal([...dates].sort((a, b) => b - a));
      expect(page.items[0]!.id).to.equal(IDEA_IDS.minePending);
    });

    it('shows the visitor their own pending idea and nobody else, and nobody the hidden one', async () => {
      const { adapter } = town();
      const mine = await adapter.ideas.get(IDEA_IDS.minePending);
      expect(mine).to.include({ moderation: 'pending', mine: true, status: 'submitted' });
      adapter.actAs({ id: 'habitant-quelconque' });
      const { items } = await allPages(adapter, {});
      expect(items).to.have.length(23);
      expect(ids(items)).not.to.include(IDEA_IDS.minePending);
      expect(ids(items)).not.to.include(IDEA_IDS.hidden);
      await expectKind(adapter.ideas.get(IDEA_IDS.minePending), 'not-found');
      await expectKind(adapter.ideas.get(IDEA_IDS.hidden), 'not-found');
      adapter.actAs({ id: 'habitant-anonyme-5' });
      await expectKind(adapter.ideas.get(IDEA_IDS.hidden), 'not-found');
    });

    it('shows an author their rejected idea as rejected, and nobody else', async () => {
      const { adapter } = town();
      const page = await adapter.ideas.list(moderated);
      expect(ids(page.items)).to.deep.equal([IDEA_IDS.minePendingInModerated, IDEA_IDS.mineRejectedInModerated, 'ecole-01']);
      expect(page.items[1]).to.include({ moderation: 'rejected', mine: true });
      adapter.actAs({ id: 'habitant-quelconque' });
      expect(ids((await adapter.ideas.list(moderated)).items)).to.deep.equal(['ecole-01']);
    });

    it('carries the answer, the duplicate, the tracked project, supportedByMe and the comment counts', async () => {
      const { adapter } = town();
      const benches = await adapter.ideas.get(IDEA_IDS.benches);
      expect(benches).to.include({ status: 'accepted', supports: 58, supportedByMe: true, authorName: 'Sylvie M.' });
      expect(benches).not.to.have.property('mine');
      expect(benches.answer!.body).to.contain('six bancs');
      expect(benches.location).to.deep.equal({ address: 'Parc des Tilleuls, allée centrale', point: { lat: 45.1123, lng: 4.8231 } });
      // Counted from the idea's thread: three published comments.
      expect(benches.comments).to.equal(3);
      expect((await adapter.ideas.get(IDEA_IDS.discussed)).comments).to.equal(4);
      expect(await adapter.ideas.get(IDEA_IDS.duplicate)).to.include({ status: 'duplicate', duplicateOf: IDEA_IDS.benches });
      expect(await adapter.ideas.get(IDEA_IDS.tracked)).to.include({ status: 'done', trackedProjectId: TRACKED_PROJECT_ID });
      expect(await adapter.ideas.get(IDEA_IDS.mine)).to.include({ mine: true, supportedByMe: false });
    });

    it('seeds every status in the open box', async () => {
      const { adapter } = town();
      const { items } = await allPages(adapter, {});
      expect(new Set(items.map((idea) => idea.status))).to.deep.equal(
        new Set(['submitted', 'under-review', 'accepted', 'rejected', 'done', 'duplicate']),
      );
    });

    it('pages without gaps or repeats, and takes at most fifty a page', async () => {
      const { adapter } = town();
      const { items, pages } = await allPages(adapter, { limit: 5 });
      expect(pages).to.equal(5);
      expect(new Set(ids(items)).size).to.equal(24);
      expect((await adapter.ideas.list(open, { limit: 500 })).items).to.have.length(24);
      expect(IDEA_MAX_PAGE_SIZE).to.equal(50);
    });

    it('keeps the next page in place when an idea is proposed meanwhile', async () => {
      const { adapter, advance } = town();
      const first = await adapter.ideas.list(open, { limit: 10 });
      advance(60);
      await adapter.ideas.propose(open, proposal, write());
      const second = await adapter.ideas.list(open, { limit: 10, cursor: first.nextCursor });
      expect(ids(second.items).some((id) => ids(first.items).includes(id))).to.be.false;
      expect(second.total).to.equal(25);
    });

    it('refuses a cursor from another listing, an unknown sort and an unknown status', async () => {
      const { adapter } = town();
      const page = await adapter.ideas.list(open, { limit: 5 });
      const error = await expectKind(adapter.ideas.list(open, { limit: 5, sort: 'most-supported', cursor: page.nextCursor }), 'validation');
      expect(error.fieldErrors).to.have.property('cursor');
      await expectKind(adapter.ideas.list(open, { cursor: 'pas-un-curseur' }), 'validation');
      await expectKind(adapter.ideas.list(open, { sort: 'oldest' as never }), 'validation');
      await expectKind(adapter.ideas.list(open, { status: 'archived' as never }), 'validation');
    });

    it('sorts by supports and by comments', async () => {
      const { adapter } = town();
      const supported = (await allPages(adapter, { sort: 'most-supported', limit: 7 })).items;
      expect(supported[0]!.id).to.equal(IDEA_IDS.mostSupported);
      const counts = supported.map((idea) => idea.supports);
      expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
      const discussed = (await allPages(adapter, { sort: 'most-discussed', limit: 7 })).items;
      expect(discussed[0]!.id).to.equal(IDEA_IDS.mostSupported);
      const comments = discussed.map((idea) => idea.comments);
      expect(comments).to.deep.equal([...comments].sort((a, b) => b - a));
    });

    it('orders at random, the same for the same seed across pages, otherwise for another seed', async () => {
      const { adapter } = town();
      const once = ids((await allPages(adapter, { sort: 'random', seed: 'abc', limit: 5 })).items);
      const again = ids((await adapter.ideas.list(open, { sort: 'random', seed: 'abc', limit: 50 })).items);
      const other = ids((await adapter.ideas.list(open, { sort: 'random', seed: 'xyz', limit: 50 })).items);
      const newest = ids((await adapter.ideas.list(open, { limit: 50 })).items);
      expect(once).to.deep.equal(again);
      expect(new Set(once).size).to.equal(24);
      expect(other).not.to.deep.equal(once);
      expect(once).not.to.deep.equal(newest);
    });

    it('filters by category and by status, with totals', async () => {
      const { adapter } = town();
      const mobility = await adapter.ideas.list(open, { category: 'mobilite', limit: 50 });
      expect(mobility.items.every((idea) => idea.categoryId === 'mobilite')).to.be.true;
      expect(mobility.items).to.have.length(6);
      expect(mobility.total).to.equal(6);
      const accepted = await adapter.ideas.list(open, { status: 'accepted', limit: 50 });
      expect(ids(accepted.items).sort()).to.deep.equal([IDEA_IDS.benches, '54', '63'].sort());
      const both = await adapter.ideas.list(open, { category: 'mobilite', status: 'accepted' });
      expect(ids(both.items)).to.deep.equal(['63']);
      expect((await adapter.ideas.list(open, { category: 'inconnue' })).total).to.equal(0);
    });

    it('searches title and body whatever the case and the accents', async () => {
      const { adapter } = town();
      expect(ids((await adapter.ideas.list(open, { q: 'ECLAIRAGE' })).items).sort()).to.deep.equal(['50', '52']);
      expect(ids((await adapter.ideas.list(open, { q: 'médiathèque' })).items).sort()).to.deep.equal([IDEA_IDS.minePending, '65']);
      expect(ids((await adapter.ideas.list(open, { q: '  bancs   tilleuls ' })).items).sort()).to.deep.equal([IDEA_IDS.benches, IDEA_IDS.duplicate]);
      const none = await adapter.ideas.list(open, { q: 'téléphérique' });
      expect(none).to.deep.equal({ items: [], total: 0 });
    });
  });

  describe('similar ideas', () => {
    it('ranks published ideas by shared significant words, accents and plurals folded, at most five', async () => {
      const { adapter } = town();
      const similar = await adapter.ideas.similar(open, 'Des BANCS ombragés près du parc des Tilleuls');
      expect(ids(similar).slice(0, 2)).to.have.members([IDEA_IDS.benches, IDEA_IDS.duplicate]);
      expect(similar.length).to.be.at.most(SIMILAR_IDEAS_LIMIT);
      expect(similar[0]).to.have.property('supportedByMe');
      const cycling = await adapter.ideas.similar(open, 'piste cyclable securisee college');
      expect(cycling[0]!.id).to.equal(IDEA_IDS.discussed);
    });

    it('ignores stop words in French and English, and offers no pending, hidden or other box idea', async () => {
      const { adapter } = town();
      expect(await adapter.ideas.similar(open, 'les des pour avec dans the and with from')).to.deep.equal([]);
      expect(await adapter.ideas.similar(open, '')).to.deep.equal([]);
      // Words of the visitor's pending idea, of the hidden one and of the pre-moderated box.
      expect(ids(await adapter.ideas.similar(open, 'club lecture'))).to.deep.equal([]);
      expect(ids(await adapter.ideas.similar(open, 'dénoncer bruyants'))).to.deep.equal([]);
      expect(ids(await adapter.ideas.similar(open, 'gourdes écolier'))).to.deep.equal([]);
      expect(ids(await adapter.ideas.similar(moderated, 'gourdes écolier'))).to.deep.equal(['ecole-01']);
    });

    it('caps the answer at five', async () => {
      const { adapter } = town();
      // "parc", "école", "place", "jeunes", "gratuit"… shared by many ideas.
      const many = await adapter.ideas.similar(open, 'parc école place jeunes gratuit marché quartier samedi enfants');
      expect(many).to.have.length(SIMILAR_IDEAS_LIMIT);
    });
  });

  describe('proposing', () => {
    it('publishes an idea at once in an open box, as submitted, the author’s own', async () => {
      const { adapter } = town({ participant: { id: VISITOR_ID, displayName: 'Camille V.' } });
      const idea = await adapter.ideas.propose(open, { ...proposal, title: '  Des nichoirs dans le parc  ' }, write());
      expect(idea).to.include({
        boxId: open,
        title: 'Des nichoirs dans le parc',
        status: 'submitted',
        moderation: 'published',
        supports: 0,
        comments: 0,
        mine: true,
        supportedByMe: false,
        authorName: 'Camille V.',
        createdAt: START.toISOString(),
      });
      expect((await adapter.ideas.list(open)).items[0]!.id).to.equal(idea.id);
      adapter.actAs({ id: 'habitant-quelconque' });
      expect(await adapter.ideas.get(idea.id)).not.to.have.property('mine');
    });

    it('keeps an idea pending in a pre-moderated box until approved', async () => {
      const { adapter } = town();
      const live = listen(adapter, moderated);
      const idea = await adapter.ideas.propose(moderated, { title: 'Un potager dans la cour', body: 'Un petit potager entretenu par les classes de CE2.' }, write());
      expect(idea).to.include({ moderation: 'pending', status: 'submitted' });
      await settle();
      expect(live.received).to.have.length(0);
      adapter.actAs({ id: 'habitant-quelconque' });
      await expectKind(adapter.ideas.get(idea.id), 'not-found');
      adapter.moderateIdea(idea.id, 'approve');
      expect(await adapter.ideas.get(idea.id)).to.include({ moderation: 'published' });
      await settle();
      expect(live.received.map((message) => message.payload.type)).to.deep.equal(['created']);
    });

    it('names every field at fault', async () => {
      const { adapter } = town();
      const error = await expectKind(
        adapter.ideas.propose(open, { title: ' Ab ', body: 'Trop court', categoryId: 'inconnue', location: { point: { lat: 91, lng: 0 } }, image: 'https://exemple.fr/a.png' }, write()),
        'validation',
      );
      expect(Object.keys(error.fieldErrors!).sort()).to.deep.equal(['body', 'categoryId', 'image', 'location', 'title']);
    });

    it('bounds the title and the body', async () => {
      const { adapter } = town();
      const long = await expectKind(
        adapter.ideas.propose(open, { ...proposal, title: 'x'.repeat(IDEA_TITLE_MAX_LENGTH + 1), body: 'y'.repeat(IDEA_BODY_MAX_LENGTH + 1) }, write()),
        'validation',
      );
      expect(Object.keys(long.fieldErrors!).sort()).to.deep.equal(['body', 'title']);
      const idea = await adapter.ideas.propose(open, { ...proposal, title: 'x'.repeat(IDEA_TITLE_MAX_LENGTH), body: 'y'.repeat(IDEA_BODY_MAX_LENGTH) }, write());
      expect(idea.title).to.have.length(IDEA_TITLE_MAX_LENGTH);
    });

    it('requires a category where the box has some, and refuses one where it has none', async () => {
      const { adapter } = town();
      const missing = await expectKind(adapter.ideas.propose(open, { title: proposal.title, body: proposal.body }, write()), 'validation');
      expect(Object.keys(missing.fieldErrors!)).to.deep.equal(['categoryId']);
      const extra = await expectKind(adapter.ideas.propose(moderated, proposal, write()), 'validation');
      expect(Object.keys(extra.fieldErrors!)).to.deep.equal(['categoryId']);
    });

    it('takes a location (address or point in range) only where the box allows it', async () => {
      const { adapter } = town();
      const located = await adapter.ideas.propose(open, { ...proposal, location: { address: ' 3 rue des Écoles ', point: { lat: 45.11, lng: 4.82 } } }, write());
      expect(located.location).to.deep.equal({ address: '3 rue des Écoles', point: { lat: 45.11, lng: 4.82 } });
      for (const location of [{}, { point: { lat: 10, lng: 181 } }, { point: { lat: Number.NaN, lng: 0 } }, { address: '   ' }]) {
        const error = await expectKind(adapter.ideas.propose(open, { ...proposal, location }, write()), 'validation');
        expect(Object.keys(error.fieldErrors!)).to.deep.equal(['location']);
      }
      const refused = await expectKind(
        adapter.ideas.propose(moderated, { title: proposal.title, body: proposal.body, location: { address: 'Cour de l’école' } }, write()),
        'validation',
      );
      expect(Object.keys(refused.fieldErrors!)).to.deep.equal(['location']);
    });

    it('takes an image of an allowed type and size only where the box allows it', async () => {
      const { adapter } = town();
      const png = dataUrl('image/png', 300);
      expect((await adapter.ideas.propose(open, { ...proposal, image: png }, write())).imageUrl).to.equal(png);
      await adapter.ideas.propose(open, { ...proposal, image: dataUrl('image/webp', IDEA_IMAGE_MAX_BYTES - 2) }, write());
      for (const image of [dataUrl('image/gif', 300), dataUrl('image/svg+xml', 300), dataUrl('image/jpeg', IDEA_IMAGE_MAX_BYTES + 1), 'data:image/png;base64,', 'javascript:alert(1)']) {
        const error = await expectKind(adapter.ideas.propose(open, { ...proposal, image }, write()), 'validation');
        expect(Object.keys(error.fieldErrors!), image.slice(0, 30)).to.deep.equal(['image']);
      }
      const refused = await expectKind(adapter.ideas.propose(moderated, { title: proposal.title, body: proposal.body, image: png }, write()), 'validation');
      expect(Object.keys(refused.fieldErrors!)).to.deep.equal(['image']);
    });

    it('refuses proposals to a closed box and to a box not open yet, with closed', async () => {
      const { adapter, advance } = town();
      await expectKind(adapter.ideas.propose(closed, { ...proposal, categoryId: 'nature' }, write()), 'closed');
      advance(91 * DAY);
      await expectKind(adapter.ideas.propose(open, proposal, write()), 'closed');
      const early = new MemoryAdapter({ seed: createIdeaSeed(START), now: () => new Date(START.getTime() - 61 * DAY * 1000) });
      await expectKind(early.ideas.propose(open, proposal, write()), 'closed');
    });

    it('lets only verified participants propose where the box requires it', async () => {
      const seed = createIdeaSeed(START);
      seed.ideaBoxes[0]!.requiredVerification = 'verified';
      const adapter = new MemoryAdapter({ seed, now: () => START });
      await expectKind(adapter.ideas.propose(open, proposal, write()), 'forbidden');
      adapter.actAs({ verification: 'verified', displayName: 'Camille V.' });
      expect((await adapter.ideas.propose(open, proposal, write())).authorName).to.equal('Camille V.');
    });

    it('replays the same key with the same idea, and refuses it with another', async () => {
      const { adapter } = town();
      const options = write();
      const first = await adapter.ideas.propose(open, proposal, options);
      const again = await adapter.ideas.propose(open, { ...proposal }, options);
      expect(again).to.deep.equal(first);
      expect((await adapter.ideas.list(open)).total).to.equal(25);
      await expectKind(adapter.ideas.propose(open, { ...proposal, title: 'Une autre idée encore' }, options), 'validation');
    });
  });

  describe('supporting', () => {
    it('supports once, idempotently, and withdraws', async () => {
      const { adapter } = town();
      const supported = await adapter.ideas.support('52', write());
      expect(supported).to.include({ supports: 23, supportedByMe: true });
      expect(await adapter.ideas.support('52', write())).to.include({ supports: 23, supportedByMe: true });
      const withdrawn = await adapter.ideas.withdrawSupport('52', write());
      expect(withdrawn).to.include({ supports: 22, supportedByMe: false });
      expect(await adapter.ideas.withdrawSupport('52', write())).to.include({ supports: 22 });
    });

    it('holds a participant to the box’s limit, and a withdrawal frees one', async () => {
      const { adapter } = town();
      // The visitor supports two ideas of the open box already.
      await adapter.ideas.support('52', write());
      const error = await expectKind(adapter.ideas.support('53', write()), 'conflict');
      expect(error.message).to.equal('support limit reached');
      expect(error.status).to.equal(409);
      expect((await adapter.ideas.get('53')).supports).to.equal(15);
      await adapter.ideas.withdrawSupport(IDEA_IDS.benches, write());
      expect(await adapter.ideas.support('53', write())).to.include({ supports: 16, supportedByMe: true });
      // Supports in another box do not count here, and an idea already supported is no new support.
      expect(await adapter.ideas.support('53', write())).to.include({ supports: 16 });
    });

    it('lets an author support their own idea', async () => {
      const { adapter } = town();
      expect(await adapter.ideas.support(IDEA_IDS.mine, write())).to.include({ supports: 10, supportedByMe: true, mine: true });
    });

    it('refuses supports on a pending idea, and support or withdrawal once the box has closed', async () => {
      const { adapter, advance } = town();
      await expectKind(adapter.ideas.support(IDEA_IDS.minePending, write()), 'forbidden');
      await expectKind(adapter.ideas.support(IDEA_IDS.hidden, write()), 'not-found');
      await expectKind(adapter.ideas.withdrawSupport('bp26-02', write()), 'closed');
      await expectKind(adapter.ideas.support('bp26-01', write()), 'closed');
      advance(91 * DAY);
      await expectKind(adapter.ideas.withdrawSupport(IDEA_IDS.benches, write()), 'closed');
    });

    it('broadcasts supports as updates, seen by everyone', async () => {
      const { adapter } = town();
      const live = listen(adapter);
      await adapter.ideas.support('52', write());
      await settle();
      expect(live.received).to.have.length(1);
      const { type, idea } = live.received[0]!.payload;
      expect(type).to.equal('updated');
      expect(idea).to.include({ id: '52', supports: 23 });
      expect(idea).not.to.have.property('supportedByMe');
      expect(idea).not.to.have.property('mine');
      live.stop();
      await adapter.ideas.withdrawSupport('52', write());
      await settle();
      expect(live.received).to.have.length(1);
    });
  });

  describe('reporting and moderation', () => {
    it('validates a report and counts one per participant', async () => {
      const { adapter } = town();
      const error = await expectKind(adapter.ideas.report('53', { reason: 'rude' as never, details: 'x'.repeat(1001) }, write()), 'validation');
      expect(Object.keys(error.fieldErrors!).sort()).to.deep.equal(['details', 'reason']);
      for (let i = 0; i < 5; i++) await adapter.ideas.report('53', { reason: 'spam' }, write());
      await reportBy(adapter, '53', 1);
      // Two distinct reporters of three needed.
      expect((await adapter.ideas.get('53')).moderation).to.equal('published');
    });

    it('hides an idea after the box’s number of distinct reports, until the council restores it', async () => {
      const { adapter } = town();
      const live = listen(adapter);
      await reportBy(adapter, '53', 3);
      await expectKind(adapter.ideas.get('53'), 'not-found');
      expect(ids((await allPages(adapter, {})).items)).not.to.include('53');
      await settle();
      expect(live.received).to.have.length(0);
      adapter.moderateIdea('53', 'restore');
      expect((await adapter.ideas.get('53')).moderation).to.equal('published');
      await settle();
      expect(live.received.map((message) => message.payload.type)).to.deep.equal(['updated']);
      // Reports weighed by the council no longer count; three new ones do.
      await reportBy(adapter, '53', 2, 'autre');
      expect((await adapter.ideas.get('53')).moderation).to.equal('published');
      await reportBy(adapter, '53', 1, 'encore');
      await expectKind(adapter.ideas.get('53'), 'not-found');
    });

    it('uses five reports where the box does not say', async () => {
      const seed = createIdeaSeed(START);
      delete seed.ideaBoxes[0]!.autoHideReports;
      const adapter = new MemoryAdapter({ seed, participant: { id: VISITOR_ID }, now: () => START });
      await reportBy(adapter, '53', 4);
      expect((await adapter.ideas.get('53')).moderation).to.equal('published');
      await reportBy(adapter, '53', 1, 'cinquieme');
      await expectKind(adapter.ideas.get('53'), 'not-found');
    });

    it('hides a published idea and rejects a pending one on the council’s word', async () => {
      const { adapter } = town();
      adapter.moderateIdea('53', 'hide');
      await expectKind(adapter.ideas.get('53'), 'not-found');
      adapter.moderateIdea(IDEA_IDS.minePending, 'hide');
      expect((await adapter.ideas.get(IDEA_IDS.minePending)).moderation).to.equal('rejected');
      expect(() => adapter.moderateIdea('inconnue', 'approve')).to.throw(CivicError);
    });
  });

  describe('the council’s answer', () => {
    it('sets the status and the answer, and broadcasts the update', async () => {
      const { adapter } = town();
      const live = listen(adapter);
      adapter.answerIdea('55', { status: 'accepted', body: '<p>Trente arceaux couverts à l’été.</p>', author: 'Le maire' });
      const idea = await adapter.ideas.get('55');
      expect(idea.status).to.equal('accepted');
      expect(idea.answer).to.deep.equal({ body: '<p>Trente arceaux couverts à l’été.</p>', answeredAt: START.toISOString(), author: 'Le maire' });
      await settle();
      expect(live.received.map((message) => [message.payload.type, message.payload.idea.status])).to.deep.equal([['updated', 'accepted']]);
    });

    it('marks a duplicate of another idea of the box only', async () => {
      const { adapter } = town();
      adapter.answerIdea('57', { status: 'duplicate', body: '<p>Déjà proposé.</p>', duplicateOf: '53' });
      expect(await adapter.ideas.get('57')).to.include({ status: 'duplicate', duplicateOf: '53' });
      for (const duplicateOf of [undefined, '56', 'ecole-01', 'inconnue']) {
        expect(() => adapter.answerIdea('56', { status: 'duplicate', body: '<p>?</p>', duplicateOf })).to.throw(CivicError);
      }
      adapter.answerIdea('57', { status: 'under-review', body: '<p>À l’étude.</p>' });
      expect(await adapter.ideas.get('57')).not.to.have.property('duplicateOf');
    });

    it('broadcasts a proposal to the open box as created', async () => {
      const { adapter } = town();
      const live = listen(adapter);
      const idea = await adapter.ideas.propose(open, proposal, write());
      await settle();
      expect(live.received).to.have.length(1);
      expect(live.received[0]!.topic).to.equal(`idea-box:${open}:ideas`);
      expect(live.received[0]!.payload.type).to.equal('created');
      expect(live.received[0]!.payload.idea.id).to.equal(idea.id);
      expect(live.received[0]!.payload.idea).not.to.have.property('mine');
    });
  });

  describe('failures', () => {
    it('fails on demand, offline, and after latency', async () => {
      const { adapter } = town({ latency: 20 });
      adapter.failNext('server');
      await expectKind(adapter.ideas.list(open), 'server');
      adapter.online = false;
      await expectKind(adapter.ideas.support('52', write()), 'offline');
      adapter.online = true;
      const started = performance.now();
      await adapter.ideas.getBox(open);
      expect(performance.now() - started).to.be.at.least(15);
      // Nothing was written while failing.
      expect((await adapter.ideas.get('52')).supports).to.equal(22);
    });

    it('hands out copies that callers cannot use to change its state', async () => {
      const { adapter } = town();
      const idea = await adapter.ideas.get('52');
      idea.supports = 1000;
      idea.title = 'Modifié';
      const box = await adapter.ideas.getBox(open);
      box.categories.length = 0;
      expect(await adapter.ideas.get('52')).to.include({ supports: 22, title: 'Éteindre l’éclairage public de 1 h à 5 h' });
      expect((await adapter.ideas.getBox(open)).categories).to.have.length(4);
    });
  });
});

describe('MemoryAdapter idea discussions', () => {
  it('opens the discussion of a published idea that has none seeded, and of no unpublished one', async () => {
    const { adapter } = town();
    const thread = await adapter.comments.getThread(`idea:${IDEA_IDS.rejected}`);
    expect(thread).to.include({ id: `idea:${IDEA_IDS.rejected}`, closed: false, comments: 0 });
    const posted = await adapter.comments.post(`idea:${IDEA_IDS.rejected}`, { body: 'Pourquoi ce refus ?' }, write());
    expect(posted.moderation).to.equal('published');
    expect((await adapter.ideas.get(IDEA_IDS.rejected)).comments).to.equal(1);
    await expectKind(adapter.comments.getThread(`idea:${IDEA_IDS.minePending}`), 'not-found');
    await expectKind(adapter.comments.getThread('idea:nope'), 'not-found');
  });

  it('opens the discussion of an idea once a moderator approves it', async () => {
    const { adapter } = town();
    await expectKind(adapter.comments.getThread(`idea:${IDEA_IDS.minePending}`), 'not-found');
    adapter.moderateIdea(IDEA_IDS.minePending, 'approve');
    expect((await adapter.comments.getThread(`idea:${IDEA_IDS.minePending}`)).comments).to.equal(0);
  });
});
