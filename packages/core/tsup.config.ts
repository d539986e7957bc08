import { packageBuild } from '../../tsup.config.base';

// Two entries: the root, which loads no zod, and /schemas, the zod schemas.
// Splitting keeps what they share (the constants) in one copy.
export default packageBuild({ index: 'src/index.ts', schemas: 'src/schemas/index.ts' }, { splitting: true });
