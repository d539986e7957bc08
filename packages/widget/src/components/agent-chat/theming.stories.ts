import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { chatStory } from '../../testing/story-chat.js';
import { tourResumed, tourStreaming, tourTurn } from '../../__fixtures__/scenarios.js';

/**
 * Theming playground: the controls are `<agent-chat>`'s `--agent-chat-*` custom
 * properties (colors, radius, fonts, sizes) and `theme` (light, dark, or unset
 * to follow the system). A live element replays a recorded turn (thinking,
 * markdown, tools, then an approval to decide); every change applies at once.
 * What you set here is what you write in CSS (docs/theming.md):
 *
 *     agent-chat { --agent-chat-accent: #2f5d50; --agent-chat-radius: 4px; }
 */
const meta: Meta = {
  title: 'Theming',
  component: 'agent-chat',
  // The element's docs page is Elements/agent-chat; this one is only a playground.
  tags: ['!autodocs'],
  parameters: { controls: { include: /^(theme|--agent-chat-.*)$/, expanded: true } },
  render: (args) =>
    html`<div style="height:var(--story-height, 100vh);background:${args.theme === 'dark' ? '#111' : 'transparent'}">
      ${chatStory({ history: tourStreaming, live: tourTurn.slice(tourStreaming.length), turns: [tourTurn], afterApproval: tourResumed, delayMs: 40 }, args)}
    </div>`,
};
export default meta;
type Story = StoryObj;

/** The defaults: set any control to override it; `theme` switches the palette the defaults come from. */
export const Playground: Story = { args: { theme: 'light' } };

/** The same element, dark, with its own accent. */
export const DarkAccent: Story = {
  args: {
    theme: 'dark',
    '--agent-chat-accent': '#7dd3fc',
    '--agent-chat-accent-foreground': '#0b1220',
    '--agent-chat-user-background': '#1e3a5f',
    '--agent-chat-user-foreground': '#e6f0ff',
  },
};

/** The "paper" theme of docs/theming.md, as control values. */
export const Paper: Story = {
  args: {
    theme: 'light',
    '--agent-chat-font-family': "Georgia, 'Iowan Old Style', 'Times New Roman', serif",
    '--agent-chat-font-family-mono': "'JetBrains Mono', ui-monospace, monospace",
    '--agent-chat-background': '#f6f2e9',
    '--agent-chat-foreground': '#2b2a26',
    '--agent-chat-muted': '#5f5a4e',
    '--agent-chat-surface': '#ede6d5',
    '--agent-chat-border': '#d9cfb6',
    '--agent-chat-code-background': '#efe8d9',
    '--agent-chat-accent': '#2f5d50',
    '--agent-chat-accent-foreground': '#ffffff',
    '--agent-chat-user-background': '#2f5d50',
    '--agent-chat-user-foreground': '#ffffff',
    '--agent-chat-success': '#2f6b3a',
    '--agent-chat-radius': '4px',
    '--agent-chat-max-width': '44rem',
  },
};
