/**
 * Import rules, checked by `npm run lint:deps` (part of `npm test`).
 * Type-only imports count: a circle of types is still a circle to read.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No module imports itself through others (issue 12): move what both sides need into a module of its own. ' +
        'A circle through a lazy `import()` is allowed: the imported module runs after the importer, so no order problem, ' +
        'and lazy parts make such circles (a part loaded on need may need the element that loads it).',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
    {
      name: 'core-is-isomorphic',
      severity: 'error',
      comment:
        'Core runs in browsers, Node, Deno and workers: no Node built-in, no DOM-only library, no other package of the repo (docs: DESIGN.md).',
      from: { path: '^packages/core/src/', pathNot: '[.]test[.]ts$|^packages/core/src/__fixtures__/' },
      to: {
        dependencyTypesNot: ['type-only'],
        path: '^packages/(server|widget|react)/|^node_modules/(lit|lit-html|lit-element|@lit|@lit-labs|marked|dompurify|react|react-dom)/',
      },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'Core imports no Node built-in, not even for types (DESIGN.md).',
      from: { path: '^packages/core/src/', pathNot: '[.]test[.]ts$|^packages/core/src/__fixtures__/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'http-layer-stays-at-the-edge',
      severity: 'error',
      comment:
        'Only the HTTP layer knows HTTP (issue 12): routes, statuses, CORS, OpenAPI live in server/src/http/ and are used by ' +
        'the adapters, http/chat-server.ts that assembles them (and the root barrel re-exporting the CORS options) and the ' +
        'interop endpoints (interop/*/handler.ts and the thread-sessions.ts they share, HTTP layer too); sessions, cluster, stores and agents never import them. ' +
        'Tests and fixtures may.',
      from: {
        path: '^packages/server/src/',
        pathNot:
          '^packages/server/src/(http|adapters)/|/__fixtures__/|^packages/server/src/index[.]ts$|^packages/server/src/interop/([^/]+/handler|thread-sessions)[.]ts$|[.]test[.]ts$',
      },
      to: { path: '^packages/server/src/http/' },
    },
    {
      name: 'statuses-at-the-edge',
      severity: 'error',
      comment:
        'Only the HTTP layer (http/, the adapters, interop endpoints) knows HTTP statuses (issue 12): the domain throws ' +
        'ChatError codes (chat-error.ts) and http/error-status.ts maps them to statuses.',
      from: {
        path: '^packages/server/src/',
        pathNot:
          '^packages/server/src/(http/|adapters/|interop/[^/]+/handler[.]ts$)|[.]test[.]ts$|/__fixtures__/',
      },
      to: { path: '^packages/server/src/http/(error-status|api-error)[.]ts$' },
    },
    {
      name: 'stores-persist-only',
      severity: 'error',
      comment:
        'Stores persist records and logs (issue 12): no live session, no session service; coordination of processes is cluster/.',
      from: { path: '^packages/server/src/stores/', pathNot: '[.]test[.]ts$|/__fixtures__/' },
      to: {
        path: '^packages/server/src/(sessions/(session|session-manager|session-runner|session-service)[.]ts$|http/)',
      },
    },
    {
      name: 'cluster-below-sessions',
      severity: 'error',
      comment: 'The cluster names sessions by id and knows neither live sessions nor stores (issue 12): the session manager is its host.',
      from: { path: '^packages/server/src/cluster/', pathNot: '[.]test[.]ts$' },
      to: { path: '^packages/server/src/(sessions/|stores/|http/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|storybook-static)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
    },
  },
};
