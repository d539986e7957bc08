import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { manyApprovals, stateOf, tourTurn } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-approvals>`: tool calls waiting for the user's decision. */
const meta: Meta = { title: 'Parts/agent-chat-approvals', component: 'agent-chat-approvals' };
export default meta;
type Story = StoryObj;

const pad = (content: unknown) => html`<div style="padding:24px;max-width:760px">${content}</div>`;

export const Single: Story = { render: () => pad(html`<agent-chat-approvals .approvals=${stateOf(tourTurn).pendingApprovals}></agent-chat-approvals>`) };
export const Many: Story = { render: () => pad(html`<agent-chat-approvals .approvals=${stateOf(manyApprovals).pendingApprovals}></agent-chat-approvals>`) };
export const Edited: Story = {
  render: () =>
    pad(html`<agent-chat-approvals
      .approvals=${stateOf(manyApprovals).pendingApprovals}
      .edits=${new Map([['call-w', { path: 'notes/summary.md', content: '# Summary\n\n- reviewed\n' }]])}
    ></agent-chat-approvals>`),
};
export const Busy: Story = { render: () => pad(html`<agent-chat-approvals busy .approvals=${stateOf(manyApprovals).pendingApprovals}></agent-chat-approvals>`) };
