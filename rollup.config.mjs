// Two kinds of build, both driven by scripts/build.mjs (`npx rollup -c` builds everything too):
// - per package, the npm build: unbundled ESM in packages/<p>/dist, one file per source module,
//   every bare import left external, for bundlers and import maps;
// - the CDN build in packages/embed/dist/cdn: the loader entry, the API entry and one chunk per
//   widget, bundled with Lit and core, code-split and minified, for the one-script-tag embed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import MagicString from 'magic-string';

const root = path.dirname(fileURLToPath(import.meta.url));
const packagesDir = path.join(root, 'packages');
const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
const target = tsconfig.compilerOptions.target.toLowerCase();

/** The build settings of a workspace package, from its package.json. */
export function readPackage(folder) {
  const dir = path.join(packagesDir, folder);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { folder, dir, manifest };
}

/**
 * Whether a package gets the browser build: it has a `src/define.ts`, or says `"civic-build":
 * true`; `"civic-build": false` opts out (Node-only packages, which bring their own `build`).
 */
export function isBrowserPackage({ dir, manifest }) {
  const flag = manifest['civic-build'];
  if (flag === false) return false;
  return flag === true || existsSync(path.join(dir, 'src', 'define.ts'));
}

export function browserPackages() {
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(packagesDir, entry.name, 'package.json')))
    .map((entry) => readPackage(entry.name))
    .filter(isBrowserPackage);
}

/** Every module of a package's `src`, so that modules only reached by `import()` ship too. */
function sourceModules(dir) {
  return readdirSync(path.join(dir, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.(d|test|stories)\.ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const sideEffectFilters = new Map();

/**
 * Whether a workspace module has side effects, by its package's `sideEffects` field, as
 * node-resolve decides for modules it resolves: the define files do, the rest can be shaken off.
 */
function hasSideEffects(file) {
  const dir = path.join(packagesDir, path.relative(packagesDir, file).split(path.sep)[0]);
  if (!sideEffectFilters.has(dir)) {
    const declared = existsSync(path.join(dir, 'package.json')) ? readPackage(path.basename(dir)).manifest.sideEffects : undefined;
    const patterns = Array.isArray(declared) ? declared.map((pattern) => globPattern(path.resolve(dir, pattern))) : [];
    sideEffectFilters.set(dir, (id) => (Array.isArray(declared) ? patterns.some((re) => re.test(id)) : declared !== false));
  }
  return sideEffectFilters.get(dir)(file);
}

/** `sideEffects` entries are paths with optional `*` and `**` globs. */
function globPattern(glob) {
  const source = glob
    .split(/(\*\*\/?|\*)/)
    .map((part) => (part.startsWith('**') ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * TypeScript through esbuild, with the decorator semantics of tsconfig.json (Lit's legacy
 * decorators), resolving `./x.js` specifiers to `./x.ts` sources as tsc does.
 */
export function typescript() {
  const compilerOptions = {
    experimentalDecorators: tsconfig.compilerOptions.experimentalDecorators,
    useDefineForClassFields: tsconfig.compilerOptions.useDefineForClassFields,
    verbatimModuleSyntax: tsconfig.compilerOptions.verbatimModuleSyntax,
  };
  return {
    name: 'civic-typescript',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const candidate = path.resolve(path.dirname(importer), `${source.slice(0, -3)}.ts`);
      return existsSync(candidate) ? { id: candidate, moduleSideEffects: hasSideEffects(candidate) } : null;
    },
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const result = await transform(code, {
        loader: 'ts',
        format: 'esm',
        target,
        sourcemap: true,
        sourcefile: path.relative(root, id),
        tsconfigRaw: { compilerOptions },
      });
      for (const warning of result.warnings) this.warn(warning.text);
      return { code: result.code, map: result.map };
    },
  };
}

/** Minifies each output chunk with esbuild, keeping source maps. */
function minify() {
  return {
    name: 'civic-minify',
    async renderChunk(code, chunk) {
      const result = await transform(code, {
        minify: true,
        format: 'esm',
        target,
        sourcemap: true,
        sourcefile: chunk.fileName,
        legalComments: 'none',
      });
      return { code: result.code, map: result.map };
    },
  };
}

/** Every node of an ESTree, with its parent. */
function walk(node, visit, parent) {
  visit(node, parent);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child.type === 'string') walk(child, visit, node);
    }
  }
}

/**
 * The static parts of a `css` template, minified: comments dropped, whitespace collapsed and
 * removed where CSS gives it no meaning. A space before `:` is a descendant combinator and stays;
 * a comment must open and close within one static part.
 */
export function minifyCss(text) {
  // Quoted strings (`content`, attribute selectors) are kept exactly as written. Comments go
  // first: their prose may hold an apostrophe.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/\s+/g, ' ')
            .replace(/\s*([{};,>])\s*/g, '$1')
            .replace(/:\s+/g, ':')
            .replace(/;}/g, '}'),
    )
    .join('');
}

