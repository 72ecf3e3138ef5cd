import { msg, str } from '@lit/localize';
import { formatNumber, type GeoPoint } from '@civic-widgets/core';

const EARTH_RADIUS_METERS = 6_371_000;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine), as the adapters measure "nearby". */
export function distanceMeters(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.lat - a.lat);
  const dLng = radians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from `a` to `b`, in degrees clockwise from north. */
function bearing(a: GeoPoint, b: GeoPoint): number {
  const y = Math.sin(radians(b.lng - a.lng)) * Math.cos(radians(b.lat));
  const x = Math.cos(radians(a.lat)) * Math.sin(radians(b.lat)) - Math.sin(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.cos(radians(b.lng - a.lng));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** "120 m" or "1.4 km". */
export function distanceText(meters: number): string {
  if (meters < 1000) return msg(str`${formatNumber(Math.round(meters / 10) * 10)} m`);
  return msg(str`${formatNumber(meters / 1000, { maximumFractionDigits: 1 })} km`);
}

/** Latitude and longitude as a person reads them aloud. */
export function coordinatesText(point: GeoPoint): string {
  const digits = { minimumFractionDigits: 5, maximumFractionDigits: 5 };
  return msg(str`latitude ${formatNumber(point.lat, digits)}, longitude ${formatNumber(point.lng, digits)}`);
}

/**
 * Where a point is, in words, from a place the citizen knows: the centre of the map's area.
 * Screen reader users hear it as they move the crosshair.
 */
export function positionText(point: GeoPoint, centre: GeoPoint): string {
  const meters = distanceMeters(centre, point);
  const where = coordinatesText(point);
  if (meters < 10) return msg(str`At the centre of the map area (${where}).`);
  const d = distanceText(meters);
  // One sentence per direction: languages place and inflect the direction differently.
  switch (Math.round(bearing(centre, point) / 45) % 8) {
    case 0:
      return msg(str`${d} north of the centre of the map area (${where}).`);
    case 1:
      return msg(str`${d} north-east of the centre of the map area (${where}).`);
    case 2:
      return msg(str`${d} east of the centre of the map area (${where}).`);
    case 3:
      return msg(str`${d} south-east of the centre of the map area (${where}).`);
    case 4:
      return msg(str`${d} south of the centre of the map area (${where}).`);
    case 5:
      return msg(str`${d} south-west of the centre of the map area (${where}).`);
    case 6:
      return msg(str`${d} west of the centre of the map area (${where}).`);
    default:
      return msg(str`${d} north-west of the centre of the map area (${where}).`);
  }
}
