import { css } from 'lit';

/*
 * Rule groups that widgets with lists, forms and a submission status share. Each widget
 * interpolates them into its own sheet where they belong in its cascade, rather than ahead of it,
 * so that the widget's later rules still win the ties they won before.
 */

const space = css`var(--civic-space, 0.5em)`;
const muted = css`var(--civic-color-muted, #595959)`;
const border = css`var(--civic-color-border, #8a8a8a)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;
const radius = css`var(--civic-radius, 0.25em)`;
const danger = css`var(--civic-color-danger, #b3261e)`;

/** Counts, hints, meta lines and notices. */
const text = css`
  [part~='count'],
  .hint,
  .meta {
    color: ${muted};
  }

  .hint {
    font-size: 0.9em;
  }

  [part~='notice'] {
    border-inline-start: 0.25em solid ${border};
    padding-inline-start: calc(${space} * 1.5);
  }
`;

/** Targets of at least 44 px, the primary button and pressed toggles. */
const buttons = css`
  button {
    min-block-size: 2.75em;
    min-inline-size: 2.75em;
  }

  .primary {
    background: ${primary};
    color: var(--civic-color-on-primary, #fff);
    border: 1px solid ${primary};
    border-radius: ${radius};
    padding-inline: calc(${space} * 2);
  }

  [aria-pressed='true'] {
    border-color: ${primary};
    box-shadow: inset 0 0 0 1px ${primary};
    font-weight: bold;
  }
`;

/** An invalid field and the message that names its error. */
const invalid = css`
  [aria-invalid='true'] {
    border-color: ${danger};
    box-shadow: inset 0 0 0 1px ${danger};
  }

  .field-error {
    color: ${danger};
    font-weight: bold;
    margin: 0;
  }
`;

/**
 * Until its first load has rendered (CivicElement's `loading` state), a widget keeps the room its
 * content is about to take (about a screen, as the loader keeps it for a tag not defined yet), so
 * that what follows on the page does not jump when it comes. A page sets --civic-loading-size to a
 * widget's usual height.
 */
export const loadingRoom = css`
  :host(:state(loading)) {
    min-block-size: var(--civic-loading-size, 40rem);
  }
`;

/** The submission status line, the waiting and error panels, and the loading line. */
const status = css`
  [part~='status']:empty {
    display: none;
  }

  .waiting,
  .error {
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-inline-start: 0.375em solid var(--civic-color-warning, #8a5a00);
    border-radius: ${radius};
  }

  .error {
    border-color: ${danger};
  }

  .loading {
    color: ${muted};
  }

  ${loadingRoom}
`;

export const widgetStyles = { text, buttons, invalid, status } as const;
