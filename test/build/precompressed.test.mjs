// The CDN build's brotli and gzip copies, which the reference server sends as they are: one beside
// every script, each the script itself once decoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { cdnDir } from '../../rollup.config.mjs';

test('every script of the CDN build has a brotli and a gzip copy that decode to it', () => {
  const scripts = readdirSync(cdnDir).filter((file) => file.endsWith('.js'));
  assert.ok(scripts.includes('civic-widgets.js') && scripts.length > 10, `scripts: ${scripts.join(', ')}`);
  for (const file of scripts) {
    const source = readFileSync(path.join(cdnDir, file));
    for (const [suffix, decode] of [['.br', brotliDecompressSync], ['.gz', gunzipSync]]) {
      const copy = path.join(cdnDir, file + suffix);
      assert.ok(existsSync(copy), `${file}${suffix} is missing`);
      assert.ok(decode(readFileSync(copy)).equals(source), `${file}${suffix} does not decode to ${file}`);
    }
  }
});
