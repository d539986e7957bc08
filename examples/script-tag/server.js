// The smallest host: node:http serving one static page, the widget's prebuilt
// bundle (with the files next to it) and the agent-chat API. No framework, no build step.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChatServer, demoAgent, demoTools } from '@agent-chat/server';
import { agUiHandler } from '@agent-chat/server/ag-ui';
import { aiSdkUiHandler } from '@agent-chat/server/ai-sdk-ui';
import { createNodeListener } from '@agent-chat/server/node';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');

// Claude's module (and @anthropic-ai/sdk, an optional peer of @agent-chat/server) loads only when a key is set;
// OPENAI_API_KEY or OPENAI_BASE_URL picks an OpenAI-compatible model (see below).
const agent = process.env.ANTHROPIC_API_KEY
  ? (await import('@agent-chat/server/anthropic')).anthropicAgent({ tools: demoTools({ sandboxDir }) })
  : process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL
    ? await openAICompatibleAgent()
    : demoAgent({ sandboxDir, chunkDelayMs: Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30) });
const chat = createChatServer({ agent, basePath: '/api' });
const api = createNodeListener(chat);
// The same sessions through two other protocols (docs/interop.md): AG-UI clients at /api/ag-ui, the AI SDK's
// useChat at /api/ui-chat. They share the API's auth, CORS and stream caps.
const agUi = createNodeListener(agUiHandler(chat));
const uiChat = createNodeListener(aiSdkUiHandler(chat));

// The bundle's folder: the bundle, and what it imports from next to it (parts/, highlight/).
const bundleDir = dirname(require.resolve('@agent-chat/widget/bundle'));

/** The file a GET may read: the page, or a .js file of the bundle's folder (or its subfolders) under /agent-chat/. */
function staticFile(pathname) {
  if (pathname === '/') return { path: here('./index.html'), type: 'text/html; charset=utf-8' };
  if (!pathname.startsWith('/agent-chat/') || !pathname.endsWith('.js')) return undefined;
  const path = normalize(join(bundleDir, decodeURIComponent(pathname.slice('/agent-chat/'.length))));
  if (!path.startsWith(bundleDir + sep) || !existsSync(path) || !statSync(path).isFile()) return undefined;
  return { path, type: 'text/javascript; charset=utf-8' };
}

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const file = req.method === 'GET' || req.method === 'HEAD' ? staticFile(pathname) : undefined;
  if (file) {
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
    if (req.method === 'HEAD') return res.end();
    return createReadStream(file.path).pipe(res);
  }
  if (pathname === '/api/ag-ui') return agUi(req, res);
  if (pathname === '/api/ui-chat' || pathname.startsWith('/api/ui-chat/')) return uiChat(req, res);
  // Everything else is the API's: it answers 404 `route_not_found` outside /api.
  api(req, res);
});

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  const { port: actual } = server.address();
  const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`;
  console.log(`agent-chat script-tag example running at ${origin}/`);
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
