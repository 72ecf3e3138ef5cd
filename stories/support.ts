// Plumbing the widget stories share: a clean page for each story, the controls every widget has,
// and the ways a story makes its in-browser backend misbehave.
import { CivicError, MemoryAdapter, MemoryStore, Outbox, type CivicErrorKind } from '@civic-widgets/core';

/**
 * Gives the story a page-wide outbox of its own, kept in memory and empty, so that a submission
 * waiting in one story is never sent, or shown, in another. Returns the story's cleanup.
 */
export function freshPage({ clearStorage = false }: { clearStorage?: boolean } = {}): () => void {
  const key = Symbol.for('civic-widgets.outbox');
  const page = globalThis as typeof globalThis & { [key: symbol]: Outbox | undefined };
  const outbox = new Outbox({ store: new MemoryStore() });
  page[key]?.dispose();
  page[key] = outbox;
  if (clearStorage) localStorage.clear();
  return () => outbox.dispose();
}

/** Attributes every widget has, after its own. */
export const appearanceArgTypes = {
  theme: {
    description: '`auto` reads the page’s fonts, colours and buttons; `light` and `dark` use the --civic-* tokens.',
    control: 'inline-radio',
    options: ['auto', 'light', 'dark'],
    table: { category: 'attributes' },
  },
  endpoint: {
    description: 'Base URL of a REST backend (attribute `endpoint`); used only when no adapter is found.',
    control: 'text',
    table: { category: 'attributes' },
  },
} as const;

/** Which backend the story gives the widget, and who the visitor is to it. */
export const visitorArgTypes = {
  adapter: {
    description: 'The `.adapter` property: the in-browser MemoryAdapter, or none (configuration error).',
    control: 'inline-radio',
    options: ['memory', 'none'],
    table: { category: 'story setup' },
  },
  participant: {
    description: 'Who the visitor is: anonymous on this device, or verified by the town’s site.',
    control: 'inline-radio',
    options: ['anonymous', 'verified'],
    table: { category: 'story setup' },
  },
} as const;

export const latencyArgType = {
  description: 'Simulated network delay of every call, in milliseconds.',
  control: { type: 'number', min: 0, step: 100 },
  table: { category: 'story setup' },
} as const;

/** The `heading-level` control; `description` says what the heading heads. */
export function headingLevelArgType(description: string) {
  return {
    description,
    control: 'inline-radio',
    options: [2, 3, 4, 5, 6],
    table: { category: 'attributes', defaultValue: { summary: '2' } },
  } as const;
}

/** A call that fails as `kind` after a moment, as a server would answer. */
export function failLater(kind: CivicErrorKind, details?: { retryAfter?: number }): () => Promise<never> {
  return () => new Promise((_resolve, reject) => setTimeout(() => reject(new CivicError(kind, `Simulated ${kind}`, details)), 300));
}

/**
 * Neighbours act `times` times, one every 1.5 s, while the story is open, each as their own
 * participant; the adapter then acts as `visitor` again.
 */
export function neighboursAct(
  adapter: MemoryAdapter,
  visitor: Parameters<MemoryAdapter['actAs']>[0],
  times: number,
  act: (n: number) => Promise<unknown>,
): void {
  let n = 0;
  const timer = setInterval(() => {
    if (++n > times) return clearInterval(timer);
    adapter.actAs({ id: `neighbour-${n}` });
    void act(n)
      .catch(() => undefined)
      .finally(() => adapter.actAs(visitor));
  }, 1500);
}
