import { css } from 'lit';
import { linkStyles, widgetStyles } from '@civic-widgets/core';

/*
 * Sizes in em so that the box follows the page's text size and zoom; targets at least 44 px
 * (2.75em at 16 px); cards wrap to one column down to 320 px wide.
 */

const space = css`var(--civic-space, 0.5em)`;
const border = css`var(--civic-color-border, #8a8a8a)`;
const primary = css`var(--civic-color-primary, #1f5fa6)`;
const radius = css`var(--civic-radius, 0.25em)`;
const danger = css`var(--civic-color-danger, #b3261e)`;

export const ideaBoxStyles = css`
  .box > * + *,
  .detail > * + * {
    margin-block-start: calc(${space} * 2);
  }

  p {
    margin: 0 0 ${space};
  }

  ${widgetStyles.text}

  [part~='notice'][data-reached='true'] {
    border-inline-start-color: var(--civic-color-warning, #8a5a00);
    font-weight: bold;
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

  input:not([type='file']),
  select,
  textarea {
    min-block-size: 2.75em;
    box-sizing: border-box;
    padding-inline: ${space};
    border: 1px solid ${border};
    border-radius: ${radius};
    background: var(--civic-color-surface, transparent);
  }

  textarea {
    inline-size: 100%;
    min-block-size: 8em;
    padding: ${space};
    resize: vertical;
  }

  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(${space} * 1.5);
  }

  .list[data-layout='cards'] {
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 16em), 1fr));
  }

  .list[data-layout='cards'] article {
    block-size: 100%;
    box-sizing: border-box;
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-radius: ${radius};
    background: var(--civic-color-surface, transparent);
  }

  .list[data-layout='list'] li + li {
    padding-block-start: calc(${space} * 1.5);
    border-block-start: 1px solid ${border};
  }

  article > * + * {
    margin-block-start: calc(${space} / 2);
  }

  h2,
  h3,
  h4,
  h5,
  h6 {
    margin: 0;
  }

  [part~='idea-title'] {
    font-size: 1.1em;
  }

  ${linkStyles}

  .category,
  .badge {
    display: inline-block;
    padding: 0.1em 0.5em;
    border: 1px solid ${border};
    border-radius: 1em;
    font-size: 0.9em;
  }

  /* The colour is a second cue beside the label, never the only one. */
  .category::before {
    content: '';
    display: inline-block;
    inline-size: 0.75em;
    block-size: 0.75em;
    margin-inline-end: 0.35em;
    border-radius: 50%;
    background: var(--category-color, ${border});
    vertical-align: -0.05em;
  }

  .badge {
    font-weight: bold;
  }

  .badge[data-status='accepted'],
  .badge[data-status='done'] {
    border-color: var(--civic-color-success, #1b7a3d);
    color: var(--civic-color-success, #1b7a3d);
  }

  .badge[data-status='rejected'] {
    border-color: ${danger};
    color: ${danger};
  }

  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: calc(${space} / 2) ${space};
    align-items: center;
    margin: 0;
  }

  [part~='body'],
  .excerpt {
    overflow-wrap: anywhere;
  }

  [part~='body'] ul,
  [part~='body'] ol {
    padding-inline-start: 1.5em;
  }

  .image {
    display: block;
    max-inline-size: 100%;
    block-size: auto;
    border-radius: ${radius};
  }

  [part~='answer'] {
    padding: calc(${space} * 1.5);
    border: 1px solid ${border};
    border-inline-start: 0.375em solid ${primary};
    border-radius: ${radius};
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

  ${widgetStyles.invalid}

  [part~='preview'],
  [part~='similar'] {
    padding: ${space};
    border: 1px dashed ${border};
    border-radius: ${radius};
  }

  [part~='similar'] ul {
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: ${space};
  }

  [part~='similar'] li {
    display: flex;
    flex-wrap: wrap;
    gap: ${space};
    align-items: center;
    justify-content: space-between;
  }

  ${widgetStyles.status}

  @media (forced-colors: active) {
    [aria-pressed='true'] {
      outline: 0.125em solid Highlight;
    }
    .category::before {
      forced-color-adjust: none;
    }
  }
`;
