import { loadingRoom } from '@civic-widgets/core';
import { css } from 'lit';

/*
 * Sizes in em so that the poll follows the page's text size and zoom; targets at least 44 px
 * (2.75em at 16 px); everything wraps down to 320 px wide.
 */

export const space = css`var(--civic-space, 0.5em)`;
export const muted = css`var(--civic-color-muted, #595959)`;
export const border = css`var(--civic-color-border, #8a8a8a)`;
export const primary = css`var(--civic-color-primary, #1f5fa6)`;
export const radius = css`var(--civic-radius, 0.25em)`;

/** Shared by the poll and its sub-elements: hints, option rows. */
export const shared = css`
  p {
    margin: 0 0 ${space};
  }

  .hint,
  .description {
    color: ${muted};
    font-size: 0.9em;
  }

  .description {
    display: block;
  }
`;

export const pollStyles = [
  shared,
  css`
    .poll {
      display: grid;
      gap: calc(${space} * 2);
    }

    header {
      display: grid;
      gap: ${space};
    }

    [part~='description'] > :last-child {
      margin-bottom: 0;
    }

    [part~='dates'] {
      color: ${muted};
    }

    [part~='notice'] {
      border-inline-start: 0.25em solid ${border};
      padding-inline-start: calc(${space} * 1.5);
      font-size: 0.9em;
    }

    [part~='notice'] p:last-child {
      margin-bottom: 0;
    }

    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
      min-inline-size: 0;
    }

    legend {
      padding: 0;
      margin-bottom: ${space};
      font-weight: bold;
    }

    form {
      display: grid;
      gap: calc(${space} * 1.5);
    }

    .options {
      display: grid;
      gap: ${space};
    }

    .option {
      display: flex;
      align-items: flex-start;
      gap: ${space};
      min-block-size: 2.75em;
      padding: calc(${space} * 0.75) ${space};
      border: 1px solid ${border};
      border-radius: ${radius};
      cursor: pointer;
      box-sizing: border-box;
    }

    .option:has(input:checked) {
      border-color: ${primary};
      box-shadow: inset 0 0 0 1px ${primary};
    }

    input[type='radio'],
    input[type='checkbox'] {
      inline-size: 1.25em;
      block-size: 1.25em;
      margin: 0.1em 0 0;
      flex: none;
      accent-color: ${primary};
    }

    [part~='other'] {
      display: grid;
      gap: calc(${space} / 2);
    }

    input[type='text'] {
      min-block-size: 2.75em;
      box-sizing: border-box;
      inline-size: 100%;
    }

    [aria-invalid='true'] {
      border-color: var(--civic-color-danger, #b3261e);
    }

    .field-error {
      color: var(--civic-color-danger, #b3261e);
      font-weight: bold;
    }

    .rating + .rating {
      margin-top: calc(${space} * 2);
    }

    .rating legend {
      font-weight: normal;
    }

    .scale {
      display: flex;
      flex-wrap: wrap;
      gap: ${space};
    }

    .scale label {
      flex: 1 1 4.5em;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: calc(${space} / 2);
      min-block-size: 2.75em;
      padding: calc(${space} * 0.75) calc(${space} / 2);
      border: 1px solid ${border};
      border-radius: ${radius};
      text-align: center;
      cursor: pointer;
    }

    .scale label:has(input:checked) {
      border-color: ${primary};
      box-shadow: inset 0 0 0 1px ${primary};
    }

    .scale-label {
      font-size: 0.85em;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: ${space};
      align-items: center;
    }

    button {
      min-block-size: 2.75em;
      min-inline-size: 2.75em;
    }

    [part~='status']:empty {
      display: none;
    }

    ${loadingRoom}

    .outcome {
      display: grid;
      gap: ${space};
      padding: calc(${space} * 1.5);
      border: 1px solid ${border};
      border-inline-start: 0.375em solid var(--civic-color-success, #1b7a3d);
      border-radius: ${radius};
    }

    .outcome[data-status='waiting'] {
      border-inline-start-color: var(--civic-color-warning, #8a5a00);
    }

    .outcome ul,
    .outcome ol {
      margin: 0;
      padding-inline-start: 1.5em;
    }

    .loading {
      color: ${muted};
    }

    .error {
      padding: calc(${space} * 1.5);
      border: 1px solid var(--civic-color-danger, #b3261e);
      border-inline-start-width: 0.375em;
      border-radius: ${radius};
    }

    .error p:last-of-type {
      margin-bottom: 0;
    }

    .error button {
      margin-top: ${space};
    }

    @media (forced-colors: active) {
      .option:has(input:checked),
      .scale label:has(input:checked) {
        outline: 0.125em solid Highlight;
      }
    }
  `,
];
