import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { msg } from '@lit/localize';
import {
  CivicElement,
  LocaleController,
  TEMPLATES_MERGED_EVENT,
  detectLocale,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatRelative,
  getLocale,
  initLocale,
  matchLocale,
  plural,
  registerTranslations,
  setLocale,
  setRequestedLocale,
} from '@civic-widgets/core';

class LocalizedProbe extends LitElement {
  readonly locale = new LocaleController(this);
  override render() {
    return html`<p>${msg('Early hello', { id: 'test_early' })}</p><p>${msg('Late hello', { id: 'test_late' })}</p>`;
  }
}
customElements.define('localized-probe', LocalizedProbe);

class WidgetProbe extends CivicElement {
  override render() {
    return html`<p>${msg('Slow hello', { id: 'test_slow' })}</p><p>${msg('Stuck hello', { id: 'test_stuck' })}</p>`;
  }
}
customElements.define('widget-probe', WidgetProbe);

/** A translation load that finishes when the test says so. */
function deferredLoader(templates: Record<string, string>) {
  let finish!: () => void;
  const loaded = new Promise<void>((resolve) => (finish = resolve));
  return { load: async () => (await loaded, { templates }), finish };
}

const texts = (el: Element) => [...el.shadowRoot!.querySelectorAll('p')].map((p) => p.textContent);
const DAY = 24 * 60 * 60 * 1000;

