import { packageBuild } from '../../tsup.config.base';

// Four entries: the root, which loads no zod; /schemas, the zod schemas; /util,
// the helpers core's client shares with the server; /ag-ui, the AG-UI client
// and mapping (no zod either). Splitting keeps what they share (the constants,
// the helpers, the reducer) in one copy.
export default packageBuild(
  { index: 'src/index.ts', schemas: 'src/schemas/index.ts', util: 'src/util/index.ts', 'ag-ui': 'src/ag-ui/index.ts' },
  { splitting: true },
);
