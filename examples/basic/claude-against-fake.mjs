// Runs this example with anthropicAgent (the real @anthropic-ai/sdk) against a
// local fake of the Anthropic Messages API, so the Claude path can be tried and
// tested offline: `npm run start:fake-claude -w @agent-chat/example-basic`
// (after `npm run build`). The fake streams a scripted tour with parallel tool
// calls, research sub-agents and an approval; see
// packages/server/src/testing/fake-anthropic-server-scenario.ts.
//
// The fake is TypeScript test support, not part of the published package, so it
// is bundled here on the fly with esbuild (a dev dependency of the monorepo).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const scenario = fileURLToPath(
  new URL('../../packages/server/src/testing/fake-anthropic-server-scenario.ts', import.meta.url),
);
const outDir = await mkdtemp(join(tmpdir(), 'agent-chat-fake-claude-'));
const outfile = join(outDir, 'fake.mjs');
await build({ entryPoints: [scenario], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { startFakeAnthropicServer, demoClaudeResponder } = await import(pathToFileURL(outfile).href);
await rm(outDir, { recursive: true, force: true });

const fake = await startFakeAnthropicServer({
  respond: demoClaudeResponder({ delayMs: Number(process.env.FAKE_CLAUDE_DELAY_MS ?? 15) }),
});
console.log(`fake Anthropic Messages API at ${fake.url}`);

// What server.js reads to pick and configure anthropicAgent.
process.env.ANTHROPIC_API_KEY = 'fake-key';
process.env.ANTHROPIC_BASE_URL = fake.url;

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void fake.close());
await import('./server.js');
