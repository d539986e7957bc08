// One Express server for the React example: the agent-chat API under /api and the app,
// built (`npm start`: vite build, then this) or live through Vite's middleware (`npm run dev`).
// Offline demo agent by default; Claude when ANTHROPIC_API_KEY is set.
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createChatServer, demoAgent, demoTools } from '@agent-chat/server';
import { expressRouter } from '@agent-chat/server/express';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const sandboxDir = process.env.SANDBOX_DIR ?? here('./sandbox/');
const dev = process.argv.includes('--dev');

// Claude's module (and @anthropic-ai/sdk, an optional peer of @agent-chat/server) loads only when a key is set.
const agent = process.env.ANTHROPIC_API_KEY
  ? (await import('@agent-chat/server/anthropic')).anthropicAgent({ tools: demoTools({ sandboxDir }) })
  : demoAgent({ sandboxDir, chunkDelayMs: Number(process.env.DEMO_CHUNK_DELAY_MS ?? 30) });
const chat = createChatServer({ agent, basePath: '/api' });

const app = express();
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
  console.log(`agent-chat React example running at http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await chat.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
