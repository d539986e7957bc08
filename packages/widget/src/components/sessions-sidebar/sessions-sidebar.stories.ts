import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { args } from '../../testing/story-args.js';
import { mockClient } from '../../testing/story-chat.js';
import { tourComplete } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-sessions>`: list, create, switch, delete. A drawer under 640 px (try the mobile viewport). */
const meta: Meta = {
  title: 'Parts/agent-chat-sessions',
  component: 'agent-chat-sessions',
  tags: ['autodocs'],
  // The client (a mock transport) is kept while controls change the element.
  render: (a) => html`<div style="height:var(--story-height, 100vh);display:flex"><agent-chat-sessions .client=${guard([], client)} ${args(a)}></agent-chat-sessions></div>`,
};
export default meta;
type Story = StoryObj;

const client = () =>
  mockClient({
    history: tourComplete,
    sessions: [
      { id: 'a', title: 'Budget questions' },
      { id: 'b', title: 'Recipes for the week', processing: true },
      { id: 'c', title: 'A very long conversation title that does not fit in the sidebar' },
    ],
  });

export const List: Story = { args: { active: 'mock-session' } };
export const Empty: Story = {
  render: (a) =>
    html`<div style="height:var(--story-height, 100vh);display:flex"><agent-chat-sessions .client=${guard([], () => mockClient({ sessionId: 'unused' }))} ${args(a)}></agent-chat-sessions></div>`,
};
export const MobileDrawer: Story = {
  parameters: { viewport: { defaultViewport: 'mobile1' } },
  args: { open: true, active: 'mock-session' },
  render: (a) => html`<div style="padding:8px"><agent-chat-sessions .client=${guard([], client)} ${args(a)}></agent-chat-sessions></div>`,
};
