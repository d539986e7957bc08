import { packageBuild } from '../../tsup.config.base';

export default packageBuild(
  {
    index: 'src/index.ts',
    node: 'src/adapters/node.ts',
    express: 'src/adapters/express.ts',
    hono: 'src/adapters/hono.ts',
    fastify: 'src/adapters/fastify.ts',
    tools: 'src/tools.ts',
    // Apart from the barrel: only apps that import them load better-sqlite3, ioredis, @anthropic-ai/sdk or ai.
    sqlite: 'src/stores/sqlite.ts',
    redis: 'src/stores/redis.ts',
    anthropic: 'src/agents/anthropic/index.ts',
    mcp: 'src/mcp/index.ts',
    'ai-sdk': 'src/agents/ai-sdk/index.ts',
    // Interop: AG-UI (needs @ag-ui/core) and the AI SDK UI message stream.
    'ag-ui': 'src/interop/ag-ui/index.ts',
    'ai-sdk-ui': 'src/interop/ai-sdk-ui/index.ts',
  },
  // `@internal` members (the server's session service and what endpoints beside the API share)
  // stay out of the published declarations.
  { splitting: true, dts: { compilerOptions: { stripInternal: true } } },
);
