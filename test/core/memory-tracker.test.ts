import { expect } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../packages/core/src/adapters/memory-adapter.js';
import { CONTRIBUTION_PAGE_SIZE, PROJECT_MAX_PAGE_SIZE, PROJECT_PAGE_SIZE } from '../../packages/core/src/contract/limits.js';
import type {
  ContributionFate,
  LiveMessage,
  ProjectQuery,
  TrackedProject,
  TrackerLiveEvent,
} from '../../packages/core/src/contract/types.js';
import { expectKind } from '../support/errors.js';
import { REPORT_IDS as MAP_REPORT_IDS, createMapSeed } from './fixtures/maps.js';
import {
  EXPECTED_FATES,
  PROJECT_IDS,
  REPORT_IDS,
  TRACKER_IDEA_IDS,
  TRACKER_IDS,
  TRACKER_POLL_IDS,
  TRACKER_THREAD_IDS,
  VISITOR_ID,
  createTrackerSeed,
  manyProjects,
} from './fixtures/tracker.js';

const START = new Date('2027-03-10T12:00:00+01:00');
const { town, budget, empty } = TRACKER_IDS;
let keys = 0;
const write = () => ({ idempotencyKey: `tracker-key-${++keys}` });

function belvoir(options: MemoryAdapterOptions = {}) {
  const clock = { now: START };
  const adapter = new MemoryAdapter({ seed: createTrackerSeed(START), participant: { id: VISITOR_ID }, now: () => clock.now, ...options });
  const advance = (days: number) => (clock.now = new Date(clock.now.getTime() + days * 86_400_000));
  return { adapter, advance, now: () => clock.now.toISOString() };
}

