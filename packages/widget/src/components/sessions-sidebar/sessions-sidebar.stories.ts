import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { mockClient } from '../../testing/story-chat.js';
import { tourComplete } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-sessions>`: list, create, switch, delete. A drawer under 640 px (try the mobile viewport). */
const meta: Meta = { title: 'Parts/agent-chat-sessions', component: 'agent-chat-sessions' };
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

export const List: Story = { render: () => html`<div style="height:100vh;display:flex"><agent-chat-sessions active="mock-session" .client=${client()}></agent-chat-sessions></div>` };
export const Empty: Story = { render: () => html`<div style="height:100vh;display:flex"><agent-chat-sessions .client=${mockClient({ sessionId: 'unused' })}></agent-chat-sessions></div>` };
export const MobileDrawer: Story = {
  parameters: { viewport: { defaultViewport: 'mobile1' } },
  render: () => html`<div style="padding:8px"><agent-chat-sessions open active="mock-session" .client=${client()}></agent-chat-sessions></div>`,
};
