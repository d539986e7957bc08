import { packageBuild } from '../../tsup.config.base';

// Three entries: the root, which loads no zod; /schemas, the zod schemas; /util,
// the helpers core's client shares with the server. Splitting keeps what they
// share (the constants, the helpers) in one copy.
export default packageBuild(
  { index: 'src/index.ts', schemas: 'src/schemas/index.ts', util: 'src/util/index.ts' },
  { splitting: true },
);
