import { expect } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions } from '../../packages/core/src/adapters/memory-adapter.js';
import {
  MAP_ADDRESS_MAX_LENGTH,
  MAP_ATTRIBUTE_MAX_LENGTH,
  MAP_DESCRIPTION_MAX_LENGTH,
  MAP_POINTS_MAX,
  MAP_REPORT_MAX_PAGE_SIZE,
  MAP_REPORT_PAGE_SIZE,
  NEARBY_RADIUS_METERS,
  NEARBY_REPORTS_LIMIT,
} from '../../packages/core/src/contract/limits.js';
import type { MemorySeedMapReport } from '../../packages/core/src/adapters/memory-adapter.js';
import type { LiveMessage, MapLiveEvent, MapReport, MapReportInput, MapReportQuery } from '../../packages/core/src/contract/types.js';
import { expectKind } from '../support/errors.js';
import { createIdeaSeed } from './fixtures/ideas.js';
import { BELVOIR_BOUNDS, BELVOIR_CENTER, MAP_IDS, REPORT_IDS, VISITOR_ID, createMapSeed, manyReports } from './fixtures/maps.js';

const START = new Date('2027-03-10T12:00:00+01:00');
const { town, moderated, closed } = MAP_IDS;
let keys = 0;
const write = () => ({ idempotencyKey: `map-key-${++keys}` });

function belvoir(options: MemoryAdapterOptions = {}) {
  const clock = { now: START };
  const adapter = new MemoryAdapter({ seed: createMapSeed(START), participant: { id: VISITOR_ID }, now: () => clock.now, ...options });
  const advance = (seconds: number) => (clock.now = new Date(clock.now.getTime() + seconds * 1000));
  return { adapter, advance };
}

