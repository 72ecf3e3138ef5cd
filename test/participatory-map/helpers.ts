import { html } from 'lit';
import { fixture, waitUntil } from '@open-wc/testing';
import { MemoryAdapter, type MemoryAdapterOptions, type MemorySeedMapReport } from '@civic-widgets/core';
import '@civic-widgets/participatory-map/define.js';
import type { CivicParticipatoryMap } from '@civic-widgets/participatory-map';
import { $, settledOn } from '../support/widgets.js';
import { OFFLINE_TILE_URL, VISITOR_ID, createMapSeed } from '../../stories/fixtures/maps.js';

export { $, $$, activate, focused, newPageOutbox, press, tabUntil, text, typeText, until } from '../support/widgets.js';
export { BELVOIR_CENTER, MAP_IDS, REPORT_IDS, OFFLINE_TILE_URL, VISITOR_ID, manyReports } from '../../stories/fixtures/maps.js';

export type MapView = HTMLElement & {
  updateComplete: Promise<unknown>;
  points: Array<{ id: string; categoryId: string }>;
  selected?: { id: string };
  centre?: { lat: number; lng: number };
};

export function townAdapter(options: MemoryAdapterOptions & { extra?: MemorySeedMapReport[]; verified?: boolean } = {}): MemoryAdapter {
  const { extra = [], verified = false, ...rest } = options;
  const seed = createMapSeed();
  seed.mapReports.push(...extra);
  return new MemoryAdapter({ participant: { id: VISITOR_ID, verification: verified ? 'verified' : 'anonymous' }, ...rest, seed });
}

export function settled(el: CivicParticipatoryMap): Promise<CivicParticipatoryMap> {
  return settledOn(el, '.box, .error', 'the map');
}

/** The map's view once Leaflet is loaded and has drawn. */
export async function mapView(el: CivicParticipatoryMap): Promise<MapView> {
  await waitUntil(() => el.shadowRoot!.querySelector('civic-map-view')?.shadowRoot?.querySelector('.leaflet-container'), 'the map never loaded', { timeout: 8000 });
  const view = el.shadowRoot!.querySelector('civic-map-view') as MapView;
  await view.updateComplete;
  return view;
}

export async function mountMap(
  mapId: string,
  adapter: unknown,
  { wait = true, view = 'map', pageSize }: { wait?: boolean; view?: string; pageSize?: number } = {},
): Promise<CivicParticipatoryMap> {
  const el = await fixture<CivicParticipatoryMap>(
    html`<civic-participatory-map map=${mapId} view=${view} page-size=${pageSize ?? 20} tile-url=${OFFLINE_TILE_URL} .adapter=${adapter}></civic-participatory-map>`,
  );
  return wait ? settled(el) : el;
}

/** Sets a field's value as typing does. */
export function write(el: CivicParticipatoryMap, selector: string, value: string): void {
  const field = $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(el, selector);
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input'));
}

/** Answers geolocation requests with `point`, or fails with `code`, as the browser would. */
export function fakeGeolocation(answer: { lat: number; lng: number } | { code: 1 | 2 | 3 }): () => void {
  const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'geolocation');
  const fake = {
    getCurrentPosition(success: PositionCallback, failure?: PositionErrorCallback | null) {
      setTimeout(() => {
        if ('code' in answer) {
          failure?.({ code: answer.code, message: 'simulated', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 } as GeolocationPositionError);
        } else {
          success({ coords: { latitude: answer.lat, longitude: answer.lng, accuracy: 5 }, timestamp: Date.now() } as GeolocationPosition);
        }
      }, 10);
    },
  };
  Object.defineProperty(navigator, 'geolocation', { configurable: true, get: () => fake });
  return () => {
    delete (navigator as { geolocation?: unknown }).geolocation;
    if (original && !('geolocation' in navigator)) Object.defineProperty(Navigator.prototype, 'geolocation', original);
  };
}
