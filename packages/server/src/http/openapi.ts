import { PROTOCOL_VERSION } from '@agent-chat/core';
import { SESSION_ID_PATTERN } from '@agent-chat/core/util';
import { z } from 'zod';
import { API_ROUTES, API_SCHEMAS, type ApiOperation, type SchemaName } from './routes.js';

export { API_OPERATIONS, type ApiOperation } from './routes.js';

/**
 * The OpenAPI 3.1 document of the API under `basePath`, built from
 * {@link API_ROUTES}, its schemas generated from core's zod schemas (`z.toJSONSchema`, JSON Schema 2020-12).
 */
export function buildOpenApiDocument(basePath: string): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries(API_SCHEMAS)) registry.add(schema, { id: name });
  const generated = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'output',
    unrepresentable: 'any',
  }) as { schemas: Record<string, Record<string, unknown>> };
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(generated.schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema;
    schemas[name] = rest;
  }

  const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
  const jsonContent = (name: SchemaName) => ({ 'application/json': { schema: ref(name) } });
  const errorAnswer = (description: string) => ({ description, content: jsonContent('ErrorBody') });

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_ROUTES as readonly ApiOperation[]) {
    const responses: Record<string, unknown> = {};
    const { status, schema, description } = op.success;
    responses[String(status)] =
      schema === null
        ? { description }
        : schema === 'sse'
          ? {
              description,
              content: {
                'text/event-stream': {
                  schema: { type: 'string', description: 'SSE frames: `event:` the type, `data:` one AgentEvent as JSON, `id:` its sequence number.' },
                  'x-sse-data': ref('AgentEvent'),
                },
              },
            }
          : schema === 'openapi'
            ? { description, content: { 'application/json': { schema: { type: 'object' } } } }
            : schema === 'file'
              ? { description, content: { '*/*': { schema: { type: 'string', format: 'binary' } } } }
              : { description, content: jsonContent(schema) };
    if (op.alsoAnswers) {
      responses[String(op.alsoAnswers.status)] = { description: op.alsoAnswers.description, content: jsonContent(op.alsoAnswers.schema) };
    }
    const errors: Record<number, string> = { ...op.errors };
    if (op.method !== 'GET') {
      // Every state-changing route refuses cross-site request forgery (docs/api.md, "Cross-origin requests").
      const forgery = '`cross_origin_forbidden`: a page of another origin that `cors.origins` does not list sent it.';
      errors[403] = errors[403] ? `${errors[403]} Or ${forgery}` : forgery;
      errors[415] ??= '`unsupported_media_type`: a body that is not `application/json`, or a cross-origin POST without `Content-Type: application/json`.';
    }
    for (const [code, text] of Object.entries(errors)) responses[code] = errorAnswer(text);
    if (!op.public) responses['401'] = errorAnswer('`unauthorized`: the `auth` function returned no user.');
    responses['500'] = errorAnswer('`internal_error`: an unexpected failure (details are logged, never sent).');

    const parameters: unknown[] = [];
    if (op.path.includes('{id}')) {
      parameters.push({
        name: 'id',
        in: 'path',
        required: true,
        description: 'Session id (as answered by `POST /session`).',
        schema: { type: 'string', pattern: SESSION_ID_PATTERN.source },
      });
    }
    if (op.path.includes('{aid}')) {
      parameters.push({ name: 'aid', in: 'path', required: true, description: 'Attachment id (as answered by the upload).', schema: { type: 'string' } });
    }
    if (op.operationId === 'createSession') {
      parameters.push({
        name: 'reuse',
        in: 'query',
        required: false,
        description: '`empty`: answer the user\'s newest empty session (200) when there is one, else create one (201). A first visit or a "new chat" click uses it, so that empty sessions do not pile up against `maxSessionsPerUser`.',
        schema: { type: 'string', enum: ['empty'] },
      });
    }
    if (op.operationId === 'subscribe') {
      parameters.push(
        { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event id.', schema: { type: 'integer', minimum: 0 } },
        { name: 'after', in: 'query', required: false, description: 'Resume after this event id (when the header cannot be set).', schema: { type: 'integer', minimum: 0 } },
      );
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body === 'multipart'
        ? {
            requestBody: {
              required: true,
              content: {
                'multipart/form-data': {
                  schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
                },
              },
            },
          }
        : op.body
          ? { requestBody: { required: !op.bodyOptional, content: jsonContent(op.body) } }
          : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'agent-chat API',
      version: PROTOCOL_VERSION,
      description:
        'Sessions, turns streamed as server-sent events, and their history. Errors are `{"error": {"code", "message", "issues"?}}`; a wrong method is 405 with `Allow`. See docs/api.md and docs/protocol.md.',
    },
    servers: [{ url: basePath === '' ? '/' : basePath }],
    security: [{ hostAuth: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        hostAuth: {
          type: 'http',
          scheme: 'bearer',
          description: "Whatever the host app's `auth(request)` function checks (a cookie, a bearer token, ...).",
        },
      },
    },
  };
}
