import { LitElement, css, html, nothing, render, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import * as L from 'leaflet/dist/leaflet-src.esm.js';
import { LocaleController, baseStyles, type GeoPoint, type MapCategory, type MapPoint, type MapReport, type ParticipatoryMap } from '@civic-widgets/core';
import { cluster, project, projectX, projectY, unprojectLat, unprojectLng, type Cluster, type ProjectedPoints } from './clusters.js';
import { leafletStyles } from './leaflet.styles.js';
import { mark, markStyles } from './marks.js';
import { positionText } from './position.js';

/** The detail of the view's internal events, heard by the widget that renders it. */
export interface MapViewSelectDetail {
  id: string;
}
export interface MapViewPlaceDetail {
  point: GeoPoint;
}
export interface MapViewMoveDetail {
  /** west, south, east, north */
  bbox: [number, number, number, number];
}

/** What the widget tells the view about reports: how to name and summarise them, with its words. */
export interface MapViewWords {
  /** The accessible name of a report's marker. */
  report(point: MapPoint): string;
  /** A marker's tooltip and the selected report's popup: Lit templates, rendered to DOM nodes. */
  tooltip(point: MapPoint): TemplateResult;
  popup(report: MapReport): TemplateResult;
  cluster(count: number): string;
}

const TILE_FAILURES = 4;
/** Markers are at least this far apart on screen: fewer, larger clusters keep each redraw within a frame. */
const CELL_PIXELS = 80;

/**
 * Markers placed with left and top. Leaflet places them with a 3D transform, which gives each of
 * them a compositing layer of its own: with a hundred markers in view, building those layers cost
 * more than the redraw itself. They are hidden while a zoom animates, then drawn for the new zoom.
 */
const FlatMarker = L.Marker.extend({
  _setPos(this: L.Marker & { _icon?: HTMLElement; _zIndex: number; _resetZIndex(): void }, position: L.Point) {
    const icon = this._icon;
    if (icon) {
      icon.style.left = `${position.x}px`;
      icon.style.top = `${position.y}px`;
    }
    this._zIndex = position.y + (this.options.zIndexOffset ?? 0);
    this._resetZIndex();
  },
}) as unknown as typeof L.Marker;

/** Lit renders into a detached element: Leaflet gets DOM nodes, never an HTML string. */
function fragment(template: TemplateResult, className: string): HTMLElement {
  const container = document.createElement('div');
  container.className = className;
  render(template, container);
  return container;
}

/**
 * Marker icons are rendered by Lit once per look (category and status, or a cluster) and cloned for
 * each marker: a pan that brings a hundred markers into view then costs a hundred cheap clones.
 */
class IconCache {
  private readonly rendered = new Map<string, HTMLElement>();

  constructor(private readonly categories: MapCategory[]) {}

  mark(point: MapPoint): HTMLElement {
    const key = `${point.categoryId}|${point.status}`;
    let node = this.rendered.get(key);
    if (!node) {
      node = fragment(mark(this.categories, point.categoryId, point.status), 'marker-frame');
      this.rendered.set(key, node);
    }
    return node.cloneNode(true) as HTMLElement;
  }

  cluster(count: number): HTMLElement {
    let node = this.rendered.get('cluster');
    if (!node) {
      node = fragment(html`<span class="cluster"></span>`, 'cluster-frame');
      this.rendered.set('cluster', node);
    }
    const copy = node.cloneNode(true) as HTMLElement;
    copy.firstElementChild!.textContent = String(count);
    return copy;
  }
}

/**
 * The map of a `<civic-participatory-map>`, in its own chunk with Leaflet: the widget loads it only
 * when a map is to be shown, and works without it. Draws reports as clustered markers (at most a
 * cell's worth of DOM per 80 px square in view, whatever the number of reports), the selected
 * report highlighted with a popup, the point being reported, and a crosshair moved with the arrow
 * keys to place a point with Enter.
 *
 * @fires map-select - A report's marker was activated: `{ id }`.
 * @fires map-place - A point was placed, by pointer or keyboard: `{ point }`.
 * @fires map-place-cancel - Escape while placing.
 * @fires map-move - The view moved: `{ bbox }`.
 * @fires map-tiles-failed - The tile server does not answer: the background is blank.
 */
export class CivicMapView extends LitElement {
  static override styles = [baseStyles, leafletStyles, markStyles, css`
    :host {
      display: block;
      position: relative;
    }

    /* Leaflet's panes stack up to z-index 1000: kept inside the widget, never over the page. */
    .frame {
      position: relative;
      isolation: isolate;
    }

    .map {
      block-size: var(--civic-map-height, 24rem);
      background: var(--civic-map-background, #e8eae6);
      border: 1px solid var(--civic-color-border, #8a8a8a);
      border-radius: var(--civic-radius, 0.25em);
      font: inherit;
    }

    .map:focus-visible {
      outline: var(--civic-focus-ring, 0.2em solid currentColor);
      outline-offset: 0.125em;
    }

    .leaflet-container a {
      color: inherit;
    }

    /* Leaflet sizes each marker: contained, one marker's layout never reaches the others. */
    .marker {
      display: flex;
      align-items: center;
      justify-content: center;
      border-radius: 50%;
      contain: layout size style;
    }

    .leaflet-zoom-anim .marker {
      visibility: hidden;
    }

    .marker-frame,
    .cluster-frame,
    .placed-frame {
      display: flex;
      align-items: center;
      justify-content: center;
      inline-size: 100%;
      block-size: 100%;
    }

    .marker:focus-visible {
      outline: 0.2em solid #1a1a1a;
      outline-offset: 0.1em;
      box-shadow: 0 0 0 0.35em #fff;
    }

    .marker.selected .mark {
      --mark-size: 2.4em;
      box-shadow: 0 0 0 0.2em #fff, 0 0 0 0.4em #1a1a1a;
    }

    .cluster {
      display: flex;
      align-items: center;
      justify-content: center;
      inline-size: 100%;
      block-size: 100%;
      box-sizing: border-box;
      border-radius: 50%;
      border: 0.2em solid #fff;
      background: #1a1a1a;
      color: #fff;
      font-weight: bold;
      font-size: 0.85em;
      box-shadow: 0 0 0 0.15em #1a1a1a;
    }

    .placed {
      display: block;
      inline-size: 100%;
      block-size: 100%;
      box-sizing: border-box;
      border-radius: 50% 50% 50% 0;
      transform: rotate(-45deg);
      border: 0.2em solid #fff;
      background: #b3261e;
      box-shadow: 0 0 0 0.15em #1a1a1a;
    }

    .crosshair {
      position: absolute;
      inset-inline-start: 50%;
      inset-block-start: 50%;
      inline-size: 2.5em;
      block-size: 2.5em;
      margin: -1.25em 0 0 -1.25em;
      pointer-events: none;
      z-index: 650;
      background:
        linear-gradient(#1a1a1a, #1a1a1a) center / 0.2em 100% no-repeat,
        linear-gradient(#1a1a1a, #1a1a1a) center / 100% 0.2em no-repeat;
      filter: drop-shadow(0 0 0.1em #fff) drop-shadow(0 0 0.1em #fff);
    }

    .notice {
      position: absolute;
      inset-inline: 0.5em;
      inset-block-end: 0.5em;
      z-index: 800;
      margin: 0;
      padding: 0.5em;
      background: #fff;
      color: #1a1a1a;
      border: 1px solid #1a1a1a;
      border-radius: var(--civic-radius, 0.25em);
    }

    .tooltip,
    .popup {
      font: inherit;
      color: #1a1a1a;
    }

    .popup p {
      margin: 0 0 0.25em;
      overflow-wrap: anywhere;
    }

    @media (forced-colors: active) {
      .crosshair {
        forced-color-adjust: none;
        background:
          linear-gradient(CanvasText, CanvasText) center / 0.2em 100% no-repeat,
          linear-gradient(CanvasText, CanvasText) center / 100% 0.2em no-repeat;
      }
      .cluster,
      .placed {
        border-color: CanvasText;
      }
    }
  `];

  protected readonly localeController = new LocaleController(this);

  /** The map's area: centre, zoom, bounds. */
  @property({ attribute: false }) area?: ParticipatoryMap;

  /** Leaflet URL template of the tiles; empty for a plain background. */
  @property({ attribute: false }) tileUrl = '';

  @property({ attribute: false }) points: MapPoint[] = [];

  @property({ attribute: false }) categories: MapCategory[] = [];

  /** The report opened in the widget: highlighted, panned to, with a popup. */
  @property({ attribute: false }) selected?: MapReport;

  /** Placing a point: a crosshair shows, a click or Enter places it. */
  @property({ attribute: false }) placing = false;

  /** The point of the report being written. */
  @property({ attribute: false }) placed?: GeoPoint;

  @property({ attribute: false }) words?: MapViewWords;

  /** Accessible name of the map. */
  @property({ attribute: false }) label = '';

  @state() private announcement = '';
  @state() private tilesFailed = false;

  @query('.map') private container!: HTMLElement;

  private leaflet?: L.Map;
  private layer?: L.FeatureGroup;
  private tooltip?: L.Tooltip;
  private readonly groups = new WeakMap<Element, { marker: L.Marker; group: Cluster }>();
  private placedMarker?: L.Marker;
  private popup?: L.Popup;
  private projected: ProjectedPoints = project([]);
  private icons = new IconCache([]);
  private markers = new Map<string, L.Marker>();
  /** The key of the marker that takes Tab. */
  private rovingKey?: string;
  private resizeObserver?: ResizeObserver;
  private tileErrors = 0;
  private tileLoaded = false;

  /** Gives the map the keyboard focus, e.g. to place a point with the crosshair. */
  focusMap(): void {
    this.container?.focus();
  }

  /** The map's current centre, where the crosshair is. */
  get centre(): GeoPoint | undefined {
    const centre = this.leaflet?.getCenter();
    return centre ? { lat: centre.lat, lng: centre.lng } : undefined;
  }

  /** Pans to a point, e.g. one found by geolocation. */
  showPoint(point: GeoPoint): void {
    this.leaflet?.setView([point.lat, point.lng], Math.max(this.leaflet.getZoom(), 17));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.leaflet?.remove();
    this.leaflet = this.tooltip = undefined;
    this.markers.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page: Leaflet was removed with the old position; build it again.
    if (this.hasUpdated && !this.leaflet) void this.updateComplete.then(() => this.createMap());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('placing')) this.announcement = '';
  }

  protected override firstUpdated(): void {
    this.createMap();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const map = this.leaflet;
    if (!map) return;
    if (changed.has('points') || changed.has('categories')) {
      this.projected = project(this.points);
      this.icons = new IconCache(this.categories);
      this.clearMarkers();
    }
    if (changed.has('selected') && changed.get('selected')?.id !== this.selected?.id) {
      this.clearMarkers();
      const point = this.selected?.point;
      if (point) map.panTo([point.lat, point.lng]);
    }
    if (changed.has('points') || changed.has('selected') || changed.has('categories')) this.redraw();
    if (changed.has('selected')) this.showPopup();
    if (changed.has('placed')) this.drawPlaced();
    if (changed.has('placing')) map.getContainer().classList.toggle('leaflet-crosshair', this.placing);
    if (changed.has('tileUrl') && changed.get('tileUrl') !== undefined) {
      this.leaflet?.remove();
      this.leaflet = this.tooltip = undefined;
      this.markers.clear();
      this.createMap();
    }
  }

  private createMap(): void {
    const area = this.area;
    const container = this.container;
    if (!area || !container || this.leaflet) return;
    const map = L.map(container, {
      center: [area.center.lat, area.center.lng],
      zoom: area.zoom,
      maxZoom: 19,
      attributionControl: false,
      zoomControl: false,
      keyboard: true,
      ...(area.bounds
        ? { maxBounds: L.latLngBounds(area.bounds.map((corner) => [corner.lat, corner.lng] as [number, number])).pad(0.5) }
        : {}),
    });
    this.leaflet = map;
    L.control.zoom({ zoomInTitle: msg('Zoom in'), zoomOutTitle: msg('Zoom out') }).addTo(map);
    this.tileErrors = 0;
    this.tileLoaded = false;
    if (this.tilesFailed) this.tilesFailed = false;
    if (this.tileUrl) {
      L.tileLayer(this.tileUrl, { maxZoom: 19 })
        .on('tileload', () => (this.tileLoaded = true))
        .on('tileerror', () => {
          if (++this.tileErrors < TILE_FAILURES || this.tileLoaded || this.tilesFailed) return;
          this.tilesFailed = true;
          this.dispatchEvent(new CustomEvent('map-tiles-failed'));
        })
        .addTo(map);
    }
    this.layer = L.featureGroup().on('click', this.onMarkerClick).addTo(map);
    const pane = map.getPane('markerPane')!;
    pane.addEventListener('keydown', this.onMarkerKey);
    pane.addEventListener('focusin', this.onMarkerFocus);
    pane.addEventListener('mouseover', this.onMarkerEnter);
    pane.addEventListener('focusin', this.onMarkerEnter);
    pane.addEventListener('mouseout', this.onMarkerLeave);
    pane.addEventListener('focusout', this.onMarkerLeave);
    this.projected = project(this.points);
    this.icons = new IconCache(this.categories);
    map.on('moveend', this.onMoveEnd);
    map.on('click', this.onMapClick);
    container.addEventListener('keydown', this.onKeyDown);
    // Leaflet's container is the application: it takes the arrow keys.
    container.setAttribute('role', 'application');
    container.setAttribute('aria-roledescription', msg('map'));
    this.resizeObserver = new ResizeObserver(() => map.invalidateSize());
    this.resizeObserver.observe(container);
    // Leaflet's first moveend came before these listeners: the widget learns the first view now.
    this.onMoveEnd();
    this.drawPlaced();
    this.showPopup();
  }

  private readonly onMoveEnd = (): void => {
    this.redraw();
    const map = this.leaflet!;
    const bounds = map.getBounds();
    this.dispatchEvent(
      new CustomEvent<MapViewMoveDetail>('map-move', {
        detail: { bbox: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()] },
      }),
    );
    if (this.placing && this.area && this.shadowRoot?.activeElement === this.container) {
      this.announcement = positionText(this.centre!, this.area.center);
    }
  };

  private readonly onMapClick = (event: L.LeafletMouseEvent): void => {
    if (this.placing) this.place({ lat: event.latlng.lat, lng: event.latlng.lng });
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!this.placing || event.target !== this.container) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.place(this.centre!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.dispatchEvent(new CustomEvent('map-place-cancel'));
    }
  };

  private place(point: GeoPoint): void {
    this.dispatchEvent(new CustomEvent<MapViewPlaceDetail>('map-place', { detail: { point } }));
  }

  private clearMarkers(): void {
    this.layer?.clearLayers();
    if (this.tooltip) this.leaflet?.closeTooltip(this.tooltip);
    this.markers.clear();
  }

  /** Draws the clusters in view (and a margin), reusing the markers that stay. */
  private redraw(): void {
    const map = this.leaflet;
    const layer = this.layer;
    if (!map || !layer) return;
    const view = map.getBounds().pad(0.1);
    const clusters = cluster(
      this.projected,
      map.getZoom(),
      { minX: projectX(view.getWest()), maxX: projectX(view.getEast()), minY: projectY(view.getNorth()), maxY: projectY(view.getSouth()) },
      { cellPixels: CELL_PIXELS, maxZoom: map.getMaxZoom(), alone: this.selected?.id },
    );
    const next = new Map<string, L.Marker>();
    const added: Array<[L.Marker, Cluster]> = [];
    for (const group of clusters) {
      let marker = this.markers.get(group.key);
      if (!marker) {
        marker = this.createMarker(group);
        added.push([marker, group]);
      }
      next.set(group.key, marker);
    }
    // The marker with the keyboard focus stays, even out of view: focus never falls to the page.
    const active = this.shadowRoot?.activeElement;
    for (const [key, marker] of this.markers) {
      if (next.has(key)) continue;
      if (active && marker.getElement() === active) next.set(key, marker);
      else layer.removeLayer(marker);
    }
    for (const [marker, group] of added) {
      layer.addLayer(marker);
      this.makeButton(marker, group);
    }
    this.markers = next;
    this.rove();
  }

  /** The markers in reading order: north to south, then west to east. */
  private orderedMarkers(): L.Marker[] {
    return [...this.markers.values()].sort((a, b) => b.getLatLng().lat - a.getLatLng().lat || a.getLatLng().lng - b.getLatLng().lng);
  }

  /**
   * The markers are one Tab stop (a roving tabindex): the marker last reached, else the first one,
   * takes Tab; the arrow keys move between markers, Home and End go to the first and the last.
   */
  private rove(to?: L.Marker): void {
    const ordered = this.orderedMarkers();
    const current = to ?? (this.rovingKey !== undefined ? this.markers.get(this.rovingKey) : undefined) ?? ordered[0];
    for (const marker of ordered) {
      const element = marker.getElement();
      if (element) element.tabIndex = marker === current ? 0 : -1;
    }
    const element = current?.getElement();
    this.rovingKey = element ? this.groups.get(element)?.group.key : undefined;
  }

  private readonly onMarkerFocus = (event: Event): void => {
    const found = this.markerOf(event);
    if (found && found.element.tabIndex !== 0) this.rove(found.marker);
  };

  private createMarker(group: Cluster): L.Marker {
    const latLng: [number, number] = [unprojectLat(group.y), unprojectLng(group.x)];
    if (group.count > 1) {
      const size = group.count < 100 ? 36 : group.count < 1000 ? 44 : 52;
      return new FlatMarker(latLng, {
        keyboard: false,
        icon: L.divIcon({ className: 'marker', html: this.icons.cluster(group.count), iconSize: [size, size] }),
      });
    }
    const point = this.projected.points[group.first]!;
    const selected = point.id === this.selected?.id;
    return new FlatMarker(latLng, {
      keyboard: false,
      zIndexOffset: selected ? 1000 : 0,
      icon: L.divIcon({ className: selected ? 'marker selected' : 'marker', html: this.icons.mark(point), iconSize: selected ? [40, 40] : [30, 30] }),
    });
  }

  /**
   * Markers are buttons: named, reachable with Tab, activated with a click, Enter or Space. Their
   * events are heard once, on the marker pane, rather than on each of hundreds of markers.
   */
  private makeButton(marker: L.Marker, group: Cluster): void {
    const element = marker.getElement();
    if (!element) return;
    this.groups.set(element, { marker, group });
    element.tabIndex = -1;
    element.setAttribute('role', 'button');
    if (group.count > 1) {
      element.setAttribute('aria-label', this.words?.cluster(group.count) ?? String(group.count));
      return;
    }
    const point = this.projected.points[group.first]!;
    element.setAttribute('aria-label', this.words?.report(point) ?? point.id);
    element.dataset.report = point.id;
    if (point.id === this.selected?.id) element.setAttribute('aria-current', 'true');
  }

  /** The marker an event happened on, if any. */
  private markerOf(event: Event): { marker: L.Marker; group: Cluster; element: HTMLElement } | undefined {
    const element = (event.target as Element | null)?.closest?.<HTMLElement>('.leaflet-marker-icon');
    const found = element && this.groups.get(element);
    return found && element ? { ...found, element } : undefined;
  }

  private activate(group: Cluster): void {
    if (group.count > 1) return this.zoomInto(group);
    const point = this.projected.points[group.first]!;
    if (this.placing) this.place({ lat: point.lat, lng: point.lng });
    else this.dispatchEvent(new CustomEvent<MapViewSelectDetail>('map-select', { detail: { id: point.id } }));
  }

  private readonly onMarkerClick = (event: L.LeafletEvent): void => {
    const marker = event.propagatedFrom as L.Marker | undefined;
    const element = marker?.getElement();
    const found = element && this.groups.get(element);
    if (found) this.activate(found.group);
  };

  private readonly onMarkerKey = (event: KeyboardEvent): void => {
    const found = this.markerOf(event);
    if (!found) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      event.stopPropagation();
      this.activate(found.group);
      return;
    }
    const ordered = this.orderedMarkers();
    const index = ordered.indexOf(found.marker);
    const last = ordered.length - 1;
    const target = {
      ArrowRight: index + 1,
      ArrowDown: index + 1,
      ArrowLeft: index - 1,
      ArrowUp: index - 1,
      Home: 0,
      End: last,
    }[event.key];
    if (target === undefined || index < 0) return;
    // The map would pan with these keys: on a marker, they move between markers instead.
    event.preventDefault();
    event.stopPropagation();
    const next = ordered[(target + ordered.length) % ordered.length]!;
    this.rove(next);
    next.getElement()?.focus();
  };

  /** One tooltip for the map, shown on the marker under the pointer or with the keyboard focus. */
  private readonly onMarkerEnter = (event: Event): void => {
    const found = this.markerOf(event);
    const map = this.leaflet;
    if (!found || found.group.count > 1 || !map || !this.words) return;
    const point = this.projected.points[found.group.first]!;
    this.tooltip ??= L.tooltip({ direction: 'top', offset: [0, -14] });
    this.tooltip.setLatLng(found.marker.getLatLng()).setContent(fragment(this.words.tooltip(point), 'tooltip'));
    map.openTooltip(this.tooltip);
    const id = this.tooltip.getElement()?.id;
    if (id) found.element.setAttribute('aria-describedby', id);
  };

  private readonly onMarkerLeave = (event: Event): void => {
    const found = this.markerOf(event);
    if (!found || !this.tooltip) return;
    found.element.removeAttribute('aria-describedby');
    this.leaflet?.closeTooltip(this.tooltip);
  };

  private zoomInto(group: Cluster): void {
    const map = this.leaflet!;
    const bounds = L.latLngBounds([unprojectLat(group.minY), unprojectLng(group.minX)], [unprojectLat(group.maxY), unprojectLng(group.maxX)]);
    const zoom = Math.min(map.getBoundsZoom(bounds, false, L.point(40, 40)), map.getMaxZoom());
    map.setView(bounds.getCenter(), Math.max(zoom, map.getZoom() + 1));
    // The cluster's marker is gone: the keyboard stays on the map rather than falling to the page.
    this.container.focus({ preventScroll: true });
  }

  private showPopup(): void {
    const map = this.leaflet;
    if (!map) return;
    this.popup?.remove();
    this.popup = undefined;
    const report = this.selected;
    if (!report?.point || !this.words) return;
    this.popup = L.popup({ closeButton: false, autoClose: false, closeOnClick: false, offset: [0, -16], className: 'report-popup' })
      .setLatLng([report.point.lat, report.point.lng])
      .setContent(fragment(this.words.popup(report), 'popup'))
      .openOn(map);
  }

  private drawPlaced(): void {
    const map = this.leaflet;
    if (!map) return;
    this.placedMarker?.remove();
    this.placedMarker = undefined;
    const point = this.placed;
    if (!point) return;
    this.placedMarker = L.marker([point.lat, point.lng], {
      interactive: false,
      keyboard: false,
      zIndexOffset: 2000,
      icon: L.divIcon({ className: 'marker', html: fragment(html`<span class="placed"></span>`, 'placed-frame'), iconSize: [30, 30], iconAnchor: [15, 30] }),
    }).addTo(map);
    const element = this.placedMarker.getElement();
    element?.setAttribute('role', 'img');
    element?.setAttribute('aria-label', msg('The point of your report'));
  }

  protected override render() {
    return html`<div class="frame">
      <div class="map" aria-label=${this.label} aria-describedby="map-help"></div>
      ${this.placing ? html`<div class="crosshair" aria-hidden="true"></div>` : nothing}
      ${this.tilesFailed
        ? html`<p class="notice" role="status">${msg('The map background could not be loaded. The reports are still drawn, and every report is in the list.')}</p>`
        : nothing}
    </div>
    <p id="map-help" class="visually-hidden">
      ${this.placing
        ? msg('Move the crosshair with the arrow keys, zoom with plus and minus, then press Enter to place the point. Escape cancels.')
        : msg('Arrow keys move the map, plus and minus zoom. The reports on the map are buttons after it: Tab reaches one, the arrow keys move between them. The list of reports gives the same information.')}
    </p>
    <div class="visually-hidden" role="status">${this.announcement}</div>`;
  }
}

/** Called by the widget once this chunk is loaded: the module itself has no side effect. */
export function defineMapView(): void {
  if (!customElements.get('civic-map-view')) customElements.define('civic-map-view', CivicMapView);
}

declare global {
  interface HTMLElementTagNameMap {
    'civic-map-view': CivicMapView;
  }
}
