export { citizenText, safeCitizenHref } from './citizen-text.js';
export { councilHtml, sanitizeCouncilHtml } from './council-html.js';
