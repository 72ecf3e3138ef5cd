import { css, html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { MapCategory, MapReportStatus } from '@civic-widgets/core';

/*
 * How a category and a status look, on the map and in the legend and list alike. Colour is never
 * the only cue: each category has a glyph (its icon, else its initial) and a shape, and each
 * status a border style, so that the marks read in greyscale, in forced colours and for people who
 * do not tell the council's colours apart.
 */

export type MarkShape = 'circle' | 'square' | 'diamond';
const SHAPES: MarkShape[] = ['circle', 'square', 'diamond'];

export function shapeOf(categories: MapCategory[], id: string): MarkShape {
  const index = categories.findIndex((category) => category.id === id);
  return SHAPES[Math.max(0, index) % SHAPES.length]!;
}

/** The category's icon, one or two characters, else the initial of its label. */
export function glyphOf(category: MapCategory | undefined): string {
  const icon = category?.icon?.trim();
  if (icon) return [...icon].slice(0, 2).join('');
  return [...(category?.label.trim() ?? '?')][0]?.toLocaleUpperCase() ?? '?';
}

/** A colour given by the council, only when it is one: a hostile value never reaches a style. */
function colourOf(category: MapCategory | undefined) {
  const colour = category?.color;
  return colour && CSS.supports('color', colour) ? styleMap({ '--mark-color': colour }) : nothing;
}

/** The mark of a category (and a status, on the map and in the list); decorative: text says the same. */
export function mark(categories: MapCategory[], categoryId: string, status?: MapReportStatus): TemplateResult {
  const category = categories.find((item) => item.id === categoryId);
  return html`<span class="mark" data-shape=${shapeOf(categories, categoryId)} data-status=${status ?? 'open'} style=${colourOf(category)} aria-hidden="true"
    ><span class="glyph">${glyphOf(category)}</span></span
  >`;
}

export const markStyles = css`
  .mark {
    --mark-size: 1.75em;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    box-sizing: border-box;
    inline-size: var(--mark-size);
    block-size: var(--mark-size);
    flex: none;
    border: 0.2em solid var(--mark-color, #595959);
    background: #fff;
    color: #1a1a1a;
    font-weight: bold;
    font-size: 1em;
    line-height: 1;
    vertical-align: middle;
  }

  .mark[data-shape='circle'] {
    border-radius: 50%;
  }

  .mark[data-shape='square'] {
    border-radius: 0.15em;
  }

  .mark[data-shape='diamond'] {
    transform: rotate(45deg) scale(0.85);
  }

  .mark[data-shape='diamond'] .glyph {
    transform: rotate(-45deg);
  }

  .glyph {
    font-size: 0.8em;
  }

  /* Statuses: solid open, double acknowledged, dashed in progress, dotted and faded closed. */
  .mark[data-status='acknowledged'] {
    border-style: double;
    border-width: 0.3em;
  }

  .mark[data-status='in-progress'] {
    border-style: dashed;
  }

  .mark[data-status='closed'] {
    border-style: dotted;
    color: #595959;
  }

  @media (forced-colors: active) {
    .mark {
      border-color: CanvasText;
      background: Canvas;
      color: CanvasText;
    }
  }
`;
