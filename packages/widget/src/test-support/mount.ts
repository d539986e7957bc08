import type { AgentEvent } from '@agent-chat/core';
import { ChatClient } from '@agent-chat/core';
import { createMockFetch, type MockScenario } from '../testing/mock-fetch.js';
import type { AgentChat } from '../components/agent-chat/agent-chat.component.js';
import { waitFor } from './assert.js';

/** Creates `tag` with `props`, appends it to the body and waits for its first render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  style = '',
): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  Object.assign(el, props);
  if (style) el.setAttribute('style', style);
  document.body.append(el);
  await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
  return el;
}

/** An `<agent-chat>` over the mock transport playing `scenario`, ready to use. */
export async function mountChat(scenario: MockScenario, attributes: Record<string, string> = {}): Promise<AgentChat> {
  const fetch = createMockFetch(scenario);
  const el = document.createElement('agent-chat');
  el.client = new ChatClient({ endpoint: '/mock-api', fetch, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  el.sessionId = scenario.sessionId ?? 'mock-session';
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.style.height = '600px';
  document.body.append(el);
  await waitFor(() => el.conversation.sessionId && el.shadowRoot?.querySelector('agent-chat-composer')?.disabled === false, 'the mock session');
  return el;
}

/** Removes every element the tests mounted. */
export function cleanup(): void {
  for (const el of [...document.body.children]) if (el.tagName.includes('-')) el.remove();
  localStorage.clear();
}

export type { AgentEvent };
