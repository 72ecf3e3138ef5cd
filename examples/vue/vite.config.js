import vue from '@vitejs/plugin-vue';

export default {
  base: './',
  logLevel: 'warn',
  // civic-* tags are custom elements, not Vue components.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('civic-') } } })],
};
