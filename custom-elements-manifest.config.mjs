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

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.stories.ts', 'src/**/generated/**', 'src/**/locales/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  quiet: true,
  plugins: [inheritFromCore()],
};
