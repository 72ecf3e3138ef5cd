import { css } from 'lit';
import { linkStyles, widgetStyles } from '@civic-widgets/core';

/*
 * Sizes in em so that the tracker follows the page's text size and zoom; targets at least 44 px
 * (2.75em at 16 px); cards wrap to one column down to 320 px wide.
 */

const space = css`var(--civic-space, 0.5em)`;
const border = css`var(--civic-color-border, #8a8a8a)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;
const radius = css`var(--civic-radius, 0.25em)`;
const success = css`var(--civic-color-success, #1b7a3d)`;
const muted = css`var(--civic-color-muted, #595959)`;

export const resultsTrackerStyles = css`
  .tracker > * + *,
  .detail > * + * {
    margin-block-start: calc(${space} * 2);
  }

  p {
    margin: 0 0 ${space};
  }

  ${widgetStyles.text}

  h2,
  h3,
  h4,
  h5,
  h6 {
    margin: 0;
  }

  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: ${space} calc(${space} * 2);
    align-items: end;
  }

  .field {
    display: grid;
    gap: calc(${space} / 2);
  }

  label[for] {
    font-weight: bold;
  }

  input,
  select {
    min-block-size: 2.75em;
    box-sizing: border-box;
    padding-inline: ${space};
  }

  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(${space} * 1.5);
  }

  [part~='list'] {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 18em), 1fr));
  }

  [part~='project'],
  [part~='contribution'] {
    block-size: 100%;
    box-sizing: border-box;
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
    background: var(--civic-color-surface, transparent);
  }

  article > * + * {
    margin-block-start: calc(${space} / 2);
  }

  [part~='project-title'] {
    font-size: 1.1em;
  }

  ${linkStyles}

  .tag,
  .badge {
    display: inline-block;
    padding: 0.1em 0.5em;
    border: 1px solid ${border};
    border-radius: 1em;
    font-size: 0.9em;
  }

  .badge {
    font-weight: bold;
  }

  .badge[data-status='done'] {
    border-color: ${success};
    color: ${success};
  }

  .badge[data-status='cancelled'] {
    text-decoration: line-through;
  }

  .progress {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    align-items: center;
  }

  .meter,
  .track {
    position: relative;
    display: block;
    flex: 1 1 6em;
    min-inline-size: 6em;
    block-size: 0.75em;
    border: 1px solid ${border};
    border-radius: ${radius};
    overflow: hidden;
  }

  .bar {
    display: block;
    block-size: 100%;
    background: ${primary};
  }

  .progress-text,
  .value {
    font-variant-numeric: tabular-nums;
  }

  .image {
    display: block;
    max-inline-size: 100%;
    block-size: auto;
    border-radius: ${radius};
  }

  .summary,
  .origins,
  .council-text {
    overflow-wrap: anywhere;
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    margin: 0;
  }

  .overview {
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
  }

  .chart {
    margin: 0;
  }

  figcaption,
  caption {
    font-weight: bold;
    text-align: start;
    margin-block-end: ${space};
  }

  .rows {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(${space} * 1.5);
  }

  /*
   * Label, then one line for the projects and one for the budget, each its value in words over a
   * track of the full width: every track has the same length, so that bars compare across rows.
   */
  .row {
    display: grid;
    gap: calc(${space} / 2);
  }

  .row .label {
    font-weight: bold;
  }

  .line {
    display: grid;
    gap: calc(${space} / 4);
  }

  .line .track {
    min-inline-size: 0;
  }

  /* Spent drawn over planned, narrower and darker: the words beside the bar say which is which. */
  .bar.planned {
    position: absolute;
    inset-block: 0;
    inset-inline-start: 0;
    opacity: 0.35;
  }

  .bar.spent {
    position: relative;
    block-size: 55%;
    margin-block-start: 0.17em;
  }

  table {
    border-collapse: collapse;
    inline-size: 100%;
  }

  th,
  td {
    padding: calc(${space} / 2) ${space};
    border-block-end: 1px solid ${border};
    text-align: start;
  }

  td {
    font-variant-numeric: tabular-nums;
  }

  tfoot th,
  tfoot td {
    font-weight: bold;
  }

  .follow-row {
    display: flex;
    flex-wrap: wrap;
    gap: ${space} calc(${space} * 3);
    align-items: baseline;
  }

  .follow {
    display: grid;
    gap: calc(${space} / 4);
  }

  .facts {
    display: grid;
    gap: calc(${space} / 2);
    margin: 0;
  }

  .facts div {
    display: flex;
    flex-wrap: wrap;
    gap: ${space};
  }

  .facts dt {
    font-weight: bold;
  }

  .facts dd {
    margin: 0;
  }

  .origin-list {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .origin-list .kind,
  .contribution .kind {
    font-weight: bold;
  }

  .updates {
    list-style: none;
    margin: 0;
    padding: 0;
    border-inline-start: 0.25em solid ${border};
  }

  .update {
    position: relative;
    padding-inline-start: calc(${space} * 2);
    padding-block-end: calc(${space} * 2);
  }

  .update::before {
    content: '';
    position: absolute;
    inset-inline-start: -0.5em;
    inset-block-start: 0.35em;
    inline-size: 0.75em;
    block-size: 0.75em;
    border-radius: 50%;
    background: ${primary};
  }

  .change {
    font-weight: bold;
  }

  .outcome {
    font-weight: bold;
  }

  .outcome[data-outcome='in-project'],
  .outcome[data-outcome='accepted'],
  .outcome[data-outcome='done'] {
    color: ${success};
  }

  [part~='answer'] {
    padding: ${space};
    border-inline-start: 0.25em solid ${primary};
    color: inherit;
  }

  .hint,
  .kind {
    color: ${muted};
  }

  ${widgetStyles.buttons}

  ${widgetStyles.status}

  @media (forced-colors: active) {
    .bar.planned {
      opacity: 1;
      background: Canvas;
      outline: 1px solid Highlight;
    }
    .update::before {
      forced-color-adjust: none;
      background: CanvasText;
    }
  }
`;
