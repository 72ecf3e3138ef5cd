import { expect } from '@open-wc/testing';
import { setLocale } from '@civic-widgets/core';
import { newPageOutbox, type Widget } from './widgets.js';

export interface State<E extends Widget> {
  name: string;
  /** Brings the widget into the state and checks that it is there. */
  reach(): Promise<E>;
}

/**
 * In English then in French, on a fresh page each time, reaches every state and checks that the
 * widget shows something and that axe finds no violation; `inFrench` adds the French checks.
 */
export function describeStates<E extends Widget>(
  tag: string,
  states: State<E>[],
  { title = 'without axe violations', inFrench }: { title?: string; inFrench?: (el: E) => void } = {},
): void {
  for (const locale of ['en', 'fr']) {
    describe(`<${tag}> states in ${locale}`, () => {
      before(async () => {
        await setLocale(locale);
      });
      after(() => setLocale('en'));
      beforeEach(() => {
        newPageOutbox();
        localStorage.clear();
      });

      for (const state of states) {
        it(`${state.name}: ${title}`, async () => {
          const el = await state.reach();
          await el.updateComplete;
          expect(el.shadowRoot!.textContent!.trim()).not.to.equal('');
          await expect(el).to.be.accessible();
          if (locale === 'fr') inFrench?.(el);
        });
      }
    });
  }
}
