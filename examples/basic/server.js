// The main job: Express serving a plain HTML page with <agent-chat>, the agent
// mounted under /api. Offline demo agent by default; Claude when ANTHROPIC_API_KEY is set.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import * as chatServer from '@agent-chat/server';
import { expressRouter } from '@agent-chat/server/express';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');

async function pickAgent() {
  if (process.env.ANTHROPIC_API_KEY) {
    const model = process.env.ANTHROPIC_MODEL;
    console.log(`agent: Claude${model ? ` (${model})` : ''} via @anthropic-ai/sdk`);
    // Loaded only here: @anthropic-ai/sdk is an optional peer of @agent-chat/server.
    const { anthropicAgent } = await import('@agent-chat/server/anthropic');
    return anthropicAgent({
      ...(model ? { model } : {}),
      tools: chatServer.demoTools({ sandboxDir }),
      system: 'You are a helpful assistant embedded in a web page. You can list, read and write files in a small sandbox folder.',
    });
  }
  const chunkDelayMs = Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30);
  console.log(`agent: offline demo agent (set ANTHROPIC_API_KEY to chat with Claude)`);
  return chatServer.demoAgent({ sandboxDir, chunkDelayMs });
}

const chat = chatServer.createChatServer({ agent: await pickAgent(), basePath: '/api' });
const app = express();
app.use(expressRouter(chat)); // answers under /api; other paths go on
// The widget's prebuilt bundle and its folder: the tool parts and grammars it loads on demand sit beside it.
app.use('/agent-chat', express.static(dirname(require.resolve('@agent-chat/widget/bundle'))));
app.use(express.static(here('./public/')));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = app.listen(port, host, () => {
  const { port: actual } = server.address();
  console.log(`agent-chat example running at http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await chat.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
