// Run by scripts/build.mjs inside each widget package: documents the elements of `src` (Lit
// decorators, and the JSDoc tags @cssprop, @csspart, @fires, @slot) in custom-elements.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const coreManifest = path.join(root, 'packages', 'core', 'custom-elements.json');
const CORE = '@civic-widgets/core';
const INHERITED = ['attributes', 'members', 'cssProperties', 'cssParts', 'events', 'slots'];

/**
 * The analyzer reads one package at a time, so a widget's manifest would lack what it inherits
 * from core's CivicElement: the `endpoint` and `theme` attributes and every `--civic-` token.
 * Editors and Storybook read only the element's own entry; this copies them in, marked
 * `inheritedFrom`, from core's manifest (which the build writes first).
 */
function inheritFromCore() {
  return {
    name: 'civic-inherit-from-core',
    packageLinkPhase({ customElementsManifest }) {
      if (!existsSync(coreManifest)) return;
      const core = JSON.parse(readFileSync(coreManifest, 'utf8'));
      const bases = new Map(core.modules.flatMap((mod) => mod.declarations ?? []).map((declaration) => [declaration.name, declaration]));
      for (const declaration of customElementsManifest.modules.flatMap((mod) => mod.declarations ?? [])) {
        const base = declaration.superclass?.package === CORE ? bases.get(declaration.superclass.name) : undefined;
        if (!base) continue;
        for (const kind of INHERITED) {
          const own = declaration[kind] ?? [];
          const names = new Set(own.map((entry) => entry.name));
          const inherited = (base[kind] ?? [])
            .filter((entry) => !names.has(entry.name) && entry.privacy !== 'private')
            .map((entry) => ({ ...entry, inheritedFrom: entry.inheritedFrom ?? { name: base.name, package: CORE } }));
          if (inherited.length > 0) declaration[kind] = [...own, ...inherited];
        }
      }
    },
  };
}

/** A custom element name as HTML defines it: what a real `customElements.define` names. */
const ELEMENT_NAME = /^[a-z][a-z0-9._]*-[a-z0-9._-]*$/;

/**
 * What the analyzer gets wrong about how our elements are defined:
 * - `CivicElement.emit(name, …)` reads as an event called `name`: the base fires nothing itself;
 * - a `customElements.define(tag, element)` with a variable (the poll's sub-elements) reads as an
 *   element called `tag`;
 * - a widget is defined in `src/define.ts` by `Class.define('civic-x')`, which it does not see:
 *   the definition is added to that module, and the tag to the class.
 */
function fixDefinitions() {
  return {
    name: 'civic-fix-definitions',
    packageLinkPhase({ customElementsManifest }) {
      const declarations = customElementsManifest.modules.flatMap((mod) => (mod.declarations ?? []).map((declaration) => ({ mod, declaration })));
      for (const { declaration } of declarations) {
        if (declaration.name === 'CivicElement') delete declaration.events;
        if (declaration.events) declaration.events = declaration.events.filter((event) => event.name !== 'name' || event.description);
      }
      for (const mod of customElementsManifest.modules) {
        if (mod.exports) mod.exports = mod.exports.filter((entry) => entry.kind !== 'custom-element-definition' || ELEMENT_NAME.test(entry.name));
      }
      const defineModule = customElementsManifest.modules.find((mod) => mod.path === 'src/define.ts');
      const source = path.join(process.cwd(), 'src', 'define.ts');
      if (!defineModule || !existsSync(source)) return;
      for (const [, className, tag] of readFileSync(source, 'utf8').matchAll(/\b([A-Z]\w*)\.define\('([a-z][\w.-]*-[\w.-]*)'\)/g)) {
        const found = declarations.find(({ declaration }) => declaration.name === className);
        if (!found) continue;
        found.declaration.tagName ??= tag;
        found.declaration.customElement = true;
        defineModule.exports ??= [];
        if (!defineModule.exports.some((entry) => entry.kind === 'custom-element-definition' && entry.name === tag)) {
          defineModule.exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: className, module: found.mod.path } });
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.stories.ts', 'src/**/generated/**', 'src/**/locales/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  quiet: true,
  plugins: [fixDefinitions(), inheritFromCore()],
};
