// agent-chat on Hono: the API under /api, a page with <agent-chat> at /, served on
// Node by @hono/node-server. Offline demo agent by default; Claude when ANTHROPIC_API_KEY is set;
// an OpenAI-compatible model when OPENAI_API_KEY or OPENAI_BASE_URL is set.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createChatServer, demoAgent, demoTools } from '@agent-chat/server';
import { agUiHandler } from '@agent-chat/server/ag-ui';
import { aiSdkUiHandler } from '@agent-chat/server/ai-sdk-ui';
import { mountChatServer } from '@agent-chat/server/hono';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');

async function pickAgent() {
  if (process.env.ANTHROPIC_API_KEY) {
    console.log('agent: Claude via @anthropic-ai/sdk');
    // Loaded only here: @anthropic-ai/sdk is an optional peer of @agent-chat/server.
    const { anthropicAgent } = await import('@agent-chat/server/anthropic');
    return anthropicAgent({
      tools: demoTools({ sandboxDir }),
      system: 'You are a helpful assistant embedded in a web page. You can list, read and write files in a small sandbox folder.',
    });
  }
  if (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL) return openAICompatibleAgent();
  console.log('agent: offline demo agent (set ANTHROPIC_API_KEY for Claude, or OPENAI_API_KEY / OPENAI_BASE_URL for an OpenAI-compatible model)');
  return demoAgent({ sandboxDir, chunkDelayMs: Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30) });
}

/**
 * OpenAI, or any server that speaks its Chat Completions API (Ollama, vLLM, LM Studio, OpenRouter...):
 * OPENAI_BASE_URL (default OpenAI's), OPENAI_API_KEY (a local server needs none), OPENAI_MODEL.
 * `ai` and the provider, optional peers of @agent-chat/server, load only here.
 */
async function openAICompatibleAgent() {
  console.log(`agent: aiSdkAgent, model ${process.env.OPENAI_MODEL || 'gpt-4.1-mini'} at ${process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1'}`);
  const { aiSdkAgent } = await import('@agent-chat/server/ai-sdk');
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const baseURL = process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
  const apiKey = process.env.OPENAI_API_KEY || undefined;
  const provider = createOpenAICompatible({ name: 'openai-compatible', baseURL, apiKey, includeUsage: true });
  return aiSdkAgent({ model: provider(process.env.OPENAI_MODEL || 'gpt-4.1-mini'), tools: demoTools({ sandboxDir }) });
}

const chat = createChatServer({ agent: await pickAgent(), basePath: '/api' });

const app = new Hono();
// The same sessions through two other protocols (docs/interop.md): AG-UI clients at /api/ag-ui, the AI SDK's
// useChat at /api/ui-chat. Web-standard handlers like the chat server; they share its auth, CORS and stream caps.
const agUi = agUiHandler(chat);
const uiChat = aiSdkUiHandler(chat);
app.all('/api/ag-ui', (c) => agUi(c.req.raw));
app.all('/api/ui-chat', (c) => uiChat(c.req.raw));
app.all('/api/ui-chat/*', (c) => uiChat(c.req.raw));
// Every other method on /api and below goes to the chat server, a Web-standard fetch handler.
mountChatServer(app, chat);
// The widget's prebuilt bundle and its folder: the parts and grammars it loads on demand sit beside it.
const bundleDir = dirname(require.resolve('@agent-chat/widget/bundle'));
app.get('/agent-chat/*', async (c) => {
  const path = normalize(join(bundleDir, decodeURIComponent(c.req.path.slice('/agent-chat/'.length))));
  if (!path.startsWith(bundleDir + sep) || !path.endsWith('.js')) return c.notFound();
  const body = await readFile(path).catch(() => undefined);
  return body ? c.body(body, 200, { 'content-type': 'text/javascript; charset=utf-8' }) : c.notFound();
});
app.get('/', async (c) => c.html(await readFile(here('./public/index.html'), 'utf8')));

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? '127.0.0.1';
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  const origin = `http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${info.port}`;
  console.log(`agent-chat Hono example running at ${origin}/`);
  console.log(`  AG-UI endpoint:           ${origin}/api/ag-ui`);
  console.log(`  AI SDK useChat endpoint:  ${origin}/api/ui-chat`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await chat.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
