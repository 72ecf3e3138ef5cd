import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import assert from 'node:assert/strict';

type Doc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

/**
 * Checks real responses against the server's own OpenAPI 3.1 document: the path, the method,
 * the status and, for JSON bodies, the schema. A response the document does not describe fails.
 */
export class ContractChecker {
  readonly #doc: Doc;
  readonly #routes: Array<{ template: string; pattern: RegExp }>;
  readonly #ajv = new Ajv2020.default({ strict: false, allErrors: true });
  readonly #compiled = new Map<object, ReturnType<Ajv2020.default['compile']>>();
  checked = 0;

  constructor(doc: Doc) {
    this.#doc = doc;
    addFormats.default(this.#ajv);
    this.#routes = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    const pathname = path.split('?')[0]!;
    const route = this.#routes.find((candidate) => candidate.pattern.test(pathname));
    assert.ok(route, `OpenAPI has no path for ${pathname}`);
    const operation = this.#doc.paths[route.template]![method.toLowerCase()];
    assert.ok(operation, `OpenAPI has no ${method} ${route.template}`);
    const response = operation.responses[String(status)];
    assert.ok(response, `OpenAPI does not list status ${status} for ${method} ${route.template}`);
    if (!response.content || body === undefined) return;
    const type = (contentType ?? '').split(';')[0]!.trim();
    const media = response.content[type];
    assert.ok(media, `OpenAPI lists no ${type} body for ${status} on ${method} ${route.template}`);
    if (!type.includes('json')) return;
    let validate = this.#compiled.get(media.schema);
    if (!validate) this.#compiled.set(media.schema, (validate = this.#ajv.compile(media.schema)));
    assert.ok(validate(body), `${method} ${pathname} → ${status} does not match OpenAPI: ${this.#ajv.errorsText(validate.errors)}`);
    this.checked += 1;
  }
}
