import { useState, type FormEvent } from 'react';
import type { ChatMessage, MessagePart } from '@agent-chat/core';
import { useAgentChat } from '@agent-chat/react';

function Part({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <p className="text">{part.text}</p>;
    case 'thinking':
      return (
        <details className="thinking">
          <summary>Thinking</summary>
          {part.text}
        </details>
      );
    case 'tool_call':
      return (
        <div className="tool" data-state={part.state}>
          <code>{part.name}</code> <span className="tool-state">{part.state}</span>
        </div>
      );
    default:
      return null;
  }
}

function Message({ message }: { message: ChatMessage }) {
  return (
    <li className={`message ${message.role}`} data-role={message.role}>
      {message.parts.map((part, index) => (
        <Part key={index} part={part} />
      ))}
    </li>
  );
}

/**
 * A chat UI written from scratch on the headless hook: the hook keeps the
 * conversation (core's reducer over the server's events); this only renders it.
 */
export function CustomChat() {
  // Its own remembered session, apart from the component's.
  const chat = useAgentChat({ endpoint: '/api', storageKey: 'agent-chat-example:custom-ui' });
  const [draft, setDraft] = useState('');
  const busy = chat.status !== 'idle';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void chat.send(draft).then((sent) => sent && setDraft(''));
  };

  return (
    <section className="panel custom-chat" data-status={chat.status}>
      <p className="status" role="status">
        {chat.status}
        {chat.state.title ? ` · ${chat.state.title}` : ''}
      </p>
      <ol className="messages" role="log" aria-label="Conversation">
        {chat.state.messages.map((message) => (
          <Message key={message.id} message={message} />
        ))}
      </ol>
      {chat.state.pendingApprovals.length > 0 && (
        <div className="approvals" role="group" aria-label="Approvals">
          {chat.state.pendingApprovals.map((approval) => (
            <p key={approval.toolCallId}>
              <code>{approval.name}</code> wants to run.{' '}
              <button
                type="button"
                onClick={() => void chat.approve([{ toolCallId: approval.toolCallId, decision: 'approve' }])}
              >
                Approve
              </button>{' '}
              <button
                type="button"
                onClick={() => void chat.approve([{ toolCallId: approval.toolCallId, decision: 'reject' }])}
              >
                Reject
              </button>
            </p>
          ))}
        </div>
      )}
      {chat.error && (
        <p className="error" role="alert">
          {chat.error.message}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="custom-message">Message</label>
        <textarea
          id="custom-message"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={chat.status === 'connecting' || chat.status === 'error'}
        />
        {busy && chat.status === 'running' ? (
          <button type="button" onClick={() => void chat.stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={busy || !draft.trim()}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
