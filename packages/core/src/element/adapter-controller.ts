import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveElement } from 'lit';
import type { AdapterDomain, ParticipationAdapter } from '../contract/adapter.js';
import { CivicError } from '../contract/errors.js';
import { getConfig, onConfigChange, restAdapterFor } from '../config/config.js';
import { adapterContext } from './adapter-context.js';

/** Where a widget found its adapter, first match wins, in this order. */
export type AdapterSource = 'property' | 'provider' | 'configuration' | 'endpoint';

export interface AdapterHost extends ReactiveElement {
  adapter?: ParticipationAdapter;
  endpoint?: string;
}

export interface ResolvedAdapter {
  adapter: ParticipationAdapter;
  source: AdapterSource;
}

/** Finds the adapter for a host: its property, the nearest provider, the page configuration, its endpoint attribute. */
export function resolveAdapter(
  host: AdapterHost,
  provided: ParticipationAdapter | undefined,
): ResolvedAdapter | undefined {
  if (host.adapter) return { adapter: host.adapter, source: 'property' };
  if (provided) return { adapter: provided, source: 'provider' };
  const config = getConfig();
  if (config.adapter) return { adapter: config.adapter, source: 'configuration' };
  if (config.endpoint) return { adapter: restAdapterFor(config.endpoint), source: 'configuration' };
  if (host.endpoint) return { adapter: restAdapterFor(host.endpoint), source: 'endpoint' };
  return undefined;
}

/**
 * Keeps a widget's adapter resolved, and tells the widget (through `onChange`) when it changes, so
 * that it loads again. When nothing is found, or the adapter lacks the widget's domain, `error` holds
 * a `misconfigured` CivicError for the widget to show.
 */
export class AdapterController<D extends AdapterDomain> implements ReactiveController {
  private readonly consumer: ContextConsumer<typeof adapterContext, AdapterHost>;
  private resolved?: ResolvedAdapter;
  // The first update must report even "nothing found", which compares equal to the initial state.
  private settled = false;
  private stopListening?: () => void;
  private problem?: CivicError;

  constructor(
    private readonly host: AdapterHost,
    private readonly domainName: D,
    private readonly onChange: (adapter: ParticipationAdapter | undefined) => void,
  ) {
    this.consumer = new ContextConsumer(host, { context: adapterContext, subscribe: true });
    host.addController(this);
  }

  get adapter(): ParticipationAdapter | undefined {
    return this.resolved?.adapter;
  }

  get source(): AdapterSource | undefined {
    return this.resolved?.source;
  }

  /** The domain's implementation, when the adapter has it. */
  get domain(): NonNullable<ParticipationAdapter[D]> | undefined {
    return (this.resolved?.adapter[this.domainName] ?? undefined) as
      | NonNullable<ParticipationAdapter[D]>
      | undefined;
  }

  get error(): CivicError | undefined {
    return this.problem;
  }

  /**
   * Calls `use` with the domain. Before an adapter is found it rejects as `offline`, which the
   * outbox treats as "not yet": the submission waits and is sent once the widget is configured.
   */
  call<T>(use: (domain: NonNullable<ParticipationAdapter[D]>) => Promise<T>): Promise<T> {
    const domain = this.domain;
    if (!domain) return Promise.reject(new CivicError('offline', `No "${this.domainName}" adapter yet`));
    return use(domain);
  }

  hostConnected(): void {
    this.stopListening = onConfigChange(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    // A provider's adapter belongs to where the element was: once moved, ask again.
    this.consumer.value = undefined;
  }

  hostUpdate(): void {
    const next = resolveAdapter(this.host, this.consumer.value);
    if (this.settled && next?.adapter === this.resolved?.adapter) return;
    this.settled = true;
    this.resolved = next;
    if (!next) {
      this.problem = new CivicError(
        'misconfigured',
        `No participation backend: set the element's "adapter" property, wrap it in <civic-provider>, ` +
          `call configure({ endpoint }) or add data-endpoint to the loader script, or set its "endpoint" attribute.`,
      );
    } else if (!next.adapter[this.domainName]) {
      this.problem = new CivicError(
        'misconfigured',
        `The "${next.adapter.name}" adapter found through ${next.source} does not serve "${this.domainName}".`,
      );
    } else {
      this.problem = undefined;
    }
    if (this.problem) console.warn(`[civic-widgets] <${this.host.localName}>: ${this.problem.message}`);
    // Loading starts after this update, so that the state change it causes gets its own render.
    queueMicrotask(() => this.onChange(this.problem ? undefined : next?.adapter));
  }
}
