import { css, unsafeCSS } from 'lit';
import { civicTokens } from './tokens.js';

const darkTokens = unsafeCSS(
  civicTokens
    .flatMap((token) => ('dark' in token ? [`${token.name}: ${token.dark};`] : []))
    .join('\n'),
);

/**
 * The styles every widget starts from. The host page's font and text colour are inherited,
 * never set: a widget looks like the page it is put in. Colours come from the `--civic-*` tokens
 * with fallbacks that meet WCAG AA contrast.
 */
export const baseStyles = css`
  :host {
    display: block;
    font-size: var(--civic-font-size, 1em);
    font-family: var(--civic-font-family, inherit);
  }

  :host([hidden]),
  [hidden] {
    display: none !important;
  }

  /* Only an explicit dark theme paints the host: otherwise the page's own colours show through. */
  :host([theme='dark']) {
    ${darkTokens}
    color-scheme: dark;
    color: var(--civic-color-text);
    background: var(--civic-color-surface);
  }

  /* Widget headings take the level the page needs (see heading()), not the page's heading sizes. */
  h2,
  h3,
  h4,
  h5,
  h6 {
    margin: 0;
    font-size: 1.25em;
    line-height: 1.25;
  }

  /* Headings and regions that receive focus from a script show it only to keyboard users. */
  [tabindex='-1']:focus {
    outline: none;
  }

  [tabindex='-1']:focus-visible {
    outline: var(--civic-focus-ring, 0.125em solid currentColor);
    outline-offset: 0.125em;
  }

  /* A widget's skip link and its end mark (element/a11y.ts) show only while they have focus. */
  .visually-hidden,
  .skip-past:not(:focus) {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }

  /* The ring takes the text colour, which contrasts with the background the text sits on. */
  :focus-visible {
    outline: var(--civic-focus-ring, 0.125em solid currentColor);
    outline-offset: 0.125em;
  }

  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    letter-spacing: inherit;
  }

  input,
  select,
  textarea {
    border: 1px solid var(--civic-color-border, #8a8a8a);
    border-radius: var(--civic-radius, 0.25em);
    background: var(--civic-color-surface, transparent);
    padding: calc(var(--civic-space, 0.5em) * 0.75);
  }

  button {
    cursor: pointer;
    border: 1px solid currentColor;
    border-radius: var(--civic-radius, 0.25em);
    background: transparent;
    padding: calc(var(--civic-space, 0.5em) * 0.75) calc(var(--civic-space, 0.5em) * 1.5);
    line-height: 1.2;
    transition: background-color 0.15s, border-color 0.15s;
  }

  button.primary {
    /* A transparent border still draws in forced colours, where backgrounds are dropped. */
    border-color: transparent;
    background: var(--civic-color-primary, #1f5fa6);
    color: var(--civic-color-on-primary, #ffffff);
  }

  /* White text on a filled button would make a currentColor ring vanish on a light page. */
  button.primary:focus-visible {
    outline: var(--civic-focus-ring, 0.125em solid var(--civic-color-primary, #1f5fa6));
  }

  button:disabled,
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  a {
    color: var(--civic-color-primary, inherit);
  }

  @media (prefers-reduced-motion: reduce) {
    :host,
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0.01ms !important;
      scroll-behavior: auto !important;
    }
  }

  /* Forced colours drop backgrounds: what is drawn by a background alone is given a system colour. */
  @media (forced-colors: active) {
    :focus-visible,
    button.primary:focus-visible {
      outline: 0.125em solid Highlight;
    }

    button {
      border-color: ButtonText;
    }

    .bar,
    [part~='bar'] {
      forced-color-adjust: none;
      background: Highlight;
    }

    .track,
    [part~='track'] {
      forced-color-adjust: none;
      background: Canvas;
      outline: 1px solid CanvasText;
    }
  }
`;
