// Runs this example with aiSdkAgent (the real `ai` and `@ai-sdk/openai-compatible`) against a
// local fake of the OpenAI Chat Completions API, so the OpenAI-compatible path can be tried and
// tested offline: `npm run start:fake-openai -w @agent-chat/example-basic` (after `npm run build`).
// The fake streams a scripted tour with reasoning, parallel tool calls, research sub-agents and an
// approval; see packages/server/src/testing/fake-openai-server-scenario.ts.
//
// The fake is TypeScript test support, not part of the published package, so it
// is bundled here on the fly with esbuild (a dev dependency of the monorepo).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const scenario = fileURLToPath(new URL('../../packages/server/src/testing/fake-openai-server-scenario.ts', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'agent-chat-fake-openai-'));
const outfile = join(outDir, 'fake.mjs');
await build({ entryPoints: [scenario], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
const { startFakeOpenAIServer, demoOpenAIResponder } = await import(pathToFileURL(outfile).href);
await rm(outDir, { recursive: true, force: true });

const fake = await startFakeOpenAIServer({
  respond: demoOpenAIResponder({ delayMs: Number(process.env.FAKE_OPENAI_DELAY_MS ?? 15) }),
});
console.log(`fake OpenAI Chat Completions API at ${fake.url}`);

// What server.js reads to pick and configure aiSdkAgent.
process.env.ANTHROPIC_API_KEY = '';
process.env.OPENAI_BASE_URL = fake.url;
process.env.OPENAI_MODEL ||= 'gpt-4o-mini';

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void fake.close());
await import('./server.js');
