import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { useServers } from '../__fixtures__/conformance-suite.js';
import { API_OPERATIONS, buildOpenApiDocument } from './openapi.js';

const start = useServers(nodeFactory);

/** Every `$ref` in `value`. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refs(item, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with every route, each $ref resolved, generated from the zod schemas', () => {
    const doc = buildOpenApiDocument('/api') as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown[] }>>;
      components: { schemas: Record<string, Record<string, unknown>> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api' }]);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(API_OPERATIONS.map((op) => `${op.method} ${op.path}`).sort());
    for (const ref of refs(doc)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
    const body = doc.components.schemas.TruncateBody!;
    expect(body).toMatchObject({
      type: 'object',
      properties: { userMessageIndex: { type: 'integer', minimum: 0 } },
      required: ['userMessageIndex'],
      additionalProperties: false,
    });
    expect(doc.components.schemas.Health!.properties).toHaveProperty('features');
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/chat/{id}']!.post!.responses).toHaveProperty('401');
    expect(doc.paths['/chat/{id}']!.post!.responses['200']).toMatchObject({ content: { 'text/event-stream': {} } });
  });

  it('is served at GET {base}/openapi.json without auth', async () => {
    const s = await start({ basePath: '/chat-api' });
    const response = await fetch(`${s.origin}/chat-api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { servers: { url: string }[] };
    expect(doc.servers).toEqual([{ url: '/chat-api' }]);
  });
});
