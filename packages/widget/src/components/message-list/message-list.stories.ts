import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import type { ChatMessage } from '@agent-chat/core';
import { longHistory, longMarkdownTurn, stateOf, tourComplete, tourStreaming } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-messages>` alone: the transcript, fed a conversation's messages. */
const meta: Meta = {
  title: 'Parts/agent-chat-messages',
  component: 'agent-chat-messages',
  tags: ['autodocs'],
  render: (a) => frame(html`<agent-chat-messages style="flex:1" ${args(a)}></agent-chat-messages>`),
};
export default meta;
type Story = StoryObj;

const frame = (content: unknown) => html`<div style="height:var(--story-height, 100vh);display:flex;flex-direction:column">${content}</div>`;

export const Conversation: Story = { args: { ready: true, canUndo: true, canEdit: true, messages: stateOf(tourComplete).messages } };

export const Streaming: Story = { args: { ready: true, running: true, messages: stateOf(tourStreaming).messages } };

export const LongMarkdown: Story = { args: { ready: true, messages: stateOf(longMarkdownTurn).messages } };

export const Empty: Story = { args: { ready: true, messages: [], 'slot:empty': 'Ask me about your sandbox files.' } };

/** 1,000 messages: only the newest 40 (`windowSize`) are in the DOM; "Show earlier messages" adds more. Too many for a JSON control: set in the template. */
export const LongHistory: Story = {
  args: { ready: true, windowSize: 40 },
  render: (a) =>
    frame(html`<agent-chat-messages style="flex:1" .messages=${(longHistory(1000) as { messages: ChatMessage[] }).messages} ${args(a)}></agent-chat-messages>`),
};
