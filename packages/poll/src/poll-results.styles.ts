import { css } from 'lit';
import { space, border, primary, radius, shared } from './poll.styles.js';

/** Styles of `<civic-poll-results>`, loaded with it. */
export const resultsStyles = [
  shared,
  css`
    .results {
      display: grid;
      gap: ${space};
    }

    h2,
    h3,
    h4,
    h5,
    h6 {
      margin: 0;
      font-size: 1.1em;
    }

    .bars {
      display: grid;
      gap: calc(${space} * 1.5);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .bars li {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: calc(${space} / 2) ${space};
    }

    .label {
      overflow-wrap: anywhere;
    }

    .figures {
      font-variant-numeric: tabular-nums;
      font-weight: bold;
    }

    .track {
      flex-basis: 100%;
      block-size: 0.75em;
      border-radius: ${radius};
      background: color-mix(in srgb, ${border} 30%, transparent);
      overflow: hidden;
    }

    .bar {
      display: block;
      block-size: 100%;
      background: ${primary};
      transition: inline-size 0.4s ease-out;
    }

    summary {
      cursor: pointer;
      min-block-size: 2.75em;
      display: flex;
      align-items: center;
      color: ${primary};
    }

    table {
      border-collapse: collapse;
      inline-size: 100%;
      font-variant-numeric: tabular-nums;
    }

    caption {
      text-align: start;
      padding-block: ${space};
    }

    th,
    td {
      border-block-end: 1px solid ${border};
      padding: calc(${space} / 2);
      text-align: start;
    }

    td {
      text-align: end;
    }
  `,
];
