import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import type { AgentEvent } from '@agent-chat/core';
import { stateOf, tourComplete, tourResearching, tourStreaming, tourTurn } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-status>`: what the agent does now, and tokens and cost of the turn and the session. */
const meta: Meta = {
  title: 'Parts/agent-chat-status',
  component: 'agent-chat-status',
  tags: ['autodocs'],
  render: (a) => html`<div style="max-width:760px;border-bottom:1px solid #e4e4e7"><agent-chat-status ${args(a)}></agent-chat-status></div>`,
};
export default meta;
type Story = StoryObj;

/** The conversation as `reduce()` builds it from a recorded stream (editable as JSON in the controls). */
const bar = (events: AgentEvent[]): Story => ({ args: { conversation: stateOf(events) } });

export const Thinking: Story = bar(tourTurn.slice(0, 10));
export const Responding: Story = bar(tourStreaming);
export const RunningTool: Story = bar(tourResearching);
export const WaitingForApproval: Story = bar(tourTurn);
export const IdleWithUsage: Story = bar(tourComplete);
