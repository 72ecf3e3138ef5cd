import { LitElement, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { msg, str } from '@lit/localize';
import { LocaleController, baseStyles, type PollOption } from '@civic-widgets/core';
import { rankingStyles } from './poll-ranking.styles.js';

/**
 * The ranking question: an ordered list the citizen reorders with the Move buttons, with
 * Alt+ArrowUp / Alt+ArrowDown anywhere in an item, or by dragging an item's handle. Dragging uses
 * pointer events rather than HTML drag and drop, so that it works with touch and pens too.
 *
 * @tagname civic-poll-ranking
 * @summary Reorderable list for the ranking question of `<civic-poll>`.
 * @fires change - When the citizen changes the order; read it from `order`.
 * @csspart option - Each item of the list.
 * @csspart handle - The drag handle of an item.
 * @csspart button - The Move up and Move down buttons.
 */
export class CivicPollRanking extends LitElement {
  static override styles = [baseStyles, rankingStyles];

  protected readonly localeController = new LocaleController(this);

  /** The options to rank. */
  @property({ attribute: false }) options: PollOption[] = [];

  /** Option ids, best first. */
  @property({ attribute: false }) order: string[] = [];

  @state() private announcement = '';
  @state() private dragged?: string;

  private dragStart?: string[];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endDrag();
  }

  private labelOf(id: string): string {
    return this.options.find((option) => option.id === id)?.label ?? id;
  }

  /** Moves an option to a position, keeping focus where it was, and says where it went. */
  private moveTo(id: string, index: number, announce = true): void {
    const from = this.order.indexOf(id);
    if (from < 0 || index < 0 || index >= this.order.length || index === from) return;
    const order = this.order.filter((other) => other !== id);
    order.splice(index, 0, id);
    // Moving a node in the DOM blurs it: note what had focus, to give it back after the update.
    const focused = this.shadowRoot?.activeElement as HTMLElement | null;
    this.order = order;
    if (announce) this.announce(id);
    this.updateComplete.then(() => focused?.isConnected && focused.focus());
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  private announce(id: string): void {
    const position = this.order.indexOf(id) + 1;
    const total = this.order.length;
    this.announcement = msg(str`Moved ${this.labelOf(id)} to position ${position} of ${total}`);
  }

  private onKeydown(event: KeyboardEvent, id: string): void {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    this.moveTo(id, this.order.indexOf(id) + (event.key === 'ArrowUp' ? -1 : 1));
  }

  private onPointerDown(event: PointerEvent, id: string): void {
    if (event.button !== 0) return;
    // Keeps the browser from selecting text or scrolling while the item follows the pointer.
    event.preventDefault();
    this.dragged = id;
    this.dragStart = this.order;
    window.addEventListener('pointermove', this.onPointerMove);
    window.addEventListener('pointerup', this.onPointerUp);
    window.addEventListener('pointercancel', this.onPointerCancel);
    window.addEventListener('keydown', this.onDragKeydown);
  }

  private readonly onPointerMove = (event: PointerEvent): void => {
    const id = this.dragged;
    if (!id) return;
    // The dragged item goes after every other item whose middle is above the pointer.
    let index = 0;
    for (const item of this.renderRoot.querySelectorAll<HTMLElement>('li')) {
      if (item.dataset.id === id) continue;
      const box = item.getBoundingClientRect();
      if (event.clientY > box.top + box.height / 2) index++;
    }
    this.moveTo(id, index, false);
  };

  private readonly onPointerUp = (): void => {
    const id = this.dragged;
    const moved = id && this.dragStart?.indexOf(id) !== this.order.indexOf(id);
    this.endDrag();
    if (id && moved) this.announce(id);
  };

  private readonly onPointerCancel = (): void => this.cancelDrag();

  private readonly onDragKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') this.cancelDrag();
  };

  private cancelDrag(): void {
    const start = this.dragStart;
    const changed = start && start.join() !== this.order.join();
    this.endDrag();
    if (start && changed) {
      this.order = start;
      this.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  private endDrag(): void {
    this.dragged = undefined;
    this.dragStart = undefined;
    window.removeEventListener('pointermove', this.onPointerMove);
    window.removeEventListener('pointerup', this.onPointerUp);
    window.removeEventListener('pointercancel', this.onPointerCancel);
    window.removeEventListener('keydown', this.onDragKeydown);
  }

  protected override render() {
    const total = this.order.length;
    // role="list" on purpose: Safari's VoiceOver drops the list semantics of a list without markers.
    // eslint-disable-next-line lit-a11y/no-redundant-role
    return html`<ol role="list" aria-describedby="ranking-help">
        ${repeat(
          this.order,
          (id) => id,
          (id, index) => {
            const option = this.options.find((candidate) => candidate.id === id);
            const label = option?.label ?? id;
            return html`<li
              part="option"
              data-id=${id}
              class=${this.dragged === id ? 'dragging' : ''}
              @keydown=${(event: KeyboardEvent) => this.onKeydown(event, id)}
            >
              <span class="handle" part="handle" aria-hidden="true" @pointerdown=${(event: PointerEvent) => this.onPointerDown(event, id)}
                ><svg viewBox="0 0 10 16" width="10" height="16"><path d="M2 2h2v2H2zm4 0h2v2H6zM2 7h2v2H2zm4 0h2v2H6zm-4 5h2v2H2zm4 0h2v2H6z" /></svg
              ></span>
              <span class="rank">${index + 1}</span>
              <span class="label"
                >${label}${option?.description ? html`<span class="description">${option.description}</span>` : ''}</span
              >
              <span class="moves">
                <button type="button" part="button" aria-disabled=${index === 0 ? 'true' : 'false'} @click=${() => this.moveTo(id, index - 1)}>
                  <span aria-hidden="true">↑</span><span class="visually-hidden">${msg(str`Move ${label} up`)}</span>
                </button>
                <button type="button" part="button" aria-disabled=${index === total - 1 ? 'true' : 'false'} @click=${() => this.moveTo(id, index + 1)}>
                  <span aria-hidden="true">↓</span><span class="visually-hidden">${msg(str`Move ${label} down`)}</span>
                </button>
              </span>
            </li>`;
          },
        )}
      </ol>
      <p id="ranking-help" class="hint">
        ${msg('Use the arrow buttons, or Alt with the up and down arrow keys, or drag an item by its handle.')}
      </p>
      <p class="visually-hidden" role="status">${this.announcement}</p>`;
  }
}
