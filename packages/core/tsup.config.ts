import { packageBuild } from '../../tsup.config.base';

// Five entries: the root, which loads no zod; /schemas, the zod schemas; /util,
// the helpers core's client shares with the server; /ag-ui, the AG-UI client
// and mapping (no zod either); /attachments, the upload functions (apart, so a
// bundle that never uploads leaves them out whole). Splitting keeps what they share (the constants,
// the helpers, the reducer) in one copy.
export default packageBuild(
  { index: 'src/index.ts', schemas: 'src/schemas/index.ts', util: 'src/util/index.ts', 'ag-ui': 'src/ag-ui/index.ts', attachments: 'src/attachments.ts' },
  { splitting: true },
);
