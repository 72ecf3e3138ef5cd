/**
 * Moves focus after a widget re-rendered: to `wanted` when one was asked for, else to `fallback`
 * when the control that had focus before the update went away, so that focus never falls back to
 * `<body>` and a keyboard user never loses their place.
 */
export function focusAfterRender(
  root: ParentNode,
  wanted: string | undefined,
  focusedBefore: Element | null | undefined,
  fallback: string,
): void {
  const lost = focusedBefore && !focusedBefore.isConnected;
  if (!wanted && !lost) return;
  const target = (wanted && root.querySelector<HTMLElement>(wanted)) || root.querySelector<HTMLElement>(fallback);
  target?.focus();
}
