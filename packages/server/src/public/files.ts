/*
 * The public files (the widgets' CDN build, the demo page) from one or more folders, first match
 * wins. The build writes a brotli and a gzip copy beside each script: a browser that takes one gets
 * it as it is, with `Content-Encoding`; others get the file. Every answer says `Vary:
 * Accept-Encoding`, so that a cache keeps one copy per encoding.
 *
 * Why not @fastify/static's own `preCompressed`: with several folders it looks for the plain file
 * in the last folder only once no copy is found, so a page in the first folder answers 404.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Content encodings in order of preference, with the suffix of their copies. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

/**
 * A chunk of the CDN build carries a hash of its content in its name (`core-BBwRG3Wp.js`): it never
 * changes, so browsers and proxies keep it for a year without asking again. The loader
 * (`civic-widgets.js`), whose name stays the same from one release to the next, is kept five
 * minutes, so that a new release reaches every page soon; pages are checked each time (ETag).
 */
const HASHED_FILE = /-[A-Za-z0-9_-]{8}\.js(\.map)?$/;

export function cacheControlOf(file: string): string {
  if (HASHED_FILE.test(file)) return 'public, max-age=31536000, immutable';
  if (file.endsWith('.html')) return 'no-cache';
  return 'public, max-age=300';
}

const MIME: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export async function publicFiles(app: FastifyInstance, roots: readonly string[]): Promise<void> {
  const folders = roots.map((root) => path.resolve(root));
  // Only for reply.sendFile (ETag, Last-Modified, ranges, HEAD); the routes are below.
  await app.register(fastifyStatic, {
    root: folders,
    serve: false,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, file: string) => {
      const encoding = ENCODINGS.find(([, suffix]) => file.endsWith(suffix));
      const original = encoding ? file.slice(0, -encoding[1].length) : file;
      if (encoding) {
        reply.header('content-encoding', encoding[0]);
        reply.header('content-type', MIME[path.extname(original)] ?? 'application/octet-stream');
      }
      // Public files load from any page; the API only from the allow-list.
      reply.header('access-control-allow-origin', '*');
      reply.header('vary', 'Accept-Encoding');
      reply.header('cache-control', cacheControlOf(original));
    },
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    schema: { hide: true },
    handler: async (request, reply) => {
      let wanted: string;
      try {
        wanted = decodeURIComponent(request.url.split('?')[0]!);
      } catch {
        return reply.callNotFound();
      }
      if (wanted.endsWith('/')) wanted += 'index.html';
      const found = await locate(folders, wanted);
      if (!found) return reply.callNotFound();
      const accepted = acceptedEncodings(request.headers['accept-encoding']);
      for (const [encoding, suffix] of ENCODINGS) {
        if (accepted.has(encoding) && (await isFile(found.file + suffix))) return reply.sendFile(found.relative + suffix, found.root);
      }
      return reply.sendFile(found.relative, found.root);
    },
  });
}

/** The first folder holding `wanted` as a file, never outside it, never a dotfile. */
async function locate(folders: readonly string[], wanted: string): Promise<{ root: string; relative: string; file: string } | undefined> {
  if (wanted.includes('\0') || wanted.split('/').some((part) => part.startsWith('.'))) return undefined;
  for (const root of folders) {
    const file = path.resolve(root, `.${wanted}`);
    if (!file.startsWith(root + path.sep)) return undefined;
    if (await isFile(file)) return { root, relative: path.relative(root, file).split(path.sep).join('/'), file };
  }
  return undefined;
}

/** Asked of the file system without blocking the server's other requests. */
async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The codings an Accept-Encoding header accepts (q > 0). */
function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (name && (!q || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return accepted;
}
