import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ChatMessage } from '@agent-chat/core';
import { longHistory, longMarkdownTurn, stateOf, tourComplete, tourStreaming } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-messages>` alone: the transcript, fed a conversation's messages. */
const meta: Meta = { title: 'Parts/agent-chat-messages', component: 'agent-chat-messages' };
export default meta;
type Story = StoryObj;

const frame = (content: unknown) => html`<div style="height:100vh;display:flex;flex-direction:column">${content}</div>`;

export const Conversation: Story = {
  render: () => frame(html`<agent-chat-messages style="flex:1" can-undo can-edit .messages=${stateOf(tourComplete).messages}></agent-chat-messages>`),
};

export const Streaming: Story = {
  render: () => frame(html`<agent-chat-messages style="flex:1" running .messages=${stateOf(tourStreaming).messages}></agent-chat-messages>`),
};

export const LongMarkdown: Story = {
  render: () => frame(html`<agent-chat-messages style="flex:1" .messages=${stateOf(longMarkdownTurn).messages}></agent-chat-messages>`),
};

export const Empty: Story = {
  render: () => frame(html`<agent-chat-messages style="flex:1" .messages=${[]}><span slot="empty">Ask me about your sandbox files.</span></agent-chat-messages>`),
};

/** 1,000 messages: only the newest 40 are in the DOM; "Show earlier messages" adds more. */
export const LongHistory: Story = {
  render: () =>
    frame(html`<agent-chat-messages style="flex:1" .messages=${(longHistory(1000) as { messages: ChatMessage[] }).messages}></agent-chat-messages>`),
};
