import { css } from 'lit';
import { linkStyles, widgetStyles } from '@civic-widgets/core';
import { markStyles } from './marks.js';

/*
 * Sizes in em so that the widget follows the page's text size and zoom; targets at least 44 px
 * (2.75em at 16 px). The map and the list sit side by side when there is room, the map first.
 */

const space = css`var(--civic-space, 0.5em)`;
const border = css`var(--civic-color-border, #8a8a8a)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;
const radius = css`var(--civic-radius, 0.25em)`;

export const participatoryMapStyles = css`
  :host {
    container-type: inline-size;
  }

  .box > * + *,
  .detail > * + *,
  .panel > section > * + * {
    margin-block-start: calc(${space} * 2);
  }

  p {
    margin: 0 0 ${space};
  }

  ${widgetStyles.text}

  .layout {
    display: grid;
    gap: calc(${space} * 2);
    align-items: start;
  }

  @container (min-width: 52em) {
    .layout {
      grid-template-columns: minmax(0, 3fr) minmax(18em, 2fr);
    }
    .layout > .panel {
      grid-row: 1 / span 4;
      grid-column: 2;
    }
  }

  .map-frame {
    position: relative;
  }

  .map-loading,
  .map-failed {
    display: grid;
    place-items: center;
    min-block-size: 8em;
    margin: 0;
    padding: calc(${space} * 2);
    border: 1px dashed ${border};
    border-radius: ${radius};
    text-align: center;
  }

  .attribution {
    margin: calc(${space} / 2) 0 0;
    font-size: 0.8em;
    color: var(--civic-color-muted, #595959);
  }

  .skip {
    display: inline-block;
    padding-block: calc(${space} / 2);
  }

  .legend ul {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) calc(${space} * 2);
    margin: ${space} 0 0;
    padding: 0;
    list-style: none;
  }

  .legend li {
    display: flex;
    gap: calc(${space} / 2);
    align-items: center;
  }

  .legend summary {
    cursor: pointer;
    min-block-size: 2.75em;
    display: flex;
    align-items: center;
  }

  ${markStyles}

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

  .check {
    display: flex;
    gap: ${space};
    align-items: center;
    min-block-size: 2.75em;
  }

  .check input {
    inline-size: 1.25em;
    block-size: 1.25em;
    margin: 0;
  }

  label[for],
  legend {
    font-weight: bold;
  }

  input:not([type='file']):not([type='checkbox']),
  select,
  textarea {
    min-block-size: 2.75em;
    box-sizing: border-box;
    max-inline-size: 100%;
    padding-inline: ${space};
    border: 1px solid ${border};
    border-radius: ${radius};
    background: var(--civic-color-surface, transparent);
  }

  textarea {
    inline-size: 100%;
    min-block-size: 7em;
    padding: ${space};
    resize: vertical;
  }

  .panel:focus {
    outline: none;
  }

  .panel:focus-visible {
    outline: var(--civic-focus-ring, 0.125em solid currentColor);
    outline-offset: 0.25em;
  }

  .list {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .list li + li {
    margin-block-start: calc(${space} * 1.5);
    padding-block-start: calc(${space} * 1.5);
    border-block-start: 1px solid ${border};
  }

  /* Reports off screen skip style and layout: a long list stays cheap. */
  .list li {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 8em;
  }

  article[aria-current='true'] {
    border-inline-start: 0.375em solid ${primary};
    padding-inline-start: ${space};
  }

  article > * + * {
    margin-block-start: calc(${space} / 2);
  }

  [part~='report-title'] {
    font-size: 1.1em;
  }

  ${linkStyles}

  .tags {
    align-items: center;
  }

  .category {
    display: inline-flex;
    gap: 0.35em;
    align-items: center;
  }

  .category .mark {
    --mark-size: 1.4em;
  }

  .badge {
    display: inline-block;
    padding: 0.1em 0.5em;
    border: 1px solid ${border};
    border-radius: 1em;
    font-size: 0.9em;
    font-weight: bold;
  }

  .badge[data-status='closed'] {
    border-color: var(--civic-color-success, #1b7a3d);
    color: var(--civic-color-success, #1b7a3d);
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    align-items: center;
    margin: 0;
  }

  [part~='body'],
  .excerpt,
  .waiting,
  dd {
    overflow-wrap: anywhere;
  }

  [part~='body'] ul,
  [part~='body'] ol {
    padding-inline-start: 1.5em;
  }

  .attributes {
    display: grid;
    gap: calc(${space} / 2);
    margin: 0;
  }

  .attributes div {
    display: flex;
    flex-wrap: wrap;
    gap: ${space};
  }

  dt {
    font-weight: bold;
  }

  dt::after {
    content: ':';
  }

  dd {
    margin: 0;
  }

  .image {
    display: block;
    max-inline-size: 100%;
    block-size: auto;
    border-radius: ${radius};
  }

  [part~='updates'] {
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-inline-start: 0.375em solid ${primary};
    border-radius: ${radius};
  }

  [part~='updates'] ol {
    margin: ${space} 0 0;
    padding-inline-start: 1.25em;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    align-items: center;
  }

  ${widgetStyles.buttons}

  form {
    display: grid;
    gap: calc(${space} * 1.5);
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
  }

  fieldset {
    display: grid;
    gap: ${space};
    margin: 0;
    padding: ${space} calc(${space} * 1.5) calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
    min-inline-size: 0;
  }

  ${widgetStyles.invalid}

  [part~='nearby'] {
    padding: ${space};
    border: 2px dashed ${primary};
    border-radius: ${radius};
  }

  [part~='nearby'] ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: ${space};
  }

  ${widgetStyles.status}

  @media (forced-colors: active) {
    [aria-pressed='true'],
    article[aria-current='true'] {
      outline: 0.125em solid Highlight;
    }
  }
`;
