import { CivicProvider } from './element/provider.js';

if (!customElements.get('civic-provider')) customElements.define('civic-provider', CivicProvider);
