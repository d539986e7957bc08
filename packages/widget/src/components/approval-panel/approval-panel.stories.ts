import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import { manyApprovals, stateOf, tourTurn } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-approvals>`: tool calls waiting for the user's decision. */
const meta: Meta = {
  title: 'Parts/agent-chat-approvals',
  component: 'agent-chat-approvals',
  tags: ['autodocs'],
  render: (a) => pad(html`<agent-chat-approvals ${args(a)}></agent-chat-approvals>`),
};
export default meta;
type Story = StoryObj;

const pad = (content: unknown) => html`<div style="padding:24px;max-width:760px">${content}</div>`;

export const Single: Story = { args: { approvals: stateOf(tourTurn).pendingApprovals } };
export const Many: Story = { args: { approvals: stateOf(manyApprovals).pendingApprovals } };
/** `edits` is a Map (no control): the edited call shows "(edited)". */
export const Edited: Story = {
  args: { approvals: stateOf(manyApprovals).pendingApprovals },
  render: (a) =>
    pad(html`<agent-chat-approvals
      .edits=${new Map([['call-w', { path: 'notes/summary.md', content: '# Summary\n\n- reviewed\n' }]])}
      ${args(a)}
    ></agent-chat-approvals>`),
};
export const Busy: Story = { args: { busy: true, approvals: stateOf(manyApprovals).pendingApprovals } };