async function allPages(adapter: MemoryAdapter, query: ProjectQuery = {}, trackerId: string = town) {
  const items: TrackedProject[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.tracker.listProjects(trackerId, { ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 1000);
  return { items, pages };
}

async function allFates(adapter: MemoryAdapter, limit?: number) {
  const items: ContributionFate[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.tracker.myContributions(town, { cursor, limit });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 100);
  return { items, pages };
}

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function listen(adapter: MemoryAdapter, trackerId: string = town) {
  const received: LiveMessage<TrackerLiveEvent>[] = [];
  const stop = adapter.subscribe<TrackerLiveEvent>(`tracker:${trackerId}:projects`, (message) => received.push(message));
  return { received, stop };
}

const P = PROJECT_IDS;

describe('MemoryAdapter tracker', () => {
  describe('trackers', () => {
    it('sums every status in order, zeros included, with budgets over the projects that have them', async () => {
      const { adapter } = belvoir();
      const tracker = await adapter.tracker.getTracker(town);
      expect(tracker).to.include({ id: town, currency: 'EUR' });
      expect(tracker.statusLabels).to.deep.equal({ planned: 'À l’étude', 'in-progress': 'En chantier', done: 'Livré', cancelled: 'Abandonné' });
      expect(tracker.overview).to.deep.equal([
        { status: 'planned', projects: 5, budgetPlanned: 868_000, budgetSpent: 0 },
        { status: 'in-progress', projects: 4, budgetPlanned: 1_910_000, budgetSpent: 1_053_000 },
        { status: 'done', projects: 4, budgetPlanned: 192_500, budgetSpent: 201_970 },
        { status: 'cancelled', projects: 2, budgetPlanned: 40_000, budgetSpent: 8_000 },
      ]);
      const none = await adapter.tracker.getTracker(empty);
      expect(none.overview.map((total) => [total.status, total.projects, total.budgetPlanned, total.budgetSpent])).to.deep.equal([
        ['planned', 0, 0, 0],
        ['in-progress', 0, 0, 0],
        ['done', 0, 0, 0],
        ['cancelled', 0, 0, 0],
      ]);
      expect(none).to.include({ title: 'Plan climat 2030' });
      expect(none.districts).to.deep.equal([]);
      expect(none.categories).to.deep.equal([]);
    });

    it('offers the distinct districts and categories its projects use, in French order', async () => {
      const { adapter } = belvoir();
      const tracker = await adapter.tracker.getTracker(town);
      expect(tracker.districts).to.deep.equal(['Centre-ville', 'Clos-Moreau', 'Croix-Verte', 'Le Prieuré', 'Les Îles', 'Saint-Lubin']);
      // "Écoles" between "Culture" and "Environnement", not after "Vie" as code points would put it.
      expect(tracker.categories).to.deep.equal(['Culture et sport', 'Écoles', 'Environnement', 'Mobilité', 'Vie de quartier']);
      const other = await adapter.tracker.getTracker(budget);
      expect(other.districts).to.deep.equal(['Centre-ville']);
      expect(other.categories).to.deep.equal(['Mobilité']);
    });

    it('rejects an unknown tracker or project', async () => {
      const { adapter } = belvoir();
      await expectKind(adapter.tracker.getTracker('inconnu'), 'not-found');
      await expectKind(adapter.tracker.listProjects('inconnu'), 'not-found');
      await expectKind(adapter.tracker.myContributions('inconnu'), 'not-found');
      await expectKind(adapter.tracker.getProject('inconnu'), 'not-found');
    });

    it('refuses a seed whose projects break the rules', () => {
      const seed = createTrackerSeed(START);
      const broken = (change: object) => () =>
        new MemoryAdapter({ seed: { ...seed, projects: [{ ...seed.projects[0]!, ...change }] } });
      expect(broken({ trackerId: 'inconnu' })).to.throw(/tracker/);
      expect(broken({ progress: 101 })).to.throw(/progress/);
      expect(broken({ progress: 12.5 })).to.throw(/progress/);
      expect(broken({ budgetPlanned: -1 })).to.throw(/budget/);
      expect(broken({ status: 'paused' })).to.throw(/status/);
      expect(broken({})).not.to.throw();
    });
  });

  describe('listing', () => {
    it('lists the most recently updated first, twelve at a time, with the total', async () => {
      const { adapter } = belvoir();
      const page = await adapter.tracker.listProjects(town);
      expect(page.total).to.equal(15);
      expect(page.items).to.have.length(PROJECT_PAGE_SIZE);
      expect(page.nextCursor).to.be.a('string');
      expect(ids(page.items)).to.deep.equal([
        P.cyclingPlan, P.school, P.bikeLane, P.mobileLibrary, P.benches, P.pavements,
        P.pool, P.lighting, P.townCentre, P.composters, P.market, P.shuttle,
      ]);
      const next = await adapter.tracker.listProjects(town, { cursor: page.nextCursor });
      expect(ids(next.items)).to.deep.equal([P.skatepark, P.fountains, P.garden]);
      expect(next.total).to.equal(15);
      expect(next).not.to.have.property('nextCursor');
    });

    it('carries only the latest update of a listed project, and every update newest first when read alone', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter);
      const school = items.find((project) => project.id === P.school)!;
      expect(school.updates).to.have.length(1);
      expect(school.updates[0]!.id).to.equal(`${P.school}-maj-4`);
      expect(items.find((project) => project.id === P.market)!.updates).to.deep.equal([]);
      const full = await adapter.tracker.getProject(P.school);
      expect(ids(full.updates)).to.deep.equal([4, 3, 2, 1].map((n) => `${P.school}-maj-${n}`));
      expect(full).to.include({ status: 'in-progress', progress: 70, budgetPlanned: 1_250_000, budgetSpent: 830_000, district: 'Les Îles' });
      expect(full.imageUrl).to.match(/^data:image\/svg\+xml,/);
      expect(full.imageAlt).to.contain('école');
      expect(full.updates[2]!.body).to.contain('<script>');
    });

    it('pages to the end without repeating or losing a project, in every sort', async () => {
      const { adapter } = belvoir();
      for (const sort of ['updated', 'title', 'status', 'budget', 'start'] as const) {
        const { items, pages } = await allPages(adapter, { sort, limit: 4 });
        expect(pages, sort).to.equal(4);
        expect(new Set(ids(items)).size, sort).to.equal(15);
      }
    });

    it('bounds the page size', async () => {
      const large = new MemoryAdapter({ seed: manyProjects(60), now: () => START });
      expect((await large.tracker.listProjects(TRACKER_IDS.large, { limit: 500 })).items).to.have.length(PROJECT_MAX_PAGE_SIZE);
      expect((await large.tracker.listProjects(TRACKER_IDS.large, { limit: 0 })).items).to.have.length(1);
      expect((await large.tracker.listProjects(TRACKER_IDS.large, { limit: 7.9 })).items).to.have.length(7);
    });

    it('keeps the next page in place when a project is updated meanwhile', async () => {
      const { adapter, advance } = belvoir();
      const first = await adapter.tracker.listProjects(town, { limit: 5 });
      advance(1);
      // The most recent update now: it moves to the top, before the cursor.
      adapter.updateProject(P.garden, { body: '<p>Nouvelles parcelles.</p>' });
      const second = await adapter.tracker.listProjects(town, { limit: 5, cursor: first.nextCursor });
      expect(ids(second.items)).to.deep.equal([P.pavements, P.pool, P.lighting, P.townCentre, P.composters]);
      expect(second.total).to.equal(15);
    });

    it('refuses a cursor from another listing, or none of its own', async () => {
      const { adapter } = belvoir();
      const { nextCursor } = await adapter.tracker.listProjects(town, { limit: 2 });
      await expectKind(adapter.tracker.listProjects(town, { limit: 2, sort: 'title', cursor: nextCursor }), 'validation');
      await expectKind(adapter.tracker.listProjects(town, { limit: 2, status: 'done', cursor: nextCursor }), 'validation');
      const garbage = await expectKind(adapter.tracker.listProjects(town, { cursor: 'pas-un-curseur' }), 'validation');
      expect(garbage.fieldErrors).to.have.property('cursor');
    });

    it('refuses an unknown sort or status', async () => {
      const { adapter } = belvoir();
      const sort = await expectKind(adapter.tracker.listProjects(town, { sort: 'popular' as never }), 'validation');
      expect(sort.fieldErrors).to.have.property('sort');
      const status = await expectKind(adapter.tracker.listProjects(town, { status: 'paused' as never }), 'validation');
      expect(status.fieldErrors).to.have.property('status');
    });
  });

  describe('filters and search', () => {
    it('filters by status, district and category, together, with the total of the filter', async () => {
      const { adapter } = belvoir();
      const done = await adapter.tracker.listProjects(town, { status: 'done' });
      expect(done.total).to.equal(4);
      expect(done.items.every((project) => project.status === 'done')).to.be.true;
      const iles = await adapter.tracker.listProjects(town, { district: 'Les Îles', sort: 'title' });
      expect(ids(iles.items)).to.deep.equal([P.pool, P.bikeLane, P.school, P.skatepark]);
      const both = await adapter.tracker.listProjects(town, { district: 'Les Îles', category: 'Culture et sport', status: 'done' });
      expect(ids(both.items)).to.deep.equal([P.skatepark]);
      expect(both.total).to.equal(1);
      expect((await adapter.tracker.listProjects(town, { district: 'Les Iles' })).total).to.equal(0);
      expect((await adapter.tracker.listProjects(town, { district: '', category: '', status: '' as never })).total).to.equal(15);
      expect((await adapter.tracker.listProjects(budget)).total).to.equal(1);
    });

    it('searches titles and summaries, ignoring case, accents and ligatures, every word', async () => {
      const { adapter } = belvoir();
      const search = async (q: string) => ids((await adapter.tracker.listProjects(town, { q, sort: 'title' })).items);
      expect(await search('ECOLE')).to.deep.equal([P.school]);
      expect(await search('îles')).to.deep.equal([P.fountains, P.school, P.skatepark]);
      expect(await search('iles')).to.deep.equal([P.fountains, P.school, P.skatepark]);
      expect(await search('coeur')).to.deep.equal([P.townCentre]);
      expect(await search('Cœur')).to.deep.equal([P.townCentre]);
      expect(await search('quais  Loire')).to.deep.equal([P.benches]);
      expect(await search('quais')).to.deep.equal([P.benches, P.lighting]);
      expect(await search('saint-lubin')).to.deep.equal([P.shuttle, P.mobileLibrary]);
      expect((await adapter.tracker.listProjects(town, { q: '  ' })).total).to.equal(15);
      expect(await search('piscine mars')).to.deep.equal([]);
      // Districts are filters, not searched text.
      expect(await search('prieure')).to.deep.equal([P.fountains, P.garden]);
    });
  });

  describe('sorts', () => {
    it('sorts by title in French order', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter, { sort: 'title' });
      expect(items.map((project) => project.title)).to.deep.equal([
        'Cœur de bourg : une place du Marché piétonne',
        'Composteurs partagés à la Croix-Verte',
        'Des bancs le long des quais de Loire',
        'Éclairage LED des quais',
        'Fontaines à eau dans les parcs',
        'Jardin partagé du Prieuré',
        'Marché de producteurs au Clos-Moreau',
        'Navette du samedi vers Saint-Lubin',
        'Ouvrir la piscine le dimanche après-midi',
        'Piste cyclable du lycée Jean-Zay',
        'Rénovation de l’école des Îles',
        'Rénovation du skatepark des Îles',
        'Schéma directeur vélo',
        'Trottoirs accessibles au Clos-Moreau',
        'Un bibliobus pour les hameaux',
      ]);
    });

    it('sorts by status in the order of the overview, then by title', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter, { sort: 'status', limit: 6 });
      expect(ids(items)).to.deep.equal([
        P.townCentre, P.benches, P.market, P.cyclingPlan, P.pavements,
        P.lighting, P.bikeLane, P.school, P.mobileLibrary,
        P.composters, P.fountains, P.garden, P.skatepark,
        P.shuttle, P.pool,
      ]);
    });

    it('sorts by planned budget, largest first, projects without one last', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter, { sort: 'budget', limit: 5 });
      expect(ids(items)).to.deep.equal([
        P.school, P.townCentre, P.bikeLane, P.pavements, P.skatepark, P.lighting, P.mobileLibrary, P.shuttle,
        P.fountains, P.benches, P.garden, P.composters,
        P.market, P.pool, P.cyclingPlan,
      ]);
    });

    it('sorts by start date, earliest first, projects without one last', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter, { sort: 'start', limit: 5 });
      expect(ids(items)).to.deep.equal([
        P.garden, P.school, P.skatepark, P.bikeLane, P.shuttle, P.fountains, P.composters, P.mobileLibrary,
        P.lighting, P.cyclingPlan, P.benches, P.pavements, P.townCentre,
        P.market, P.pool,
      ]);
    });
  });

  describe('origins', () => {
    it('reads titles and counts from the sources it holds, and stored ones otherwise', async () => {
      const { adapter } = belvoir();
      const bikeLane = await adapter.tracker.getProject(P.bikeLane);
      // The idea's own title and its 48 supports, not the 40 the council stored.
      expect(bikeLane.origins).to.deep.equal([
        { kind: 'idea', id: TRACKER_IDEA_IDS.bikeLane, title: 'Une piste cyclable sécurisée jusqu’au lycée Jean-Zay', count: 48 },
      ]);
      const pool = await adapter.tracker.getProject(P.pool);
      expect(pool.origins).to.deep.equal([
        { kind: 'poll', id: TRACKER_POLL_IDS.pool, title: 'Faut-il ouvrir la piscine le dimanche après-midi ?', count: 6 },
      ]);
      const benches = await adapter.tracker.getProject(P.benches);
      expect(benches.origins[1]).to.deep.equal({
        kind: 'comment-thread',
        id: TRACKER_THREAD_IDS.quays,
        title: 'Concertation : l’avenir des quais de Loire',
        count: 2,
        url: 'https://www.belvoir-sur-loire.example/concertations/quais',
      });
      const pavements = await adapter.tracker.getProject(P.pavements);
      expect(pavements.origins).to.deep.equal([
        { kind: 'map-report', id: REPORT_IDS.origin, title: 'Trottoir, rue des Tanneurs', count: 14 },
        { kind: 'idea', id: TRACKER_IDEA_IDS.gone, title: 'Des trottoirs pour les fauteuils', count: 17 },
      ]);
    });

    it('follows supports, ballots and comments as they come', async () => {
      const { adapter } = belvoir();
      adapter.actAs({ id: 'habitante-nouvelle' });
      await adapter.ideas.support(TRACKER_IDEA_IDS.bikeLane, write());
      await adapter.polls.castBallot(TRACKER_POLL_IDS.pool, { choices: ['oui'] }, write());
      await adapter.comments.post(TRACKER_THREAD_IDS.quays, { body: 'Et des poubelles.' }, write());
      expect((await adapter.tracker.getProject(P.bikeLane)).origins[0]!.count).to.equal(49);
      expect((await adapter.tracker.getProject(P.pool)).origins[0]!.count).to.equal(7);
      const listed = (await allPages(adapter)).items.find((project) => project.id === P.benches)!;
      expect(listed.origins[1]!.count).to.equal(3);
    });

    it('counts the comments of each project’s discussion, which every project has', async () => {
      const { adapter } = belvoir();
      expect((await adapter.tracker.getProject(P.bikeLane)).comments).to.equal(3);
      expect((await adapter.tracker.getProject(P.school)).comments).to.equal(4);
      expect((await adapter.tracker.getProject(P.market)).comments).to.equal(0);
      const thread = await adapter.comments.getThread(`project:${P.market}`);
      expect(thread).to.include({ title: 'Marché de producteurs au Clos-Moreau', closed: false, comments: 0 });
      await adapter.comments.post(`project:${P.market}`, { body: 'Le samedi, enfin !' }, write());
      expect((await adapter.tracker.getProject(P.market)).comments).to.equal(1);
    });

    it('adds the comments a seed does not list to those of the discussion', async () => {
      const seed = createTrackerSeed(START);
      seed.projects = seed.projects.map((project) => (project.id === P.bikeLane ? { ...project, comments: 40 } : project));
      const adapter = new MemoryAdapter({ seed, participant: { id: VISITOR_ID }, now: () => START });
      expect((await adapter.tracker.getProject(P.bikeLane)).comments).to.equal(43);
    });
  });

  describe('my contributions', () => {
    it('tells the visitor what became of each contribution, newest first, as the contract maps it', async () => {
      const { adapter } = belvoir();
      const page = await adapter.tracker.myContributions(town);
      expect(page.total).to.equal(EXPECTED_FATES.length);
      expect(page.items).to.have.length(CONTRIBUTION_PAGE_SIZE);
      expect(page).not.to.have.property('nextCursor');
      expect(page.items.map(({ kind, id, outcome, project }) => ({ kind, id, outcome, ...(project ? { project: project.id } : {}) }))).to.deep.equal(
        EXPECTED_FATES,
      );
      const outcomes = new Set(page.items.map((fate) => fate.outcome));
      expect([...outcomes].sort()).to.deep.equal(['accepted', 'awaiting', 'counted', 'done', 'duplicate', 'in-project', 'rejected', 'under-review']);
    });

    it('tells the author of an idea that moderation did not publish it', async () => {
      const { adapter } = belvoir();
      const before = (await adapter.tracker.myContributions(town, { limit: 100 })).items;
      const idea = before.find((fate) => fate.kind === 'idea' && fate.outcome !== 'in-project')!;
      adapter.moderateIdea(idea.id, 'hide');
      const after = (await adapter.tracker.myContributions(town, { limit: 100 })).items;
      expect(after.find((fate) => fate.id === idea.id)).to.include({ kind: 'idea', outcome: 'not-published' });
      expect(after.filter((fate) => fate.outcome === 'not-published')).to.have.length(1);
    });

    it('carries titles, dates, answers and the project with its status', async () => {
      const { adapter } = belvoir();
      const { items } = await adapter.tracker.myContributions(town);
      const find = (id: string) => items.find((fate) => fate.id === id)!;
      expect(find(TRACKER_IDEA_IDS.streetLights)).to.deep.include({ kind: 'idea', title: 'Des lampadaires solaires partout', at: new Date(START.getTime() - 60 * 86_400_000).toISOString() });
      expect(find(TRACKER_IDEA_IDS.streetLights).answer).to.contain('LED');
      expect(find(TRACKER_IDEA_IDS.library)).not.to.have.property('answer');
      expect(find(REPORT_IDS.closed).answer).to.contain('effacé');
      expect(find(TRACKER_IDEA_IDS.composters).project).to.deep.equal({ id: P.composters, title: 'Composteurs partagés à la Croix-Verte', status: 'done' });
      expect(find(TRACKER_POLL_IDS.budget).project).to.deep.equal({ id: P.bikeShelter, title: 'Un abri à vélos fermé à la gare', status: 'in-progress' });
      expect(find(TRACKER_POLL_IDS.footbridge)).to.include({ title: 'Quel nom pour la nouvelle passerelle ?', outcome: 'counted' });
      // A project's discussion is named after the project; a thread's date is the visitor's latest comment there.
      expect(find(TRACKER_THREAD_IDS.bikeLane)).to.include({ title: 'Piste cyclable du lycée Jean-Zay' });
      expect(find(TRACKER_THREAD_IDS.centre)).to.include({ title: 'Concertation : le centre-bourg', at: new Date(START.getTime() - 9 * 86_400_000).toISOString() });
      for (const fate of items) expect(fate, fate.id).not.to.have.property('participantId');
    });

    it('pages with a cursor', async () => {
      const { adapter } = belvoir();
      const { items, pages } = await allFates(adapter, 6);
      expect(pages).to.equal(4);
      expect(items.map((fate) => fate.id)).to.deep.equal(EXPECTED_FATES.map((fate) => fate.id));
      await expectKind(adapter.tracker.myContributions(town, { cursor: 'nope' }), 'validation');
    });

    it('is empty for a participant who has contributed nothing, and never shows another’s', async () => {
      const { adapter } = belvoir();
      adapter.actAs({ id: 'nouveau-venu' });
      expect(await adapter.tracker.myContributions(town)).to.deep.equal({ items: [], total: 0 });
      adapter.actAs({ id: 'habitant-julien' });
      const julien = await adapter.tracker.myContributions(town);
      expect(julien.items.map((fate) => [fate.kind, fate.id, fate.outcome])).to.deep.equal([
        ['map-report', 'sig-200', 'awaiting'],
        ['comment-thread', TRACKER_THREAD_IDS.quays, 'in-project'],
      ]);
    });

    it('follows the council’s decisions and the participant’s new contributions', async () => {
      const { adapter, advance, now } = belvoir();
      advance(1);
      adapter.answerIdea(TRACKER_IDEA_IDS.library, { status: 'under-review', body: '<p>À l’étude avec la médiathèque.</p>' });
      adapter.updateProject(P.benches, { body: '<p>Commande passée.</p>', status: 'in-progress', progress: 20 });
      adapter.saveProject({
        id: 'nom-passerelle', trackerId: budget, title: 'Baptême de la passerelle', summary: 'Inauguration et plaque.', status: 'planned',
        progress: 0, origins: [{ kind: 'poll', id: TRACKER_POLL_IDS.footbridge }], updatedAt: now(),
      });
      await adapter.comments.post(`idea:${TRACKER_IDEA_IDS.fountains}`, { body: 'Merci pour la fontaine du stade.' }, write());

      const { items } = await adapter.tracker.myContributions(town);
      const find = (id: string) => items.find((fate) => fate.id === id)!;
      expect(find(TRACKER_IDEA_IDS.library)).to.include({ outcome: 'under-review' });
      expect(find(TRACKER_IDEA_IDS.library).answer).to.contain('médiathèque');
      expect(find(TRACKER_IDEA_IDS.benches).project).to.deep.equal({ id: P.benches, title: 'Des bancs le long des quais de Loire', status: 'in-progress' });
      expect(find(TRACKER_POLL_IDS.footbridge)).to.deep.include({ outcome: 'in-project', project: { id: 'nom-passerelle', title: 'Baptême de la passerelle', status: 'planned' } });
      // A discussion without a title of its own is named after the idea it discusses; it is the newest.
      expect(items[0]).to.include({ kind: 'comment-thread', id: `idea:${TRACKER_IDEA_IDS.fountains}`, title: 'Des fontaines à eau dans les parcs', outcome: 'counted' });
    });

    it('counts a discussion once however many comments, and not when the comments were deleted', async () => {
      const { adapter, advance } = belvoir();
      const first = await adapter.comments.post(TRACKER_THREAD_IDS.centre, { body: 'Encore un mot.' }, write());
      let fates = (await adapter.tracker.myContributions(town)).items.filter((fate) => fate.id === TRACKER_THREAD_IDS.centre);
      expect(fates).to.have.length(1);
      expect(fates[0]!.at).to.equal(first.createdAt);
      advance(1 / 24);
      const other = await adapter.comments.post(`project:${P.market}`, { body: 'Oui !' }, write());
      expect((await adapter.tracker.myContributions(town)).items[0]!.id).to.equal(`project:${P.market}`);
      await adapter.comments.remove(other.id, write());
      fates = (await adapter.tracker.myContributions(town)).items.filter((fate) => fate.id === `project:${P.market}`);
      expect(fates).to.deep.equal([]);
    });
  });

  describe('council and live', () => {
    it('broadcasts an update with the whole project, changes the status and progress, and lists it first', async () => {
      const { adapter, advance, now } = belvoir();
      const { received, stop } = listen(adapter);
      const elsewhere = listen(adapter, budget);
      advance(1);
      const updated = adapter.updateProject(P.market, { title: 'Premier marché', body: '<p>Premier marché le 5 avril.</p>', status: 'in-progress', progress: 50 });
      expect(updated).to.include({ status: 'in-progress', progress: 50, updatedAt: now() });
      expect(updated.updates[0]).to.include({ title: 'Premier marché', status: 'in-progress', progress: 50, at: now() });
      await settle();
      expect(received).to.have.length(1);
      expect(received[0]!.topic).to.equal(`tracker:${town}:projects`);
      expect(received[0]!.payload.type).to.equal('updated');
      expect(received[0]!.payload.project).to.deep.equal(await adapter.tracker.getProject(P.market));
      expect(elsewhere.received).to.deep.equal([]);
      expect((await adapter.tracker.listProjects(town)).items[0]!.id).to.equal(P.market);
      const tracker = await adapter.tracker.getTracker(town);
      expect(tracker.overview[0]!.projects).to.equal(4);
      expect(tracker.overview[1]!.projects).to.equal(5);
      stop();
      elsewhere.stop();
      adapter.updateProject(P.market, { body: '<p>Encore.</p>' });
      await settle();
      expect(received).to.have.length(1);
    });

    it('announces a new project as created and a replaced one as updated', async () => {
      const { adapter } = belvoir();
      const { received } = listen(adapter, empty);
      const project = {
        id: 'toitures-solaires', trackerId: empty, title: 'Panneaux solaires sur les écoles', summary: 'Trois toitures équipées.',
        status: 'planned' as const, progress: 0, budgetPlanned: 300_000, district: 'Les Îles', category: 'Énergie', updatedAt: START.toISOString(),
      };
      expect(adapter.saveProject(project)).to.include({ id: 'toitures-solaires', comments: 0 });
      adapter.saveProject({ ...project, progress: 10 });
      const tracker = await adapter.tracker.getTracker(empty);
      expect(tracker.categories).to.deep.equal(['Énergie']);
      expect(tracker.overview[0]).to.deep.equal({ status: 'planned', projects: 1, budgetPlanned: 300_000, budgetSpent: 0 });
      await settle();
      expect(received.map((message) => message.payload.type)).to.deep.equal(['created', 'updated']);
      expect(received[1]!.payload.project.progress).to.equal(10);
      // Moved to another tracker: it leaves this one and is new there.
      const there = listen(adapter, town);
      adapter.saveProject({ ...project, trackerId: town });
      await settle();
      expect(received.map((message) => message.payload.type)).to.deep.equal(['created', 'updated', 'updated']);
      expect(received[2]!.payload.project.trackerId).to.equal(town);
      expect(there.received.map((message) => message.payload.type)).to.deep.equal(['created']);
      expect((await adapter.tracker.getTracker(empty)).overview[0]!.projects).to.equal(0);
    });

    it('refuses an update or a project that breaks the rules', async () => {
      const { adapter } = belvoir();
      const { received } = listen(adapter);
      expect(() => adapter.updateProject(P.market, { body: '<p>x</p>', progress: 101 })).to.throw(/not valid/);
      expect(() => adapter.updateProject(P.market, { body: ' ' })).to.throw(/not valid/);
      expect(() => adapter.updateProject(P.market, { body: '<p>x</p>', status: 'paused' as never })).to.throw(/not valid/);
      expect(() => adapter.updateProject('inconnu', { body: '<p>x</p>' })).to.throw(/no project/);
      const project = await adapter.tracker.getProject(P.market);
      expect(() => adapter.saveProject({ ...project, origins: [], comments: undefined, trackerId: 'inconnu' })).to.throw(/not valid/);
      await settle();
      expect(received).to.deep.equal([]);
      expect((await adapter.tracker.getProject(P.market)).updates).to.deep.equal([]);
    });
  });

  describe('copies, latency and failures', () => {
    it('hands out copies that callers cannot use to change it', async () => {
      const { adapter } = belvoir();
      const project = await adapter.tracker.getProject(P.school);
      project.updates.length = 0;
      project.origins.push({ kind: 'idea', id: 'x', title: 'x', count: 1 });
      (await adapter.tracker.getTracker(town)).overview[0]!.projects = 99;
      expect((await adapter.tracker.getProject(P.school)).updates).to.have.length(4);
      expect((await adapter.tracker.getProject(P.school)).origins).to.deep.equal([]);
      expect((await adapter.tracker.getTracker(town)).overview[0]!.projects).to.equal(5);
    });

    it('fails on demand, offline, and after latency', async () => {
      const { adapter } = belvoir({ latency: 30 });
      adapter.failNext('server');
      await expectKind(adapter.tracker.getTracker(town), 'server');
      adapter.failNext('rate-limited');
      expect((await expectKind(adapter.tracker.listProjects(town), 'rate-limited')).retryAfter).to.equal(1);
      adapter.online = false;
      await expectKind(adapter.tracker.getProject(P.school), 'offline');
      await expectKind(adapter.tracker.myContributions(town), 'offline');
      adapter.online = true;
      const started = performance.now();
      expect((await adapter.tracker.listProjects(town)).total).to.equal(15);
      expect(performance.now() - started).to.be.at.least(25);
    });

    it('rejects with the abort reason when the caller gives up', async () => {
      const { adapter } = belvoir({ latency: 1000 });
      const controller = new AbortController();
      const pending = adapter.tracker.myContributions(town, {}, { signal: controller.signal });
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

  describe('with a maps domain', () => {
    function withMaps() {
      const tracker = createTrackerSeed(START);
      const maps = createMapSeed(START);
      tracker.projects.push({
        id: 'platane', trackerId: town, title: 'Élagage du platane du Marché', summary: 'Un élagage plutôt qu’un abattage.',
        status: 'in-progress', progress: 50, updatedAt: START.toISOString(),
        origins: [
          { kind: 'map-report', id: MAP_REPORT_IDS.discussed, title: 'Titre enregistré', count: 1 },
          { kind: 'map-report', id: MAP_REPORT_IDS.hidden, title: 'Signalement masqué', count: 2 },
        ],
      });
      const seed = { ...tracker, ...maps, threads: [...tracker.threads, ...maps.threads], comments: [...tracker.comments, ...maps.comments] };
      return new MemoryAdapter({ seed, participant: { id: VISITOR_ID }, now: () => START });
    }

    it('reads a report origin’s category, address and followers live, and a hidden one as stored', async () => {
      const adapter = withMaps();
      const report = await adapter.maps.getReport(MAP_REPORT_IDS.discussed);
      const map = await adapter.maps.getMap(report.mapId);
      const category = map.categories.find((candidate) => candidate.id === report.categoryId)!.label;
      const [live, hidden] = (await adapter.tracker.getProject('platane')).origins;
      expect(live).to.deep.equal({
        kind: 'map-report',
        id: MAP_REPORT_IDS.discussed,
        title: report.address ? `${category}, ${report.address}` : category,
        count: 18,
      });
      expect(hidden).to.deep.equal({ kind: 'map-report', id: MAP_REPORT_IDS.hidden, title: 'Signalement masqué', count: 2 });
      adapter.actAs({ id: 'habitante-nouvelle' });
      await adapter.maps.follow!(MAP_REPORT_IDS.discussed, true, write());
      expect((await adapter.tracker.getProject('platane')).origins[0]!.count).to.equal(19);
    });

    it('counts the visitor’s reports, pending ones included, and their report discussions', async () => {
      const adapter = withMaps();
      const { items } = await adapter.tracker.myContributions(town, { limit: 100 });
      const find = (kind: string, id: string) => items.find((fate) => fate.kind === kind && fate.id === id);
      expect(find('map-report', MAP_REPORT_IDS.minePending)).to.include({ outcome: 'awaiting' });
      adapter.moderateMapReport(MAP_REPORT_IDS.minePending, 'hide');
      const hidden = (await adapter.tracker.myContributions(town, { limit: 100 })).items.find((fate) => fate.id === MAP_REPORT_IDS.minePending);
      expect(hidden).to.include({ kind: 'map-report', outcome: 'not-published' });
      const mine = find('map-report', MAP_REPORT_IDS.mine)!;
      expect(mine).to.include({ outcome: 'under-review' });
      expect(mine.answer).to.contain('prestataire');
      expect(find('comment-thread', `map-report:${MAP_REPORT_IDS.discussed}`)).to.include({
        title: 'Le platane de la place du Marché',
        // The report is among the project's origins, not its discussion.
        outcome: 'counted',
      });
      expect(find('map-report', MAP_REPORT_IDS.discussed)).to.be.undefined;
      adapter.updateMapReport(MAP_REPORT_IDS.mine, { body: '<p>Lampadaire réparé.</p>', status: 'closed' });
      const after = (await adapter.tracker.myContributions(town, { limit: 100 })).items.find((fate) => fate.id === MAP_REPORT_IDS.mine)!;
      expect(after).to.include({ outcome: 'done', answer: '<p>Lampadaire réparé.</p>' });
    });
  });

  describe('many projects', () => {
    it('builds the same tracker for the same seed, and another for another seed', () => {
      expect(manyProjects(30, 7)).to.deep.equal(manyProjects(30, 7));
      expect(manyProjects(30, 8).projects.map((project) => project.title)).not.to.deep.equal(manyProjects(30, 7).projects.map((project) => project.title));
    });

    it('serves two thousand projects with every status, quickly', async () => {
      const adapter = new MemoryAdapter({ seed: manyProjects(2000, 3), now: () => START });
      const started = performance.now();
      const tracker = await adapter.tracker.getTracker(TRACKER_IDS.large);
      expect(tracker.overview.reduce((sum, total) => sum + total.projects, 0)).to.equal(2000);
      expect(tracker.overview.every((total) => total.projects === 500)).to.be.true;
      expect(tracker.districts).to.have.length(6);
      const page = await adapter.tracker.listProjects(TRACKER_IDS.large, { sort: 'budget', q: 'renovation' });
      expect(page.total).to.be.within(100, 1000);
      const budgets = page.items.map((project) => project.budgetPlanned ?? -1);
      expect(budgets).to.deep.equal([...budgets].sort((a, b) => b - a));
      const { items } = await allPages(adapter, { sort: 'title', limit: 50 }, TRACKER_IDS.large);
      expect(new Set(ids(items)).size).to.equal(2000);
      expect(performance.now() - started).to.be.below(5000);
    });
  });
});
