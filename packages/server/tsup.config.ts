import { packageBuild } from '../../tsup.config.base';

export default packageBuild(
  {
    index: 'src/index.ts',
    node: 'src/adapters/node.ts',
    express: 'src/adapters/express.ts',
    hono: 'src/adapters/hono.ts',
    fastify: 'src/adapters/fastify.ts',
  },
  { splitting: true },
);
