export { citizenText, safeCitizenHref } from './citizen-text.js';
export { councilHtml, prepareCouncilHtml, sanitizeCouncilHtml } from './council-html.js';
