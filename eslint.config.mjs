// Lint for the packages' sources: typescript-eslint, and for the elements Lit's, web components'
// and Lit templates' accessibility rules. `npm run lint`, run by `npm test`.
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';

const elements = ['packages/{core,poll,comment-thread,idea-box,participatory-map,results-tracker,embed}/src/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/locales/**', 'storybook-static/**', 'node_modules/**', 'examples/**'] },
  { files: ['packages/*/src/**/*.ts'], extends: [tseslint.configs.recommended] },
  { files: elements, extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']] },
  { files: elements, plugins: { 'lit-a11y': litA11y }, rules: litA11y.configs.recommended.rules },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: {
      // `_name` marks what is left out on purpose (a field dropped from a copy, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Long template lines are split where a reader would; code lines stay readable on one screen.
      // A `@fires` tag stays on one line: the manifest reads its description from it.
      'max-len': [
        'error',
        { code: 180, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true, ignorePattern: '^\\s*\\* @fires ' },
      ],
    },
  },
  {
    files: elements,
    rules: {
      // The lists listen for the clicks of the buttons inside them (one listener, however long the
      // list): the buttons themselves answer Enter and Space.
      'lit-a11y/click-events-have-key-events': 'off',
    },
  },
  {
    files: ['packages/server/src/db/**/*.ts'],
    rules: {
      // Migrations are written against Kysely<any>, as Kysely recommends (a migration must not
      // depend on today's schema), and the commit queue holds jobs of every result type.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
