import type { Preview } from '@storybook/web-components-vite';
import '../src/define.js';

const preview: Preview = {
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true },
  },
  decorators: [
    (story) => {
      // Each story starts from its own session, not one remembered by a previous story.
      try {
        localStorage.clear();
      } catch {
        // Storage may be unavailable (sandboxed iframe).
      }
      return story();
    },
  ],
};

export default preview;
