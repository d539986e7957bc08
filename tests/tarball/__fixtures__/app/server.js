// The fresh app's server: Express with agent-chat mounted, as a user would write it
// after `npm install @agent-chat/server @agent-chat/widget @agent-chat/react express`.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createChatServer, demoAgent } from '@agent-chat/server';
import { createNodeListener } from '@agent-chat/server/node';
import { AgentChat } from '@agent-chat/react';

const require = createRequire(import.meta.url);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const chat = createChatServer({
  agent: demoAgent({ sandboxDir: process.env.SANDBOX_DIR ?? here('./sandbox/'), chunkDelayMs: 5 }),
  logger: { info() {}, warn() {}, error: console.error },
});
const app = express();
app.use(createNodeListener(chat));
// The widget's prebuilt bundle, with the files it loads on demand from its folder.
app.use('/agent-chat', express.static(dirname(require.resolve('@agent-chat/widget/bundle'))));
// The React component rendered on the server: proves the bindings load and render in Node.
app.get('/ssr', (_req, res) => res.type('html').send(renderToString(createElement(AgentChat, { endpoint: '/api' }))));
app.use(express.static(here('./public/')));

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`fresh app running at http://127.0.0.1:${server.address().port}/`);
});
process.once('SIGTERM', async () => {
  await chat.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
