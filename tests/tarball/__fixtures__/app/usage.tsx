// Type-checked (tsc, strict) against the installed tarballs: the public API as users call it.
// Every public entry point is also imported by entries.ts, generated from the packages' `exports`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ChatClient,
  PROTOCOL_VERSION,
  createConversationState,
  decodeAgentEvent,
  reduce,
  type AgentEvent,
  type ConversationState,
} from '@agent-chat/core';
import { agentEventSchema, parseAgentEvent } from '@agent-chat/core/schemas';
import { createChatServer, demoAgent, demoTools, type Agent } from '@agent-chat/server';
import { anthropicAgent, researchTool } from '@agent-chat/server/anthropic';
import { createNodeListener } from '@agent-chat/server/node';
import { AgentChat as AgentChatElement, AgentChatSendEvent } from '@agent-chat/widget';
import '@agent-chat/widget/define';
import { AgentChat, useAgentChat, type ChatStatus } from '@agent-chat/react';

const server = createChatServer({ agent: demoAgent({ sandboxDir: './sandbox' }) });
const listener: (req: IncomingMessage, res: ServerResponse) => void = createNodeListener(server);
void listener;

// Claude from its own entry, with @anthropic-ai/sdk (an optional peer) installed beside it.
const claude: Agent = anthropicAgent({
  model: 'claude-haiku-4-5',
  tools: [...demoTools({ sandboxDir: './sandbox' }), researchTool({ tools: demoTools({ sandboxDir: './sandbox' }) })],
});
void claude;

const client = new ChatClient({ endpoint: '/api' });
const state: ConversationState = reduce(createConversationState(), {
  type: 'ready',
  protocolVersion: PROTOCOL_VERSION,
  sessionId: 's',
  lastEventId: 0,
});
void client;
void state;

// The zod schemas come from the subpath; strict validation of streams is an option of the client.
const strictClient = new ChatClient({ endpoint: '/api', decodeEvent: parseAgentEvent });
const light: AgentEvent | undefined = decodeAgentEvent({ type: 'title', title: 'Hi' });
const strict: AgentEvent = agentEventSchema.parse({ type: 'title', title: 'Hi' });
void strictClient;
void light;
void strict;

// The element is in HTMLElementTagNameMap, and its events in GlobalEventHandlersEventMap.
const element: AgentChatElement = document.createElement('agent-chat');
element.addEventListener('agent-chat-send', (event) => {
  const typed: AgentChatSendEvent = event;
  const text: string = event.detail.text;
  void typed;
  void text;
});

export function App() {
  const chat = useAgentChat({ endpoint: '/api' });
  const status: ChatStatus = chat.status;
  const sent: Promise<boolean> = chat.send('hi');
  void sent;
  return (
    <>
      <p>{status}</p>
      <AgentChat
        endpoint="/api"
        theme="dark"
        onSend={(event) => {
          const text: string = event.detail.text;
          if (!text.trim()) event.preventDefault();
        }}
        onTurnComplete={(event) => {
          const stopReason: string = event.detail.stopReason;
          void stopReason;
        }}
      />
      {/* @ts-expect-error endpoint is a string: the props are typed, not any */}
      <AgentChat endpoint={42} />
    </>
  );
}
