import { LitElement, html, nothing, type CSSResultGroup, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { ParticipationAdapter } from '../contract/adapter.js';
import type { CivicError } from '../contract/errors.js';
import { adminDetails, describeError } from '../errors-text.js';
import { LocaleController } from '../i18n/index.js';
import { translationsSettled } from '../i18n/locale.js';
import { baseStyles } from '../styles/base.styles.js';

/** Version of the family, compared by `define()` when a tag is already registered. */
export const CIVIC_VERSION = '0.1.0';

type DetailOf<K extends keyof HTMLElementEventMap> =
  HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/** The detail of `civic-error`, fired by every widget when it shows an error. */
export interface CivicErrorDetail {
  error: CivicError;
  /** What the widget was doing: `load`, `submit`, … */
  during: string;
}

// Every widget fires it: typed for `addEventListener` on the document or any element.
declare global {
  interface GlobalEventHandlersEventMap {
    'civic-error': CustomEvent<CivicErrorDetail>;
  }
}

/**
 * Base of every civic widget: host-inheriting styles, locale, adapter properties, a typed `emit`
 * for the public `civic-*` events, and a guarded `define`.
 *
 * @cssprop --civic-color-primary - Buttons, selected options, bars.
 * @cssprop --civic-color-on-primary - Text on the primary colour.
 * @cssprop --civic-color-text - Text colour when the host's is not wanted.
 * @cssprop --civic-color-muted - Secondary text.
 * @cssprop --civic-color-surface - Background of cards and panels.
 * @cssprop --civic-color-border - Borders and separators.
 * @cssprop --civic-color-success - Confirmation messages.
 * @cssprop --civic-color-warning - Waiting states.
 * @cssprop --civic-color-danger - Errors.
 * @cssprop --civic-radius - Corner radius.
 * @cssprop --civic-space - Base spacing unit.
 * @cssprop --civic-focus-ring - Outline of focused controls.
 * @cssprop --civic-font-family - Font; inherits the host's by default.
 * @cssprop --civic-font-size - Base size; 1em by default.
 */
export class CivicElement extends LitElement {
  static override styles: CSSResultGroup = baseStyles;

  /** Registers `tag` once; a no-op if this version is there already, a warning if another is. */
  static define(tag: string): void {
    const existing = customElements.get(tag) as (CustomElementConstructor & { civicVersion?: string }) | undefined;
    if (!existing) {
      customElements.define(tag, this);
      return;
    }
    if (existing === this || existing.civicVersion === CIVIC_VERSION) return;
    console.warn(
      `[civic-widgets] <${tag}> is already defined by version ${existing.civicVersion ?? 'unknown'}; ` +
        `version ${CIVIC_VERSION} was not registered. Load the widgets once per page.`,
    );
  }

  static civicVersion = CIVIC_VERSION;

  protected readonly localeController = new LocaleController(this);

  /**
   * Holds the custom state `loading` (`civic-poll:state(loading)`) until the widget's first load
   * has rendered, so that its host keeps the room its content is about to take (see core's
   * `loadingRoom`) even before the first render.
   */
  private readonly internals?: ElementInternals;

  constructor() {
    super();
    try {
      this.internals = this.attachInternals();
      this.internals.states.add('loading');
    } catch {
      // Browsers without custom states: no room is kept, nothing else changes.
    }
  }

  /** The adapter to use; wins over providers, page configuration and `endpoint`. */
  @property({ attribute: false }) adapter?: ParticipationAdapter;

  /** Base URL of a REST backend, used when no adapter is found elsewhere. */
  @property() endpoint?: string;

  /** `auto` takes the host page's fonts and colours; `dark` uses dark fallbacks. */
  @property({ reflect: true }) theme?: 'auto' | 'light' | 'dark';

  /**
   * The first render waits for the widget's translations, so that a French page never shows
   * English labels that change under the reader's eyes (or a screen reader's).
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (this.hasUpdated) return super.scheduleUpdate();
    return translationsSettled().then(() => super.scheduleUpdate());
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.theme === 'auto') this.applyAutoTheme();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    if (this.internals?.states.has('loading') && !this.renderRoot.querySelector('.loading[aria-busy="true"]')) {
      this.internals.states.delete('loading');
    }
    if (changed.has('theme') && this.theme === 'auto' && changed.get('theme') !== undefined) {
      this.applyAutoTheme();
    }
  }

  /** Reads the page's look; in its own chunk, since most sites set tokens or keep the defaults. */
  private applyAutoTheme(): void {
    import('../styles/auto-theme.js').then(
      ({ applyAutoTheme }) => applyAutoTheme(this),
      (error: unknown) => console.warn('[civic-widgets] theme="auto" could not be loaded; the default look stays.', error),
    );
  }

  /** Fires a public event: bubbling and composed, so the host page's own tools can hear it. */
  emit<K extends keyof HTMLElementEventMap>(
    name: K,
    detail: DetailOf<K>,
    init: { cancelable?: boolean } = {},
  ): boolean {
    return this.dispatchEvent(
      new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: init.cancelable ?? false }),
    );
  }

  private readonly reportedErrors = new WeakSet<CivicError>();

  /** Fires `civic-error` once for each error, however many times it is shown. */
  protected reportError(error: CivicError, during: string): void {
    if (this.reportedErrors.has(error)) return;
    this.reportedErrors.add(error);
    if (error.kind === 'not-found') console.warn(`[civic-widgets] <${this.localName}>: ${adminDetails(error)}`);
    this.emit('civic-error', { error, during });
  }

  /** The standard error box: what happened in words, and a way forward when there is one. */
  protected renderError(error: CivicError, retry?: () => void): TemplateResult {
    const details = adminDetails(error);
    return html`<div class="error" part="error" role="alert">
      <p>${describeError(error)}</p>
      ${details ? html`<details><summary>${msg('Details for the site administrator')}</summary><p>${details}</p></details>` : nothing}
      ${retry && error.kind !== 'misconfigured'
        ? html`<button type="button" part="button" @click=${retry}>${msg('Try again')}</button>`
        : nothing}
    </div>`;
  }
}
