import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { escapeXml } from '../../packages/server/src/http/xml-text.js';
import { xmlDocument } from '../../packages/server/src/open311/xml.js';
import { backends, dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { asText, conforms, councilCaller, entries, expectErrors, open311Caller, SPEC, VOIRIE, xmlConforms, xmlValue, type XmlElement } from './support/open311.js';

after(dropDatabases);

/** Citizen text at its worst: markup, entities, a CDATA end, quotes, a carriage return, astral characters. */
const HOSTILE = 'Trou <b>énorme</b> & "profond" devant l\'école ]]> <![CDATA[ x ]]> &amp; &#60; \r\n🚧 fin';

/** The text of the root's only element, as an XML parser reads it. */
function readBack(document: string): string {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') errors.push(message); } }).parseFromString(document, 'text/xml');
  assert.deepEqual(errors, []);
  return doc.documentElement!.textContent ?? '';
}

describe('the XML serialiser', () => {
  it('escapes text so that any parser reads back what was written', () => {
    for (const text of [HOSTILE, ']]>', ']]]]>>', '&lt;', '<?xml?>', '<!-- -->', 'a\tb\nc\rd', '  spaces kept  ', 'Ünïcödé 𝄞 👩🏽‍🚒', '\u2028\u2029', '\uFFFD']) {
      const document = xmlDocument('description', text);
      assert.equal(readBack(document), text, JSON.stringify(text));
      assert.ok(!document.includes(']]>'), 'never a CDATA end, even outside CDATA');
    }
    assert.equal(escapeXml('a & b < c > d ]]> e "f" \'g\''), 'a &amp; b &lt; c &gt; d ]]&gt; e &quot;f&quot; &apos;g&apos;');
  });

  it('writes characters XML cannot carry as U+FFFD, so that the document stays readable', () => {
    const text = `nul\u0000 bell\u0007 esc\u001b vt\u000b ff\u000c lone\uD800 \uDC00 fffe\uFFFE ffff\uFFFF`;
    const document = xmlDocument('description', text);
    assert.equal(readBack(document), 'nul\uFFFD bell\uFFFD esc\uFFFD vt\uFFFD ff\uFFFD lone\uFFFD \uFFFD fffe\uFFFD ffff\uFFFD');
    // C1 controls and U+007F are allowed in XML 1.0 (the server refuses them in input anyway).
    assert.equal(readBack(xmlDocument('description', 'del\u007f c1\u0085')), 'del\u007f c1\u0085');
  });

  it('writes objects as elements in key order, lists as one entry element each, null as an empty element', () => {
    const document = xmlDocument('service_definition', {
      service_code: 'voirie',
      attributes: [{ variable: true, code: 'gravite', order: 1, datatype_description: null, values: [{ key: 'gene', name: 'Gênant' }, { key: 'danger', name: 'Dangereux' }] }],
    });
    assert.equal(
      document,
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<service_definition>',
        '  <service_code>voirie</service_code>',
        '  <attributes>',
        '    <attribute>',
        '      <variable>true</variable>',
        '      <code>gravite</code>',
        '      <order>1</order>',
        '      <datatype_description/>',
        '      <values>',
        '        <value>',
        '          <key>gene</key>',
        '          <name>Gênant</name>',
        '        </value>',
        '        <value>',
        '          <key>danger</key>',
        '          <name>Dangereux</name>',
        '        </value>',
        '      </values>',
        '    </attribute>',
        '  </attributes>',
        '</service_definition>',
        '',
      ].join('\n'),
    );
    assert.equal(xmlDocument('service_requests', []), '<?xml version="1.0" encoding="utf-8"?>\n<service_requests/>\n');
    assert.equal(xmlDocument('errors', [{ code: 404, description: '' }]), '<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>404</code>\n    <description/>\n  </error>\n</errors>\n');
  });

  it('refuses what would not be GeoReport v2: bad names, lists it cannot name the entries of, numbers that are not', () => {
    assert.throws(() => xmlDocument('a b', 'x'), /not an XML element name/);
    assert.throws(() => xmlDocument('errors', [{ '<script>': 1 }]), /not an XML element name/);
    assert.throws(() => xmlDocument('things', [1]), /No entry element/);
    assert.throws(() => xmlDocument('lat', Number.NaN), /not a finite number/);
  });
});

