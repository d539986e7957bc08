// One Express server for the React example: the agent-chat API under /api and the app,
// built (`npm start`: vite build, then this) or live through Vite's middleware (`npm run dev`).
// Offline demo agent by default; Claude when ANTHROPIC_API_KEY is set.
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createChatServer, demoAgent, demoTools } from '@agent-chat/server';
import { agUiHandler } from '@agent-chat/server/ag-ui';
import { aiSdkUiHandler } from '@agent-chat/server/ai-sdk-ui';
import { expressRouter } from '@agent-chat/server/express';
import { createNodeListener } from '@agent-chat/server/node';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');
const dev = process.argv.includes('--dev');

// Claude's module (and @anthropic-ai/sdk, an optional peer of @agent-chat/server) loads only when a key is set;
// OPENAI_API_KEY or OPENAI_BASE_URL picks an OpenAI-compatible model (see below).
const agent = process.env.ANTHROPIC_API_KEY
  ? (await import('@agent-chat/server/anthropic')).anthropicAgent({ tools: demoTools({ sandboxDir }) })
  : process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL
    ? await openAICompatibleAgent()
    : demoAgent({ sandboxDir, chunkDelayMs: Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30) });
const chat = createChatServer({ agent, basePath: '/api' });

const app = express();
// The same sessions through two other protocols (docs/interop.md): AG-UI clients at /api/ag-ui, the AI SDK's
// useChat at /api/ui-chat. They share the API's auth, CORS and stream caps.
app.all('/api/ag-ui', createNodeListener(agUiHandler(chat)));
app.use('/api/ui-chat', createNodeListener(aiSdkUiHandler(chat)));
app.use(expressRouter(chat));
if (dev) {
  const { createServer } = await import('vite');
  const vite = await createServer({ root: here('.'), server: { middlewareMode: true }, appType: 'spa' });
  app.use(vite.middlewares);
} else {
  app.use(express.static(here('./dist/')));
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: actual } = server.address();
  const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`;
  console.log(`agent-chat React example running at ${origin}/`);
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

/**
 * OpenAI, or any server that speaks its Chat Completions API (Ollama, vLLM, LM Studio, OpenRouter...):
 * OPENAI_BASE_URL (default OpenAI's), OPENAI_API_KEY (a local server needs none), OPENAI_MODEL.
 * `ai` and the provider, optional peers of @agent-chat/server, load only here.
 */
async function openAICompatibleAgent() {
  const { aiSdkAgent } = await import('@agent-chat/server/ai-sdk');
  const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
  const baseURL = process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1';
  const apiKey = process.env.OPENAI_API_KEY || undefined;
  const provider = createOpenAICompatible({ name: 'openai-compatible', baseURL, apiKey, includeUsage: true });
  return aiSdkAgent({ model: provider(process.env.OPENAI_MODEL || 'gpt-4.1-mini'), tools: demoTools({ sandboxDir }) });
}
