import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage, MessagePart, ToolCallPart } from '@agent-chat/core';
import { useAgentChat, type ChatStatus } from '@agent-chat/react';
import { StreamingMarkdown } from '@agent-chat/widget';

/** What each status of the hook means to the person using the page. */
const STATUS_TEXT: Record<ChatStatus, string> = {
  connecting: 'Connecting…',
  idle: 'Ready',
  running: 'Working…',
  awaiting_approval: 'Waiting for your approval',
  error: 'Something went wrong',
};

/** A tool call's state in words. */
const TOOL_STATE_TEXT: Record<ToolCallPart['state'], string> = {
  running: 'running…',
  awaiting_approval: 'waiting for your approval',
  approved: 'approved',
  rejected: 'rejected',
  done: 'done',
  error: 'failed',
  interrupted: 'stopped',
};

/**
 * Model text as markdown, with the widget's renderer: safe by construction
 * (raw HTML shown as text, link and image URLs allowlisted), and while it
 * streams only the last, still-open block is rendered again.
 */
function Markdown({ text }: { text: string }) {
  const renderer = useRef<StreamingMarkdown>(null);
  renderer.current ??= new StreamingMarkdown();
  return (
    <div className="text">
      {renderer.current.update(text).map((block) => (
        <div key={block.key} dangerouslySetInnerHTML={{ __html: block.html }} />
      ))}
    </div>
  );
}

function Part({ part, role }: { part: MessagePart; role: ChatMessage['role'] }) {
  switch (part.type) {
    case 'text':
      // What the user typed is shown as typed; the model writes markdown.
      return role === 'user' ? <p className="text">{part.text}</p> : <Markdown text={part.text} />;
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
          <code>{part.name}</code> <span className="tool-state">{TOOL_STATE_TEXT[part.state]}</span>
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
        <Part key={index} part={part} role={message.role} />
      ))}
    </li>
  );
}

/**
 * A chat UI written from scratch on the headless hook: the hook keeps the
 * conversation (core's reducer over the server's events); this only renders it.
 */
export function CustomChat() {
  // Remembered under its own key, apart from the component's. A first visit starts in the user's
  // empty session when they have one (POST /session?reuse=empty), as every agent-chat client does.
  const chat = useAgentChat({ endpoint: '/api', storageKey: 'agent-chat-example:custom-ui' });
  const [draft, setDraft] = useState('');
  const busy = chat.status !== 'idle';

  const canSend = !busy && draft.trim() !== '';
  const send = () => {
    if (!canSend) return;
    // Cleared at once (send() resolves only when the turn's stream ends); given back if nothing was sent.
    const text = draft;
    setDraft('');
    void chat.send(text).then((sent) => {
      if (!sent) setDraft((current) => current || text);
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  // Enter sends, Shift+Enter breaks the line; not while an input method is composing a character.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  };

  return (
    <section className="panel custom-chat" data-status={chat.status}>
      <p className="status" role="status">
        {STATUS_TEXT[chat.status]}
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
          onKeyDown={onKeyDown}
          placeholder="Enter sends, Shift+Enter for a new line"
          disabled={chat.status === 'connecting' || chat.status === 'error'}
        />
        {busy && chat.status === 'running' ? (
          <button type="button" onClick={() => void chat.stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={!canSend}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