for (const backend of backends) {
  describe(`Open311 GeoReport v2 in XML on ${backend}`, () => {
    let server: TestServer;
    let serial = 0;
    before(async () => {
      server = await startTestServer(backend);
    });
    after(() => server.close());

    const call = (...args: Parameters<ReturnType<typeof open311Caller>>) => open311Caller(server)(...args);
    const admin = (...args: Parameters<ReturnType<typeof councilCaller>>) => councilCaller(server)(...args);
    /** The same path in both formats: the XML must hold the JSON's values under the specification's names. */
    const both = async (path: string): Promise<{ json: any; xml: XmlElement }> => {
      const [json, xml] = await Promise.all([call('GET', path.replace('{format}', 'json')), call('GET', path.replace('{format}', 'xml'))]);
      assert.equal(xml.status, json.status, xml.text);
      assert.deepEqual(xmlValue(xml.body), asText(json.body), `${path}: XML and JSON differ`);
      return { json: json.body, xml: xml.body };
    };
    const requests = (root: XmlElement) => {
      assert.equal(root.name, 'service_requests');
      const list = entries(root);
      for (const request of list) xmlConforms(request, SPEC.request, 'service request');
      return list;
    };
    const field = (element: XmlElement, name: string) => element.children.find((child) => child.name === name)?.text;
    const voirie = VOIRIE;

    it('describes itself in XML for service discovery, offering both formats', async () => {
      const { xml } = await both('/discovery.{format}');
      assert.equal(xml.name, 'discovery');
      xmlConforms(xml, SPEC.discovery, 'discovery');
      const [endpoint] = entries(xml.children.find((child) => child.name === 'endpoints')!);
      xmlConforms(endpoint!, SPEC.endpoint, 'endpoint');
      assert.deepEqual(entries(endpoint!.children.find((child) => child.name === 'formats')!).map((format) => format.text).sort(), ['application/json', 'text/xml']);
    });

    it('lists services and their definitions in XML', async () => {
      const { xml } = await both('/services.{format}?jurisdiction_id=signalements');
      assert.equal(xml.name, 'services');
      const services = entries(xml);
      assert.ok(services.length >= 5);
      for (const service of services) {
        xmlConforms(service, SPEC.service, 'service');
        const definition = (await both(`/services/${field(service, 'service_code')}.{format}`)).xml;
        assert.equal(definition.name, 'service_definition');
        xmlConforms(definition, SPEC.definition, 'service definition');
        for (const attribute of entries(definition.children.find((child) => child.name === 'attributes')!)) {
          xmlConforms(attribute, SPEC.attribute, 'attribute');
          for (const value of entries(attribute.children.find((child) => child.name === 'values')!)) xmlConforms(value, SPEC.value, 'value');
        }
      }
      const roads = (await call('GET', '/services/voirie.xml')).text;
      assert.match(roads, /<value>\s*<key>gene<\/key>\s*<name>Gênant<\/name>\s*<\/value>/);
    });

    it('lists requests in XML with the same filters and paging, and one request as a one-entry list', async () => {
      const all = requests((await both('/requests.{format}')).xml);
      assert.ok(all.length > 10);
      const ids = all.map((request) => field(request, 'service_request_id')!);
      for (const query of ['status=closed', 'status=OPEN', 'service_code=voirie,eclairage', `service_request_id=${ids[3]},${ids[1]}`, 'page_size=5&page=2', 'page=100', `start_date=${field(all[10]!, 'requested_datetime')!.slice(0, 10)}`]) {
        requests((await both(`/requests.{format}?${query}`)).xml);
      }
      assert.deepEqual(requests((await call('GET', '/requests.xml?page_size=5&page=2')).body).map((request) => field(request, 'service_request_id')), ids.slice(5, 10));
      assert.equal((await call('GET', '/requests.xml?page=100')).text, '<?xml version="1.0" encoding="utf-8"?>\n<service_requests/>\n');
      const notes = all.find((request) => field(request, 'status_notes')?.startsWith('Câble remplacé'));
      assert.equal(field(notes!, 'status_notes'), 'Câble remplacé, les trois lampadaires fonctionnent. Merci pour votre signalement.');
      const unlocated = all.find((request) => field(request, 'lat') === '');
      if (unlocated) assert.ok(unlocated.children.some((child) => child.name === 'long' && child.text === ''), 'a missing point is two empty elements');
      const one = requests((await both(`/requests/${ids[0]}.{format}`)).xml);
      assert.equal(one.length, 1);
      assert.deepEqual(one[0], all[0]);
    });

    it('takes posts in XML, form-encoded and JSON, with attribute[code], a media link and no description, and answers <service_requests><request>', async () => {
      const { token } = await server.api.session();
      const form = await call('POST', '/requests.xml', { form: { ...voirie, 'attribute[largeur_cm]': '35', api_key: token, email: 'jeanne@example.org' } });
      assert.equal(form.status, 201, form.text);
      const [created] = entries(form.body);
      xmlConforms(created!, SPEC.created, 'created request');
      const id = field(created!, 'service_request_id')!;
      assert.ok(id && field(created!, 'token') === undefined);
      assert.deepEqual((await server.api.get(`/map-reports/${id}`, { token })).body.attributes, { gravite: 'dangereux', largeur_cm: 35 });

      const mapId = `photos-xml-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Photos', center: { lat: 47.27, lng: 0.21 }, zoom: 13, allowImages: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      const link = 'https://photos.invalid/1.jpg?a=1&b=<2>';
      const json = await call('POST', `/requests.xml?jurisdiction_id=${mapId}`, { token, json: { service_code: 'divers', address_string: 'Rue des Lilas', media_url: link } });
      assert.equal(json.status, 201, json.text);
      const jsonId = field(entries(json.body)[0]!, 'service_request_id')!;
      const [read] = requests((await call('GET', `/requests/${jsonId}.xml?jurisdiction_id=${mapId}`)).body);
      assert.equal(field(read!, 'media_url'), link);
      assert.equal(field(read!, 'description'), '');
      assert.equal(field(read!, 'address'), 'Rue des Lilas');
    });

    it('carries hostile citizen text through XML unchanged', async () => {
      const { token } = await server.api.session();
      const description = HOSTILE.replace('\r\n', '\n');
      const posted = await call('POST', '/requests.xml', { form: { ...voirie, description, address_string: 'Rue <des> "Écoles" & ]]>', api_key: token } });
      assert.equal(posted.status, 201, posted.text);
      const id = field(entries(posted.body)[0]!, 'service_request_id')!;
      const [read] = requests((await both(`/requests/${id}.{format}`)).xml);
      assert.equal(field(read!, 'description'), description);
      assert.equal(field(read!, 'address'), 'Rue <des> "Écoles" & ]]>');
      const text = (await call('GET', `/requests/${id}.xml`)).text;
      assert.ok(!text.includes('<b>') && !text.includes(']]>'));
    });

    it('resolves tokens in XML', async () => {
      const mapId = `moderated-xml-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Modérée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, preModeration: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      const { token } = await server.api.session();
      const created = await call('POST', `/requests.xml?jurisdiction_id=${mapId}&api_key=${token}`, { form: { service_code: 'divers', address_string: 'Place de la Mairie' } });
      assert.equal(created.status, 201, created.text);
      const [answer] = entries(created.body);
      xmlConforms(answer!, SPEC.created, 'created request');
      const pendingToken = field(answer!, 'token')!;
      assert.ok(pendingToken && field(answer!, 'service_request_id') === undefined);
      const waiting = (await both(`/tokens/${pendingToken}.{format}`)).xml;
      assert.equal(waiting.name, 'service_requests');
      for (const entry of entries(waiting)) xmlConforms(entry, SPEC.token, 'token');
      assert.deepEqual(xmlValue(waiting), [{ token: pendingToken }]);
      const [pending] = (await server.api.get(`/maps/${mapId}/reports`, { token })).body.items;
      await admin('POST', `/admin/map-reports/${pending.id}/approve`);
      assert.deepEqual(xmlValue((await both(`/tokens/${pendingToken}.{format}`)).xml), [{ service_request_id: pending.id, token: pendingToken }]);
      expectErrors(await call('GET', '/tokens/no-such-token.xml'), 404);
    });

    it('lists request updates in XML', async () => {
      const { token } = await server.api.session();
      const since = new Date().toISOString();
      const posted = await call('POST', '/requests.json', { form: { ...voirie, api_key: token } });
      const id = posted.body[0].service_request_id as string;
      await admin('POST', `/admin/map-reports/${id}/updates`, { body: '<p>Réparé <strong>hier</strong> &amp; contrôlé.</p>', status: 'closed' });
      const { xml } = await both(`/servicerequestupdates.{format}?start_date=${encodeURIComponent(since)}`);
      assert.equal(xml.name, 'service_request_updates');
      const updates = entries(xml);
      for (const update of updates) xmlConforms(update, SPEC.update, 'request update');
      assert.deepEqual(updates.map((update) => [field(update, 'service_request_id'), field(update, 'status'), field(update, 'description')]), [[id, 'closed', 'Réparé hier & contrôlé.']]);
      await both('/servicerequestupdates.{format}');
      await both(`/servicerequestupdates.{format}?start_date=${since.slice(0, 10)}&end_date=${since.slice(0, 10)}&page_size=2`);
    });

    it('answers every error of an XML route in XML', async () => {
      const { token } = await server.api.session();
      expectErrors(await call('GET', '/services/no-such-service.xml'), 404, /service_code/);
      expectErrors(await call('GET', '/services.xml?jurisdiction_id=elsewhere'), 404, /jurisdiction_id/);
      expectErrors(await call('GET', '/no-such-resource.xml'), 404);
      expectErrors(await call('GET', '/requests/no-such-request.xml'), 404, /service_request_id/);
      expectErrors(await call('GET', '/requests.xml?page_size=1001'), 400, /page_size/);
      expectErrors(await call('GET', '/requests.xml?start_date=2026-13-01'), 400, /start_date/);
      expectErrors(await call('GET', '/requests.xml?status=pending'), 400, /status/);
      expectErrors(await call('GET', '/servicerequestupdates.xml?end_date=tomorrow'), 400, /end_date/);
      expectErrors(await call('GET', '/tokens/a%00b.xml'), 400);
      expectErrors(await call('POST', '/requests.xml', { form: voirie }), 401, /api_key/);
      expectErrors(await call('POST', '/requests.xml', { form: { ...voirie, api_key: 'forged' } }), 401);
      const invalid = await call('POST', '/requests.xml', { form: { ...voirie, api_key: token, 'attribute[gravite]': 'pire', lat: '48.85', long: '2.35' } });
      expectErrors(invalid, 400);
      assert.deepEqual((xmlValue(invalid.body) as Array<{ description: string }>).map((error) => error.description.split(':')[0]).sort(), ['attribute[gravite]', 'lat/long']);
      expectErrors(await call('POST', '/requests.xml', { form: { ...voirie, api_key: token, description: `<script>${'x'.repeat(4000)}` } }), 400, /^description/);
      expectErrors(await call('POST', '/requests.xml', { json: ['not', 'an', 'object'], token }), 400);
      expectErrors(await call('POST', '/requests.xml', { token, headers: { 'content-type': 'text/csv' } }), 415);
      const mapId = `closed-xml-${backend}-${(serial += 1)}`;
      await admin('POST', '/admin/maps', { id: mapId, title: 'Fermée', center: { lat: 47.27, lng: 0.21 }, zoom: 13, closed: true, categories: [{ id: 'divers', label: 'Divers', fields: [] }] });
      expectErrors(await call('POST', `/requests.xml?jurisdiction_id=${mapId}`, { form: { service_code: 'divers', address_string: 'Mairie', api_key: token } }), 403);
      // The JSON routes still answer JSON errors.
      expectErrors(await call('GET', '/services/no-such-service.json'), 404, /service_code/);
      conforms((await call('GET', '/no-such-resource.json')).body[0], SPEC.error, 'error');
    });
  });
}

describe('Open311 rate limits in XML', () => {
  it('answers 429 as an XML error list with Retry-After', async () => {
    const server = await startTestServer('sqlite', { rateLimits: { perAddress: 1_000_000, perParticipant: 1, sessionsPerAddress: 1_000_000 } });
    try {
      const { token } = await server.api.session();
      const form = { api_key: token, service_code: 'espaces-verts', address_string: 'Parc des Îles' };
      const call = open311Caller(server);
      assert.equal((await call('POST', '/requests.xml', { form })).status, 201);
      const limited = await call('POST', '/requests.xml', { form });
      expectErrors(limited, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    } finally {
      await server.close();
    }
  });
});
