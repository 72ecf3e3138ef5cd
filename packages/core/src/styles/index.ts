export { baseStyles } from './base.styles.js';
export { civicTokens } from './tokens.js';
export type { CivicToken, CivicTokenName } from './tokens.js';
export { applyAutoTheme, contrastRatio } from './auto-theme.js';
export { loadingRoom, widgetStyles } from './widget.styles.js';
export { linkStyles } from './link.styles.js';
