import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface HeadingOptions {
  id?: string;
  part?: string;
  /** Lets a script move focus to the heading (tabindex=-1), e.g. after submitting. */
  focusable?: boolean;
}

/**
 * A real heading (h2–h6) at the level the page needs: pages embedding a widget own their outline.
 * A switch of static tags keeps Lit's templates static, without `unsafeStatic`.
 */
export function heading(level: number, content: unknown, { id, part, focusable }: HeadingOptions = {}): TemplateResult {
  const tabindex = focusable ? '-1' : undefined;
  switch (Math.min(6, Math.max(2, Math.round(level) || 2))) {
    case 3:
      return html`<h3 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h3>`;
    case 4:
      return html`<h4 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h4>`;
    case 5:
      return html`<h5 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h5>`;
    case 6:
      return html`<h6 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h6>`;
    default:
      return html`<h2 id=${ifDefined(id)} part=${ifDefined(part)} tabindex=${ifDefined(tabindex)}>${content}</h2>`;
  }
}
