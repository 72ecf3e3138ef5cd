import { css } from 'lit';
import { widgetStyles } from '@civic-widgets/core';

/*
 * Sizes in em so that the thread follows the page's text size and zoom; targets at least 44 px
 * (2.75em at 16 px); everything wraps down to 320 px wide. A page of a thread may hold hundreds
 * of comments: per-comment rules stay simple selectors on block and inline boxes (no grid, no
 * shadow), and comments out of view are neither styled, laid out nor painted until they near it.
 */

const space = css`var(--civic-space, 0.5em)`;
const muted = css`var(--civic-color-muted, #595959)`;
const border = css`var(--civic-color-border, #8a8a8a)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;
const radius = css`var(--civic-radius, 0.25em)`;
const danger = css`var(--civic-color-danger, #b3261e)`;

export const threadStyles = css`
  /* Block flow: a grid would size its column from every comment's intrinsic width first. */
  .thread > * + * {
    margin-block-start: calc(${space} * 2);
  }

  p {
    margin: 0 0 ${space};
  }

  header,
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: ${space} calc(${space} * 2);
    align-items: baseline;
  }

  ${widgetStyles.text}

  select,
  textarea {
    border: 1px solid ${border};
    border-radius: ${radius};
    background: var(--civic-color-surface, transparent);
  }

  select {
    min-block-size: 2.75em;
    padding-inline: ${space};
  }

  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }

  ol ol {
    margin-block-start: ${space};
    padding-inline-start: clamp(0.75em, 4%, 2em);
    border-inline-start: 0.125em solid ${border};
  }

  li + li {
    margin-block-start: calc(${space} * 1.5);
  }

  /*
   * Comments off screen skip style, layout and paint; once shown, a comment keeps its real size
   * (auto), so nothing moves when it scrolls out and back in. 8em is one of few lines of text.
   */
  article {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 8em;
  }

  article > * + * {
    margin-block-start: calc(${space} / 2);
  }

  .meta {
    margin: 0;
    font-size: 0.9em;
  }

  /* Inline boxes, with the space between them in the markup: cheaper than a flex row each. */
  .meta > * + * {
    margin-inline-start: calc(${space} / 2);
  }

  .author {
    font-weight: bold;
    color: var(--civic-color-text, CanvasText);
  }

  .stance {
    font-weight: bold;
  }

  .stance[data-stance='for'] {
    color: var(--civic-color-success, #1b7a3d);
  }

  .stance[data-stance='against'] {
    color: ${danger};
  }

  [part~='body'] {
    overflow-wrap: anywhere;
  }

  [part~='body'] > :last-child {
    margin-bottom: 0;
  }

  [part~='body'] ul,
  [part~='body'] ol {
    list-style: revert;
    padding-inline-start: 1.5em;
    border: 0;
    margin: 0 0 ${space};
  }

  .placeholder {
    font-style: italic;
    color: ${muted};
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    align-items: center;
    margin: 0;
  }

  ${widgetStyles.buttons}

  form {
    display: grid;
    gap: ${space};
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
  }

  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-inline-size: 0;
  }

  legend {
    padding: 0;
    margin-bottom: calc(${space} / 2);
    font-weight: bold;
  }

  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: ${space};
  }

  .choices label {
    display: flex;
    align-items: center;
    gap: calc(${space} / 2);
    min-block-size: 2.75em;
    padding-inline: ${space};
    border: 1px solid ${border};
    border-radius: ${radius};
    cursor: pointer;
  }

  .choices label:has(input:checked) {
    border-color: ${primary};
    box-shadow: inset 0 0 0 1px ${primary};
  }

  input[type='radio'] {
    inline-size: 1.25em;
    block-size: 1.25em;
    margin: 0;
    accent-color: ${primary};
  }

  label[for] {
    font-weight: bold;
  }

  textarea {
    inline-size: 100%;
    box-sizing: border-box;
    min-block-size: 6em;
    padding: ${space};
    resize: vertical;
  }

  ${widgetStyles.invalid}

  .counter[data-over] {
    color: ${danger};
    font-weight: bold;
  }

  [part~='preview'] {
    padding: ${space};
    border: 1px dashed ${border};
    border-radius: ${radius};
  }

  ${widgetStyles.status}

  .error p:last-of-type {
    margin-bottom: 0;
  }

  @media (forced-colors: active) {
    [aria-pressed='true'],
    .choices label:has(input:checked) {
      outline: 0.125em solid Highlight;
    }
  }
`;
