import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import type { AgentEvent, ToolCallPart } from '@agent-chat/core';
import { editedApproval, stateOf, toolError, tourComplete, tourResearching } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-tool-group>`: consecutive tool calls with their states. */
const meta: Meta = {
  title: 'Parts/agent-chat-tool-group',
  component: 'agent-chat-tool-group',
  tags: ['autodocs'],
  render: (a) => pad(html`<agent-chat-tool-group ${args(a)}></agent-chat-tool-group>`),
};
export default meta;
type Story = StoryObj;

const calls = (events: AgentEvent[]) => stateOf(events).messages.flatMap((m) => m.parts).filter((p): p is ToolCallPart => p.type === 'tool_call');
const pad = (content: unknown) => html`<div style="padding:24px;max-width:760px">${content}</div>`;

export const Done: Story = { args: { calls: calls(tourComplete) } };
export const Running: Story = { args: { calls: calls(tourResearching) } };
export const ErrorAndLongOutput: Story = { args: { calls: calls(toolError) } };
export const AwaitingAndEdited: Story = { args: { calls: calls(editedApproval) } };
export const Rejected: Story = {
  args: {
    calls: calls(tourComplete).map((c) =>
      c.name === 'write_file' ? { ...c, state: 'rejected' as const, output: undefined, feedback: 'Not in this folder, please.' } : c,
    ),
  },
};
