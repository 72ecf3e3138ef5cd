// The script-tag entry of the CDN build: `<script type="module" src=".../civic-widgets.js">`.
import { definitions } from './definitions.js';
import { findScript, startLoader } from './loader.js';

startLoader(definitions, findScript(import.meta.url));
