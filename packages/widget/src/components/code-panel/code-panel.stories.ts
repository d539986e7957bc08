import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { AgentEvent, ToolCallPart } from '@agent-chat/core';
import { editedApproval, manyApprovals, stateOf, tourComplete } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-code-panel>`: a tool call's input and output; editing for approvals. */
const meta: Meta = { title: 'Parts/agent-chat-code-panel', component: 'agent-chat-code-panel' };
export default meta;
type Story = StoryObj;

const call = (events: AgentEvent[], name: string) =>
  stateOf(events).messages.flatMap((m) => m.parts).find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === name)!;
const frame = (content: unknown) => html`<div style="height:100vh;width:min(100%,560px);margin-inline-start:auto">${content}</div>`;

export const Output: Story = { render: () => frame(html`<agent-chat-code-panel style="height:100%" following .call=${call(tourComplete, 'research')}></agent-chat-code-panel>`) };
export const Pinned: Story = { render: () => frame(html`<agent-chat-code-panel style="height:100%" pinned .call=${call(tourComplete, 'list_files')}></agent-chat-code-panel>`) };
export const Empty: Story = { render: () => frame(html`<agent-chat-code-panel style="height:100%"></agent-chat-code-panel>`) };

/** A pending call: press Edit, change the JSON, "Use this input" validates it against the tool's schema. */
export const EditableApproval: Story = {
  render: () => {
    const state = stateOf(manyApprovals);
    return frame(html`<agent-chat-code-panel
      style="height:100%"
      .call=${call(manyApprovals, 'write_file')}
      .approval=${state.pendingApprovals[0]}
    ></agent-chat-code-panel>`);
  },
};

/** After an edit: the "(edited)" badge and the diff against the model's input. */
export const EditedWithDiff: Story = {
  render: () => {
    const state = stateOf(manyApprovals);
    const edited = call(editedApproval, 'write_file').input;
    return frame(html`<agent-chat-code-panel
      style="height:100%"
      edited
      .editedInput=${edited}
      .call=${call(manyApprovals, 'write_file')}
      .approval=${state.pendingApprovals[0]}
    ></agent-chat-code-panel>`);
  },
};
