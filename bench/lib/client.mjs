// The load generator's side of a stream: node's fetch, then @agent-chat/core's
// decoder (TextDecoderStream -> EventSourceParserStream -> JSON -> schema), as
// a browser would run it.
import { request } from 'node:http';
import { decodeEventStream } from '@agent-chat/core';

/**
 * Opens an SSE response with fetch and decodes it with core until
 * `turn_complete` (or the end). `ready` resolves on the first bytes (the
 * stream is registered on the server by then); `done` with the events seen.
 */
export function decodedStream(url, init = {}) {
  let markReady;
  const ready = new Promise((r) => (markReady = r));
  const done = (async () => {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
    let first = true;
    const body = res.body.pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          if (first) {
            first = false;
            markReady();
          }
          controller.enqueue(chunk);
        },
      }),
    );
    let events = 0;
    let lastId = 0;
    const reader = decodeEventStream(body).getReader();
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      events += 1;
      if (value.id !== undefined) lastId = value.id;
      if (value.event.type === 'turn_complete') {
        await reader.cancel();
        break;
      }
    }
    return { events, lastId };
  })();
  done.catch(() => markReady());
  return { ready, done };
}

/**
 * A cheap subscriber for large fan-outs: node:http, no decoding, just a scan for
 * the `turn_complete` frame. Same `{ ready, done }` shape as {@link decodedStream}.
 */
export function rawStream(url, { method = 'GET', body, headers = {} } = {}) {
  let markReady;
  const ready = new Promise((r) => (markReady = r));
  const done = new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${method} ${url}: ${res.statusCode}`));
        res.resume();
        return;
      }
      let tail = '';
      let bytes = 0;
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        markReady();
        bytes += chunk.length;
        const text = tail + chunk;
        if (text.includes('event: turn_complete')) {
          res.destroy();
          resolve({ bytes });
        }
        tail = text.slice(-32);
      });
      res.on('end', () => resolve({ bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
  done.catch(() => markReady());
  return { ready, done };
}

/** JSON request helper for our API. */
export async function api(base, method, path, body) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
