import type { HTTPMethods } from 'fastify';

/**
 * The methods each route path answers, so that a known path called with another method gets 405
 * and an Allow header rather than 404. Wildcard routes (CORS preflight, static files) are left
 * out: they would make every path known.
 */
export class RouteMethods {
  readonly #routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];

  add(method: HTTPMethods | HTTPMethods[], url: string): void {
    if (url.includes('*')) return;
    const source = `^${url.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`;
    let route = this.#routes.find((candidate) => candidate.pattern.source === source);
    if (!route) this.#routes.push((route = { pattern: new RegExp(source), methods: new Set() }));
    for (const one of Array.isArray(method) ? method : [method]) route.methods.add(one);
  }

  /** The methods of the path, or none when no route has it. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.#routes) if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    if (methods.size) methods.add('OPTIONS');
    return [...methods].sort();
  }
}
