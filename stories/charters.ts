/**
 * Graphic charters of three fictional towns, as their websites would style a page: body font,
 * colours, links and buttons, plus the --civic-* tokens a webmaster would set. The CSS lives in
 * charters.css; every pair of text and background colours in it reaches 4.5:1.
 */
import { html, type TemplateResult } from 'lit';
export const CHARTERS = {
  belvoir: {
    town: 'Belvoir-sur-Loire',
    tagline: 'Ville de Belvoir-sur-Loire',
    summary: 'Serif, navy and river green, square-ish corners.',
  },
  montclair: {
    town: 'Montclair-les-Bains',
    tagline: 'Montclair-les-Bains, ville thermale',
    summary: 'Rounded sans-serif, teal, pill buttons.',
  },
  'port-sainte-anne': {
    town: 'Port-Sainte-Anne',
    tagline: 'Commune de Port-Sainte-Anne',
    summary: 'High contrast maritime: black, signal red, hard edges.',
  },
} as const;

export type CharterId = keyof typeof CHARTERS;

/** `none` shows the widget on a bare page, with its own fallbacks only. */
export type CharterChoice = CharterId | 'none';

export const CHARTER_IDS = Object.keys(CHARTERS) as CharterId[];

export function isCharterId(value: unknown): value is CharterId {
  return typeof value === 'string' && value in CHARTERS;
}

/** The banner of a town's site. Town names are French whatever the language of the page. */
export function townMasthead(charter: { tagline: string }): TemplateResult {
  return html`<header class="town__masthead">
    <span class="town__crest" aria-hidden="true"></span>
    <span class="town__name" lang="fr">${charter.tagline}</span>
  </header>`;
}