describe('locale', () => {
  const pageLang = document.documentElement.lang;
  after(() => {
    document.documentElement.lang = pageLang;
  });

  // These run before any locale is loaded: setRequestedLocale only records the request then.
  describe('detection', () => {
    afterEach(() => setRequestedLocale(undefined));

    it('matches region and case variants to a supported locale', () => {
      expect(matchLocale('fr-FR')).to.equal('fr');
      expect(matchLocale('FR_ca')).to.equal('fr');
      expect(matchLocale('en-GB')).to.equal('en');
      expect(matchLocale('de')).to.equal(undefined);
      expect(matchLocale('')).to.equal(undefined);
    });

    it('takes the configured locale first', () => {
      document.documentElement.lang = 'fr-FR';
      setRequestedLocale('en');
      expect(detectLocale()).to.equal('en');
    });

    it('then the page language', () => {
      document.documentElement.lang = 'fr-FR';
      expect(detectLocale()).to.equal('fr');
    });

    it('falls back to English for an unsupported or missing language', () => {
      document.documentElement.lang = 'de';
      expect(detectLocale()).to.equal('en');
      setRequestedLocale('nl');
      expect(detectLocale()).to.equal('en');
      document.documentElement.lang = '';
      setRequestedLocale(undefined);
      expect(detectLocale()).to.equal('en');
    });
  });

  describe('translations', () => {
    it('loads packages registered before the locale, in the detected locale', async () => {
      registerTranslations('test-early', { fr: async () => ({ templates: { test_early: 'Bonjour tôt' } }) });
      document.documentElement.lang = 'fr';
      expect(getLocale()).to.equal('en');
      await initLocale();
      expect(getLocale()).to.equal('fr');
      const probe = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      expect(texts(probe)).to.deep.equal(['Bonjour tôt', 'Late hello']);
    });

    it('merges a package registered after its locale was loaded and re-renders', async () => {
      const probe = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      let merged = false;
      window.addEventListener(TEMPLATES_MERGED_EVENT, () => (merged = true), { once: true });
      await registerTranslations('test-late', { fr: async () => ({ templates: { test_late: 'Bonjour tard' } }) });
      expect(merged).to.equal(true);
      await waitUntil(() => texts(probe)[1] === 'Bonjour tard', 'late templates were not rendered');
      expect(texts(probe)).to.deep.equal(['Bonjour tôt', 'Bonjour tard']);
    });

    it("holds a widget's first render until its translations have come, so that English never flashes", async () => {
      const slow = deferredLoader({ test_slow: 'Bonjour lent' });
      void registerTranslations('test-slow', { fr: slow.load });
      const probe = document.createElement('widget-probe') as WidgetProbe;
      document.body.append(probe);
      await new Promise((r) => setTimeout(r, 100));
      expect(probe.hasUpdated).to.equal(false);
      expect(probe.shadowRoot?.textContent ?? '').to.equal('');
      slow.finish();
      await probe.updateComplete;
      expect(texts(probe)).to.deep.equal(['Bonjour lent', 'Stuck hello']);
      probe.remove();
    });

    it('renders in English rather than nothing when translations are too slow', async () => {
      const stuck = deferredLoader({ test_stuck: 'Bonjour coincé' });
      void registerTranslations('test-stuck', { fr: stuck.load });
      const started = performance.now();
      const probe = document.createElement('widget-probe') as WidgetProbe;
      document.body.append(probe);
      await probe.updateComplete;
      const waited = performance.now() - started;
      expect(waited).to.be.within(2900, 4000);
      expect(texts(probe)).to.deep.equal(['Bonjour lent', 'Stuck hello']);
      stuck.finish();
      await waitUntil(() => texts(probe)[1] === 'Bonjour coincé', 'late templates were not rendered');
      probe.remove();
    });

    it('switches rendered widgets with setLocale and marks their language', async () => {
      const probe = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      expect(probe.hasAttribute('lang')).to.equal(false);
      await setLocale('en-GB');
      await probe.updateComplete;
      expect(texts(probe)).to.deep.equal(['Early hello', 'Late hello']);
      // The page says French but the widget speaks English: screen readers must know.
      expect(probe.getAttribute('lang')).to.equal('en');
      await setLocale('fr');
      await probe.updateComplete;
      expect(texts(probe)[0]).to.equal('Bonjour tôt');
      expect(probe.hasAttribute('lang')).to.equal(false);
    });

    it('follows a locale configured after widgets were shown', async () => {
      const probe = await fixture<LocalizedProbe>(html`<localized-probe></localized-probe>`);
      setRequestedLocale('en');
      await waitUntil(() => texts(probe)[0] === 'Early hello', 'configured locale was not applied');
      expect(getLocale()).to.equal('en');
      setRequestedLocale('fr');
      await waitUntil(() => texts(probe)[0] === 'Bonjour tôt', 'configured locale was not applied');
      setRequestedLocale(undefined);
    });

    it('stays in English for a package whose translations fail to load', async () => {
      await registerTranslations('test-broken', { fr: () => Promise.reject(new Error('offline')) }).catch(() => undefined);
      await setLocale('en');
      await setLocale('fr');
      expect(getLocale()).to.equal('fr');
      expect(msg('Early hello', { id: 'test_early' })).to.equal('Bonjour tôt');
      expect(msg('Not translated', { id: 'test_missing' })).to.equal('Not translated');
      // Core's own strings come in French with every widget.
      expect(msg('Try again')).to.equal('Réessayer');
    });
  });

  describe('formatting', () => {
    const march3 = new Date(2027, 2, 3, 18, 30);

    it('formats in English', async () => {
      await setLocale('en');
      expect(formatNumber(1234.5)).to.equal('1,234.5');
      expect(formatPercent(0.1234)).to.equal('12%');
      expect(formatPercent(0.1256, { maximumFractionDigits: 1 })).to.equal('12.6%');
      expect(formatDate(march3)).to.equal('March 3, 2027');
      expect(formatDateTime(march3)).to.match(/^March 3, 2027(,| at) 6:30\sPM$/);
      expect(formatDate(march3.toISOString())).to.equal('March 3, 2027');
    });

    it('formats in French, with the no-break spaces of French typography', async () => {
      await setLocale('fr');
      expect(formatNumber(1234.5)).to.equal('1\u202f234,5');
      // CLDR puts a no-break space before %: U+00A0 or the narrow U+202F, by browser version.
      expect(formatPercent(0.1234)).to.match(/^12[\u00a0\u202f]%$/);
      expect(formatDate(march3)).to.equal('3 mars 2027');
      expect(formatDateTime(march3)).to.match(/^3 mars 2027( à|,) 18:30$/);
    });

    it('says how far a date is with a fitting unit', async () => {
      const now = new Date(2027, 2, 3, 12, 0);
      const at = (ms: number) => new Date(now.getTime() + ms);
      await setLocale('en');
      expect(formatRelative(at(3 * DAY), now)).to.equal('in 3 days');
      expect(formatRelative(at(-2 * 60 * 60 * 1000), now)).to.equal('2 hours ago');
      expect(formatRelative(at(DAY), now)).to.equal('tomorrow');
      expect(formatRelative(at(-5 * 60 * 1000), now)).to.equal('5 minutes ago');
      expect(formatRelative(at(14 * DAY), now)).to.equal('in 2 weeks');
      expect(formatRelative(at(-90 * DAY), now)).to.equal('3 months ago');
      expect(formatRelative(at(-800 * DAY), now)).to.equal('2 years ago');
      expect(formatRelative(now, now)).to.equal('now');
      await setLocale('fr');
      expect(formatRelative(at(3 * DAY), now)).to.equal('dans 3 jours');
      expect(formatRelative(at(-2 * 60 * 60 * 1000), now)).to.equal('il y a 2 heures');
      expect(formatRelative(at(DAY), now)).to.equal('demain');
    });

    it('chooses plural forms by the rules of the locale', async () => {
      const forms = { one: 'one', other: 'other' };
      await setLocale('en');
      expect([0, 1, 2].map((n) => plural(n, forms))).to.deep.equal(['other', 'one', 'other']);
      expect(plural(0, { ...forms, zero: 'none' })).to.equal('none');
      await setLocale('fr');
      // French counts 0 and 1 as singular.
      expect([0, 1, 1.5, 2].map((n) => plural(n, forms))).to.deep.equal(['one', 'one', 'one', 'other']);
      expect(plural(0, { ...forms, zero: 'aucun' })).to.equal('aucun');
      expect(plural(5, { other: 'autres' })).to.equal('autres');
    });
  });
});
