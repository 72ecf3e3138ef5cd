import { LitElement, css, html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { MemoryAdapter, setLocale } from '@civic-widgets/core';
import '@civic-widgets/poll/define.js';
import { BELVOIR_POLLS, VISITOR_ID, belvoirSeed } from './fixtures/belvoir.js';

/** The widgets a webmaster can embed, with the attribute that names what each one shows. */
const WIDGETS = {
  'civic-poll': { label: 'Poll', idAttribute: 'poll', idLabel: 'Poll id', example: BELVOIR_POLLS.bikes },
} as const;

type WidgetTag = keyof typeof WIDGETS;

interface SnippetSettings {
  scriptUrl: string;
  endpoint: string;
  widget: WidgetTag;
  contentId: string;
  locale: '' | 'en' | 'fr';
  theme: 'auto' | 'light' | 'dark';
  headingLevel: string;
}

type Field = keyof SnippetSettings;

const DEFAULTS: SnippetSettings = {
  scriptUrl: 'https://participation.belvoir-sur-loire.fr/widgets/civic-widgets.js',
  endpoint: 'https://participation.belvoir-sur-loire.fr/api/v1',
  widget: 'civic-poll',
  contentId: BELVOIR_POLLS.bikes,
  locale: 'fr',
  theme: 'auto',
  headingLevel: '2',
};

/** Escapes a value for a double-quoted HTML attribute in the generated snippet. */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function isWebUrl(value: string, { allowLocalHttp }: { allowLocalHttp: boolean }): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    // Plain http only makes sense while trying things on one's own machine.
    return allowLocalHttp && url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** What is wrong with each field, in words a webmaster can act on. */
function problems(settings: SnippetSettings): Partial<Record<Field, string>> {
  const found: Partial<Record<Field, string>> = {};
  if (!isWebUrl(settings.scriptUrl, { allowLocalHttp: true })) {
    found.scriptUrl = 'Enter the full address of civic-widgets.js, starting with https://.';
  } else if (!new URL(settings.scriptUrl).pathname.endsWith('.js')) {
    found.scriptUrl = 'This should be the address of the script file itself, ending in .js.';
  }
  if (!isWebUrl(settings.endpoint, { allowLocalHttp: true })) {
    found.endpoint = 'Enter the full address of the participation API, starting with https://.';
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(settings.contentId)) {
    found.contentId = 'Use the id shown in the back office: letters, digits, hyphens and underscores only.';
  }
  return found;
}

/** The copy-paste code for a CMS page. */
export function buildSnippet(settings: SnippetSettings): string {
  const widget = WIDGETS[settings.widget];
  const data = [`data-endpoint="${attribute(settings.endpoint)}"`];
  if (settings.locale) data.push(`data-locale="${settings.locale}"`);
  const attributes = [`${widget.idAttribute}="${attribute(settings.contentId)}"`, `theme="${settings.theme}"`];
  if (settings.headingLevel !== '2') attributes.push(`heading-level="${settings.headingLevel}"`);
  return (
    `<script type="module" src="${attribute(settings.scriptUrl)}" ${data.join(' ')}></script>\n` +
    `<${settings.widget} ${attributes.join(' ')}></${settings.widget}>`
  );
}

/**
 * A form that writes the two lines a webmaster pastes into a CMS page, with a Copy button and a
 * live preview of the widget on sample data.
 */
export class CivicSnippetBuilder extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      color: #1a1a1a;
      line-height: 1.5;
    }
    h2 {
      font-size: 1.25rem;
      margin: 1.5rem 0 0.75rem;
    }
    form {
      display: grid;
      gap: 1rem;
    }
    fieldset {
      border: 1px solid #767676;
      border-radius: 0.375rem;
      padding: 0.75rem 1rem 1rem;
      margin: 0;
      display: grid;
      gap: 0.875rem;
    }
    legend {
      font-weight: 700;
      padding: 0 0.25rem;
    }
    .field {
      display: grid;
      gap: 0.25rem;
    }
    label {
      font-weight: 600;
    }
    .hint {
      color: #4a4a4a;
      font-size: 0.875rem;
      margin: 0;
    }
    .problem {
      color: #b00020;
      font-size: 0.875rem;
      margin: 0;
    }
    input,
    select,
    textarea,
    button {
      font: inherit;
      color: inherit;
    }
    input,
    select {
      padding: 0.375rem 0.5rem;
      border: 1px solid #595959;
      border-radius: 0.25rem;
      background: #ffffff;
      max-inline-size: 40rem;
    }
    input[aria-invalid='true'] {
      border-color: #b00020;
      border-width: 2px;
    }
    textarea {
      box-sizing: border-box;
      inline-size: 100%;
      min-block-size: 6.5rem;
      padding: 0.75rem;
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      font-size: 0.875rem;
      background: #f5f5f5;
      border: 1px solid #595959;
      border-radius: 0.25rem;
      resize: vertical;
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 1rem;
      margin-block-start: 0.5rem;
    }
    button {
      padding: 0.5rem 1.25rem;
      border: 1px solid #0b4f8a;
      border-radius: 0.25rem;
      background: #0b4f8a;
      color: #ffffff;
      font-weight: 600;
      cursor: pointer;
    }
    :is(input, select, textarea, button):focus-visible {
      outline: 3px solid #0b4f8a;
      outline-offset: 2px;
    }
    .preview {
      border: 1px dashed #767676;
      border-radius: 0.375rem;
      padding: 1rem;
    }
    @media (forced-colors: active) {
      button {
        border-color: ButtonText;
      }
      :is(input, select, textarea, button):focus-visible {
        outline-color: Highlight;
      }
    }
  `;

  @state() private settings: SnippetSettings = { ...DEFAULTS };
  /** Problems are shown once the citizen has left a field, or tried to copy. */
  @state() private shownProblems = new Set<Field>();
  @state() private copyStatus = '';

  @query('textarea') private output!: HTMLTextAreaElement;

  // Sample data, so that the preview works without the council's backend.
  private readonly previewAdapter = new MemoryAdapter({ seed: belvoirSeed(), participant: { id: VISITOR_ID } });

  override connectedCallback(): void {
    super.connectedCallback();
    void setLocale(this.settings.locale || document.documentElement.lang);
  }

  private change(field: Field, value: string): void {
    this.settings = { ...this.settings, [field]: value };
    this.copyStatus = '';
    // The preview shows the chosen language; widgets share one locale per page.
    if (field === 'locale') void setLocale(value || document.documentElement.lang);
  }

  private onInput(event: Event): void {
    const control = event.target as HTMLInputElement | HTMLSelectElement;
    this.change(control.name as Field, control.value);
  }

  private onBlur(event: Event): void {
    const control = event.target as HTMLInputElement;
    this.shownProblems = new Set(this.shownProblems).add(control.name as Field);
  }

  private async copy(): Promise<void> {
    const found = problems(this.settings);
    const first = Object.keys(found)[0] as Field | undefined;
    if (first) {
      this.shownProblems = new Set(Object.keys(found) as Field[]);
      this.copyStatus = 'Not copied: correct the fields marked above first.';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const snippet = buildSnippet(this.settings);
    try {
      await navigator.clipboard.writeText(snippet);
      this.copyStatus = 'Copied. Paste it into your page in HTML mode.';
    } catch {
      // No clipboard access (permissions, insecure context): select the code for a manual copy.
      this.output.focus();
      this.output.select();
      this.copyStatus = 'The code is selected: press Ctrl+C (⌘+C on a Mac) to copy it.';
    }
  }

  private field(
    name: Field,
    label: string,
    control: (describedBy: string, invalid: boolean) => unknown,
    hint?: string,
  ): unknown {
    const problem = this.shownProblems.has(name) ? problems(this.settings)[name] : undefined;
    const describedBy = [hint ? `${name}-hint` : '', problem ? `${name}-problem` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${name}>${label}</label>
      ${hint ? html`<p class="hint" id=${`${name}-hint`}>${hint}</p>` : nothing}
      ${control(describedBy, Boolean(problem))}
      ${problem ? html`<p class="problem" id=${`${name}-problem`}>${problem}</p>` : nothing}
    </div>`;
  }

  private textField(name: Field, label: string, hint: string, type: 'url' | 'text', extra: { list?: string } = {}): unknown {
    return this.field(
      name,
      label,
      (describedBy, invalid) => html`<input
        id=${name}
        name=${name}
        type=${type}
        required
        autocomplete="off"
        spellcheck="false"
        list=${extra.list ?? nothing}
        aria-describedby=${describedBy || nothing}
        aria-invalid=${invalid ? 'true' : 'false'}
        .value=${live(this.settings[name])}
        @input=${this.onInput}
        @blur=${this.onBlur}
      />`,
      hint,
    );
  }

  private selectField(name: Field, label: string, options: Array<[string, string]>, hint?: string): unknown {
    return this.field(
      name,
      label,
      (describedBy) => html`<select
        id=${name}
        name=${name}
        aria-describedby=${describedBy || nothing}
        @change=${this.onInput}
      >
        ${options.map(([value, text]) => html`<option value=${value} ?selected=${this.settings[name] === value}>${text}</option>`)}
      </select>`,
      hint,
    );
  }

  override render() {
    const widget = WIDGETS[this.settings.widget];
    const { settings } = this;
    return html`
      <h2>Settings</h2>
      <form novalidate @submit=${(event: Event) => event.preventDefault()}>
        <fieldset>
          <legend>Where the widgets come from</legend>
          ${this.textField(
            'scriptUrl',
            'Script address',
            'Where your council hosts civic-widgets.js (from the @civic-widgets/embed package).',
            'url',
          )}
          ${this.textField(
            'endpoint',
            'Participation API address',
            'The /api/v1 address of your participation server.',
            'url',
          )}
        </fieldset>
        <fieldset>
          <legend>What to show</legend>
          ${this.selectField(
            'widget',
            'Widget',
            Object.entries(WIDGETS).map(([tag, entry]) => [tag, entry.label]),
          )}
          ${this.textField('contentId', widget.idLabel, `As shown in the back office, e.g. ${widget.example}.`, 'text', {
            list: 'sample-ids',
          })}
          <datalist id="sample-ids">
            ${Object.values(BELVOIR_POLLS).map((id) => html`<option value=${id}></option>`)}
          </datalist>
          ${this.selectField(
            'headingLevel',
            'Heading level of the title',
            ['2', '3', '4', '5', '6'].map((level) => [level, `h${level}`]),
            'One level below the heading the widget sits under; the page title is the h1.',
          )}
        </fieldset>
        <fieldset>
          <legend>Language and look</legend>
          ${this.selectField(
            'locale',
            'Language',
            [
              ['', 'Same as the page (its lang attribute)'],
              ['fr', 'French'],
              ['en', 'English'],
            ],
          )}
          ${this.selectField(
            'theme',
            'Look',
            [
              ['auto', 'Match the site: read its fonts, colours and buttons'],
              ['light', 'Light, with the --civic-* tokens of your stylesheet'],
              ['dark', 'Dark, with the --civic-* tokens of your stylesheet'],
            ],
          )}
        </fieldset>
      </form>

      <h2>Snippet</h2>
      <div class="field">
        <label for="snippet">Code to paste into the page, in HTML mode</label>
        <textarea id="snippet" readonly spellcheck="false" .value=${buildSnippet(settings)}></textarea>
      </div>
      <div class="actions">
        <button type="button" @click=${this.copy}>Copy the code</button>
        <p role="status">${this.copyStatus}</p>
      </div>
      <p class="hint">
        Put the script line once per page, even with several widgets; it loads only the widgets the page
        uses.
      </p>

      <h2>Preview</h2>
      <p class="hint">With the sample data of Belvoir-sur-Loire; on your site, the widget uses your API.</p>
      <div class="preview" lang=${settings.locale || nothing}>
        <civic-poll
          .adapter=${this.previewAdapter}
          poll=${settings.contentId}
          heading-level=${settings.headingLevel}
          theme=${settings.theme}
        ></civic-poll>
      </div>
    `;
  }
}

// Guarded: the docs page and hot reloading may evaluate this module more than once.
if (!customElements.get('civic-snippet-builder')) customElements.define('civic-snippet-builder', CivicSnippetBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'civic-snippet-builder': CivicSnippetBuilder;
  }
}
