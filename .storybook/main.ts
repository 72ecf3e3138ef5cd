import { defaultClientConditions, mergeConfig } from 'vite';
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  framework: { name: '@storybook/web-components-vite', options: {} },
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      // Workspace packages resolve to their TypeScript sources: Storybook needs no prior build.
      resolve: { conditions: ['@civic-widgets/source', ...defaultClientConditions] },
      // Storybook's own preview and docs chunks are this big; the widgets' sizes are checked in bench/.
      build: { chunkSizeWarningLimit: 1200 },
    }),
};

export default config;
