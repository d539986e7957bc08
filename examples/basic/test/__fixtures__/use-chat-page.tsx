// A page on the AI SDK's own React hook, `useChat` from @ai-sdk/react, talking to the example's
// /api/ui-chat endpoint: what docs/interop.md shows a new user. The end-to-end test bundles it
// with esbuild and serves it from the example's origin.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
// The history as UIMessages, as the server's toUIMessages writes them (its source: no Node in it).
import { toUIMessages } from '../../../../packages/server/src/interop/ai-sdk-ui/ui-messages.js';

/** What the test reads and drives. */
declare global {
  interface Window {
    chat?: {
      messages: UIMessage[];
      status: string;
      error: string | undefined;
      send(text: string): void;
      answer(approvalId: string, approved: boolean, reason?: string): void;
      stop(): Promise<void>;
    };
  }
}

const chatId = new URL(location.href).searchParams.get('chat')!;

function Chat({ history }: { history: UIMessage[] }) {
  const { messages, sendMessage, addToolApprovalResponse, status, error, stop } = useChat({
    id: chatId,
    messages: history,
    // After a reload: the turn that still runs, from its start (GET /api/ui-chat/:id/stream).
    resume: true,
    transport: new DefaultChatTransport({ api: '/api/ui-chat' }),
    // Answered approvals go back on their own.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  useEffect(() => {
    window.chat = {
      messages,
      status,
      error: error?.message,
      send: (text) => void sendMessage({ text }),
      answer: (id, approved, reason) => void addToolApprovalResponse({ id, approved, ...(reason !== undefined ? { reason } : {}) }),
      // A stop button: the server stops the turn (its stream then ends with `abort`), and the request goes.
      stop: async () => {
        await fetch(`/api/ui-chat/${encodeURIComponent(chatId)}/stop`, { method: 'POST' });
        await stop();
      },
    };
  });
  return (
    <ol role="log">
      {messages.map((message) => (
        <li key={message.id} data-role={message.role}>
          {message.parts.map((part, i) =>
            part.type === 'text' ? (
              <p key={i}>{part.text}</p>
            ) : part.type === 'dynamic-tool' ? (
              <p key={i} data-tool={part.toolName} data-state={part.state}>
                {part.toolName}
                {part.state === 'approval-requested' ? (
                  <>
                    <button onClick={() => addToolApprovalResponse({ id: part.approval.id, approved: true })}>Approve</button>
                    <button onClick={() => addToolApprovalResponse({ id: part.approval.id, approved: false, reason: 'not now' })}>Deny</button>
                  </>
                ) : null}
              </p>
            ) : null,
          )}
        </li>
      ))}
    </ol>
  );
}

// The conversation so far (a new chat has none yet: 404).
const response = await fetch(`/api/session/${encodeURIComponent(chatId)}/messages`);
const history = response.ok ? toUIMessages((await response.json()).messages) : [];
createRoot(document.getElementById('root')!).render(<Chat history={history} />);
