import { z } from 'zod';
import { ApiError, type ApiIssue } from './api-error.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Whether a `Content-Type` value is JSON (`application/json`, `application/*+json`, parameters allowed). */
export function isJsonContentType(value: string | null): boolean {
  return JSON_TYPE.test(value ?? '');
}

/** Whether the request carries a body (a stream, unless `Content-Length: 0`). */
export function hasRequestBody(request: Request): boolean {
  return request.body !== null && request.headers.get('content-length') !== '0';
}

/**
 * Reads a request body as JSON, counting bytes as they arrive so that nothing
 * past `maxBytes` is buffered.
 *
 * @returns The parsed value, or `undefined` when the body is empty and `optional`.
 * @throws {ApiError} 413 `payload_too_large`, 415 `unsupported_media_type`, 400 `invalid_json`.
 */
export async function readJsonBody(
  request: Request,
  options: { maxBytes: number; optional?: boolean },
): Promise<unknown> {
  const { maxBytes } = options;
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw payloadTooLarge(maxBytes);
  const hasBody = hasRequestBody(request);
  if (hasBody && !isJsonContentType(request.headers.get('content-type'))) throw unsupportedMediaType();
  const text = hasBody ? await readText(request, maxBytes) : '';
  if (text.trim() === '') {
    if (options.optional) return undefined;
    throw new ApiError(400, 'invalid_json', 'The request body is empty; send a JSON object.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

/**
 * Validates a parsed body against a (strict) zod schema.
 * @throws {ApiError} 422 `invalid_body` with one issue per problem.
 */
export function parseBody<S extends z.core.$ZodType>(schema: S, value: unknown): z.output<S> {
  // Core's schemas are zod/mini ones, not classic `z.ZodType`s: the function form takes both kinds.
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issues: ApiIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
    message:
      issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  throw new ApiError(422, 'invalid_body', 'The request body does not match the expected shape.', { issues });
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8.');
  }
}

/** 415 `unsupported_media_type`. */
export function unsupportedMediaType(message = 'Send the body as JSON with Content-Type: application/json.'): ApiError {
  return new ApiError(415, 'unsupported_media_type', message);
}

function payloadTooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes.`, {
    // The unread rest of the body would otherwise be parsed as the next request.
    headers: { connection: 'close' },
  });
}
