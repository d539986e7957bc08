// Records the demo agent's event streams (packages/server, built) into
// src/__fixtures__/demo-tour.ts: a whole turn up to the approval, then the
// turn resumed after approving. Stories and tests replay it through a mock
// transport. Re-run after the protocol or the demo agent changes:
//   npm run build && node packages/widget/scripts/record-fixtures.mjs
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatClient } from '@agent-chat/core';
import { createChatServer, demoAgent } from '@agent-chat/server';

const sandbox = mkdtempSync(join(tmpdir(), 'agent-chat-record-'));
writeFileSync(join(sandbox, 'README.md'), '# Sandbox\n\nFiles the demo agent may read.\n');
writeFileSync(join(sandbox, 'numbers.txt'), '1 2 3 5 8 13\n');
mkdirSync(join(sandbox, 'notes'));
writeFileSync(join(sandbox, 'notes', 'todo.md'), '- write tests\n- ship\n');

const server = createChatServer({ agent: demoAgent({ sandboxDir: sandbox, chunkDelayMs: 0 }), logger: { info() {}, warn() {}, error: console.error } });
const client = new ChatClient({ endpoint: 'http://local/api', fetch: (input, init) => server.fetch(new Request(input, init)) });

const strip = ({ id, event }) => ({ id, event });
const session = await client.createSession();
const turn = [];
for await (const e of client.send(session.id, 'What is (17 + 25) * 2? Look around the sandbox too.')) turn.push(strip(e));
const pending = turn.at(-1).event;
if (pending.type !== 'approval_required') throw new Error(`expected approval_required, got ${pending.type}`);
const resumed = [];
for await (const e of client.sendApprovals(session.id, pending.tools.map((t) => ({ toolCallId: t.toolCallId, decision: 'approve' })))) {
  resumed.push(strip(e));
}
const out = fileURLToPath(new URL('../src/__fixtures__/demo-tour.ts', import.meta.url));
const header = `// Recorded by packages/widget/scripts/record-fixtures.mjs from demoAgent (packages/server). Do not edit.
import type { StreamEvent } from '@agent-chat/core';

`;
writeFileSync(
  out,
  `${header}/** A whole demo turn, up to \`approval_required\`. */\nexport const demoTurn: StreamEvent[] = ${JSON.stringify(turn)};\n\n` +
    `/** The same turn after approving: the write, then the end. */\nexport const demoResumed: StreamEvent[] = ${JSON.stringify(resumed)};\n`,
);
console.log(`wrote ${out}: ${turn.length} + ${resumed.length} events`);
await server.close?.();
process.exit(0);
