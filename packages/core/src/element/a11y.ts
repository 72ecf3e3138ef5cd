import { css, html, nothing, type TemplateResult } from 'lit';

/*
 * Pieces of accessible forms and page paths that several widgets share. They take their words
 * from the widget, which translates them: the widget's own locale file holds every string it shows.
 */

/** What to say after the label of a required field, e.g. "(required)". */
export function requiredMark(words: string): TemplateResult {
  return html` <span class="required">${words}</span>`;
}

export interface ErrorSummaryItem {
  /** The id of the control to fix: the summary's link moves focus there. */
  id: string;
  label: string;
  error: string;
}

/**
 * The list of fields to fix, shown above a form that was refused. The widget moves focus to it
 * (`#<id>`, tabindex -1); each entry is a link that moves focus to its field.
 */
export function errorSummary(root: ParentNode, title: string, items: ErrorSummaryItem[], id = 'error-summary'): TemplateResult | typeof nothing {
  if (items.length === 0) return nothing;
  return html`<div id=${id} part="error-summary" class="error-summary" tabindex="-1" role="alert" aria-labelledby=${`${id}-title`}>
    <p id=${`${id}-title`}><strong>${title}</strong></p>
    <ul>
      ${items.map(
        (item) => html`<li>
          <a
            href=${`#${item.id}`}
            @click=${(event: Event) => {
              event.preventDefault();
              root.querySelector<HTMLElement>(`#${CSS.escape(item.id)}`)?.focus();
            }}
            >${item.label}: ${item.error}</a
          >
        </li>`,
      )}
    </ul>
  </div>`;
}

const SKIP_END = 'skip-end';

/**
 * A link at the start of a long widget that takes keyboard users past it: focus moves to the
 * widget's last element (see `skipPastEnd`), so that the next Tab reaches what follows the widget
 * on the page.
 */
export function skipPast(words: string): TemplateResult {
  return html`<a part="skip-past" class="skip-past" href=${`#${SKIP_END}`} @click=${(event: Event) => {
    event.preventDefault();
    const link = event.currentTarget as Element;
    const end = (link.getRootNode() as ParentNode).querySelector<HTMLElement>(`#${SKIP_END}`);
    if (!end) return;
    // Tab stop while it has focus: Chromium goes on from an element with tabindex -1 to the start
    // of the widget rather than to what follows it.
    end.tabIndex = 0;
    end.addEventListener('blur', () => (end.tabIndex = -1), { once: true });
    end.focus();
  }}>${words}</a>`;
}

/** The end of the widget, where `skipPast` takes focus; visible only while it has focus. */
export function skipPastEnd(words: string): TemplateResult {
  return html`<p id=${SKIP_END} class="skip-past" tabindex="-1">${words}</p>`;
}

/** Required marks and the error summary. */
export const formHelpStyles = css`
  .required {
    font-weight: normal;
    color: var(--civic-color-muted, #595959);
  }

  .error-summary {
    padding: calc(var(--civic-space, 0.5em) * 1.5);
    border: 2px solid var(--civic-color-danger, #b3261e);
    border-radius: var(--civic-radius, 0.25em);
  }

  .error-summary ul {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .error-summary a {
    color: var(--civic-color-danger, #b3261e);
  }
`;

/** The skip link and the end mark while they have focus; until then base styles hide them. */
export const skipPastStyles = css`
  .skip-past:focus {
    display: inline-block;
    margin: 0;
    padding: calc(var(--civic-space, 0.5em) / 2);
  }
`;
