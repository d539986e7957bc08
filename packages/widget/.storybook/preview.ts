import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../src/define.js';
import { argTypesFromManifest, defaultArgs, type CustomElementsManifest } from '../src/testing/story-args.js';
// Written by `npm run build -w @agent-chat/widget` (cem analyze, from each element's JSDoc): build the widget first.
import manifest from '../custom-elements.json';

/*
 * Each element's docs page (autodocs) and its stories' controls come from
 * custom-elements.json: properties, attributes, events, slots, CSS parts and
 * `--agent-chat-*` custom properties, one table grouped by kind. Stories apply
 * their args to the element with the `args()` directive (src/testing/story-args.ts).
 */
setCustomElementsManifest(manifest);

const preview: Preview = {
  tags: ['autodocs'],
  // Controls start at the element's defaults; a story's own args win.
  argsEnhancers: [
    ({ component, initialArgs }) =>
      Object.fromEntries(
        Object.entries(typeof component === 'string' ? defaultArgs(manifest as CustomElementsManifest, component) : {}).filter(([key]) => !(key in initialArgs)),
      ),
  ],
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true, sort: 'requiredFirst' },
    docs: {
      // Our own rows (events as actions, slots as text, custom properties as colors) instead of the renderer's.
      extractArgTypes: (tag: string) => argTypesFromManifest(manifest as CustomElementsManifest, tag),
    },
    options: {
      storySort: { order: ['Introduction', 'Theming', 'Elements', 'Parts'] },
    },
  },
  decorators: [
    (story, { viewMode }) => {
      // Each story starts from its own session, not one remembered by a previous story.
      try {
        localStorage.clear();
      } catch {
        // Storage may be unavailable (sandboxed iframe).
      }
      // Stories fill the viewport (`height: var(--story-height, 100vh)`); on a docs page, a box each.
      return viewMode === 'docs' ? html`<div style="--story-height: 520px">${story()}</div>` : story();
    },
  ],
};

export default preview;
