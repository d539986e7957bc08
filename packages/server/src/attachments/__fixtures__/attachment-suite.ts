import { request as httpRequest } from 'node:http';
import type { Attachment, ChatMessage, ErrorBody, Health } from '@agent-chat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { readEvents, startTestServer, types, waitFor, type TestServer } from '../../__fixtures__/harness.js';
import type { ChatServerOptions } from '../../http/chat-server.js';
import type { AttachmentStore } from '../../stores/attachment-store.js';
import type { AttachmentOptions } from '../attachment-options.js';
import { EXE, HTML_WITH_SCRIPT, PNG, SAMPLE_FILES, SVG_WITH_SCRIPT } from './sample-files.js';

/** How a deployment keeps sessions and files. */
export interface AttachmentDeployment {
  /** Session options of a fresh server (its own store). */
  sessions(): Partial<ChatServerOptions>;
  /** A fresh attachment store (closed by the server's close()). */
  attachmentStore(): AttachmentStore;
  /** Whether idle sessions are deleted (memory), taking their files along. */
  expiresIdleSessions: boolean;
}

interface Started {
  s: TestServer;
  store: AttachmentStore;
  /** fetch below the base path as `user` (header x-user). */
  call(path: string, init?: RequestInit & { user?: string }): Promise<Response>;
  session(user?: string): Promise<string>;
  upload(sessionId: string, bytes: Uint8Array, name: string, type: string, user?: string): Promise<Response>;
}

