import { css } from 'lit';
import { space, muted, border, primary, radius, shared } from './poll.styles.js';

/** Styles of `<civic-poll-ranking>`, loaded with it. */
export const rankingStyles = [
  shared,
  css`
    ol {
      display: grid;
      gap: ${space};
      margin: 0 0 ${space};
      padding: 0;
      list-style: none;
    }

    li {
      display: flex;
      align-items: center;
      gap: ${space};
      padding: calc(${space} / 2);
      border: 1px solid ${border};
      border-radius: ${radius};
      background: var(--civic-color-surface, transparent);
    }

    li.dragging {
      border-color: ${primary};
      box-shadow: 0 0.25em 0.75em rgb(0 0 0 / 0.2);
    }

    .handle {
      display: grid;
      place-items: center;
      flex: none;
      inline-size: 2.75em;
      block-size: 2.75em;
      color: ${muted};
      cursor: grab;
      /* The handle, not the page, takes the finger; the rest of the list still scrolls. */
      touch-action: none;
    }

    .dragging .handle {
      cursor: grabbing;
    }

    .handle svg {
      fill: currentColor;
    }

    .rank {
      flex: none;
      min-inline-size: 1.5em;
      font-weight: bold;
      text-align: center;
    }

    .label {
      flex: 1;
      min-inline-size: 0;
      overflow-wrap: anywhere;
    }

    .moves {
      display: flex;
      flex: none;
      gap: calc(${space} / 2);
    }

    button {
      min-block-size: 2.75em;
      min-inline-size: 2.75em;
      padding: 0;
    }

    @media (forced-colors: active) {
      li.dragging {
        outline: 0.125em solid Highlight;
      }
    }
  `,
];
