// The main job: Express serving a plain HTML page with <agent-chat>, the agent
// mounted under /api. Offline demo agent by default; Claude when ANTHROPIC_API_KEY is set; an
// OpenAI-compatible model (OpenAI, Ollama, vLLM, ...) when OPENAI_API_KEY or OPENAI_BASE_URL is set.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import * as chatServer from '@agent-chat/server';
import { agUiHandler } from '@agent-chat/server/ag-ui';
import { aiSdkUiHandler } from '@agent-chat/server/ai-sdk-ui';
import { expressRouter } from '@agent-chat/server/express';
import { createNodeListener } from '@agent-chat/server/node';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');
// MCP_SERVERS adds the tools of MCP servers to Claude's or the OpenAI-compatible model's (docs/mcp.md).
const mcp = await attachMcpServers();
const tools = [...chatServer.demoTools({ sandboxDir }), ...mcp.tools];

async function pickAgent() {
  if (process.env.ANTHROPIC_API_KEY) {
    const model = process.env.ANTHROPIC_MODEL;
    // Loaded only here: @anthropic-ai/sdk is an optional peer of @agent-chat/server.
    const { anthropicAgent, DEFAULT_ANTHROPIC_MODEL } = await import('@agent-chat/server/anthropic');
    console.log(`agent: Claude via @anthropic-ai/sdk, model ${model || DEFAULT_ANTHROPIC_MODEL}`);
    return anthropicAgent({
      ...(model ? { model } : {}),
      tools,
      system: 'You are a helpful assistant embedded in a web page. You can list, read and write files in a small sandbox folder.',
    });
  }
  if (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL) return openAICompatibleAgent();
  const chunkDelayMs = Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30);
  console.log(`agent: offline demo agent (set ANTHROPIC_API_KEY for Claude, or OPENAI_API_KEY / OPENAI_BASE_URL for an OpenAI-compatible model)`);
  return chatServer.demoAgent({ sandboxDir, chunkDelayMs });
}

/**
 * OpenAI, or any server that speaks its Chat Completions API (Ollama, vLLM, LM Studio,
 * llama.cpp, OpenRouter, LiteLLM): OPENAI_BASE_URL (default OpenAI's), OPENAI_API_KEY
 * (a local server needs none), OPENAI_MODEL (needed with OPENAI_BASE_URL).
 */
async function openAICompatibleAgent() {
  const baseURL = (process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1').replace(/\/+$/, '');
  const model = process.env.OPENAI_MODEL || (process.env.OPENAI_BASE_URL ? undefined : 'gpt-4.1-mini');
  if (!model) {
    console.error('OPENAI_BASE_URL is set but OPENAI_MODEL is not: set it to a model the server has, e.g. OPENAI_MODEL=llama3.2');
    process.exit(1);
  }
  // Loaded only here: ai and the provider are optional peers of @agent-chat/server.
  const [{ aiSdkAgent }, { createOpenAICompatible }] = await Promise.all([
    import('@agent-chat/server/ai-sdk'),
    import('@ai-sdk/openai-compatible'),
  ]);
  const provider = createOpenAICompatible({
    name: new URL(baseURL).hostname === 'api.openai.com' ? 'openai' : 'openai-compatible',
    baseURL,
    ...(process.env.OPENAI_API_KEY ? { apiKey: process.env.OPENAI_API_KEY } : {}),
    // Token counts in the stream's last chunk, for the usage shown per turn.
    includeUsage: true,
  });
  console.log(`agent: aiSdkAgent, model ${model} at ${baseURL} (OpenAI-compatible, via ai + @ai-sdk/openai-compatible)`);
  return aiSdkAgent({
    model: provider(model),
    tools,
    system: 'You are a helpful assistant embedded in a web page. You can list, read and write files in a small sandbox folder.',
  });
}

/**
 * Connects to the servers of MCP_SERVERS: JSON of servers by name, or a JSON file such as Claude
 * Desktop's config, e.g. {"fs":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem","."]}}.
 * Relative paths start where `npm start` ran. Each tool is named <server>_<tool>.
 */
async function attachMcpServers() {
  if (!process.env.MCP_SERVERS) return { tools: [], close: async () => {} };
  // Loaded only here: @modelcontextprotocol/sdk is an optional peer of @agent-chat/server.
  const { connectMcpServers, parseMcpServers } = await import('@agent-chat/server/mcp');
  try {
    const attached = await connectMcpServers(parseMcpServers(process.env.MCP_SERVERS, process.env.INIT_CWD || process.cwd()));
    for (const { name, tools } of attached.servers) console.log(`mcp: ${name}: ${tools.join(', ') || 'no tools'}`);
    return attached;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

const agent = await pickAgent();
if (mcp.tools.length > 0 && agent.name === 'demo') console.log('mcp: the offline demo agent does not call MCP tools; a model does');
const chat = chatServer.createChatServer({ agent, basePath: '/api' });
const app = express();
// The same sessions through two other protocols (docs/interop.md): AG-UI clients (CopilotKit, @ag-ui/client)
// at /api/ag-ui, the AI SDK's useChat at /api/ui-chat. They share the API's auth, CORS and stream caps.
app.all('/api/ag-ui', createNodeListener(agUiHandler(chat)));
app.use('/api/ui-chat', createNodeListener(aiSdkUiHandler(chat)));
app.use(expressRouter(chat)); // answers under /api; other paths go on
// The widget's prebuilt bundle and its folder: the tool parts and grammars it loads on demand sit beside it.
app.use('/agent-chat', express.static(dirname(require.resolve('@agent-chat/widget/bundle'))));
app.use(express.static(here('./public/')));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: actual } = server.address();
  const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`;
  console.log(`agent-chat example running at ${origin}/`);
  console.log(`  AG-UI endpoint:           ${origin}/api/ag-ui`);
  console.log(`  AI SDK useChat endpoint:  ${origin}/api/ui-chat`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await chat.close();
    await mcp.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
