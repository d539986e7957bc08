import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import type { AgentEvent, ToolCallPart } from '@agent-chat/core';
import { editedApproval, manyApprovals, stateOf, tourComplete } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-code-panel>`: a tool call's input and output; editing for approvals. */
const meta: Meta = {
  title: 'Parts/agent-chat-code-panel',
  component: 'agent-chat-code-panel',
  tags: ['autodocs'],
  render: (a) => frame(html`<agent-chat-code-panel style="height:100%" ${args(a)}></agent-chat-code-panel>`),
};
export default meta;
type Story = StoryObj;

const call = (events: AgentEvent[], name: string) =>
  stateOf(events).messages.flatMap((m) => m.parts).find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === name)!;
const frame = (content: unknown) => html`<div style="height:var(--story-height, 100vh);width:min(100%,560px);margin-inline-start:auto">${content}</div>`;

export const Output: Story = { args: { following: true, call: call(tourComplete, 'research') } };
export const Pinned: Story = { args: { pinned: true, call: call(tourComplete, 'list_files') } };
export const Empty: Story = {};

/** A pending call: press Edit, change the JSON, "Use this input" validates it against the tool's schema. */
export const EditableApproval: Story = {
  args: { call: call(manyApprovals, 'write_file'), approval: stateOf(manyApprovals).pendingApprovals[0] },
};

/** After an edit: the "(edited)" badge and the diff against the model's input. */
export const EditedWithDiff: Story = {
  args: {
    edited: true,
    call: call(manyApprovals, 'write_file'),
    approval: stateOf(manyApprovals).pendingApprovals[0],
  },
  // `editedInput` is `unknown` (any JSON), so it has no control: set here.
  render: (a) =>
    frame(html`<agent-chat-code-panel style="height:100%" .editedInput=${call(editedApproval, 'write_file').input} ${args(a)}></agent-chat-code-panel>`),
};
