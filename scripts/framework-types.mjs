// Run by scripts/build.mjs after custom-elements.json: for each package with custom elements, what
// frameworks and editors read, generated from that manifest so that it cannot drift from the code:
// - dist/tags.d.ts: the tags in `HTMLElementTagNameMap`, referenced from dist/index.d.ts, so that
//   `querySelector('civic-poll')` is typed without importing define.js (which registers the tag);
// - dist/react.d.ts: the tags in React 19's `JSX.IntrinsicElements` (`import type {} from
//   '@civic-widgets/poll/react'`);
// - dist/vue.d.ts: the tags in Vue's `GlobalComponents`, for `vue-tsc` with `strictTemplates`;
// - html-custom-data.json (VS Code's `html.customData`) and web-types.json (JetBrains IDEs, through
//   the package's `web-types` field).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const generatedBy = '// Generated from custom-elements.json by scripts/framework-types.mjs.\n';

/** The elements a package exports from its index that have a tag, with what the manifest says. */
export function exportedElements(manifest) {
  const index = manifest.modules.find((mod) => mod.path === 'src/index.ts');
  const exported = new Set((index?.exports ?? []).map((entry) => entry.name));
  return manifest.modules
    .flatMap((mod) => mod.declarations ?? [])
    .filter((declaration) => declaration.customElement && declaration.tagName && exported.has(declaration.name))
    .map((declaration) => ({
      tag: declaration.tagName,
      className: declaration.name,
      description: declaration.summary ?? declaration.description ?? '',
      attributes: (declaration.attributes ?? []).filter((attribute) => attribute.name),
      // Public fields set from code only (no attribute), e.g. `adapter`.
      properties: (declaration.members ?? []).filter(
        (member) => member.kind === 'field' && !member.static && !member.readonly && (member.privacy ?? 'public') === 'public' && !member.attribute,
      ),
      // Events with a `civic-` name; the manifest also lists what the analyzer mistakes for events.
      events: (declaration.events ?? []).filter((event) => event.name?.startsWith('civic-')),
    }));
}

const comment = (text, indent) =>
  text ? `${indent}/** ${text.trim().replace(/\*\//g, '*\\/').split('\n').join(`\n${indent} * `)} */\n` : '';

const camel = (name) => name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());

/** One element's props: each attribute under its attribute name, each code-only property under its own. */
function props(element, key) {
  const lines = [
    ...element.attributes.map((attribute) => [
      key(attribute.name),
      attribute.fieldName ? `${element.className}['${attribute.fieldName}']` : 'string',
      attribute.description,
    ]),
    ...element.properties.map((property) => [property.name, `${element.className}['${property.name}']`, property.description]),
  ];
  return lines.map(([name, type, description]) => `${comment(description, '        ')}        '${name}'?: ${type} | undefined;`).join('\n');
}

function imports(elements) {
  return `import type { ${elements.map((element) => element.className).join(', ')} } from './index.js';\n`;
}

function tagsDeclaration(elements) {
  const entries = elements.map((element) => `    '${element.tag}': ${element.className};`).join('\n');
  return `${generatedBy}${imports(elements)}\ndeclare global {\n  interface HTMLElementTagNameMap {\n${entries}\n  }\n}\n`;
}

/**
 * React 19 listens for a custom element's event through the prop `on` + its exact name
 * (`oncivic-vote`), typed here from the event map the package's events.ts extends.
 */
function reactEvents(element) {
  return element.events
    .map((event) => `${comment(event.description, '        ')}        'on${event.name}'?: ((event: GlobalEventHandlersEventMap['${event.name}']) => void) | undefined;\n`)
    .join('');
}

function reactDeclaration(elements) {
  const entries = elements
    .map(
      (element) =>
        `${comment(element.description.split('\n\n')[0], '      ')}      '${element.tag}': React.DetailedHTMLProps<React.HTMLAttributes<${element.className}>, ${element.className}> & {\n` +
        `${props(element, (name) => name)}\n${reactEvents(element)}      };`,
    )
    .join('\n');
  return `${generatedBy}import type * as React from 'react';\n${imports(elements)}\ndeclare module 'react' {\n  namespace JSX {\n    interface IntrinsicElements {\n${entries}\n    }\n  }\n}\n`;
}

function vueDeclaration(elements) {
  // Vue matches a template's `heading-level` to a `headingLevel` prop.
  const entries = elements
    .map(
      (element) =>
        `${comment(element.description.split('\n\n')[0], '    ')}    '${element.tag}': DefineComponent<{\n${props(element, camel).replace(/^ {4}/gm, '')}\n    }>;`,
    )
    .join('\n');
  return `${generatedBy}import type { DefineComponent } from 'vue';\n${imports(elements)}\ndeclare module 'vue' {\n  interface GlobalComponents {\n${entries}\n  }\n}\n`;
}

/** `'a' | 'b' | undefined` as the values an editor offers; none for other types. */
function literalValues(type) {
  const parts = (type ?? '').split('|').map((part) => part.trim()).filter((part) => part !== 'undefined');
  return parts.length > 0 && parts.every((part) => /^'[^']*'$/.test(part)) ? parts.map((part) => part.slice(1, -1)) : undefined;
}

function vscodeData(elements) {
  return {
    version: 1.1,
    tags: elements.map((element) => ({
      name: element.tag,
      description: element.description,
      attributes: element.attributes.map((attribute) => {
        const values = literalValues(attribute.type?.text);
        return { name: attribute.name, description: attribute.description ?? '', ...(values ? { values: values.map((name) => ({ name })) } : {}) };
      }),
    })),
  };
}

function webTypes(manifest, elements) {
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: manifest.name,
    version: manifest.version,
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elements.map((element) => ({
          name: element.tag,
          description: element.description,
          attributes: element.attributes.map((attribute) => ({
            name: attribute.name,
            description: attribute.description ?? '',
            value: { type: attribute.type?.text ?? 'string', required: false },
          })),
          events: element.events.map((event) => ({ name: event.name, description: event.description ?? '' })),
        })),
      },
    },
  };
}

/** Writes the files above for one package; does nothing for a package without exported tags. */
export function writeFrameworkTypes(pkg) {
  const manifestFile = path.join(pkg.dir, 'custom-elements.json');
  if (!existsSync(manifestFile)) return;
  const elements = exportedElements(JSON.parse(readFileSync(manifestFile, 'utf8')));
  if (elements.length === 0) return;
  const dist = path.join(pkg.dir, 'dist');
  for (const [name, declaration] of [
    ['tags', tagsDeclaration(elements)],
    ['react', reactDeclaration(elements)],
    ['vue', vueDeclaration(elements)],
  ]) {
    writeFileSync(path.join(dist, `${name}.d.ts`), declaration);
    // Type-only entry points still resolve to a module, as tools that check exports expect.
    if (name !== 'tags') writeFileSync(path.join(dist, `${name}.js`), `${generatedBy}export {};\n`);
  }
  appendFileSync(path.join(dist, 'index.d.ts'), "import './tags.js';\n");
  writeFileSync(path.join(pkg.dir, 'html-custom-data.json'), `${JSON.stringify(vscodeData(elements), null, 2)}\n`);
  writeFileSync(path.join(pkg.dir, 'web-types.json'), `${JSON.stringify(webTypes(pkg.manifest, elements), null, 2)}\n`);
}