async function allPages(adapter: MemoryAdapter, query: MapReportQuery = {}, mapId: string = town) {
  const items: MapReport[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.maps.listReports(mapId, { ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== undefined && pages < 100);
  return { items, pages };
}

const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);

function listen(adapter: MemoryAdapter, mapId: string = town) {
  const received: LiveMessage<MapLiveEvent>[] = [];
  const stop = adapter.subscribe<MapLiveEvent>(`map:${mapId}:reports`, (message) => received.push(message));
  return { received, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Metres north and east of the town centre, as the fixtures place their reports. */
function near(north: number, east: number) {
  return {
    lat: BELVOIR_CENTER.lat + north / 111_320,
    lng: BELVOIR_CENTER.lng + east / (111_320 * Math.cos((BELVOIR_CENTER.lat * Math.PI) / 180)),
  };
}

const report: MapReportInput = {
  categoryId: 'voirie',
  point: near(-200, 300),
  description: '  Plaque d’égout descellée qui claque au passage des voitures.  ',
  attributes: { 'type-degat': 'fissure', largeur: '35' },
};

describe('MemoryAdapter maps', () => {
  describe('maps', () => {
    it('serves a map with its categories and their fields, and rejects an unknown one everywhere', async () => {
      const { adapter } = belvoir();
      const map = await adapter.maps.getMap(town);
      expect(map).to.include({ id: town, closed: false, preModeration: false, allowImages: true, requiredVerification: 'anonymous' });
      expect(map.bounds).to.deep.equal(BELVOIR_BOUNDS);
      expect(map.categories).to.have.length(6);
      expect(map.categories.every((category) => /^#[0-9a-f]{6}$/.test(category.color!) && category.icon)).to.be.true;
      const types = new Set(map.categories.flatMap((category) => category.fields.map((field) => field.type)));
      expect([...types].sort()).to.deep.equal(['checkbox', 'number', 'select', 'text']);
      await expectKind(adapter.maps.getMap('inconnue'), 'not-found');
      await expectKind(adapter.maps.listReports('inconnue'), 'not-found');
      await expectKind(adapter.maps.points('inconnue'), 'not-found');
      await expectKind(adapter.maps.nearby('inconnue', BELVOIR_CENTER, 50), 'not-found');
      await expectKind(adapter.maps.submitReport('inconnue', report, write()), 'not-found');
      await expectKind(adapter.maps.getReport('inconnu'), 'not-found');
      await expectKind(adapter.maps.follow!('inconnu', true, write()), 'not-found');
    });

    it('lives beside the idea boxes in one seed, and counts a report’s comments from its discussion', async () => {
      const adapter = new MemoryAdapter({ seed: { ...createIdeaSeed(START), ...createMapSeed(START) }, now: () => START });
      expect((await adapter.ideas.getBox('boite-a-idees-2027')).id).to.equal('boite-a-idees-2027');
      expect((await adapter.maps.getReport(REPORT_IDS.discussed)).comments).to.equal(3);
      expect((await adapter.maps.getReport(REPORT_IDS.pothole)).comments).to.equal(0);
    });

    it('refuses a seed whose report names a map it does not hold', () => {
      const seed = createMapSeed(START);
      expect(() => new MemoryAdapter({ seed: { ...seed, mapReports: [{ ...seed.mapReports[0]!, mapId: 'ailleurs' }] } }))
        .to.throw()
        .with.property('kind', 'misconfigured');
    });
  });

  describe('listing', () => {
    it('lists the newest first, twenty at a time, with the total the visitor may see', async () => {
      const { adapter } = belvoir();
      const page = await adapter.maps.listReports(town);
      expect(page.items).to.have.length(MAP_REPORT_PAGE_SIZE);
      // 30 seeded: hidden and someone else's rejected one are nobody's to see; the visitor's pending one is theirs.
      expect(page.total).to.equal(28);
      expect(page.nextCursor).to.be.a('string');
      const dates = page.items.map((item) => Date.parse(item.createdAt));
      expect(dates).to.deep.equal([...dates].sort((a, b) => b - a));
      expect(page.items[0]).to.include({ id: REPORT_IDS.minePending, moderation: 'pending', mine: true, followedByMe: true });
    });

    it('shows others neither the pending, nor the hidden, nor the rejected reports; an author still reads their refused one', async () => {
      const { adapter } = belvoir();
      adapter.actAs({ id: 'habitant-quelconque' });
      const { items } = await allPages(adapter);
      expect(items).to.have.length(27);
      expect(ids(items)).to.include.members([REPORT_IDS.mine, REPORT_IDS.addressOnly]);
      expect(ids(items)).not.to.include.members([REPORT_IDS.minePending]);
      expect(ids(items)).not.to.include(REPORT_IDS.hidden);
      expect(ids(items)).not.to.include(REPORT_IDS.rejected);
      expect(items.every((item) => item.mine === undefined)).to.be.true;
      await expectKind(adapter.maps.getReport(REPORT_IDS.minePending), 'not-found');
      await expectKind(adapter.maps.getReport(REPORT_IDS.hidden), 'not-found');
      await expectKind(adapter.maps.getReport(REPORT_IDS.rejected), 'not-found');
      adapter.actAs({ id: 'habitant-anonyme-16' });
      expect(await adapter.maps.getReport(REPORT_IDS.rejected)).to.include({ moderation: 'rejected', mine: true });
      expect(ids((await allPages(adapter)).items)).not.to.include(REPORT_IDS.rejected);
      adapter.actAs({ id: 'habitant-anonyme-7' });
      await expectKind(adapter.maps.getReport(REPORT_IDS.hidden), 'not-found');
    });

    it('pages through every report once, whatever is reported meanwhile', async () => {
      const { adapter, advance } = belvoir();
      const first = await adapter.maps.listReports(town, { limit: 10 });
      advance(60);
      await adapter.maps.submitReport(town, report, write());
      const second = await adapter.maps.listReports(town, { limit: 10, cursor: first.nextCursor });
      expect(second.total).to.equal(29);
      expect(ids(second.items)).not.to.include.members(ids(first.items));
      const rest = await adapter.maps.listReports(town, { limit: 10, cursor: second.nextCursor });
      expect(rest.nextCursor).to.be.undefined;
      expect(new Set([...ids(first.items), ...ids(second.items), ...ids(rest.items)]).size).to.equal(28);
    });

    it('bounds the page size and refuses a cursor of another listing', async () => {
      const { adapter } = belvoir({ seed: { ...createMapSeed(START), mapReports: [...createMapSeed(START).mapReports, ...manyReports(150, 3, START)] } });
      expect((await adapter.maps.listReports(town, { limit: 1000 })).items).to.have.length(MAP_REPORT_MAX_PAGE_SIZE);
      expect((await adapter.maps.listReports(town, { limit: 0 })).items).to.have.length(1);
      expect((await adapter.maps.listReports(town, { limit: 3 })).items).to.have.length(3);
      const { nextCursor } = await adapter.maps.listReports(town, { limit: 3 });
      const error = await expectKind(adapter.maps.listReports(town, { limit: 3, sort: 'most-followed', cursor: nextCursor }), 'validation');
      expect(error.fieldErrors).to.have.property('cursor');
      await expectKind(adapter.maps.listReports(town, { cursor: 'pas un curseur' }), 'validation');
    });

    it('sorts by most followed, the newest first among equals', async () => {
      const { adapter } = belvoir();
      const { items } = await allPages(adapter, { sort: 'most-followed', limit: 7 });
      expect(items).to.have.length(28);
      expect(items[0]!.id).to.equal(REPORT_IDS.mostFollowed);
      for (let i = 1; i < items.length; i++) {
        const [before, after] = [items[i - 1]!, items[i]!];
        expect(before.followers >= after.followers, `${before.id} before ${after.id}`).to.be.true;
        if (before.followers === after.followers) expect(Date.parse(before.createdAt)).to.be.at.least(Date.parse(after.createdAt));
      }
    });

    it('filters by category, status and box; a box leaves out reports given by their address only', async () => {
      const { adapter } = belvoir();
      const lighting = (await allPages(adapter, { category: 'eclairage' })).items;
      expect(ids(lighting).sort()).to.deep.equal([REPORT_IDS.mine, REPORT_IDS.nearbyLighting, REPORT_IDS.hostileText, 'sig-21', 'sig-28'].sort());
      const closedOnes = (await allPages(adapter, { status: 'closed' })).items;
      expect(closedOnes.length).to.be.greaterThan(3);
      expect(closedOnes.every((item) => item.status === 'closed')).to.be.true;
      const cleaning = (await allPages(adapter, { category: 'proprete' })).items;
      expect(ids(cleaning)).to.include(REPORT_IDS.addressOnly);

      const [southWest, northEast] = BELVOIR_BOUNDS;
      const everywhere = (await allPages(adapter, { bbox: [southWest.lng, southWest.lat, northEast.lng, northEast.lat] })).items;
      expect(everywhere).to.have.length(27);
      expect(ids(everywhere)).not.to.include(REPORT_IDS.addressOnly);

      // 300 m around the centre.
      const corner = near(-300, -300);
      const opposite = near(300, 300);
      const centre = (await allPages(adapter, { bbox: [corner.lng, corner.lat, opposite.lng, opposite.lat] })).items;
      expect(centre.length).to.be.within(3, 15);
      for (const item of centre) {
        expect(item.point!.lat).to.be.within(corner.lat, opposite.lat);
        expect(item.point!.lng).to.be.within(corner.lng, opposite.lng);
      }
      expect(ids(centre)).to.include(REPORT_IDS.discussed);
      expect(ids(centre)).not.to.include(REPORT_IDS.tracked);
    });

    it('refuses an unknown sort or status and a malformed box, naming the field', async () => {
      const { adapter } = belvoir();
      const sort = await expectKind(adapter.maps.listReports(town, { sort: 'oldest' as never }), 'validation');
      expect(sort.fieldErrors).to.have.property('sort');
      const status = await expectKind(adapter.maps.listReports(town, { status: 'lost' as never }), 'validation');
      expect(status.fieldErrors).to.have.property('status');
      for (const bbox of [[2.4, 47.8, 2.5, 47.7], [2.4, 47.7, 2.5], [2.4, 95, 2.5, 96], [Number.NaN, 47, 2, 48]]) {
        const error = await expectKind(adapter.maps.listReports(town, { bbox: bbox as never }), 'validation');
        expect(error.fieldErrors).to.have.property('bbox');
        await expectKind(adapter.maps.points(town, { bbox: bbox as never }), 'validation');
      }
    });
  });

  describe('points', () => {
    it('draws every located published report, and only what a map needs', async () => {
      const { adapter } = belvoir();
      const points = await adapter.maps.points(town);
      // 27 published, one of them given by its address only.
      expect(points).to.have.length(26);
      expect(ids(points)).not.to.include.members([REPORT_IDS.addressOnly, REPORT_IDS.minePending, REPORT_IDS.hidden, REPORT_IDS.rejected]);
      const pothole = points.find((point) => point.id === REPORT_IDS.pothole)!;
      expect(Object.keys(pothole).sort()).to.deep.equal(['categoryId', 'id', 'lat', 'lng', 'status']);
      expect(pothole).to.include({ categoryId: 'voirie', status: 'open' });
    });

    it('filters like the list', async () => {
      const { adapter } = belvoir();
      const open = await adapter.maps.points(town, { status: 'open', category: 'voirie' });
      expect(ids(open).sort()).to.deep.equal([REPORT_IDS.pothole, REPORT_IDS.nearbyPothole, 'sig-22'].sort());
      const corner = near(-300, -300);
      const opposite = near(300, 300);
      const centre = await adapter.maps.points(town, { bbox: [corner.lng, corner.lat, opposite.lng, opposite.lat] });
      const listed = (await allPages(adapter, { bbox: [corner.lng, corner.lat, opposite.lng, opposite.lat] })).items;
      expect(ids(centre).sort()).to.deep.equal(ids(listed.filter((item) => item.moderation === 'published')).sort());
    });

    it('draws what changed since the last call: new, updated, hidden and approved reports', async () => {
      const { adapter } = belvoir();
      const statusOf = async (id: string) => (await adapter.maps.points(town)).find((point) => point.id === id)?.status;
      expect(await statusOf(REPORT_IDS.pothole)).to.equal('open');
      const created = await adapter.maps.submitReport(town, report, write());
      expect(await statusOf(created.id)).to.equal('open');
      adapter.updateMapReport(REPORT_IDS.pothole, { body: '<p>Rebouché.</p>', status: 'closed' });
      expect(await statusOf(REPORT_IDS.pothole)).to.equal('closed');
      adapter.moderateMapReport(REPORT_IDS.pothole, 'hide');
      expect(await statusOf(REPORT_IDS.pothole)).to.be.undefined;
      expect(await statusOf(REPORT_IDS.minePending)).to.be.undefined;
      adapter.moderateMapReport(REPORT_IDS.minePending, 'approve');
      expect(await statusOf(REPORT_IDS.minePending)).to.equal('open');
      expect(ids(await adapter.maps.nearby(town, near(40, 60), NEARBY_RADIUS_METERS, { category: 'mobilier' }))).to.include(REPORT_IDS.minePending);
    });

    it('does not let a caller change what the next caller draws', async () => {
      const { adapter } = belvoir();
      const points = await adapter.maps.points(town);
      points[0]!.status = 'closed';
      points[0]!.lat = 0;
      const again = await adapter.maps.points(town);
      expect(again[0]!.lat).not.to.equal(0);
      expect((await adapter.maps.getReport(again[0]!.id)).point!.lat).to.equal(again[0]!.lat);
    });
  });

  describe('nearby', () => {
    it('offers open reports of the same category within the radius, nearest first', async () => {
      const { adapter } = belvoir();
      const pothole = await adapter.maps.getReport(REPORT_IDS.pothole);
      const from = { lat: pothole.point!.lat + 5 / 111_320, lng: pothole.point!.lng };
      const same = await adapter.maps.nearby(town, from, NEARBY_RADIUS_METERS, { category: 'voirie' });
      // The closed pothole 30 m away and the lamp of another category are not "the same problem".
      expect(ids(same)).to.deep.equal([REPORT_IDS.pothole, REPORT_IDS.nearbyPothole]);
      const any = await adapter.maps.nearby(town, from, NEARBY_RADIUS_METERS);
      // 5 m, 20 m and 25 m away.
      expect(ids(any)).to.deep.equal([REPORT_IDS.pothole, REPORT_IDS.nearbyPothole, REPORT_IDS.nearbyLighting]);
      expect(await adapter.maps.nearby(town, from, 10)).to.have.length(1);
      expect(await adapter.maps.nearby(town, BELVOIR_BOUNDS[0], NEARBY_RADIUS_METERS)).to.deep.equal([]);
    });

    it('offers at most five, and leaves out reports that are not published', async () => {
      const { adapter } = belvoir();
      const spot = near(-200, 300);
      for (let i = 0; i < 7; i++) await adapter.maps.submitReport(town, { ...report, point: { lat: spot.lat + i / 111_320, lng: spot.lng } }, write());
      const found = await adapter.maps.nearby(town, spot, 100, { category: 'voirie' });
      expect(found).to.have.length(NEARBY_REPORTS_LIMIT);
      expect(found.map((item) => item.point!.lat)).to.deep.equal([...found.map((item) => item.point!.lat)].sort((a, b) => a - b));
      const pending = await adapter.maps.nearby(town, near(40, 60), NEARBY_RADIUS_METERS, { category: 'mobilier' });
      expect(ids(pending)).not.to.include(REPORT_IDS.minePending);
    });

    it('refuses a point out of range or a radius out of bounds', async () => {
      const { adapter } = belvoir();
      const point = await expectKind(adapter.maps.nearby(town, { lat: 91, lng: 0 }, 50), 'validation');
      expect(point.fieldErrors).to.have.property('point');
      for (const radius of [0, -5, 1001, Number.NaN]) {
        const error = await expectKind(adapter.maps.nearby(town, BELVOIR_CENTER, radius), 'validation');
        expect(error.fieldErrors).to.have.property('radius');
      }
    });
  });

  describe('reporting', () => {
    it('publishes a report, open, followed by its author, its answers in the types of the fields', async () => {
      const { adapter } = belvoir();
      const created = await adapter.maps.submitReport(town, { ...report, attributes: { ...report.attributes, inconnu: 'x' } }, write());
      expect(created).to.include({
        mapId: town,
        categoryId: 'voirie',
        description: 'Plaque d’égout descellée qui claque au passage des voitures.',
        status: 'open',
        moderation: 'published',
        followers: 1,
        followedByMe: true,
        mine: true,
        comments: 0,
        createdAt: START.toISOString(),
      });
      expect(created.updates).to.deep.equal([]);
      expect(created.attributes).to.deep.equal({ 'type-degat': 'fissure', largeur: 35 });
      expect(await adapter.maps.getReport(created.id)).to.deep.equal(created);
      expect((await adapter.maps.listReports(town)).items[0]!.id).to.equal(created.id);
      expect(ids(await adapter.maps.points(town))).to.include(created.id);
      expect(await adapter.comments.getThread(`map-report:${created.id}`)).to.include({ id: `map-report:${created.id}`, comments: 0 });
    });

    it('takes an address alone, a checkbox and a text answer, and an image', async () => {
      const { adapter } = belvoir();
      const image = `data:image/png;base64,${btoa('png')}`;
      const created = await adapter.maps.submitReport(
        town,
        {
          categoryId: 'eclairage',
          address: '  2 impasse du Moulin ',
          description: 'Lampadaire éteint au fond de l’impasse.',
          attributes: { danger: 'true', 'numero-lampadaire': ' L-0099 ' },
          image,
        },
        write(),
      );
      expect(created.point).to.be.undefined;
      expect(created).to.include({ address: '2 impasse du Moulin', imageUrl: image });
      expect(created.attributes).to.deep.equal({ danger: true, 'numero-lampadaire': 'L-0099' });
      expect(ids(await adapter.maps.points(town))).not.to.include(created.id);
    });

    it('names every field at fault', async () => {
      const { adapter } = belvoir();
      const missing = await expectKind(adapter.maps.submitReport(town, { categoryId: 'voirie', description: 'court' }, write()), 'validation');
      expect(Object.keys(missing.fieldErrors!).sort()).to.deep.equal(['attributes.type-degat', 'description', 'point']);

      const outside = await expectKind(
        adapter.maps.submitReport(town, { ...report, categoryId: 'ailleurs', point: { lat: 48.85, lng: 2.35 } }, write()),
        'validation',
      );
      expect(Object.keys(outside.fieldErrors!).sort()).to.deep.equal(['categoryId', 'point']);
      expect(outside.fieldErrors!.point).to.match(/outside the map/);

      const wrong = await expectKind(
        adapter.maps.submitReport(
          town,
          {
            ...report,
            point: { lat: 120, lng: 2 },
            address: 'x'.repeat(MAP_ADDRESS_MAX_LENGTH + 1),
            description: 'y'.repeat(MAP_DESCRIPTION_MAX_LENGTH + 1),
            attributes: { 'type-degat': 'cratère', largeur: 'large' },
            image: 'data:image/gif;base64,R0lGODlh',
          },
          write(),
        ),
        'validation',
      );
      expect(Object.keys(wrong.fieldErrors!).sort()).to.deep.equal([
        'address',
        'attributes.largeur',
        'attributes.type-degat',
        'description',
        'image',
        'point',
      ]);

      const text = await expectKind(
        adapter.maps.submitReport(
          town,
          { ...report, categoryId: 'eclairage', attributes: { 'numero-lampadaire': 'L'.repeat(MAP_ATTRIBUTE_MAX_LENGTH + 1), danger: 'peut-être' } },
          write(),
        ),
        'validation',
      );
      expect(Object.keys(text.fieldErrors!).sort()).to.deep.equal(['attributes.danger', 'attributes.numero-lampadaire']);

      const required = await expectKind(adapter.maps.submitReport(town, { ...report, categoryId: 'proprete', attributes: { volume: ' ' } }, write()), 'validation');
      expect(Object.keys(required.fieldErrors!)).to.deep.equal(['attributes.volume']);
      expect((await allPages(adapter)).items).to.have.length(28);
    });

    it('refuses images where the map takes none, and reports on a closed map', async () => {
      const { adapter } = belvoir({ participant: { id: VISITOR_ID, verification: 'verified' } });
      const image = await expectKind(
        adapter.maps.submitReport(moderated, { categoryId: 'mobilier', point: near(-900, 300), description: 'Un banc est cassé sur le quai.', image: `data:image/png;base64,${btoa('png')}` }, write()),
        'validation',
      );
      expect(Object.keys(image.fieldErrors!)).to.deep.equal(['image']);
      const refused = await expectKind(
        adapter.maps.submitReport(closed, { categoryId: 'neige', point: BELVOIR_CENTER, description: 'La rue n’est pas déneigée.' }, write()),
        'closed',
      );
      expect(refused.status).to.equal(403);
    });

    it('pre-moderates: only the author sees the report until it is approved, then everyone, with its discussion', async () => {
      const { adapter } = belvoir();
      const input: MapReportInput = { categoryId: 'espaces-verts', point: near(-1100, 400), description: 'Racines qui soulèvent le chemin de halage.' };
      await expectKind(adapter.maps.submitReport(moderated, input, write()), 'forbidden');
      adapter.actAs({ id: VISITOR_ID, verification: 'verified' });
      const { received } = listen(adapter, moderated);
      const pending = await adapter.maps.submitReport(moderated, input, write());
      expect(pending).to.include({ moderation: 'pending', mine: true, followers: 1, followedByMe: true });
      expect(ids((await adapter.maps.listReports(moderated)).items)).to.include(pending.id);
      expect(ids(await adapter.maps.points(moderated))).not.to.include(pending.id);
      await expectKind(adapter.comments.getThread(`map-report:${pending.id}`), 'not-found');

      adapter.actAs({ id: 'habitant-verifie-9', verification: 'verified' });
      expect(ids((await adapter.maps.listReports(moderated)).items)).to.deep.equal([REPORT_IDS.moderatedPublished]);
      await expectKind(adapter.maps.getReport(pending.id), 'not-found');
      await settle();
      expect(received).to.have.length(0);

      adapter.moderateMapReport(pending.id, 'approve');
      await settle();
      expect(received.map((message) => message.payload.type)).to.deep.equal(['created']);
      expect(ids((await adapter.maps.listReports(moderated)).items)).to.include(pending.id);
      expect(ids(await adapter.maps.points(moderated))).to.include(pending.id);
      expect((await adapter.comments.getThread(`map-report:${pending.id}`)).requiredVerification).to.equal('verified');
    });

    it('hides a published report and rejects a pending one', async () => {
      const { adapter } = belvoir();
      adapter.moderateMapReport(REPORT_IDS.pothole, 'hide');
      adapter.moderateMapReport(REPORT_IDS.minePending, 'hide');
      expect(await adapter.maps.getReport(REPORT_IDS.minePending)).to.include({ moderation: 'rejected' });
      const { items } = await allPages(adapter);
      expect(ids(items)).not.to.include.members([REPORT_IDS.pothole]);
      expect(ids(items)).not.to.include(REPORT_IDS.minePending);
      await expectKind(adapter.maps.getReport(REPORT_IDS.pothole), 'not-found');
      adapter.moderateMapReport(REPORT_IDS.pothole, 'restore');
      expect((await adapter.maps.getReport(REPORT_IDS.pothole)).moderation).to.equal('published');
    });

    it('replays a write sent twice with the same key and refuses the key for another report', async () => {
      const { adapter } = belvoir();
      const options = write();
      const first = await adapter.maps.submitReport(town, report, options);
      const again = await adapter.maps.submitReport(town, report, options);
      expect(again).to.deep.equal(first);
      expect((await adapter.maps.listReports(town)).total).to.equal(29);
      await expectKind(adapter.maps.submitReport(town, { ...report, description: 'Une autre plaque descellée plus loin.' }, options), 'validation');
    });
  });

  describe('following', () => {
    it('follows and stops following, saying it twice changes nothing', async () => {
      const { adapter } = belvoir();
      const before = await adapter.maps.getReport(REPORT_IDS.pothole);
      expect(before).to.include({ followers: 5, followedByMe: false });
      expect(await adapter.maps.follow!(REPORT_IDS.pothole, true, write())).to.include({ followers: 6, followedByMe: true });
      expect(await adapter.maps.follow!(REPORT_IDS.pothole, true, write())).to.include({ followers: 6, followedByMe: true });
      adapter.actAs({ id: 'habitant-voisin' });
      expect(await adapter.maps.follow!(REPORT_IDS.pothole, true, write())).to.include({ followers: 7, followedByMe: true });
      adapter.actAs({ id: VISITOR_ID });
      expect(await adapter.maps.follow!(REPORT_IDS.pothole, false, write())).to.include({ followers: 6, followedByMe: false });
      expect(await adapter.maps.follow!(REPORT_IDS.pothole, false, write())).to.include({ followers: 6, followedByMe: false });
      expect(await adapter.maps.getReport(REPORT_IDS.followedByVisitor)).to.include({ followers: 12, followedByMe: true });
      await expectKind(adapter.maps.follow!(REPORT_IDS.hidden, true, write()), 'not-found');
    });

    it('counts follows in the most-followed order', async () => {
      const { adapter } = belvoir();
      for (let i = 0; i < 50; i++) {
        adapter.actAs({ id: `habitant-suiveur-${i}` });
        await adapter.maps.follow!(REPORT_IDS.nearbyPothole, true, write());
      }
      expect((await adapter.maps.listReports(town, { sort: 'most-followed', limit: 1 })).items[0]).to.include({ id: REPORT_IDS.nearbyPothole, followers: 51 });
    });
  });

  describe('council updates and live events', () => {
    it('appends the council’s updates oldest first and changes the status', async () => {
      const { adapter, advance } = belvoir();
      advance(3600);
      adapter.updateMapReport(REPORT_IDS.pothole, { body: '<p>Intervention prévue jeudi.</p>', status: 'in-progress' });
      advance(3600);
      adapter.updateMapReport(REPORT_IDS.pothole, { body: '<p>Merci de votre patience.</p>' });
      const updated = await adapter.maps.getReport(REPORT_IDS.pothole);
      expect(updated.status).to.equal('in-progress');
      expect(updated.updates.map((update) => update.body)).to.deep.equal(['<p>Intervention prévue jeudi.</p>', '<p>Merci de votre patience.</p>']);
      expect(updated.updates[0]).to.include({ status: 'in-progress' });
      expect(updated.updates[1]!.status).to.be.undefined;
      expect(updated.updatedAt).to.equal(new Date(START.getTime() + 7200_000).toISOString());
      expect(() => adapter.updateMapReport(REPORT_IDS.pothole, { body: '<p>?</p>', status: 'lost' as never })).to.throw();
      expect(() => adapter.updateMapReport('inconnu', { body: '<p>?</p>' })).to.throw();
    });

    it('broadcasts published reports, follows and updates as everyone sees them', async () => {
      const { adapter } = belvoir();
      const { received, stop } = listen(adapter);
      const created = await adapter.maps.submitReport(town, report, write());
      await adapter.maps.follow!(REPORT_IDS.pothole, true, write());
      await adapter.maps.follow!(REPORT_IDS.pothole, true, write());
      adapter.updateMapReport(REPORT_IDS.mine, { body: '<p>Lampe changée.</p>', status: 'closed' });
      await settle();
      expect(received.map(({ topic, payload }) => [topic, payload.type, payload.report.id])).to.deep.equal([
        [`map:${town}:reports`, 'created', created.id],
        [`map:${town}:reports`, 'updated', REPORT_IDS.pothole],
        [`map:${town}:reports`, 'updated', REPORT_IDS.mine],
      ]);
      expect(received[1]!.payload.report.followers).to.equal(6);
      expect(received[2]!.payload.report.status).to.equal('closed');
      for (const { payload } of received) {
        expect(payload.report).not.to.have.property('mine');
        expect(payload.report).not.to.have.property('followedByMe');
      }
      stop();
      adapter.updateMapReport(REPORT_IDS.mine, { body: '<p>Encore.</p>' });
      await settle();
      expect(received).to.have.length(3);
    });
  });

  describe('the simulated network', () => {
    it('fails the next calls as asked, and everything while offline', async () => {
      const { adapter } = belvoir();
      adapter.failNext('server');
      await expectKind(adapter.maps.points(town), 'server');
      expect(await adapter.maps.points(town)).to.have.length(26);
      adapter.failNext('rate-limited');
      await expectKind(adapter.maps.submitReport(town, report, write()), 'rate-limited');
      expect((await adapter.maps.listReports(town)).total).to.equal(28);
      adapter.online = false;
      await expectKind(adapter.maps.getMap(town), 'offline');
      await expectKind(adapter.maps.nearby(town, BELVOIR_CENTER, 50), 'offline');
      adapter.online = true;
      expect((await adapter.maps.getMap(town)).id).to.equal(town);
    });

    it('answers after the latency, and stops when the caller aborts', async () => {
      const { adapter } = belvoir({ latency: 60 });
      const started = performance.now();
      await adapter.maps.points(town);
      expect(performance.now() - started).to.be.at.least(55);
      const controller = new AbortController();
      const pending = adapter.maps.listReports(town, {}, { signal: controller.signal });
      controller.abort(new DOMException('Gone', 'AbortError'));
      let error: unknown;
      try {
        await pending;
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(DOMException);
    });
  });

  describe('fifty thousand reports', () => {
    const count = MAP_POINTS_MAX + 10;
    let adapter: MemoryAdapter;
    let seeded: MemorySeedMapReport[];

    before(function () {
      this.timeout(60000);
      const seed = createMapSeed(START);
      seeded = [...seed.mapReports, ...manyReports(count, 7, START)];
      adapter = new MemoryAdapter({ seed: { ...seed, mapReports: seeded }, now: () => START });
    });

    it('fixtures: the load is deterministic and within the town', () => {
      const once = manyReports(500, 11, START);
      expect(manyReports(500, 11, START)).to.deep.equal(once);
      expect(manyReports(500, 12, START)).not.to.deep.equal(once);
      const [southWest, northEast] = BELVOIR_BOUNDS;
      for (const item of once) {
        expect(item.point!.lat).to.be.within(southWest.lat, northEast.lat);
        expect(item.point!.lng).to.be.within(southWest.lng, northEast.lng);
      }
    });

    it('draws at most MAP_POINTS_MAX points, the most recent, in a few milliseconds', async () => {
      await adapter.maps.points(town);
      const times: number[] = [];
      let points = await adapter.maps.points(town);
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        points = await adapter.maps.points(town);
        times.push(performance.now() - started);
      }
      expect(points).to.have.length(MAP_POINTS_MAX);
      const median = times.sort((a, b) => a - b)[2]!;
      expect(median, `${median} ms`).to.be.below(50);

      const drawable = seeded
        .filter((item) => item.mapId === town && item.point && item.moderation === 'published')
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : 1));
      expect(drawable.length).to.be.greaterThan(MAP_POINTS_MAX);
      const drawn = new Set(ids(points));
      const leftOut = ids(drawable).filter((id) => !drawn.has(id));
      expect(leftOut).to.deep.equal(ids(drawable.slice(MAP_POINTS_MAX)));
    });

    it('lists, filters, pages and finds neighbours quickly', async () => {
      const started = performance.now();
      const page = await adapter.maps.listReports(town, { category: 'voirie', status: 'open' });
      const next = await adapter.maps.listReports(town, { category: 'voirie', status: 'open', cursor: page.nextCursor });
      const followed = await adapter.maps.listReports(town, { sort: 'most-followed' });
      const near = await adapter.maps.nearby(town, BELVOIR_CENTER, 200, { category: 'voirie' });
      expect(performance.now() - started).to.be.below(1500);
      expect(ids(next.items)).not.to.include.members(ids(page.items));
      expect(page.total).to.be.greaterThan(3000);
      expect(followed.items[0]!.followers).to.be.at.least(followed.items.at(-1)!.followers);
      expect(near.length).to.be.at.most(NEARBY_REPORTS_LIMIT);
    });
  });
});
