// A GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2, its Service
// Discovery page, and the request updates extension as FixMyStreet reads it), and nothing of this
// server's code or helpers: XML only, `jurisdiction_id` always sent (empty, as clients do when the
// endpoint serves one jurisdiction) and `api_key` in the query string. It files a report and reads
// back the council's status change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

type Node = { [name: string]: string | Node[] | Node };

/** The specification's lists: the element of each entry. */
const LISTS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
  service_request_updates: 'request_update',
};

class GeoReportClient {
  constructor(
    private readonly base: string,
    private readonly jurisdiction: string,
    private readonly apiKey: string,
  ) {}

  static read(xml: string): { root: string; value: Node | Node[] } {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') errors.push(message); } }).parseFromString(xml, 'text/xml');
    if (errors.length) throw new Error(`not XML: ${errors.join('; ')}`);
    const convert = (element: Element): Node | Node[] | string => {
      const children = Array.from(element.childNodes as unknown as ArrayLike<ChildNode>).filter((child) => child.nodeType === 1) as Element[];
      if (LISTS[element.tagName]) {
        for (const child of children) if (child.tagName !== LISTS[element.tagName]) throw new Error(`<${element.tagName}> holds <${child.tagName}>`);
        return children.map((child) => convert(child) as Node);
      }
      if (children.length === 0) return element.textContent ?? '';
      return Object.fromEntries(children.map((child) => [child.tagName, convert(child)])) as Node;
    };
    const root = doc.documentElement as unknown as Element;
    return { root: root.tagName, value: convert(root) as Node | Node[] };
  }

  static async discover(url: string): Promise<string> {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const { root, value } = GeoReportClient.read(await response.text());
    assert.equal(root, 'discovery');
    const endpoints = (value as Node).endpoints as Node[];
    const endpoint = endpoints.find((candidate) => candidate.specification === 'http://wiki.open311.org/GeoReport_v2' && (candidate.formats as Node[]).includes('text/xml' as never));
    assert.ok(endpoint, 'an endpoint of GeoReport v2 that speaks XML');
    return endpoint.url as string;
  }

  private url(path: string, query: Record<string, string> = {}): string {
    return `${this.base}/${path}.xml?${new URLSearchParams({ jurisdiction_id: this.jurisdiction, ...query }).toString()}`;
  }

  private async expect(response: Response, root: string): Promise<Node[] | Node> {
    assert.match(response.headers.get('content-type') ?? '', /^text\/xml/);
    const read = GeoReportClient.read(await response.text());
    if (!response.ok) {
      assert.equal(read.root, 'errors');
      throw new Error(`${response.status}: ${(read.value as Node[]).map((error) => `${error.code} ${error.description}`).join('; ')}`);
    }
    assert.equal(read.root, root);
    return read.value;
  }

  async services(): Promise<Node[]> {
    return (await this.expect(await fetch(this.url('services')), 'services')) as Node[];
  }

  async definition(code: string): Promise<Node> {
    return (await this.expect(await fetch(this.url(`services/${encodeURIComponent(code)}`)), 'service_definition')) as Node;
  }

  /** POST Service Request: form-encoded, the api_key in the query string. */
  async create(fields: Record<string, string>): Promise<Node> {
    const response = await fetch(this.url('requests', { api_key: this.apiKey }), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(fields).toString(),
    });
    assert.equal(response.status, 201);
    const [created] = (await this.expect(response, 'service_requests')) as Node[];
    return created!;
  }

  async request(id: string): Promise<Node> {
    const [request] = (await this.expect(await fetch(this.url(`requests/${encodeURIComponent(id)}`)), 'service_requests')) as Node[];
    return request!;
  }

  async updates(start: string, end: string): Promise<Node[]> {
    return (await this.expect(await fetch(this.url('servicerequestupdates', { start_date: start, end_date: end, api_key: this.apiKey })), 'service_request_updates')) as Node[];
  }
}

for (const backend of backends) {
  describe(`a GeoReport v2 client that speaks XML only, on ${backend}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    it('files a report and reads back the council’s status change through the request updates', async () => {
      const base = await GeoReportClient.discover(`${server.url}/open311/v2/discovery.xml`);
      // The key service hands out participant tokens.
      const { token } = await server.api.session();
      const client = new GeoReportClient(base, '', token);

      const services = await client.services();
      const service = services.find((candidate) => candidate.metadata === 'true' && candidate.type === 'realtime');
      assert.ok(service, 'a service with a definition');
      const definition = await client.definition(service.service_code as string);
      assert.equal(definition.service_code, service.service_code);
      const fields: Record<string, string> = { service_code: service.service_code as string, lat: '47.2716', long: '0.2167', description: 'Plaque d’égout descellée, elle bouge au passage des voitures.' };
      for (const attribute of definition.attributes as Node[]) {
        if (attribute.variable !== 'true' || attribute.required !== 'true') continue;
        const values = attribute.values as Node[];
        fields[`attribute[${attribute.code}]`] = attribute.datatype === 'number' ? '1' : values.length ? (values[0]!.key as string) : 'oui';
      }
      const day = new Date().toISOString().slice(0, 10);
      const created = await client.create(fields);
      const id = created.service_request_id as string;
      assert.ok(id, 'a service_request_id, the map taking reports without moderation');
      assert.equal(created.token, undefined);

      const filed = await client.request(id);
      assert.equal(filed.status, 'open');
      assert.equal(filed.service_code, service.service_code);
      assert.equal(filed.description, fields.description);
      assert.equal(filed.status_notes, '');

      const council = await server.admin.request('POST', `/admin/map-reports/${id}/updates`, { token: server.admin.token, key: true, body: { body: '<p>Plaque <strong>rescellée</strong> ce matin.</p>', status: 'closed' } });
      assert.equal(council.status, 200);

      const updates = (await client.updates(day, day)).filter((update) => update.service_request_id === id);
      assert.equal(updates.length, 1);
      assert.equal(updates[0]!.status, 'closed');
      assert.equal(updates[0]!.description, 'Plaque rescellée ce matin.');
      assert.ok(updates[0]!.update_id);
      assert.ok(Date.parse(updates[0]!.updated_datetime as string) >= Date.parse(filed.requested_datetime as string));
      const closed = await client.request(id);
      assert.equal(closed.status, 'closed');
      assert.equal(closed.status_notes, 'Plaque rescellée ce matin.');
    });
  });
}
