import { CivicParticipatoryMap } from './participatory-map.js';

// The map view, with Leaflet, is defined by the widget once its chunk has loaded.
CivicParticipatoryMap.define('civic-participatory-map');

declare global {
  interface HTMLElementTagNameMap {
    'civic-participatory-map': CivicParticipatoryMap;
  }
}
