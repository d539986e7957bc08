import { Readable } from 'node:stream';
import busboy from 'busboy';
import { ChatError } from '../chat-error.js';
import type { IncomingFile } from '../attachments/attachment-service.js';
import { ApiError } from './api-error.js';
import { unsupportedMediaType } from './read-json-body.js';

const MULTIPART = /^multipart\/form-data\s*;/i;

/**
 * Streams the one file of a `multipart/form-data` request (field `file`) to
 * `consume`, never holding it whole: busboy parses the body as it arrives and
 * `consume` reads the file part as a stream. Other fields are ignored, and so
 * is a second file. A body that ends early, or a client that leaves, makes the
 * file stream fail, so `consume` (a store's `put`) keeps nothing.
 *
 * @param maxBytes The most the whole body may declare (`Content-Length`).
 * @throws {ApiError} 415 `unsupported_media_type` (not multipart); 400 `bad_request` (no `file`
 *   part, or a malformed body); 413 `attachment_too_large` (declared length, or what `consume` throws,
 *   with `Connection: close`: the rest of the body is left unread). What `consume` throws.
 */
export async function readMultipartFile<T>(
  request: Request,
  maxBytes: number,
  consume: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!MULTIPART.test(contentType)) throw unsupportedMediaType('Send the file as multipart/form-data, in a field named file.');
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(`The upload is larger than ${maxBytes} bytes.`);
  if (!request.body) throw missingFile();

  const source = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fields: 20, fieldSize: 4096, parts: 40 } });
  } catch {
    throw new ApiError(400, 'bad_request', 'The multipart body has no boundary.');
  }
  return new Promise<T>((resolve, reject) => {
    let consumed: Promise<T> | undefined;
    const fail = (error: unknown) => {
      source.destroy();
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || consumed) {
        stream.resume();
        return;
      }
      // `consume` may start reading only later (after a quota check): a client that leaves meanwhile
      // fails this stream with nobody listening yet, which would be an uncaught exception. Reading it
      // later still throws that error (a destroyed stream's iterator rethrows what destroyed it).
      stream.on('error', () => {});
      consumed = consume({ name: info.filename ?? 'file', mediaType: info.mimeType, bytes: stream });
      consumed.then(resolve, (error: unknown) => {
        // Stop reading: nothing more of this body is wanted.
        stream.destroy();
        fail(error instanceof ChatError && error.code === 'attachment_too_large' ? tooLarge(error.message) : asBadBody(error));
      });
    });
    parser.on('error', (error) => {
      // The file part, if any, fails with it (busboy destroys its stream), and `consume` rejects.
      if (!consumed) fail(new ApiError(400, 'bad_request', `The multipart body is malformed: ${(error as Error).message}.`));
    });
    parser.on('close', () => {
      if (!consumed) fail(missingFile());
    });
    source.on('error', (error) => parser.destroy(error));
    source.pipe(parser);
  });
}

/** An error from a body that broke off (busboy's) reads as a bad request; a refusal passes as it is. */
function asBadBody(error: unknown): unknown {
  if (error instanceof ChatError) return error;
  if (error instanceof Error && /^(Unexpected end of (form|file)|Malformed part header)/.test(error.message)) {
    return new ApiError(400, 'bad_request', `The upload broke off: ${error.message}.`);
  }
  return error;
}

function tooLarge(message: string): ApiError {
  // The unread rest of the body would otherwise be parsed as the next request.
  return new ApiError(413, 'attachment_too_large', message, { headers: { connection: 'close' } });
}

function missingFile(): ApiError {
  return new ApiError(400, 'bad_request', 'The upload has no file: send it in a multipart field named file.');
}
