import { LitElement, html, css } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import type { ParticipationAdapter } from '../contract/adapter.js';
import { restAdapterFor } from '../config/config.js';
import { adapterContext } from './adapter-context.js';

/**
 * Gives one adapter to every civic widget inside it.
 *
 * @summary Shares a participation backend with the widgets it contains.
 * @slot - The widgets and any other content.
 */
export class CivicProvider extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  private readonly provider = new ContextProvider(this, { context: adapterContext });

  /** The adapter to share. */
  @property({ attribute: false }) adapter?: ParticipationAdapter;

  /** Base URL of a REST backend, used when `adapter` is not set. */
  @property() endpoint?: string;

  protected override willUpdate(): void {
    this.provider.setValue(this.adapter ?? (this.endpoint ? restAdapterFor(this.endpoint) : undefined));
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'civic-provider': CivicProvider;
  }
}
