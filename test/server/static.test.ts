// The public files as the reference server sends them: the build's brotli and gzip copies with
// Content-Encoding and Vary, hashed chunks kept for a year, the loader and pages for a short time.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { dropDatabases } from './support/backends.js';
import { startTestServer, type TestServer } from './support/harness.js';

after(dropDatabases);

/** One GET with the raw bytes as sent (node's fetch would decode them). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('public files', () => {
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'civic-static-'));
  const loader = Buffer.from(`export const loader = "${'civic '.repeat(400)}";\n`);
  const chunk = Buffer.from(`export const core = "${'core '.repeat(400)}";\n`);
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Belvoir-sur-Loire</title>');
  for (const [name, source] of [['civic-widgets.js', loader], ['core-BBwRG3Wp.js', chunk]] as const) {
    writeFileSync(join(dir, name), source);
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(source));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(source));
  }

  before(async () => {
    server = await startTestServer('sqlite', { staticDirs: [dir] });
  });
  after(() => server.close());

  it('sends the brotli copy to browsers that take it, else the gzip one, else the file', async () => {
    const brotli = await get(`${server.url}/civic-widgets.js`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(brotli.status, 200);
    assert.equal(brotli.headers['content-encoding'], 'br');
    assert.match(String(brotli.headers['content-type']), /javascript/);
    assert.match(String(brotli.headers.vary), /Accept-Encoding/i);
    assert.ok(brotli.body.length < loader.length / 10, `${brotli.body.length} bytes sent for ${loader.length}`);
    assert.deepEqual(brotliDecompressSync(brotli.body), loader);

    const gzip = await get(`${server.url}/civic-widgets.js`, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), loader);

    const plain = await get(`${server.url}/civic-widgets.js`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/i);
    assert.deepEqual(plain.body, loader);
  });

  it('keeps hashed chunks for a year, the loader five minutes, and has pages revalidated', async () => {
    const hashed = await get(`${server.url}/core-BBwRG3Wp.js`, { 'accept-encoding': 'br' });
    assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(hashed.headers['content-encoding'], 'br');
    const loaded = await get(`${server.url}/civic-widgets.js`, { 'accept-encoding': 'br' });
    assert.equal(loaded.headers['cache-control'], 'public, max-age=300');
    const page = await get(`${server.url}/`, { 'accept-encoding': 'br' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-cache');
    assert.match(page.body.toString(), /Belvoir-sur-Loire/);
    assert.equal(page.headers['access-control-allow-origin'], '*');
  });
});
