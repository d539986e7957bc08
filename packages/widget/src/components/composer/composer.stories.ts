import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';

/** `<agent-chat-composer>`: Enter sends, Shift+Enter breaks the line, Escape stops. */
const meta: Meta = { title: 'Parts/agent-chat-composer', component: 'agent-chat-composer' };
export default meta;
type Story = StoryObj;

const pad = (content: unknown) => html`<div style="padding:24px;max-width:720px">${content}</div>`;
const models = [
  { id: 'opus', label: 'Claude Opus 4.6', recommended: true },
  { id: 'minimax', label: 'MiniMax M2.7', recommended: true },
  { id: 'kimi', label: 'Kimi K2.6' },
];

export const Ready: Story = { render: () => pad(html`<agent-chat-composer></agent-chat-composer>`) };
export const Running: Story = { render: () => pad(html`<agent-chat-composer running value="Next question…"></agent-chat-composer>`) };
export const Disabled: Story = { render: () => pad(html`<agent-chat-composer disabled placeholder="Connecting…"></agent-chat-composer>`) };
export const WithModels: Story = { render: () => pad(html`<agent-chat-composer .models=${models} model="opus"></agent-chat-composer>`) };
/** Only when the server accepts attachments: attach button, paste and drop of files. */
export const WithAttachments: Story = { render: () => pad(html`<agent-chat-composer attachments .models=${models} model="opus"></agent-chat-composer>`) };