/** The upload and file API, run against one deployment (docs/attachments.md). */
export function describeAttachments(name: string, deployment: AttachmentDeployment): void {
  describe(`attachments (${name})`, () => {
    const open: TestServer[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    async function start(limits: Omit<AttachmentOptions, 'store'> = {}, extra: Partial<ChatServerOptions> = {}): Promise<Started> {
      const store = deployment.attachmentStore();
      const s = await startTestServer({
        auth: (request) => ({ id: request.headers.get('x-user') ?? 'alice' }),
        attachments: { store, ...limits },
        ...deployment.sessions(),
        ...extra,
      });
      open.push(s);
      const call = (path: string, { user = 'alice', headers, ...init }: RequestInit & { user?: string } = {}) =>
        fetch(`${s.base}${path}`, { ...init, headers: { 'x-user': user, ...Object.fromEntries(new Headers(headers).entries()) } });
      return {
        s,
        store,
        call,
        async session(user = 'alice') {
          const response = await call('/session', { method: 'POST', user });
          expect(response.status).toBe(201);
          return ((await response.json()) as { id: string }).id;
        },
        upload(sessionId, bytes, fileName, type, user = 'alice') {
          const form = new FormData();
          form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), fileName);
          return call(`/session/${sessionId}/attachments`, { method: 'POST', body: form, user });
        },
      };
    }

    async function expectError(response: Response, status: number, code: string): Promise<ErrorBody['error']> {
      const body = (await response.json()) as ErrorBody;
      expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
      return body.error;
    }

    it('advertises attachments and their limits in /health', async () => {
      const { call } = await start({ maxFileBytes: 1000, maxFilesPerMessage: 3, maxBytesPerUser: 5000 });
      const health = (await (await call('/health')).json()) as Health;
      expect(health.features.attachments).toBe(true);
      expect(health.attachmentLimits).toEqual({ maxFileBytes: 1000, maxFilesPerMessage: 3, maxBytesPerUser: 5000, mediaTypes: expect.any(Array) });
      expect([...health.attachmentLimits!.mediaTypes].sort()).toEqual([...new Set(SAMPLE_FILES.map((f) => f.mediaType))].sort());
    });

    it('stores every allowed type, detected from the bytes, and serves it back to its owner', async () => {
      const { session, upload, call, store } = await start();
      const sessionId = await session();
      for (const file of SAMPLE_FILES) {
        const response = await upload(sessionId, file.bytes, file.name, file.claimed);
        expect(response.status, file.name).toBe(201);
        const attachment = (await response.json()) as Attachment;
        expect(attachment, file.name).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          name: file.name,
          mediaType: file.mediaType,
          size: file.bytes.byteLength,
          ...(file.width !== undefined ? { width: file.width, height: file.height } : {}),
        });
        const served = await call(`/session/${sessionId}/attachments/${attachment.id}`);
        expect(served.status).toBe(200);
        expect(new Uint8Array(await served.arrayBuffer())).toEqual(file.bytes);
        expect(served.headers.get('content-type')).toMatch(new RegExp(`^${file.mediaType.replace('+', '\\+')}`));
        expect(served.headers.get('x-content-type-options')).toBe('nosniff');
        expect(served.headers.get('content-disposition')).toMatch(
          file.mediaType.startsWith('image/') || file.mediaType === 'application/pdf' ? /^inline; / : /^attachment; /,
        );
      }
      expect((await store.list(sessionId)).map((r) => r.name)).toEqual(SAMPLE_FILES.map((f) => f.name));
    });

    it('refuses a file over maxFileBytes with 413 and stores nothing (declared or streamed)', async () => {
      const { session, upload, store, s } = await start({ maxFileBytes: 100 });
      const sessionId = await session();
      // Within the request's framing allowance: the limit is found while streaming.
      await expectError(await upload(sessionId, new Uint8Array(101).fill(97), 'big.txt', 'text/plain'), 413, 'attachment_too_large');
      // Far over: refused from its Content-Length, unread.
      await expectError(await upload(sessionId, new Uint8Array(200_000).fill(97), 'huge.txt', 'text/plain'), 413, 'attachment_too_large');
      expect(await store.list(sessionId)).toEqual([]);
      // Exactly at the limit is fine.
      expect((await upload(sessionId, new Uint8Array(100).fill(97), 'ok.txt', 'text/plain')).status).toBe(201);
      expect(s.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('corrects a lying content type from the bytes, and refuses with 415 what is not allowed', async () => {
      const { session, upload, store } = await start();
      const sessionId = await session();
      const png = (await (await upload(sessionId, PNG, 'notes.txt', 'text/plain')).json()) as Attachment;
      expect(png).toMatchObject({ mediaType: 'image/png', width: 3, height: 2 });
      const text = (await (await upload(sessionId, new TextEncoder().encode('not an image'), 'cat.png', 'image/png')).json()) as Attachment;
      expect(text.mediaType).toBe('text/plain');
      const error = await expectError(await upload(sessionId, EXE, 'cat.png', 'image/png'), 415, 'unsupported_media_type');
      expect(error.message).toContain('application/x-msdownload');
      await expectError(await upload(sessionId, new Uint8Array([0, 1, 2, 255, 0, 7]), 'blob.bin', 'image/png'), 415, 'unsupported_media_type');
      // Text types the server does not take (HTML here) are kept as plain text, which cannot run.
      const html = (await (await upload(sessionId, HTML_WITH_SCRIPT, 'page.html', 'text/html')).json()) as Attachment;
      expect(html.mediaType).toBe('text/plain');
      expect((await store.list(sessionId)).length).toBe(3);
    });

    it('serves an SVG with script and an HTML page so that they cannot run', async () => {
      const { session, upload, call } = await start({ mediaTypes: ['image/svg+xml', 'text/html', 'text/plain'] });
      const sessionId = await session();
      for (const [bytes, name, type] of [
        [SVG_WITH_SCRIPT, 'logo.svg', 'image/svg+xml'],
        [HTML_WITH_SCRIPT, 'page.html', 'text/html'],
      ] as const) {
        const attachment = (await (await upload(sessionId, bytes, name, type)).json()) as Attachment;
        expect(attachment.mediaType).toBe(type);
        const served = await call(`/session/${sessionId}/attachments/${attachment.id}`);
        expect(served.status).toBe(200);
        expect(served.headers.get('content-type')).toBe(`${type}; charset=utf-8`);
        // A sandboxed document: unique origin, no script, nothing loaded.
        expect(served.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
        expect(served.headers.get('x-content-type-options')).toBe('nosniff');
        expect(served.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
        expect(served.headers.get('cache-control')).toMatch(/^private/);
      }
    });

    it("answers 404 for another user's file, and for their session, as for a missing one", async () => {
      const { session, upload, call } = await start();
      const sessionId = await session('alice');
      const attachment = (await (await upload(sessionId, PNG, 'a.png', 'image/png')).json()) as Attachment;
      await expectError(await call(`/session/${sessionId}/attachments/${attachment.id}`, { user: 'mallory' }), 404, 'session_not_found');
      await expectError(await call(`/session/${sessionId}/attachments/${attachment.id}`, { method: 'DELETE', user: 'mallory' }), 404, 'session_not_found');
      await expectError(await upload(sessionId, PNG, 'b.png', 'image/png', 'mallory'), 404, 'session_not_found');
      // Mallory's own session does not reach Alice's file either.
      const theirs = await session('mallory');
      await expectError(await call(`/session/${theirs}/attachments/${attachment.id}`, { user: 'mallory' }), 404, 'attachment_not_found');
      await expectError(await call(`/session/${sessionId}/attachments/..%2F..%2Fetc%2Fpasswd`), 404, 'attachment_not_found');
      expect((await call(`/session/${sessionId}/attachments/${attachment.id}`)).status).toBe(200);
    });

    it('keeps nothing of an upload cut off mid-body', async () => {
      const { session, store, s } = await start();
      const sessionId = await session();
      const url = new URL(`${s.base}/session/${sessionId}/attachments`);
      const boundary = 'cut-boundary';
      const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="half.txt"\r\ncontent-type: text/plain\r\n\r\n`;
      await new Promise<void>((resolve) => {
        const req = httpRequest(url, {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': '100000', 'x-user': 'alice' },
        });
        req.on('error', () => resolve());
        req.write(head + 'a'.repeat(5000), () => setTimeout(() => {
          req.destroy();
          resolve();
        }, 50));
      });
      // Give the server time to see the end of the body.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await waitFor(async () => (await store.list(sessionId)).length === 0);
      expect(await store.list(sessionId)).toEqual([]);
      // The session still takes a whole file afterwards.
      const form = new FormData();
      form.append('file', new Blob(['whole']), 'whole.txt');
      expect((await fetch(url, { method: 'POST', body: form, headers: { 'x-user': 'alice' } })).status).toBe(201);
      expect((await store.list(sessionId)).map((r) => r.name)).toEqual(['whole.txt']);
      // A client that leaves is not a server failure.
      expect(s.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
    });

    it('keeps nothing of an upload whose session is deleted while it streams in', async () => {
      const { session, store, s, call } = await start();
      const sessionId = await session();
      const boundary = 'slow-boundary';
      const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="slow.txt"\r\ncontent-type: text/plain\r\n\r\n`;
      const tail = `\r\n--${boundary}--\r\n`;
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(new URL(`${s.base}/session/${sessionId}/attachments`), {
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-user': 'alice' },
        });
        req.on('response', (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        });
        req.on('error', reject);
        req.write(head + 'first half, ');
        // The session goes while the file is still arriving; then the rest comes.
        setTimeout(async () => {
          expect((await call(`/session/${sessionId}`, { method: 'DELETE' })).status).toBe(204);
          req.end('second half' + tail);
        }, 100);
      });
      const { status, body } = await answer;
      expect(status).toBe(404);
      expect(JSON.parse(body).error.code).toBe('session_not_found');
      expect(await store.list(sessionId)).toEqual([]);
    });

    it('refuses uploads past maxBytesPerUser with 429 and Retry-After, over all the user\'s sessions', async () => {
      const { session, upload, call } = await start({ maxBytesPerUser: 100 });
      const first = await session();
      const second = await session();
      const stored = await upload(first, PNG, 'a.png', 'image/png'); // 73 bytes
      expect(stored.status).toBe(201);
      const draft = (await stored.json()) as Attachment;
      const refused = await upload(second, PNG, 'b.png', 'image/png');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      await expectError(refused, 429, 'attachment_quota_exceeded');
      // Another user has their own quota.
      expect((await upload(await session('bob'), PNG, 'c.png', 'image/png', 'bob')).status).toBe(201);
      // Deleting the draft frees the space.
      expect((await call(`/session/${first}/attachments/${draft.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await upload(second, PNG, 'b.png', 'image/png')).status).toBe(201);
    });

    it('sends files with a message: the turn, the history, the snapshot and GET /messages carry them', async () => {
      const { session, upload, call, store } = await start({ maxFilesPerMessage: 2 });
      const sessionId = await session();
      const png = (await (await upload(sessionId, PNG, 'pixel.png', 'image/png')).json()) as Attachment;
      const csv = (await (await upload(sessionId, new TextEncoder().encode('a,b\n1,2\n'), 'table.csv', 'text/csv')).json()) as Attachment;
      const extra = (await (await upload(sessionId, PNG, 'extra.png', 'image/png')).json()) as Attachment;
      const chat = (body: unknown) => call(`/chat/${sessionId}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

      await expectError(await chat({ text: 'Hi', attachments: [png.id, csv.id, extra.id] }), 422, 'too_many_attachments');
      const unknown = await expectError(await chat({ text: 'Hi', attachments: [png.id, 'no-such-id'] }), 422, 'invalid_attachments');
      expect(unknown.issues).toEqual([{ path: ['attachments', 1], message: expect.any(String) }]);
      await expectError(await chat({ text: '  ' }), 422, 'invalid_body');

      const response = await chat({ text: '', attachments: [png.id, csv.id] });
      expect(response.status).toBe(200);
      const events = await readEvents(response);
      expect(types(events).at(-1)).toBe('turn_complete');
      const processing = events.find((e) => e.event.type === 'processing')!.event as { userMessage?: { attachments?: Attachment[] } };
      expect(processing.userMessage?.attachments).toEqual([png, csv]);
      // The demo agent read the bytes: it names the files, the image's size and the CSV's first line.
      const answer = events.flatMap((e) => (e.event.type === 'assistant_chunk' ? [e.event.delta] : [])).join('');
      expect(answer).toContain('| pixel.png | image/png | 73 B | 3 × 2 px |');
      expect(answer).toContain('**table.csv** starts with: "a,b"');
      expect(answer).toContain('I read its 73 bytes');
      // A message of files only titles the session from their names.
      await waitFor(async () => ((await (await call(`/session/${sessionId}`)).json()) as { title?: string }).title === 'pixel.png, table.csv');

      const messages = (await (await call(`/session/${sessionId}/messages`)).json()) as { messages: ChatMessage[] };
      expect(messages.messages[0]).toMatchObject({ role: 'user', attachments: [png, csv] });
      const snapshot = await readEvents(await call(`/events/${sessionId}`), (e) => e.event.type === 'snapshot');
      const state = snapshot.at(-1)!.event as { messages: ChatMessage[] };
      expect(state.messages[0]!.attachments).toEqual([png, csv]);

      // Sent files stay while their message does; a draft may go.
      await expectError(await call(`/session/${sessionId}/attachments/${png.id}`, { method: 'DELETE' }), 409, 'attachment_in_use');
      await expectError(await chat({ text: 'again', attachments: [png.id] }), 422, 'invalid_attachments');
      expect((await call(`/session/${sessionId}/attachments/${extra.id}`, { method: 'DELETE' })).status).toBe(204);
      await expectError(await call(`/session/${sessionId}/attachments/${extra.id}`), 404, 'attachment_not_found');

      // Undo removes the message and its files.
      expect((await call(`/undo/${sessionId}`, { method: 'POST' })).status).toBe(200);
      expect(await store.list(sessionId)).toEqual([]);
    });

    it('truncate deletes the files of the messages it cuts off, and only those', async () => {
      const { session, upload, call, store } = await start();
      const sessionId = await session();
      const chat = async (attachments: string[]) =>
        readEvents(await call(`/chat/${sessionId}`, { method: 'POST', body: JSON.stringify({ text: 'look', attachments }), headers: { 'content-type': 'application/json' } }));
      const first = (await (await upload(sessionId, PNG, 'first.png', 'image/png')).json()) as Attachment;
      await chat([first.id]);
      const second = (await (await upload(sessionId, PNG, 'second.png', 'image/png')).json()) as Attachment;
      await chat([second.id]);
      const truncated = await call(`/truncate/${sessionId}`, { method: 'POST', body: JSON.stringify({ userMessageIndex: 1 }), headers: { 'content-type': 'application/json' } });
      expect(truncated.status).toBe(200);
      expect((await store.list(sessionId)).map((r) => r.id)).toEqual([first.id]);
    });

    it('deletes the files with their session', async () => {
      const { session, upload, call, store } = await start();
      const sessionId = await session();
      const kept = await session();
      const attachment = (await (await upload(sessionId, PNG, 'a.png', 'image/png')).json()) as Attachment;
      await upload(kept, PNG, 'b.png', 'image/png');
      expect((await call(`/session/${sessionId}`, { method: 'DELETE' })).status).toBe(204);
      expect(await store.list(sessionId)).toEqual([]);
      expect(await store.get(sessionId, attachment.id)).toBeUndefined();
      expect((await store.list(kept)).length).toBe(1);
    });

    if (deployment.expiresIdleSessions) {
      it('deletes the files of a session that expires', async () => {
        const { session, upload, store, s } = await start({}, { idleTimeoutMs: 60_000 });
        const sessionId = await session();
        await upload(sessionId, PNG, 'a.png', 'image/png');
        expect(s.chat.sessions.manager.expireIdle(Date.now() + 120_000)).toBe(1);
        await waitFor(async () => (await store.list(sessionId)).length === 0);
      });
    }
  });
}
