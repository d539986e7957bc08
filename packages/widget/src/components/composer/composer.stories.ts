import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';

/** `<agent-chat-composer>`: Enter sends, Shift+Enter breaks the line, Escape stops. */
const meta: Meta = {
  title: 'Parts/agent-chat-composer',
  component: 'agent-chat-composer',
  tags: ['autodocs'],
  render: (a) => pad(html`<agent-chat-composer ${args(a)}></agent-chat-composer>`),
};
export default meta;
type Story = StoryObj;

const pad = (content: unknown) => html`<div style="padding:24px;max-width:720px">${content}</div>`;
const models = [
  { id: 'opus', label: 'Claude Opus 4.6', recommended: true },
  { id: 'minimax', label: 'MiniMax M2.7', recommended: true },
  { id: 'kimi', label: 'Kimi K2.6' },
];

export const Ready: Story = {};
export const Running: Story = { args: { running: true, value: 'Next question…' } };
export const Disabled: Story = { args: { disabled: true, placeholder: 'Connecting…' } };
export const WithModels: Story = { args: { models, model: 'opus' } };
/** Only when the server accepts attachments: attach button, paste and drop of files. */
export const WithAttachments: Story = { args: { attachments: true, models, model: 'opus' } };
