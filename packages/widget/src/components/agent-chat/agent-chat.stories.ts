import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { mockClient, chatStory } from '../../testing/story-chat.js';
import { args } from '../../testing/story-args.js';
import {
  editedApproval,
  failedTurn,
  longMarkdownTurn,
  manyApprovals,
  manyApprovalsResumed,
  rightToLeft,
  tourComplete,
  tourResearching,
  tourResumed,
  tourStreaming,
  tourTurn,
  toolError,
} from '../../__fixtures__/scenarios.js';

/**
 * `<agent-chat>`, the whole experience, replaying recorded event streams through a mock transport.
 * Every control (properties, slots, `--agent-chat-*` custom properties) changes the live element;
 * its events are logged in the Actions panel.
 */
const meta: Meta = {
  title: 'Elements/agent-chat',
  component: 'agent-chat',
  tags: ['autodocs'],
};
export default meta;
type Story = StoryObj;

const rest = (done: unknown[]) => tourTurn.slice(done.length);

/** Nothing said yet: the empty state and an enabled composer. Type to play the demo turn. */
export const Empty: Story = {
  args: { 'slot:empty': 'Ask me about the files in your sandbox.' },
  render: (a) => chatStory({ turns: [tourTurn], afterApproval: tourResumed, delayMs: 15 }, a),
};

/** The answer streaming in (thinking folded, markdown growing), replayed live from the recording. */
export const Streaming: Story = {
  render: (a) => chatStory({ history: tourStreaming, live: rest(tourStreaming), afterApproval: tourResumed, delayMs: 60 }, a),
};

/** A finished turn: tools done, the write approved, usage in the status bar. */
export const Complete: Story = { render: (a) => chatStory({ history: tourComplete, turns: [tourTurn], afterApproval: tourResumed, delayMs: 15 }, a) };

/** A long markdown answer: headings, lists, tables, an image, code highlighted on demand with copy buttons. */
export const LongMarkdown: Story = { render: (a) => chatStory({ history: longMarkdownTurn }, a) };

/** A tool that failed (open, in red) and a long output cut with "Show more". */
export const ToolError: Story = { render: (a) => chatStory({ history: toolError }, a) };

/** Three calls waiting at once: approve all, reject all, or decide each with feedback. */
export const ManyApprovals: Story = {
  render: (a) => chatStory({ history: manyApprovals, afterApproval: manyApprovalsResumed, delayMs: 120 }, a),
};

/** An approval whose input the user edited: the code panel shows the diff, the badge says "(edited)". */
export const EditedApproval: Story = {
  args: { panelOpen: true },
  render: (a) => chatStory({ history: editedApproval, afterApproval: manyApprovalsResumed.slice(2), delayMs: 120 }, a),
};

/** Research with three parallel sub-agents, live, with the code panel following the running tool. */
export const ResearchThreeAgents: Story = {
  args: { panelOpen: true },
  render: (a) =>
    chatStory(
      { history: until(tourResearching, 'tool_log'), live: rest(until(tourResearching, 'tool_log')), afterApproval: tourResumed, delayMs: 400 },
      a,
    ),
};

/** A turn that failed: the error is announced and shown as an alert. */
export const Error: Story = { render: (a) => chatStory({ turns: [failedTurn], history: failedTurn.slice(0, -1), live: failedTurn.slice(-1), delayMs: 300 }, a) };

/** The dark palette, forced by `theme="dark"` (unset follows prefers-color-scheme). */
export const Dark: Story = {
  args: { theme: 'dark' },
  render: (a) => html`<div style="background:#111">${chatStory({ history: tourComplete }, a)}</div>`,
};

/** Right-to-left: `dir="rtl"` on the element, an Arabic conversation. */
export const RightToLeft: Story = { render: (a) => chatStory({ history: rightToLeft }, a, { dir: 'rtl' }) };

/** Every string replaced through the `strings` property (French). */
export const Translated: Story = {
  args: {
    strings: {
      send: 'Envoyer',
      inputPlaceholder: 'Écrire un message…',
      inputLabel: 'Message',
      statusIdle: 'Prêt',
      copy: 'Copier',
      thoughts: 'Réflexion',
      toolStates: { done: 'Terminé' },
    },
  },
  render: (a) => chatStory({ history: tourComplete }, a),
};

/** With `<agent-chat-sessions>` beside it: switching sets the chat's `session-id`. */
export const WithSessions: Story = {
  render: (a) => {
    // One client for both, made at the first render only (guard): a control change keeps the conversation.
    let client: ReturnType<typeof mockClient> | undefined;
    const shared = () =>
      (client ??= mockClient({
        history: tourComplete,
        sessions: [
          { id: 'budget', title: 'Budget questions' },
          { id: 'recipes', title: 'Recipes for the week' },
        ],
        turns: [tourTurn],
        afterApproval: tourResumed,
        delayMs: 15,
      }));
    return html`<div style="display:flex;height:var(--story-height, 100vh)">
      <agent-chat-sessions for="chat" .client=${guard([], shared)}></agent-chat-sessions>
      <agent-chat id="chat" style="flex:1" session-id="mock-session" .client=${guard([], shared)} ${args(a)}></agent-chat>
    </div>`;
  },
};

function until(events: typeof tourTurn, type: string) {
  return events.slice(0, events.findIndex((e) => e.type === type) + 1);
}

/** The restyled theme of docs/theming.md: custom properties plus a few `::part()` rules. */
export const Restyled: Story = {
  render: (a) => html`<style>
      agent-chat.restyled {
        --agent-chat-font-family: Georgia, 'Iowan Old Style', 'Times New Roman', serif;
        --agent-chat-font-family-mono: 'JetBrains Mono', ui-monospace, monospace;
        --agent-chat-background: #f6f2e9;
        --agent-chat-foreground: #2b2a26;
        --agent-chat-muted: #5f5a4e;
        --agent-chat-surface: #ede6d5;
        --agent-chat-border: #d9cfb6;
        --agent-chat-code-background: #efe8d9;
        --agent-chat-accent: #2f5d50;
        --agent-chat-accent-foreground: #ffffff;
        --agent-chat-user-background: #2f5d50;
        --agent-chat-user-foreground: #ffffff;
        --agent-chat-success: #2f6b3a;
        --agent-chat-radius: 4px;
        --agent-chat-max-width: 44rem;
      }
      agent-chat.restyled::part(bubble) {
        border-radius: 14px 14px 2px 14px;
      }
      agent-chat.restyled::part(composer) {
        border-radius: 6px;
        box-shadow: none;
        border-width: 2px;
      }
      agent-chat.restyled::part(status-bar) {
        font-variant: small-caps;
        letter-spacing: 0.04em;
      }
      agent-chat.restyled::part(tool-call) {
        border-style: dashed;
      }
    </style>
    <agent-chat class="restyled" style="height:var(--story-height, 100vh)" session-id="mock-session" .client=${guard([], () => mockClient({ history: tourComplete }))} ${args(a)}></agent-chat>`,
};
