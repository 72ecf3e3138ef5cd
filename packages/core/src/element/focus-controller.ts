import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { focusAfterRender } from './focus.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: ParentNode };

/**
 * Where focus goes after a widget renders again: the control it was asked to move to
 * (`after(selector)`), or `fallback` when the control that had focus went away with the update,
 * so that focus never falls back to `<body>`. It also remembers where to come back to when a view
 * that was opened (a detail, a dialog) closes.
 */
export class FocusController implements ReactiveController {
  /** Where focus returns when the open view closes (`back()`). */
  returnTo?: string;
  private wanted?: string;
  private before?: Element | null;

  constructor(
    private readonly host: Host,
    private readonly fallback: string,
  ) {
    host.addController(this);
  }

  /** Moves focus to `selector` once the next update has rendered it. */
  after(selector: string): void {
    this.wanted = selector;
    this.host.requestUpdate();
  }

  /** Opens a view: focus goes to `selector`, and comes back to `from` on `back()`. */
  open(selector: string, from?: string): void {
    this.returnTo = from;
    this.after(selector);
  }

  /** Closes a view: focus returns where it came from, or to the fallback. */
  back(): void {
    this.after(this.returnTo ?? this.fallback);
    this.returnTo = undefined;
  }

  hostUpdate(): void {
    this.before = this.host.shadowRoot?.activeElement;
  }

  hostUpdated(): void {
    const wanted = this.wanted;
    this.wanted = undefined;
    focusAfterRender(this.host.renderRoot, wanted, this.before, this.fallback);
    this.before = undefined;
  }
}
