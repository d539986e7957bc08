import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AgentEvent, ToolCallPart } from '@agent-chat/core';
import { editedApproval, stateOf, toolError, tourComplete, tourResearching } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-tool-group>`: consecutive tool calls with their states. */
const meta: Meta = { title: 'Parts/agent-chat-tool-group', component: 'agent-chat-tool-group' };
export default meta;
type Story = StoryObj;

const calls = (events: AgentEvent[]) => stateOf(events).messages.flatMap((m) => m.parts).filter((p): p is ToolCallPart => p.type === 'tool_call');
const pad = (content: unknown) => html`<div style="padding:24px;max-width:760px">${content}</div>`;

export const Done: Story = { render: () => pad(html`<agent-chat-tool-group .calls=${calls(tourComplete)}></agent-chat-tool-group>`) };
export const Running: Story = { render: () => pad(html`<agent-chat-tool-group .calls=${calls(tourResearching)}></agent-chat-tool-group>`) };
export const ErrorAndLongOutput: Story = { render: () => pad(html`<agent-chat-tool-group .calls=${calls(toolError)}></agent-chat-tool-group>`) };
export const AwaitingAndEdited: Story = { render: () => pad(html`<agent-chat-tool-group .calls=${calls(editedApproval)}></agent-chat-tool-group>`) };
export const Rejected: Story = {
  render: () => {
    const rejected = calls(tourComplete).map((c) => (c.name === 'write_file' ? { ...c, state: 'rejected' as const, output: undefined, feedback: 'Not in this folder, please.' } : c));
    return pad(html`<agent-chat-tool-group .calls=${rejected}></agent-chat-tool-group>`);
  },
};
