// Runs lit-localize for every package that has a lit-localize.json.
//   node scripts/localize.mjs extract  writes packages/<pkg>/xliff/<locale>.xlf from the sources
//   node scripts/localize.mjs build    writes packages/<pkg>/src/locales/<locale>.ts from the XLIFF
//   node scripts/localize.mjs check    fails when a source string lacks a translation
// A package name may follow the command to run it for that package only.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import { printDiagnostics } from '@lit/localize-tools/lib/typescript.js';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const [command, only] = process.argv.slice(2);
const commands = { extract, build, check };

if (!Object.hasOwn(commands, command)) {
  console.error('Usage: node scripts/localize.mjs extract|build|check [package]');
  process.exit(2);
}

const configs = readdirSync(join(root, 'packages'))
  .filter((pkg) => !only || pkg === only)
  .map((pkg) => join(root, 'packages', pkg, 'lit-localize.json'))
  .filter((path) => existsSync(path));

if (configs.length === 0) {
  console.error(only ? `No lit-localize.json in packages/${only}` : 'No package has a lit-localize.json');
  process.exit(2);
}

let failed = false;
for (const path of configs) {
  const config = readConfigFileAndWriteSchema(path);
  const name = relative(root, config.baseDir);
  const localizer = new RuntimeLitLocalizer(config);
  const { messages, errors } = localizer.extractSourceMessages();
  if (errors.length > 0) {
    printDiagnostics(errors);
    console.error(`${name}: could not analyse the sources`);
    failed = true;
    continue;
  }
  failed = !(await commands[command](name, localizer, messages, config)) || failed;
}
process.exit(failed ? 1 : 0);

async function extract(name, localizer, messages) {
  await localizer.writeInterchangeFiles();
  console.log(`${name}: ${messages.length} messages extracted`);
  return true;
}

async function build(name, localizer) {
  const { errors } = localizer.validateTranslations();
  if (errors.length > 0) {
    console.error(`${name}: translations whose placeholders differ from the source:\n${errors.join('\n')}`);
    return false;
  }
  await localizer.build();
  console.log(`${name}: locales built`);
  return true;
}

async function check(name, localizer, messages, config) {
  const { translations } = localizer.readTranslationsSync();
  let ok = true;
  for (const locale of config.targetLocales) {
    const translated = new Set((translations.get(locale) ?? []).map((message) => message.name));
    const missing = messages.filter((message) => !translated.has(message.name));
    for (const message of missing) {
      const text = message.contents.map((part) => (typeof part === 'string' ? part : part.untranslatable)).join('');
      console.error(`${name} [${locale}] untranslated ${message.name}: ${JSON.stringify(text)}`);
    }
    if (missing.length > 0) ok = false;
    else console.log(`${name} [${locale}]: ${messages.length} messages translated`);
  }
  const { errors } = localizer.validateTranslations();
  if (errors.length > 0) {
    console.error(`${name}: translations whose placeholders differ from the source:\n${errors.join('\n')}`);
    ok = false;
  }
  return ok;
}
