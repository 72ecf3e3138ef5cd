import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ParticipationAdapter } from '../contract/adapter.js';
import type { LiveMessage, LiveTopic } from '../contract/types.js';

export interface LiveOptions<T> {
  adapter: () => ParticipationAdapter | undefined;
  topic: () => LiveTopic | undefined;
  onMessage: (message: LiveMessage<T>) => void;
}

/**
 * Keeps one live subscription open while the host is connected, following its adapter and topic.
 * Adapters without `subscribe` simply get no live updates.
 */
export class LiveController<T = unknown> implements ReactiveController {
  private unsubscribe?: () => void;
  private current?: { adapter: ParticipationAdapter; topic: LiveTopic };
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: LiveOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostUpdated(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.stop();
  }

  private sync(): void {
    const adapter = this.connected ? this.options.adapter() : undefined;
    const topic = this.connected ? this.options.topic() : undefined;
    if (adapter === this.current?.adapter && topic === this.current?.topic) return;
    this.stop();
    if (!adapter?.subscribe || !topic) return;
    this.current = { adapter, topic };
    this.unsubscribe = adapter.subscribe<T>(topic, (message) => this.options.onMessage(message));
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.current = undefined;
  }
}
