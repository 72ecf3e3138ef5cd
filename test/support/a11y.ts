import { expect } from '@open-wc/testing';
import { focused, press, type Widget } from './widgets.js';

/**
 * The name a control's content gives it (with its visually hidden text), white space collapsed:
 * what a screen reader's list of buttons shows for the controls of these widgets.
 */
export function nameOf(control: Element): string {
  return (control.getAttribute('aria-label') ?? control.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The text a control shows, without its visually hidden words. */
export function visibleText(control: Element): string {
  const copy = control.cloneNode(true) as Element;
  copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The visible label is in the name (WCAG 2.5.3), and no two of the controls share a name. */
export function expectDistinctNames(controls: Element[], visible: RegExp): string[] {
  const names = controls.map(nameOf);
  expect(names.length, 'no controls to compare').to.be.greaterThan(1);
  for (const name of names) expect(name).to.match(visible);
  expect(new Set(names).size, `names repeat: ${names.join(' | ')}`).to.equal(names.length);
  return names;
}

/** The headings of a widget, as [level, text], in document order. */
export function outline(el: Element): Array<[number, string]> {
  return [...el.shadowRoot!.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => [
    Number(h.tagName[1]),
    (h.textContent ?? '').replace(/\s+/g, ' ').trim(),
  ]);
}

/** No heading is more than one level below the heading before it. */
export function expectNoSkippedLevel(headings: Array<[number, string]>): void {
  headings.reduce((previous, [level, title]) => {
    expect(level, `"${title}" (h${level}) after an h${previous}`).to.be.at.most(previous + 1);
    return level;
  }, headings[0]?.[0] ?? 2);
}

/**
 * With the keyboard: Tab from a button before the widget reaches its "skip past" link first, which
 * shows; Enter moves focus to the widget's end, and the next Tab reaches the button after it.
 */
export async function expectSkipPast(el: Widget, words: RegExp): Promise<void> {
  const before = document.createElement('button');
  before.textContent = 'before';
  const after = document.createElement('button');
  after.textContent = 'after';
  el.before(before);
  el.after(after);
  try {
    before.focus();
    await press('Tab');
    const link = focused(el) as HTMLAnchorElement | null;
    expect(link?.matches('a.skip-past'), `focused ${link?.outerHTML}`).to.be.true;
    expect(link!.textContent).to.match(words);
    expect(link!.getBoundingClientRect().width, 'the link shows while focused').to.be.greaterThan(10);
    await press('Enter');
    await el.updateComplete;
    const end = focused(el);
    expect(end?.id).to.equal('skip-end');
    expect(end!.getBoundingClientRect().width, 'the end shows while focused').to.be.greaterThan(10);
    await press('Tab');
    expect(document.activeElement === after, `Tab went to ${document.activeElement?.tagName} ${focused(el)?.outerHTML}`).to.be.true;
  } finally {
    before.remove();
    after.remove();
  }
}
