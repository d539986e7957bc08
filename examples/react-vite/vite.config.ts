import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` runs Vite inside server.js (one process, one port). Running `vite`
// alone also works: /api is then proxied to an agent-chat server at AGENT_CHAT_API.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: process.env.AGENT_CHAT_API ?? 'http://127.0.0.1:3000', changeOrigin: true },
    },
  },
});
