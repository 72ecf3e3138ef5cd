/**
 * Core's public API for pages that configure widgets from script, e.g.
 * `import { configure } from '.../civic-widgets.api.js'`. In the CDN build it shares its Lit and
 * core chunks with the widgets the loader brings in.
 */
export * from '@civic-widgets/core';
