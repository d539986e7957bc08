import { ChatApiError, CLIENT_ERROR_CODES } from './chat-api-error.js';
import type { ChatClient, ChatClientOptions, RequestOptions } from './chat-client.js';
import type { Attachment } from './messages.js';
import { decodeResponse } from './protocol-shapes.js';

/*
 * The attachment routes of docs/api.md as functions of a ChatClient rather
 * than methods: the widget's prebuilt bundle then loads them (and
 * XMLHttpRequest's upload code) only where the server accepts attachments.
 * Each request goes out with the client's endpoint, fetch, headers and credentials.
 */

/** What the attachment functions need of a client: a {@link ChatClient}, or just its options. */
export type AttachmentClient = Pick<ChatClient, 'options'> | ChatClientOptions;

/** Options of {@link uploadAttachment}. */
export interface UploadOptions extends RequestOptions {
  /**
   * Called as the bytes go out, with the bytes of the request sent and its
   * size (the file plus a few hundred bytes of multipart framing; 0 when unknown). Upload progress needs `XMLHttpRequest`, used where one exists
   * and the client has no `fetch` option; with fetch it is called once, with
   * the whole size, when the server answered.
   */
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  /** The file name sent to the server. Default: `file.name`, or `file` for a Blob without one. */
  name?: string;
}

const optionsOf = (client: AttachmentClient): ChatClientOptions => ('options' in client ? client.options : client);

/** `{endpoint}/session/:id/attachments[/:aid]`. */
function attachmentsPath(client: AttachmentClient, sessionId: string, attachmentId?: string): string {
  const base = `${optionsOf(client).endpoint.replace(/\/+$/, '')}/session/${encodeURIComponent(sessionId)}/attachments`;
  return attachmentId === undefined ? base : `${base}/${encodeURIComponent(attachmentId)}`;
}

/**
 * The URL of an attachment's bytes, `{endpoint}/session/:id/attachments/:aid`.
 * A browser loads it by itself only with cookie (or no) authentication; with
 * bearer `headers`, read it with {@link getAttachment}.
 */
export function attachmentUrl(client: AttachmentClient, sessionId: string, attachmentId: string): string {
  return attachmentsPath(client, sessionId, attachmentId);
}

/**
 * `POST {endpoint}/session/:id/attachments`: uploads one file
 * (`multipart/form-data`, field `file`) for the session's next message and
 * resolves with what the server made of it: its id, the media type it
 * detected from the bytes, the size in bytes, an image's width and height in
 * pixels. Send the id with `ChatClient.send`'s `attachments` (or
 * `ChatSession.send`'s). Goes through `XMLHttpRequest` where it exists and the
 * client has no `fetch` option (fetch cannot report upload progress), else
 * through fetch. Aborting the signal cancels the upload.
 *
 * @throws {ChatApiError} 413 `attachment_too_large` (over the server's
 *   `maxFileBytes`), 415 `unsupported_media_type`, 429 when the user's stored
 *   bytes are at the quota (`retryAfterMs` from `Retry-After`), 422 for a
 *   malformed upload, 404 `session_not_found`; `network_error` when no answer
 *   came; `invalid_response` for an answer that is not an attachment.
 */
export async function uploadAttachment(
  client: AttachmentClient,
  sessionId: string,
  file: Blob,
  options: UploadOptions = {},
): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, options.name ?? (file as Partial<File>).name ?? 'file');
  const { fetch: customFetch } = optionsOf(client);
  const xhr = !customFetch && typeof XMLHttpRequest === 'function';
  const response = await send(client, 'POST', attachmentsPath(client, sessionId), options.signal, form, xhr ? options.onProgress : undefined);
  if (!response.ok) throw await ChatApiError.fromResponse(response);
  let json: unknown;
  try {
    json = await response.json();
    const attachment = decodeResponse('attachment', json);
    if (!xhr) options.onProgress?.(file.size, file.size);
    return attachment;
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ChatApiError({
      status: response.status,
      code: CLIENT_ERROR_CODES.invalidResponse,
      message: `The upload answered ${json === undefined ? 'a body that is not JSON' : `an unexpected shape: ${(cause as Error).message}`}`,
      cause,
    });
  }
}

/**
 * `DELETE {endpoint}/session/:id/attachments/:aid`: removes an uploaded file
 * that was not sent (the user took it off the draft).
 *
 * @throws {ChatApiError} 404 for an id that is not the user's, or no longer deletable.
 */
export async function deleteAttachment(client: AttachmentClient, sessionId: string, attachmentId: string, options: RequestOptions = {}): Promise<void> {
  const response = await send(client, 'DELETE', attachmentsPath(client, sessionId, attachmentId), options.signal);
  if (!response.ok) throw await ChatApiError.fromResponse(response);
  await response.body?.cancel();
}

/**
 * `GET {endpoint}/session/:id/attachments/:aid`: an attachment's bytes, read
 * with the client's headers and credentials (e.g. for an `<img>` through
 * `URL.createObjectURL`). The server answers the session's owner only.
 *
 * @throws {ChatApiError} 404 for an unknown id or another user's.
 */
export async function getAttachment(client: AttachmentClient, sessionId: string, attachmentId: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send(client, 'GET', attachmentsPath(client, sessionId, attachmentId), options.signal);
  if (!response.ok) throw await ChatApiError.fromResponse(response);
  return response.blob();
}

/** One request with the client's headers and credentials; error answers are returned, failures thrown as `network_error`. */
async function send(
  client: AttachmentClient,
  method: string,
  url: string,
  signal: AbortSignal | undefined,
  form?: FormData,
  onProgress?: (loaded: number, total: number) => void,
): Promise<Response> {
  const options = optionsOf(client);
  const configured = typeof options.headers === 'function' ? await options.headers() : options.headers;
  const headers = new Headers(configured);
  // A form sets its own content type, multipart with its boundary.
  headers.set('accept', method === 'GET' ? '*/*' : 'application/json');
  try {
    if (form && onProgress !== undefined) return await sendWithProgress(url, headers, form, options.credentials, signal, onProgress);
    const init: RequestInit = { method, headers, body: form, signal, credentials: options.credentials };
    return await (options.fetch ? options.fetch(url, init) : globalThis.fetch(url, init));
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ChatApiError({
      status: 0,
      code: CLIENT_ERROR_CODES.network,
      message: `${method} ${url} failed: ${(cause as Error)?.message ?? String(cause)}`,
      cause,
    });
  }
}

/** A POST of `form` through XMLHttpRequest, for its upload progress events; the answer as a fetch `Response`. */
function sendWithProgress(
  url: string,
  headers: Headers,
  form: FormData,
  credentials: RequestCredentials | undefined,
  signal: AbortSignal | undefined,
  onProgress: (loaded: number, total: number) => void,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const settle = (outcome: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    xhr.open('POST', url);
    headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    // XMLHttpRequest sends cookies to its own origin always, and to others only with this, fetch's 'include'.
    xhr.withCredentials = credentials === 'include';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () =>
      settle(() => {
        const answer = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/\r?\n/)) {
          const colon = line.indexOf(':');
          if (colon > 0) answer.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
        }
        const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
        try {
          resolve(new Response(empty ? null : xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers: answer }));
        } catch (error) {
          reject(error);
        }
      });
    xhr.onerror = xhr.ontimeout = () => settle(() => reject(new TypeError('The upload failed (no answer).')));
    xhr.onabort = () => settle(() => reject(signal?.reason ?? new DOMException('The upload was aborted.', 'AbortError')));
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(form);
  });
}
