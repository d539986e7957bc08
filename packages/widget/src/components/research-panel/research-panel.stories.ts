import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { args } from '../../testing/story-args.js';
import type { ResearchAgent, ToolCallPart } from '@agent-chat/core';
import { stateOf, tourResearching } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-research>`: parallel research sub-agents, one row each, elapsed time ticking live. */
const meta: Meta = {
  title: 'Parts/agent-chat-research',
  component: 'agent-chat-research',
  tags: ['autodocs'],
  render: (a) => html`<div style="padding:24px;max-width:640px"><agent-chat-research ${args(a)}></agent-chat-research></div>`,
};
export default meta;
type Story = StoryObj;

const recorded = () =>
  stateOf(tourResearching).messages.flatMap((m) => m.parts).find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === 'research')!.agents!;

export const ThreeAgents: Story = { args: { agents: recorded() } };

const longRunning: ResearchAgent[] = [
  { agentId: '1', label: 'Finding fine-tuning approach', status: 'running', step: 'Inspecting dataset: mlabonne/orpo-dpo', steps: ['Exploring HF docs: trl', 'Reading paper: 2401.12345', 'Finding examples: sft training', 'Inspecting dataset: mlabonne/orpo-dpo'], toolCount: 5, tokens: 12_400, elapsedMs: 18_000 },
  { agentId: '2', label: 'Checking hardware prices', status: 'done', step: 'Done', steps: ['Listing GPU flavors', 'Comparing prices'], toolCount: 2, tokens: 3_100, elapsedMs: 6_200 },
  { agentId: '3', label: 'Reading the codebase', status: 'error', step: 'Rate limited', steps: ['Listing files', 'Rate limited'], toolCount: 1, tokens: 900, elapsedMs: 2_400 },
];

export const LongRunning: Story = { args: { agents: longRunning } };
