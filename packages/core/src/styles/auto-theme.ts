/*
 * theme="auto": a widget takes the fonts and colours of the page around it, read once when it is
 * connected. Each value is read where the widget sits (its inherited font and colour, the first
 * opaque background behind it, links near it), so that a widget in a dark footer matches the
 * footer rather than the page body.
 */

type Rgba = readonly [number, number, number, number];

const themed = new WeakSet<HTMLElement>();

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as sRGB bytes and alpha; undefined when the browser cannot tell. */
function toRgba(color: string): Rgba | undefined {
  const match = /^rgba?\(([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\)$/.exec(color.trim());
  if (match) {
    const alpha = match[4] === undefined ? 1 : match[4].endsWith('%') ? parseFloat(match[4]) / 100 : parseFloat(match[4]);
    return [Number(match[1]), Number(match[2]), Number(match[3]), alpha];
  }
  // Computed colours in other spaces (oklch(), color()) are converted by painting one pixel.
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return undefined;
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a / 255];
}

function luminance([r, g, b]: Rgba): number {
  const channel = (v: number): number => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const rgb = ([r, g, b]: Rgba): string => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
const WHITE: Rgba = [255, 255, 255, 1];
const BLACK: Rgba = [0, 0, 0, 1];

/** The parent in the flat tree, stepping out of shadow roots. */
function parentOf(element: Element): Element | null {
  return element.parentElement ?? ((element.getRootNode() as ShadowRoot).host || null);
}

/** The first opaque background behind an element, white when the page paints none. */
function backgroundBehind(element: Element): Rgba {
  for (let node: Element | null = element; node; node = parentOf(node)) {
    const color = toRgba(getComputedStyle(node).backgroundColor);
    if (color && color[3] >= 0.99) return color;
  }
  return WHITE;
}

function linkColour(host: HTMLElement): string {
  for (let node: Element | null = parentOf(host); node; node = parentOf(node)) {
    const link = node.querySelector('a[href]');
    if (link) return getComputedStyle(link).color;
  }
  const link = document.createElement('a');
  link.href = '#';
  document.body.append(link);
  try {
    return getComputedStyle(link).color;
  } finally {
    link.remove();
  }
}

/** The background of the site's own main button, when it has one that stands out. */
function buttonColour(surface: Rgba): Rgba | undefined {
  const candidates = document.querySelectorAll('[type=submit], .button, .btn, button');
  for (const button of candidates) {
    const color = toRgba(getComputedStyle(button).backgroundColor);
    // Unstyled buttons are pale greys: only a colour that reads as a control counts (3:1).
    if (color && color[3] >= 0.99 && contrastRatio(color, surface) >= 3) return color;
  }
  return undefined;
}

/** The mix of text and surface closest to the surface that still reaches a contrast ratio. */
function mixFor(text: Rgba, surface: Rgba, ratio: number): Rgba {
  for (let weight = 0.5; weight < 1; weight += 0.05) {
    const mixed = text.map((v, i) => v * weight + surface[i] * (1 - weight)) as unknown as Rgba;
    if (contrastRatio(mixed, surface) >= ratio) return [mixed[0], mixed[1], mixed[2], 1];
  }
  return text;
}

/**
 * Reads the page's font, text, background, link and button colours around `host`, once, and
 * sets the matching `--civic-*` tokens on its inline style. A token the site has set already,
 * on the element or above it, is left as it is.
 */
export function applyAutoTheme(host: HTMLElement): void {
  if (themed.has(host) || !host.isConnected) return;
  themed.add(host);
  const computed = getComputedStyle(host);
  const surface = backgroundBehind(parentOf(host) ?? host);
  const text = toRgba(computed.color) ?? BLACK;
  const primary = buttonColour(surface) ?? toRgba(linkColour(host)) ?? text;
  const onPrimary = contrastRatio(primary, WHITE) >= contrastRatio(primary, BLACK) ? WHITE : BLACK;
  const tokens: Record<string, string> = {
    '--civic-font-family': computed.fontFamily,
    '--civic-color-text': rgb(text),
    '--civic-color-surface': rgb(surface),
    '--civic-color-primary': rgb(primary),
    '--civic-color-on-primary': rgb(onPrimary),
    // The default greys are made for white pages: derive these from the page's own colours.
    '--civic-color-muted': rgb(mixFor(text, surface, 4.5)),
    '--civic-color-border': rgb(mixFor(text, surface, 3)),
  };
  for (const [name, value] of Object.entries(tokens)) {
    if (!computed.getPropertyValue(name).trim()) host.style.setProperty(name, value);
  }
}
