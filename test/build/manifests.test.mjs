// The custom-elements.json of each widget package, as `npm run build` writes it: what editors,
// framework wrappers and Storybook read to know a tag's attributes, events, parts and tokens.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const widgets = {
  poll: 'civic-poll',
  'comment-thread': 'civic-comment-thread',
  'idea-box': 'civic-idea-box',
  'participatory-map': 'civic-participatory-map',
  'results-tracker': 'civic-results-tracker',
};

function declarationOf(folder, tag) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'packages', folder, 'package.json'), 'utf8'));
  const file = path.join(root, 'packages', folder, pkg.customElements);
  assert.ok(existsSync(file), `${folder}: package.json names ${pkg.customElements}, which the build did not write`);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const declaration = manifest.modules.flatMap((mod) => mod.declarations ?? []).find((entry) => entry.tagName === tag);
  assert.ok(declaration, `${folder}: no declaration of <${tag}>`);
  return declaration;
}

const tokens = (() => {
  const core = JSON.parse(readFileSync(path.join(root, 'packages', 'core', 'custom-elements.json'), 'utf8'));
  const base = core.modules.flatMap((mod) => mod.declarations ?? []).find((entry) => entry.name === 'CivicElement');
  return base.cssProperties.map((entry) => entry.name);
})();

describe('custom-elements.json', () => {
  it('core documents the --civic- tokens on CivicElement', () => {
    assert.ok(tokens.length >= 14, `only ${tokens.length} tokens`);
    assert.ok(tokens.every((name) => name.startsWith('--civic-')));
  });

  for (const [folder, tag] of Object.entries(widgets)) {
    it(`<${tag}> lists what it inherits from CivicElement beside its own`, () => {
      const declaration = declarationOf(folder, tag);
      const attributes = new Map(declaration.attributes.map((entry) => [entry.name, entry]));
      for (const name of ['endpoint', 'theme']) {
        assert.equal(attributes.get(name)?.inheritedFrom?.name, 'CivicElement', `${tag}: attribute ${name}`);
      }
      assert.ok([...attributes.values()].some((entry) => !entry.inheritedFrom), `${tag}: none of its own attributes`);
      const properties = new Set(declaration.cssProperties.map((entry) => entry.name));
      assert.deepEqual(tokens.filter((name) => !properties.has(name)), [], `${tag}: tokens missing`);
      assert.ok(declaration.members.some((entry) => entry.name === 'adapter' && entry.inheritedFrom), `${tag}: the adapter property`);
      assert.ok(declaration.cssParts?.length > 0, `${tag}: no parts`);
      assert.ok(declaration.events?.some((entry) => entry.name.startsWith('civic-')), `${tag}: no civic- events`);
    });

    it(`<${tag}> is defined where define.js defines it, and its events carry their detail types`, () => {
      const pkg = JSON.parse(readFileSync(path.join(root, 'packages', folder, 'package.json'), 'utf8'));
      const manifest = JSON.parse(readFileSync(path.join(root, 'packages', folder, pkg.customElements), 'utf8'));
      const definitions = manifest.modules.flatMap((mod) => (mod.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition').map((entry) => ({ ...entry, module: mod.path })));
      assert.deepEqual(
        definitions.filter((entry) => entry.name === tag).map((entry) => entry.module),
        ['src/define.ts'],
        `${tag}: definitions ${JSON.stringify(definitions)}`,
      );
      assert.deepEqual(definitions.filter((entry) => !/^[a-z][a-z0-9._]*-[a-z0-9._-]*$/.test(entry.name)), [], `${tag}: definitions of no element name`);
      const events = declarationOf(folder, tag).events;
      assert.deepEqual(events.filter((event) => !event.name.startsWith('civic-')).map((event) => event.name), [], `${tag}: events that are not its own`);
      for (const event of events) assert.match(event.type?.text ?? '', /^CustomEvent<Civic\w+Detail>$/, `${tag}: the type of ${event.name}`);
    });
  }
});
