// Run by scripts/build.mjs inside each widget package: documents the elements of `src` (Lit
// decorators, and the JSDoc tags @cssprop, @csspart, @fires, @slot) in custom-elements.json.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.stories.ts', 'src/**/generated/**', 'src/**/locales/**'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  quiet: true,
};
