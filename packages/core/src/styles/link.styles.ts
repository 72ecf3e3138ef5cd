import { css } from 'lit';

/*
 * Apart from widgetStyles so that only the widgets with item lists (idea box, map, tracker) carry
 * it; interpolated by each where it belongs in its cascade.
 */

const space = css`var(--civic-space, 0.5em)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;

/** Buttons that read as links (a title that opens an item), and a row of tags. */
export const linkStyles = css`
  .link {
    min-block-size: 0;
    padding: 0;
    border: 0;
    background: none;
    font: inherit;
    font-weight: bold;
    color: ${primary};
    text-align: start;
    text-decoration: underline;
    cursor: pointer;
    overflow-wrap: anywhere;
  }

  .tags {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2);
    margin: 0;
  }
`;
