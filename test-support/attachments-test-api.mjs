// A test-side stand-in for the attachment routes of docs/api.md, for the widget's
// Chromium tests of the attachment parts on their own (the whole path, send and
// reload included, runs against the real server: examples/basic/test/attachments.e2e.test.ts).
// Speaks the contract under /attach-api:
//   POST   /attach-api/session/:id/attachments        multipart, field `file` -> 201 Attachment
//          a name with "too-big" -> 413, ".exe" -> 415, "quota" -> 429 (Retry-After: 60),
//          "slow" -> answers after 1.5 s (to see the progress bar)
//   GET    /attach-api/session/:id/attachments/:aid   the bytes (requires `authorization: Bearer test`
//          when the upload had it, as a server with bearer auth would)
//   DELETE /attach-api/session/:id/attachments/:aid   -> 204
//   GET    /attach-api/log                            what was asked, for the tests' asserts
import { Readable } from 'node:stream';

/** Width and height of a PNG from its IHDR chunk, else undefined. */
function pngSize(bytes) {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export function attachmentsTestApiMiddleware() {
  const stored = new Map();
  const log = [];
  let next = 1;
  const json = (ctx, status, body, headers = {}) => {
    ctx.status = status;
    for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(body);
  };
  const refuse = (ctx, status, code, message, headers) => json(ctx, status, { error: { code, message } }, headers);
  return async function attachmentsTestApi(ctx, nextMiddleware) {
    if (!ctx.path.startsWith('/attach-api/')) return nextMiddleware();
    const auth = ctx.get('authorization');
    if (ctx.path === '/attach-api/log') return json(ctx, 200, log);
    const match = /^\/attach-api\/session\/([^/]+)\/attachments(?:\/([^/]+))?$/.exec(ctx.path);
    if (!match) return refuse(ctx, 404, 'not_found', 'No such route');
    const [, sessionId, attachmentId] = match;
    log.push({ method: ctx.method, path: ctx.path, auth });
    if (ctx.method === 'POST' && !attachmentId) {
      const request = new Request(`http://test${ctx.url}`, {
        method: 'POST',
        headers: { 'content-type': ctx.get('content-type') },
        body: Readable.toWeb(ctx.req),
        duplex: 'half',
      });
      const file = (await request.formData()).get('file');
      if (!file || typeof file === 'string') return refuse(ctx, 422, 'invalid_body', 'Send one file in the field "file".');
      if (file.name.includes('too-big')) return refuse(ctx, 413, 'attachment_too_large', 'The file is larger than 1 MB.');
      if (file.name.endsWith('.exe')) return refuse(ctx, 415, 'unsupported_media_type', 'Executables are not accepted.');
      if (file.name.includes('quota')) return refuse(ctx, 429, 'attachment_quota', 'Your files take all your space.', { 'retry-after': '60' });
      if (file.name.includes('slow')) await new Promise((resolve) => setTimeout(resolve, 1500));
      const bytes = Buffer.from(await file.arrayBuffer());
      const id = `att_${next++}`;
      const attachment = { id, name: file.name, mediaType: file.type || 'application/octet-stream', size: bytes.length, ...pngSize(bytes) };
      stored.set(`${sessionId}/${id}`, { attachment, bytes, auth });
      return json(ctx, 201, attachment);
    }
    const entry = stored.get(`${sessionId}/${attachmentId}`);
    if (!entry || entry.auth !== auth) return refuse(ctx, 404, 'attachment_not_found', 'No such attachment.');
    if (ctx.method === 'GET') {
      ctx.status = 200;
      ctx.type = entry.attachment.mediaType;
      ctx.set('content-disposition', `attachment; filename="${entry.attachment.name}"`);
      ctx.body = entry.bytes;
      return;
    }
    if (ctx.method === 'DELETE') {
      stored.delete(`${sessionId}/${attachmentId}`);
      ctx.status = 204;
      return;
    }
    return refuse(ctx, 405, 'method_not_allowed', 'Not here.');
  };
}