/**
 * The static parts of an `html` template: a run of whitespace that holds a line break (source
 * indentation) becomes one space. HTML renders any such run as one space, so text, inline layout
 * and attribute values are unchanged.
 */
export function minifyHtml(text) {
  return text.replace(/[ \t]*\n\s*/g, ' ');
}

/**
 * Minifies the static parts of Lit's `css` and `html` templates in workspace modules. An `html`
 * template passed to `msg()` is left alone: lit-localize finds its translation by a hash of the
 * template's exact strings.
 */
function minifyTemplates() {
  return {
    name: 'civic-minify-templates',
    transform(code, id) {
      if (!workspaceModule(id) || !/\b(css|html)`/.test(code)) return null;
      const output = new MagicString(code);
      walk(this.parse(code), (node, parent) => {
        if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') return;
        const minifier = node.tag.name === 'css' ? minifyCss : node.tag.name === 'html' ? minifyHtml : undefined;
        const localized = parent?.type === 'CallExpression' && parent.callee.type === 'Identifier' && parent.callee.name === 'msg';
        if (!minifier || localized) return;
        for (const quasi of node.quasi.quasis) {
          const raw = code.slice(quasi.start, quasi.end);
          const minified = minifier(raw);
          if (minified !== raw) output.overwrite(quasi.start, quasi.end, minified);
        }
      });
      return output.hasChanged() ? { code: output.toString(), map: output.generateMap({ hires: true }) } : null;
    },
  };
}

const isBare = (source) => !source.startsWith('.') && !source.startsWith('\0') && !path.isAbsolute(source);

/** The npm build of one package. */
export function packageConfig(pkg) {
  return {
    input: sourceModules(pkg.dir),
    external: isBare,
    plugins: [typescript()],
    preserveEntrySignatures: 'strict',
    output: {
      dir: path.join(pkg.dir, 'dist'),
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: path.join(pkg.dir, 'src'),
      entryFileNames: '[name].js',
      // The package ships src/ (the `@civic-widgets/source` export condition points at it), so
      // its maps point at those files instead of carrying a second copy of every source.
      sourcemap: true,
      sourcemapExcludeSources: true,
    },
    onwarn: failOnWarning,
  };
}

export const cdnDir = path.join(packagesDir, 'embed', 'dist', 'cdn');
export const cdnManifestFile = 'civic-widgets.manifest.json';

/** The package a module belongs to, and its path inside it, or none for third-party modules. */
function workspaceModule(id) {
  const relative = path.relative(packagesDir, id);
  if (relative.startsWith('..') || relative.includes('node_modules')) return undefined;
  const [folder, ...rest] = relative.split(path.sep);
  return { folder, file: rest.join('/') };
}

/**
 * The workspace module a chunk stands for: its facade, or else the define module it holds. A
 * widget's define chunk loses its facade when lazy sub-elements import modules from it.
 */
function chunkFacade(chunk) {
  const facade = chunk.facadeModuleId && workspaceModule(chunk.facadeModuleId);
  if (facade) return facade;
  const define = (chunk.moduleIds ?? Object.keys(chunk.modules)).map(workspaceModule).find((own) => own?.file === 'src/define.ts');
  return define;
}

/** Readable chunk names: `poll-define-<hash>.js` for the poll's define module, `poll-ranking-<hash>.js`, … */
function chunkFileName(chunk) {
  const facade = chunkFacade(chunk);
  if (facade) {
    const name = path.basename(facade.file, '.ts');
    return `${name.startsWith(`${facade.folder}-`) ? name : `${facade.folder}-${name}`}-[hash].js`;
  }
  if (chunk.moduleIds.some((id) => workspaceModule(id)?.folder === 'core')) return 'core-[hash].js';
  if (chunk.moduleIds.some((id) => /[\\/]node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]/.test(id))) {
    return 'lit-[hash].js';
  }
  return '[name]-[hash].js';
}

/**
 * Writes the chunk graph next to the bundle: which chunk each package's modules landed in and what
 * each chunk imports, statically and dynamically. bench/size.mjs reads it; hosts may use it for
 * `modulepreload` hints.
 */
function chunkManifest() {
  return {
    name: 'civic-chunk-manifest',
    generateBundle(_options, bundle) {
      const chunks = {};
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const facade = chunkFacade(output);
        chunks[output.fileName] = {
          entry: output.isEntry,
          dynamicEntry: output.isDynamicEntry,
          facade: facade ? `${facade.folder}/${facade.file}` : null,
          imports: output.imports,
          dynamicImports: output.dynamicImports,
          // Bytes each module adds to the chunk before minification, to see where size goes.
          modules: Object.fromEntries(
            Object.entries(output.modules).map(([id, module]) => {
              const own = workspaceModule(id);
              const name = own ? `${own.folder}/${own.file}` : path.relative(root, id).split(path.sep).join('/');
              return [name, module.renderedLength];
            }),
          ),
        };
      }
      this.emitFile({ type: 'asset', fileName: cdnManifestFile, source: `${JSON.stringify({ chunks }, null, 2)}\n` });
    },
  };
}

/**
 * Brotli and gzip copies beside each script of the CDN build, made once at the highest levels, so
 * that a server sends them as they are (`Content-Encoding`) instead of compressing per request or
 * not at all. The reference server does (@fastify/static's `preCompressed`).
 */
function precompress() {
  return {
    name: 'civic-precompress',
    async writeBundle(options, bundle) {
      const scripts = Object.keys(bundle).filter((file) => file.endsWith('.js'));
      await Promise.all(
        scripts.map(async (file) => {
          const full = path.join(options.dir, file);
          const source = await readFile(full);
          const brotli = { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: source.length };
          await writeFile(`${full}.br`, brotliCompressSync(source, { params: brotli }));
          await writeFile(`${full}.gz`, gzipSync(source, { level: 9 }));
        }),
      );
    },
  };
}

/**
 * Gives a chunk whose fetch failed a new address for its next try. Firefox keeps a failed dynamic
 * import in its module map for the page's life, so without this a citizen who went offline for a
 * moment would lose the live stream, a form or a view until they reload. The retry address differs
 * only by its query: the chunk's own imports resolve to the same modules as before.
 */
function retryableImports() {
  // Written small by hand: it is repeated at every dynamic import. `u` is the chunk's address, `f`
  // the failures per address shared by every chunk of the page, `n` this chunk's failures so far.
  const helper =
    '((u,b,f,n)=>(u=new URL(u,b).href,f=globalThis[Symbol.for("civic-widgets.failed-chunks")]??={},n=f[u]|0,' +
    'import(n?u+"?retry="+n:u).catch(e=>{throw f[u]=n+1,e})))(';
  return {
    name: 'civic-retryable-imports',
    renderDynamicImport({ targetChunk }) {
      // Only our own chunks: an import of a computed address is left as it is.
      return targetChunk ? { left: helper, right: ', import.meta.url)' } : null;
    },
  };
}

/** The CDN build: the loader and API entries, with widget chunks split from `definitions.ts`. */
export function cdnConfig() {
  const src = path.join(packagesDir, 'embed', 'src');
  return {
    input: {
      'civic-widgets': path.join(src, 'civic-widgets.ts'),
      'civic-widgets.api': path.join(src, 'api.ts'),
    },
    plugins: [
      typescript(),
      minifyTemplates(),
      nodeResolve({
        browser: true,
        exportConditions: ['@civic-widgets/source', 'browser', 'import', 'default'],
        extensions: ['.ts', '.mjs', '.js'],
      }),
      retryableImports(),
      minify(),
      chunkManifest(),
      precompress(),
    ],
    preserveEntrySignatures: 'strict',
    output: {
      dir: cdnDir,
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: chunkFileName,
      sourcemap: true,
      // Side-effect-free chunks of a few hundred bytes (a domain's limits, one Lit directive) cost a
      // request each and compress poorly alone: rollup folds them into a chunk that loads anyway.
      experimentalMinChunkSize: 400,
    },
    onwarn: failOnWarning,
  };
}

/**
 * A warning in a build we publish is a bug, except type-only modules (empty in JS) and what
 * dependencies do among themselves.
 */
function failOnWarning(warning, warn) {
  if (warning.code === 'EMPTY_BUNDLE') return;
  const inDependencies = (id) => id?.includes('node_modules');
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every(inDependencies)) return;
  if (warning.code === 'THIS_IS_UNDEFINED' && inDependencies(warning.id)) return;
  warn(warning);
  throw new Error(`Build warning treated as an error: ${warning.message}`);
}

export default () => {
  const packages = browserPackages();
  const configs = packages.map(packageConfig);
  if (packages.some((pkg) => pkg.folder === 'embed')) configs.push(cdnConfig());
  return configs;
};
