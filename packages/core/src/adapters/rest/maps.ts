import type { MapDomain } from '../../contract/adapter.js';
import { CivicError } from '../../contract/errors.js';
import type { MapPoint, MapReport, MapReportQuery, Page, ParticipatoryMap } from '../../contract/types.js';
import { id, registerRestDomain, search } from '../rest-adapter.js';

/*
 *   GET  /maps/{id}                → ParticipatoryMap.
 *   GET  /maps/{id}/reports?bbox=w,s,e,n&category=&status=&sort=newest|most-followed&cursor=&limit=
 *                                  → Page<MapReport> with `total`.
 *   GET  /maps/{id}/points?bbox=&category=&status=
 *                                  → GeoJSON FeatureCollection (application/geo+json) of Point
 *                                    features `{ id, geometry: { coordinates: [lng, lat] },
 *                                    properties: { categoryId, status } }`, read as MapPoint[].
 *   GET  /map-reports/{id}         → MapReport.
 *   GET  /maps/{id}/nearby?lat=&lng=&radius=&category=
 *                                  → MapReport[] (radius ≤ 1000 m, open reports, nearest first).
 *   POST /maps/{id}/reports        body MapReportInput, Idempotency-Key → 201 MapReport; 403 `closed`.
 *   PUT  /map-reports/{id}/follow  Idempotency-Key → MapReport; DELETE stops following.
 */
registerRestDomain('maps', (rest): MapDomain => ({
  getMap: (mapId, opts) => rest.get<ParticipatoryMap>(`/maps/${id(mapId)}`, opts),
  listReports: (mapId, query, opts) => rest.get<Page<MapReport>>(`/maps/${id(mapId)}/reports${mapSearch(query)}`, opts),
  points: async (mapId, filter, opts) => {
    const path = `/maps/${id(mapId)}/points${mapSearch(filter)}`;
    const accept = 'application/geo+json, application/json, application/problem+json';
    return pointsOf(await rest.get<unknown>(path, { ...opts, accept }), path);
  },
  getReport: (reportId, opts) => rest.get<MapReport>(`/map-reports/${id(reportId)}`, opts),
  nearby: (mapId, point, radiusMeters, query, opts) =>
    rest.get<MapReport[]>(
      `/maps/${id(mapId)}/nearby${search({ lat: point.lat, lng: point.lng, radius: radiusMeters, category: query?.category })}`,
      opts,
    ),
  submitReport: (mapId, report, opts) => rest.write<MapReport>('POST', `/maps/${id(mapId)}/reports`, report, opts),
  follow: (reportId, follow, opts) => rest.write<MapReport>(follow ? 'PUT' : 'DELETE', `/map-reports/${id(reportId)}/follow`, undefined, opts),
}));

/** The query string of a map listing or of its points, with only the parameters given. */
function mapSearch(query: MapReportQuery = {}): string {
  const { bbox, category, status, sort, cursor, limit } = query;
  return search({ bbox, category, status, sort, cursor, limit });
}

/** MapPoint[] from the GeoJSON FeatureCollection of `/points`; features that are not points are skipped. */
function pointsOf(body: unknown, path: string): MapPoint[] {
  const features = (body as { type?: unknown; features?: unknown } | null)?.features;
  if ((body as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new CivicError('server', `GET ${path}: the response is not a GeoJSON FeatureCollection`);
  }
  const points: MapPoint[] = [];
  for (const feature of features as Array<Record<string, unknown> | null>) {
    const geometry = feature?.geometry as { type?: unknown; coordinates?: unknown } | undefined;
    const properties = feature?.properties as { categoryId?: unknown; status?: unknown } | undefined;
    const coordinates = geometry?.coordinates;
    if (geometry?.type !== 'Point' || !Array.isArray(coordinates)) continue;
    const [lng, lat] = coordinates as unknown[];
    if (typeof lat !== 'number' || typeof lng !== 'number' || (typeof feature!.id !== 'string' && typeof feature!.id !== 'number')) continue;
    points.push({
      id: String(feature!.id),
      lat,
      lng,
      categoryId: String(properties?.categoryId ?? ''),
      status: (properties?.status ?? 'open') as MapPoint['status'],
    });
  }
  return points;
}
