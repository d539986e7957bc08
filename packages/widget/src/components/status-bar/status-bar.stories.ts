import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AgentEvent } from '@agent-chat/core';
import { stateOf, tourComplete, tourResearching, tourStreaming, tourTurn } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-status>`: what the agent does now, and tokens and cost of the turn and the session. */
const meta: Meta = { title: 'Parts/agent-chat-status', component: 'agent-chat-status' };
export default meta;
type Story = StoryObj;

const bar = (events: AgentEvent[]) => html`<div style="max-width:760px;border-bottom:1px solid #e4e4e7"><agent-chat-status .conversation=${stateOf(events)}></agent-chat-status></div>`;

export const Thinking: Story = { render: () => bar(tourTurn.slice(0, 10)) };
export const Responding: Story = { render: () => bar(tourStreaming) };
export const RunningTool: Story = { render: () => bar(tourResearching) };
export const WaitingForApproval: Story = { render: () => bar(tourTurn) };
export const IdleWithUsage: Story = { render: () => bar(tourComplete) };
