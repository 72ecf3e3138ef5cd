export { CivicParticipatoryMap, DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL } from './participatory-map.js';
export type { CivicReportFollowDetail, CivicReportSelectedDetail, CivicReportSubmittedDetail, MapReportAction, MapViewMode } from './participatory-map.js';
// The global event map for this package's events (types only).
export {} from './events.js';
