import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TEMPLATES_MERGED_EVENT, getLocale, initLocale } from './locale.js';

const LOCALE_STATUS_EVENT = 'lit-localize-status';

/**
 * Keeps a widget in the active locale: starts locale detection when the widget connects and
 * re-renders it when the locale changes or late translations arrive. It also sets `lang` on the
 * host when the widget speaks another language than the page around it, so that screen readers
 * pronounce it right; a `lang` the page author set is left alone.
 */
export class LocaleController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private langSetHere = false;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host;
    host.addController(this);
  }

  /** The locale the host renders in. */
  get locale(): string {
    return getLocale();
  }

  hostConnected(): void {
    window.addEventListener(LOCALE_STATUS_EVENT, this.onStatus);
    window.addEventListener(TEMPLATES_MERGED_EVENT, this.onMerged);
    this.syncLang();
    // A failed load is announced by the status event; the widget keeps its English strings.
    initLocale().catch(() => undefined);
  }

  hostDisconnected(): void {
    window.removeEventListener(LOCALE_STATUS_EVENT, this.onStatus);
    window.removeEventListener(TEMPLATES_MERGED_EVENT, this.onMerged);
  }

  private readonly onStatus = (event: Event): void => {
    if ((event as CustomEvent<{ status: string }>).detail.status !== 'ready') return;
    this.syncLang();
    this.host.requestUpdate();
  };

  private readonly onMerged = (event: Event): void => {
    if ((event as CustomEvent<{ locale: string }>).detail.locale === getLocale()) {
      this.host.requestUpdate();
    }
  };

  private syncLang(): void {
    const host = this.host;
    if (host.hasAttribute('lang') && !this.langSetHere) return;
    const locale = getLocale();
    const around = host.parentElement?.closest('[lang]')?.getAttribute('lang') ?? '';
    const sameLanguage = around.toLowerCase().split(/[-_]/)[0] === locale;
    if (sameLanguage) {
      if (this.langSetHere) host.removeAttribute('lang');
      this.langSetHere = false;
    } else {
      host.setAttribute('lang', locale);
      this.langSetHere = true;
    }
  }
}
