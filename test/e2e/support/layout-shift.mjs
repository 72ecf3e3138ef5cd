// Layout shift of a page while its widgets load, measured two ways (see bench/page.mjs):
// Chromium's layout-shift entries, and the Layout Instability formula applied frame by frame to
// the page's own blocks, which works in Firefox too. Runs in the page, before its scripts
// (`page.evaluateOnNewDocument(observeShifts)`); the figures are in `window.__shifts`.

/** In the page, before its scripts: records layout-shift entries and the page's blocks each frame. */
export function observeShifts() {
  const record = (window.__shifts = { cls: 0, supported: false, shift: 0 });
  // Firefox has no layout-shift entries (and observing them does not throw).
  if (PerformanceObserver.supportedEntryTypes?.includes('layout-shift')) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) record.cls += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
    record.supported = true;
  }
  // What moves before the page is first shown is no shift anyone sees.
  let shown = false;
  try {
    new PerformanceObserver((list) => {
      if (list.getEntries().some((entry) => entry.name === 'first-contentful-paint')) shown = true;
    }).observe({ type: 'paint', buffered: true });
  } catch {
    shown = true;
  }
  let previous;
  const frame = () => {
    const blocks = document.querySelectorAll('main > *, footer');
    const width = innerWidth;
    const height = innerHeight;
    const now = new Map();
    for (const block of blocks) now.set(block, block.getBoundingClientRect());
    if (previous && shown) {
      let impact = 0;
      let distance = 0;
      for (const [block, rect] of now) {
        const before = previous.get(block);
        if (!before || (before.top === rect.top && before.left === rect.left)) continue;
        const visible = (r) => Math.max(0, Math.min(r.bottom, height) - Math.max(r.top, 0)) * Math.max(0, Math.min(r.right, width) - Math.max(r.left, 0));
        if (visible(before) === 0 && visible(rect) === 0) continue;
        // The union of where the block was and is, within the viewport.
        const union = { top: Math.min(before.top, rect.top), bottom: Math.max(before.bottom, rect.bottom), left: Math.min(before.left, rect.left), right: Math.max(before.right, rect.right) };
        impact += visible(union);
        distance = Math.max(distance, Math.hypot(rect.top - before.top, rect.left - before.left));
      }
      if (impact > 0) record.shift += Math.min(1, impact / (width * height)) * Math.min(1, distance / Math.max(width, height));
    }
    previous = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

