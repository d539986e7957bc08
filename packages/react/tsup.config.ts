import { packageBuild } from '../../tsup.config.base';

// The components and the hook are separate entries (code shared between them goes to a chunk),
// so an app that splits its code loads the widget only with the routes that render a component.
// React, Lit and the other agent-chat packages stay external (dependencies and the peer).
export default packageBuild(
  { index: 'src/index.ts', components: 'src/components/index.ts', 'use-agent-chat': 'src/use-agent-chat.ts' },
  { splitting: true },
);
