import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatApiError } from './chat-api-error.js';
import { attachmentUrl, deleteAttachment, getAttachment, uploadAttachment } from './attachments.js';
import { ChatClient } from './chat-client.js';

/*
 * The attachment functions of a ChatClient against a real HTTP server on 127.0.0.1
 * that speaks docs/api.md's attachment routes (upload, bytes, delete). In Node
 * there is no XMLHttpRequest, so uploads go through fetch here; the browser
 * path (XMLHttpRequest, with progress) is tested in Chromium by the widget's tests.
 */

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form?: FormData;
  json?: unknown;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A server whose `/api/session/s1/attachments` routes answer as `respond` says; records every request. */
async function start(respond: (seen: Seen, res: ServerResponse) => void): Promise<{ endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const entry: Seen = { method: req.method!, path: req.url!, headers: req.headers };
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) entry.form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    else if (body.length) entry.json = JSON.parse(body.toString('utf8'));
    seen.push(entry);
    respond(entry, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'dot.png', { type: 'image/png' });

describe('attachment functions', () => {
  it('uploads one file as multipart field "file" with the client headers and answers the attachment', async () => {
    const { endpoint, seen } = await start((_, res) =>
      json(res, 201, { id: 'att_1', name: 'dot.png', mediaType: 'image/png', size: 7, width: 1, height: 1 }),
    );
    const progress: [number, number][] = [];
    const client = new ChatClient({ endpoint, headers: () => ({ authorization: 'Bearer t0ken' }) });
    const attachment = await uploadAttachment(client, 's1', png, { onProgress: (loaded, total) => progress.push([loaded, total]) });

    expect(attachment).toEqual({ id: 'att_1', name: 'dot.png', mediaType: 'image/png', size: 7, width: 1, height: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/session/s1/attachments' });
    expect(seen[0]!.headers.authorization).toBe('Bearer t0ken');
    expect(seen[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const file = seen[0]!.form!.get('file') as File;
    expect(file.name).toBe('dot.png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    // fetch has no upload progress: one call with the whole size once the server answered.
    expect(progress).toEqual([[7, 7]]);
  });

  it('names a Blob "file" unless a name is given', async () => {
    const { endpoint, seen } = await start((_, res) => json(res, 201, { id: 'a', name: 'file', mediaType: 'text/plain', size: 2 }));
    const client = new ChatClient({ endpoint });
    await uploadAttachment(client, 's1', new Blob(['hi'], { type: 'text/plain' }));
    await uploadAttachment(client, 's1', new Blob(['hi'], { type: 'text/plain' }), { name: 'notes.txt' });
    expect(seen.map((s) => (s.form!.get('file') as File).name)).toEqual(['file', 'notes.txt']);
  });

  it.each([
    [413, 'attachment_too_large', {}],
    [415, 'unsupported_media_type', {}],
    [422, 'invalid_body', {}],
    [429, 'attachment_quota', { 'retry-after': '30' }],
  ] as const)('turns a %i answer into a ChatApiError with its code', async (status, code, headers) => {
    const { endpoint } = await start((_, res) => json(res, status, { error: { code, message: `refused: ${code}` } }, headers));
    const client = new ChatClient({ endpoint });
    const error = await uploadAttachment(client, 's1', png).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatApiError);
    expect(error).toMatchObject({ status, code, message: `refused: ${code}` });
    if (status === 429) expect((error as ChatApiError).retryAfterMs).toBe(30_000);
  });

  it('refuses an answer that is not an attachment', async () => {
    const { endpoint } = await start((_, res) => json(res, 201, { id: 5 }));
    const error = await uploadAttachment(new ChatClient({ endpoint }), 's1', png).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  it('reports network_error when nothing answers, and the abort reason when aborted', async () => {
    const { endpoint } = await start((_, res) => res.destroy());
    const client = new ChatClient({ endpoint });
    await expect(uploadAttachment(client, 's1', png)).rejects.toMatchObject({ code: 'network_error', status: 0 });
    const controller = new AbortController();
    controller.abort(new Error('user removed it'));
    await expect(uploadAttachment(client, 's1', png, { signal: controller.signal })).rejects.toThrow('user removed it');
  });

  it('deletes an attachment, reads its bytes and builds its URL', async () => {
    const { endpoint, seen } = await start((req, res) => {
      if (req.method === 'DELETE') res.writeHead(204).end();
      else res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([1, 2, 3]));
    });
    const client = new ChatClient({ endpoint, headers: { authorization: 'Bearer x' } });
    await deleteAttachment(client, 's 1', 'att/1');
    const blob = await getAttachment(client, 's1', 'att_1');
    expect(blob.type).toBe('image/png');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(seen.map((s) => `${s.method} ${s.path} ${s.headers.authorization}`)).toEqual([
      'DELETE /api/session/s%201/attachments/att%2F1 Bearer x',
      'GET /api/session/s1/attachments/att_1 Bearer x',
    ]);
    expect(attachmentUrl(client, 's1', 'att_1')).toBe(`${endpoint}/session/s1/attachments/att_1`);
  });

  it('a 404 on delete or read is a ChatApiError', async () => {
    const { endpoint } = await start((_, res) => json(res, 404, { error: { code: 'attachment_not_found', message: 'No such attachment' } }));
    const client = new ChatClient({ endpoint });
    await expect(deleteAttachment(client, 's1', 'nope')).rejects.toMatchObject({ status: 404, code: 'attachment_not_found' });
    await expect(getAttachment(client, 's1', 'nope')).rejects.toMatchObject({ status: 404, code: 'attachment_not_found' });
  });

  it('send posts the attachment ids with the text, and only the text without them', async () => {
    const { endpoint, seen } = await start((_, res) => json(res, 409, { error: { code: 'turn_running', message: 'busy' } }));
    const client = new ChatClient({ endpoint });
    await expect(client.send('s1', '', { attachments: ['a1', 'a2'] }).next()).rejects.toMatchObject({ code: 'turn_running' });
    await expect(client.send('s1', 'Hi').next()).rejects.toMatchObject({ code: 'turn_running' });
    expect(seen.map((s) => s.json)).toEqual([{ text: '', attachments: ['a1', 'a2'] }, { text: 'Hi' }]);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });
});
