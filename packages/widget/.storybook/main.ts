import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * The widget's catalogue: a story for every element and state, fed by
 * recorded event streams through a mock transport (src/testing/mock-fetch.ts),
 * so it needs no server and builds offline.
 *   npm run storybook         (dev server on :6006)
 *   npm run build-storybook   (static site in storybook-static/)
 * Every element has a docs page from custom-elements.json (build the widget
 * first: `npm run build -w @agent-chat/widget` writes it).
 */
const config: StorybookConfig = {
  stories: ['./introduction.mdx', '../src/**/*.stories.ts'],
  // Docs pages (autodocs from custom-elements.json) and the MDX introduction.
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  docs: { defaultName: 'Docs' },
};

export default config;
