import type { MapPoint } from '@civic-widgets/core';

/*
 * Grid clustering over Web Mercator. Points are projected once, to [0, 1) world coordinates kept in
 * typed arrays; each redraw then only buckets the points in view into square cells of a fixed size
 * in screen pixels. The grid is anchored to the world, not to the view, so that panning never
 * reshuffles clusters. Measured in bench/timing/participatory-map.bench.mjs: this is what keeps a
 * redraw of 50,000 points within a frame, where a hierarchical index would cost more to build than
 * a whole redraw of this grid.
 */

/** Size of a world tile at zoom 0, in pixels, as Leaflet's CRS draws it. */
const TILE_SIZE = 256;
const MAX_LATITUDE = 85.0511287798;

export interface ProjectedPoints {
  points: MapPoint[];
  x: Float64Array;
  y: Float64Array;
}

/** A group of points drawn as one marker: one report when `count` is 1. */
export interface Cluster {
  count: number;
  /** Index into the projected points of the first member, the report itself when `count` is 1. */
  first: number;
  /** The members' mean position and extent, in world coordinates. */
  x: number;
  y: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Stable for a cell and a zoom: markers are reused across redraws by this key. */
  key: string;
}

/** World bounds of the view, in [0, 1) coordinates: west, north, east, south. */
export interface WorldBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function projectX(lng: number): number {
  return (lng + 180) / 360;
}

export function projectY(lat: number): number {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

export function unprojectLng(x: number): number {
  return x * 360 - 180;
}

export function unprojectLat(y: number): number {
  const n = Math.PI - 2 * Math.PI * y;
  return (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
}

export function project(points: MapPoint[]): ProjectedPoints {
  const x = new Float64Array(points.length);
  const y = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    x[i] = projectX(points[i]!.lng);
    y[i] = projectY(points[i]!.lat);
  }
  return { points, x, y };
}

/**
 * The clusters of the points inside `bounds` at `zoom`, with cells of `cellPixels` on screen.
 * `alone` names points drawn on their own whatever the zoom (the selected report). At `maxZoom`
 * and above nothing is grouped: the citizen cannot zoom further to tell points apart.
 */
export function cluster(
  projected: ProjectedPoints,
  zoom: number,
  bounds: WorldBounds,
  { cellPixels = 64, maxZoom = 18, alone }: { cellPixels?: number; maxZoom?: number; alone?: string } = {},
): Cluster[] {
  const { x, y, points } = projected;
  const cells = (TILE_SIZE * 2 ** Math.round(zoom)) / cellPixels;
  const grouped = zoom < maxZoom;
  const byCell = new Map<number, Cluster>();
  const single: Cluster[] = [];
  const { minX, minY, maxX, maxY } = bounds;
  for (let i = 0; i < x.length; i++) {
    const px = x[i]!;
    const py = y[i]!;
    if (px < minX || px > maxX || py < minY || py > maxY) continue;
    if (!grouped || points[i]!.id === alone) {
      single.push({ count: 1, first: i, x: px, y: py, minX: px, minY: py, maxX: px, maxY: py, key: `r:${points[i]!.id}` });
      continue;
    }
    // Cells are numbered row by row; at zoom 24 and 64 px there are 2^26 per row, well within 2^53.
    const cell = Math.floor(py * cells) * cells + Math.floor(px * cells);
    const found = byCell.get(cell);
    if (!found) {
      byCell.set(cell, { count: 1, first: i, x: px, y: py, minX: px, minY: py, maxX: px, maxY: py, key: '' });
      continue;
    }
    found.count++;
    found.x += px;
    found.y += py;
    if (px < found.minX) found.minX = px;
    if (px > found.maxX) found.maxX = px;
    if (py < found.minY) found.minY = py;
    if (py > found.maxY) found.maxY = py;
  }
  const clusters = single;
  for (const [cell, found] of byCell) {
    if (found.count === 1) {
      found.key = `r:${points[found.first]!.id}`;
    } else {
      found.x /= found.count;
      found.y /= found.count;
      found.key = `c:${Math.round(zoom)}:${cell}:${found.count}`;
    }
    clusters.push(found);
  }
  return clusters;
}
