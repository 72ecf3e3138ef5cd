/** A design token: a custom property a site sets on a widget, or on any ancestor, to restyle it. */
export interface CivicToken {
  readonly name: `--civic-${string}`;
  readonly description: string;
  /** The value used when the site sets none, in the light look. */
  readonly default: string;
  /** The value used with `theme="dark"`, when it differs. */
  readonly dark?: string;
}

/** Every token, with its default; the docs and the dark theme are built from this list. */
export const civicTokens = [
  { name: '--civic-color-primary', description: 'Buttons, selected options, bars, links.', default: '#1f5fa6', dark: '#8ab4f8' },
  { name: '--civic-color-on-primary', description: 'Text and icons on the primary colour.', default: '#ffffff', dark: '#101114' },
  { name: '--civic-color-text', description: "Text, when the host's inherited colour is not wanted.", default: 'currentColor', dark: '#e8eaed' },
  { name: '--civic-color-muted', description: 'Secondary text: dates, counts, hints.', default: '#595959', dark: '#b5bac1' },
  { name: '--civic-color-surface', description: 'Background of cards, panels and fields.', default: 'transparent', dark: '#1b1d21' },
  { name: '--civic-color-border', description: 'Borders of fields and cards, separators.', default: '#8a8a8a', dark: '#6f7680' },
  { name: '--civic-color-success', description: 'Confirmations (sent, accepted).', default: '#1b7a3d', dark: '#7bd88f' },
  { name: '--civic-color-warning', description: 'Waiting states (queued, under review).', default: '#8a5a00', dark: '#f2c462' },
  { name: '--civic-color-danger', description: 'Errors and destructive actions.', default: '#b3261e', dark: '#ff8a80' },
  { name: '--civic-radius', description: 'Corner radius of buttons, fields and cards.', default: '0.25em' },
  { name: '--civic-space', description: 'Base spacing unit; paddings and gaps are multiples of it.', default: '0.5em' },
  { name: '--civic-focus-ring', description: 'Outline of the focused control (an `outline` value).', default: '0.125em solid currentColor' },
  { name: '--civic-font-family', description: "Font; the host's font is inherited when unset.", default: 'inherit' },
  { name: '--civic-font-size', description: 'Base font size; everything else is in em.', default: '1em' },
] as const satisfies readonly CivicToken[];

export type CivicTokenName = (typeof civicTokens)[number]['name'];
