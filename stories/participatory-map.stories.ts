import { html, nothing, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { MemoryAdapter, type CivicError, type MapDomain, type ParticipationAdapter } from '@civic-widgets/core';
import '@civic-widgets/participatory-map/define.js';
import { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { appearanceArgTypes, failLater, freshPage, headingLevelArgType, latencyArgType, neighboursAct, visitorArgTypes } from './support.js';
import { MAP_IDS, OFFLINE_TILE_ATTRIBUTION, OFFLINE_TILE_URL, REPORT_IDS, VISITOR_ID, createMapSeed, manyReports } from './fixtures/maps.js';

/** The map's chunk cannot be fetched, as when offline or blocked by the page's policy. */
class UnreachableMap extends CivicParticipatoryMap {
  protected static override loadMapView(): Promise<{ defineMapView(): void }> {
    return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
  }
}
if (!customElements.get('story-unreachable-map')) customElements.define('story-unreachable-map', UnreachableMap);

/** What goes wrong, to show each error and submission state. */
type Failure = 'none' | 'load-server-error' | 'forbidden' | 'offline' | 'report-offline' | 'map-unavailable';

/** Where the story starts once the map has loaded. */
type Start = 'browse' | 'detail' | 'hostile' | 'report' | 'errors' | 'nearby' | 'submitted';

/** Tile servers a story may use: none of them reaches the network. */
type Tiles = 'grid' | 'none';

interface MapArgs {
  map: string;
  view: 'map' | 'list';
  'page-size': number;
  'heading-level': 2 | 3 | 4 | 5 | 6;
  tiles: Tiles;
  theme: 'auto' | 'light' | 'dark';
  endpoint: string;
  adapter: 'memory' | 'none';
  participant: 'anonymous' | 'verified';
  latency: number;
  failure: Failure;
  start: Start;
  /** Reports added to the town's map, to see clustering at scale. */
  load: number;
  /** Neighbours report problems while the story is open, to show the live announcement. */
  neighbours: boolean;
}

/** The adapter, unchanged but for one kind of call that fails as `kind`. */
function failing(adapter: MemoryAdapter, method: keyof MapDomain, kind: CivicError['kind']): ParticipationAdapter {
  const maps: MapDomain = { ...adapter.maps, [method]: failLater(kind) };
  return { name: adapter.name, session: adapter.session, maps, comments: adapter.comments, subscribe: adapter.subscribe.bind(adapter) };
}

/** A fresh backend for each render: stories never share reports. */
function createAdapter(args: MapArgs): ParticipationAdapter | undefined {
  if (args.adapter === 'none') return undefined;
  const seed = createMapSeed();
  if (args.load > 0) seed.mapReports.push(...manyReports(args.load, 1, new Date()));
  const adapter = new MemoryAdapter({
    seed,
    participant: { id: VISITOR_ID, verification: args.participant },
    latency: args.start === 'browse' ? args.latency : 0,
  });
  if (args.neighbours) {
    neighboursAct(adapter, { id: VISITOR_ID, verification: args.participant }, 2, (n) =>
      adapter.maps.submitReport(
        args.map,
        { categoryId: 'espaces-verts', address: `Square des Tilleuls, allée ${n}`, description: 'A branch hangs low over the path since the storm.' },
        { idempotencyKey: `neighbour-${n}-${Date.now()}` },
      ),
    );
  }
  switch (args.failure) {
    case 'load-server-error':
      adapter.failNext('server');
      return adapter;
    case 'forbidden':
      return failing(adapter, 'getMap', 'forbidden');
    case 'offline':
      adapter.online = false;
      return adapter;
    case 'report-offline':
      return failing(adapter, 'submitReport', 'offline');
    case 'map-unavailable':
    case 'none':
      return adapter;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fill(root: ShadowRoot, selector: string, value: string): void {
  const field = root.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(selector);
  if (!field) return;
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input'));
}

/** Walks the widget to where the story starts, as a citizen would. */
async function goTo(el: CivicParticipatoryMap, start: Start): Promise<void> {
  // The element is defined once its chunk is in, and shows its content once its translations and data are: up to 10 s on a busy machine.
  await customElements.whenDefined(el.localName);
  for (let tries = 0; tries < 500 && !el.shadowRoot?.querySelector('.box'); tries++) await pause(20);
  const root = el.shadowRoot!;
  if (start === 'detail' || start === 'hostile') {
    const id = start === 'detail' ? REPORT_IDS.followedByVisitor : REPORT_IDS.hostileMarkup;
    root.querySelector<HTMLButtonElement>(`#report-${id} [data-action=open]`)?.click();
    return;
  }
  root.querySelector<HTMLButtonElement>('#report')?.click();
  await el.updateComplete;
  if (start === 'errors') {
    fill(root, '#report-category', 'proprete');
    await el.updateComplete;
    fill(root, '#report-attr-volume', 'a lot');
    fill(root, '#report-description', 'Bags');
    root.querySelector<HTMLButtonElement>('form button[type=submit]')?.click();
    return;
  }
  fill(root, '#report-category', start === 'report' ? 'eclairage' : 'voirie');
  await el.updateComplete;
  if (start === 'nearby') {
    const pothole = await (el.adapter as MemoryAdapter).maps.getReport(REPORT_IDS.pothole);
    for (let tries = 0; tries < 200 && !root.querySelector('civic-map-view'); tries++) await pause(20);
    root.querySelector('civic-map-view')?.dispatchEvent(new CustomEvent('map-place', { detail: { point: pothole.point } }));
    return;
  }
  if (start === 'submitted') {
    fill(root, '#report-category', 'mobilier');
    fill(root, '#report-address', 'Ponton des Mariniers');
    fill(root, '#report-description', 'A plank of the landing stage is missing.');
    root.querySelector<HTMLButtonElement>('form button[type=submit]')?.click();
  }
}

function renderMap(args: MapArgs): TemplateResult {
  const setUp = ref((el) => el && args.start !== 'browse' && void goTo(el as CivicParticipatoryMap, args.start));
  const tileUrl = args.tiles === 'grid' ? OFFLINE_TILE_URL : '';
  const attribution = args.tiles === 'grid' ? OFFLINE_TILE_ATTRIBUTION : nothing;
  if (args.failure === 'map-unavailable') {
    return html`<story-unreachable-map map=${args.map} view=${args.view} tile-url=${tileUrl} .adapter=${createAdapter(args)} ${setUp}></story-unreachable-map>`;
  }
  return html`<civic-participatory-map
    map=${args.map}
    view=${args.view}
    page-size=${args['page-size']}
    heading-level=${args['heading-level']}
    tile-url=${tileUrl}
    tile-attribution=${attribution}
    theme=${args.theme}
    endpoint=${args.endpoint || nothing}
    .adapter=${createAdapter(args)}
    ${setUp}
  ></civic-participatory-map>`;
}

const meta = {
  title: 'Widgets/Participatory map',
  component: 'civic-participatory-map',
  render: renderMap,
  beforeEach: () => freshPage({ clearStorage: true }),
  args: {
    map: MAP_IDS.town,
    view: 'map',
    'page-size': 20,
    'heading-level': 2,
    tiles: 'grid',
    theme: 'auto',
    endpoint: '',
    adapter: 'memory',
    participant: 'anonymous',
    latency: 300,
    failure: 'none',
    start: 'browse',
    load: 0,
    neighbours: false,
  },
  argTypes: {
    map: {
      description: 'Id of the map (attribute `map`).',
      control: 'select',
      options: [...Object.values(MAP_IDS), 'no-such-map'],
      table: { category: 'attributes' },
    },
    view: {
      description: 'The map and the list, or the list only (attribute `view`); `list` never loads Leaflet.',
      control: 'inline-radio',
      options: ['map', 'list'],
      table: { category: 'attributes', defaultValue: { summary: 'map' } },
    },
    'page-size': {
      description: 'Reports per page of the list (attribute `page-size`).',
      control: { type: 'number', min: 1, max: 100 },
      table: { category: 'attributes', defaultValue: { summary: '20' } },
    },
    'heading-level': headingLevelArgType('Level of the map heading (attribute `heading-level`); reports take the next level.'),
    tiles: {
      description:
        'The tiles (attribute `tile-url`): a grid drawn from a data: URL, or none (a plain background). ' +
        'Stories never call a tile server; a council sets its own, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`.',
      control: 'inline-radio',
      options: ['grid', 'none'],
      table: { category: 'attributes' },
    },
    ...appearanceArgTypes,
    ...visitorArgTypes,
    latency: latencyArgType,
    failure: {
      description: 'What goes wrong.',
      control: {
        type: 'select',
        labels: {
          none: 'Nothing',
          'load-server-error': 'Server error while loading (once)',
          forbidden: 'Map forbidden to this visitor',
          offline: 'Offline from the start',
          'report-offline': 'Connection lost when reporting (waiting)',
          'map-unavailable': 'The map (Leaflet) cannot be loaded',
        },
      },
      options: ['none', 'load-server-error', 'forbidden', 'offline', 'report-offline', 'map-unavailable'],
      table: { category: 'story setup' },
    },
    start: {
      description: 'Where the story starts: browsing, a report opened, a hostile report opened, the form, its errors, the nearby offer, or a report just sent.',
      control: 'select',
      options: ['browse', 'detail', 'hostile', 'report', 'errors', 'nearby', 'submitted'],
      table: { category: 'story setup' },
    },
    load: {
      description: 'Reports added to the town’s map, to see clustering at scale.',
      control: 'inline-radio',
      options: [0, 10_000, 50_000],
      table: { category: 'story setup' },
    },
    neighbours: {
      description: 'Neighbours report two problems while the story is open (live announcement).',
      control: 'boolean',
      table: { category: 'story setup' },
    },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Every state of `<civic-participatory-map>` on the in-browser MemoryAdapter, with the maps of Belvoir-sur-Loire. ' +
          'Tiles are drawn from a data: URL: no story asks a tile server for anything. ' +
          'Use the toolbar to switch language (en/fr) and the host site’s charter.',
      },
    },
  },
} satisfies Meta<MapArgs>;

export default meta;
type Story = StoryObj<MapArgs>;

/** The adapter has not answered yet. */
export const Loading: Story = { args: { latency: 600_000 } };

/** The map and the list side by side when there is room: markers with a glyph, a shape and a status border. */
export const MapAndList: Story = {};

/** No tile at all: a plain background, and no request to any tile server. */
export const NoTiles: Story = { args: { tiles: 'none' } };

/** The list only: Leaflet is never loaded. */
export const ListOnly: Story = { args: { view: 'list' } };

/** Leaflet could not be loaded: the list still works, and the citizen is told. */
export const MapUnavailable: Story = { args: { failure: 'map-unavailable' } };

/** A report opened: its status, the council’s updates, its followers and the discussion button; its marker highlighted. */
export const ReportDetail: Story = { args: { start: 'detail' } };

/** The report form, a category with its questions; the crosshair shows on the map. */
export const Reporting: Story = { args: { start: 'report' } };

/** The errors of the form, in a summary and at each field. */
export const ValidationErrors: Story = { args: { start: 'errors' } };

/** A point placed by the pothole: "Same problem? Follow it instead". */
export const NearbyOffer: Story = { args: { start: 'nearby' } };

/** Pre-moderation: the report sent awaits a moderator. */
export const SubmittedAwaitingModeration: Story = { args: { map: MAP_IDS.moderated, participant: 'verified', start: 'submitted' } };

/** Reporting while the connection is lost: the report is kept on the device. */
export const ReportOffline: Story = { args: { map: MAP_IDS.moderated, participant: 'verified', failure: 'report-offline', start: 'submitted' } };

/** Closed: read-only, with a notice. */
export const ClosedMap: Story = { args: { map: MAP_IDS.closed } };

/** For verified residents; the visitor is anonymous. */
export const VerificationRequired: Story = { args: { map: MAP_IDS.moderated } };

/** Ten thousand more reports, clustered. */
export const TenThousandReports: Story = { args: { load: 10_000, latency: 0 } };

/** Script tags, event handlers and javascript: links in a report, shown as inert text. */
export const HostileContent: Story = { args: { start: 'hostile' } };

/** New reports arrive while reading: announced, never pushed under the reader. */
export const LiveArrivals: Story = { args: { latency: 0, neighbours: true } };

/** The widget in French. */
export const French: Story = { globals: { locale: 'fr' } };

export const NotFound: Story = { args: { map: 'no-such-map' } };

export const Forbidden: Story = { args: { failure: 'forbidden' } };

export const ServerError: Story = { args: { failure: 'load-server-error' } };

export const Offline: Story = { args: { failure: 'offline' } };

/** No adapter anywhere: the webmaster is told what to set. */
export const Misconfigured: Story = { args: { adapter: 'none' } };
