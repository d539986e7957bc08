// Bundled with esbuild from the fresh app's node_modules (the installed tarballs).
import { version } from 'react';
import { createRoot } from 'react-dom/client';
import { AgentChat, useAgentChat } from '@agent-chat/react';

function HookChat() {
  const chat = useAgentChat({ endpoint: '/api', storageKey: null });
  return (
    <section id="hook" data-status={chat.status}>
      <button type="button" onClick={() => void chat.send('Hello from a tarball')}>
        Send
      </button>
      <button
        type="button"
        onClick={() =>
          void chat.approve(chat.state.pendingApprovals.map((p) => ({ toolCallId: p.toolCallId, decision: 'approve' })))
        }
      >
        Approve
      </button>
      <ol>
        {chat.state.messages.map((m) => (
          <li key={m.id} data-role={m.role}>
            {m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('')}
          </li>
        ))}
      </ol>
    </section>
  );
}

// Which React this page was bundled with (the test runs it with 19, and with 18).
document.documentElement.dataset.react = version;

createRoot(document.getElementById('root')!).render(
  <>
    <HookChat />
    <AgentChat endpoint="/api" style={{ height: '300px' }} />
  </>,
);
