// SSE decode cost per event in Node: core's decodeEventStream (one TransformStream around
// eventsource-parser's createParser) against the pipeline it replaced (TextDecoderStream ->
// EventSourceParserStream -> TransformStream), each event reduced into a conversation, with one
// and with 20 events per network read. Median of 5 runs of 12,800 assistant_chunk events.
//   npm run build && node bench/decode.mjs
import { decodeEventStream, reduce, createConversationState, decodeAgentEvent } from '@agent-chat/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
const old = (body) => body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).pipeThrough(new TransformStream({ transform(m, c) { const e = decodeAgentEvent(JSON.parse(m.data)); if (e) c.enqueue({ id: Number(m.id), event: e }); } }));
const enc = new TextEncoder();
const N = 12800;
async function run(label, decode, perChunk) {
  let i = 0;
  const body = new ReadableStream({ pull(c) { if (i >= N) return c.close(); let s = ''; for (let k = 0; k < perChunk && i < N; k++, i++) s += `id: ${i + 3}\nevent: assistant_chunk\ndata: ${JSON.stringify({ type: 'assistant_chunk', messageId: 'a', delta: 'abcd' })}\n\n`; c.enqueue(enc.encode(s)); } });
  let state = reduce(createConversationState('s'), { type: 'processing', turnId: 't', assistantMessageId: 'a', userMessage: { id: 'u', text: 'go' } }, 2);
  const t = performance.now();
  for await (const { id, event } of decode(body)) state = reduce(state, event, id);
  return (performance.now() - t) * 1000 / N;
}
for (const per of [1, 20]) {
  const a = [], b = [];
  for (let r = 0; r < 5; r++) { a.push(await run('old', old, per)); b.push(await run('new', decodeEventStream, per)); }
  const med = (x) => x.sort((p, q) => p - q)[2].toFixed(2);
  console.log(`${per} event(s)/read: three streams ${med(a)} µs/event, one transform ${med(b)} µs/event`);
}
