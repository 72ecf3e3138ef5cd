export { CivicParticipatoryMap, DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL } from './participatory-map.js';
export type { CivicReportFollowDetail, CivicReportSelectedDetail, CivicReportSubmittedDetail, MapReportAction, MapViewMode } from './participatory-map.js';
