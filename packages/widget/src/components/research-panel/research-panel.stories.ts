import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ResearchAgent, ToolCallPart } from '@agent-chat/core';
import { stateOf, tourResearching } from '../../__fixtures__/scenarios.js';

/** `<agent-chat-research>`: parallel research sub-agents, one row each, elapsed time ticking live. */
const meta: Meta = { title: 'Parts/agent-chat-research', component: 'agent-chat-research' };
export default meta;
type Story = StoryObj;

const recorded = () =>
  stateOf(tourResearching).messages.flatMap((m) => m.parts).find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === 'research')!.agents!;

export const ThreeAgents: Story = { render: () => html`<div style="padding:24px;max-width:640px"><agent-chat-research .agents=${recorded()}></agent-chat-research></div>` };

export const LongRunning: Story = {
  render: () => {
    const agents: ResearchAgent[] = [
      { agentId: '1', label: 'Finding fine-tuning approach', status: 'running', step: 'Inspecting dataset: mlabonne/orpo-dpo', steps: ['Exploring HF docs: trl', 'Reading paper: 2401.12345', 'Finding examples: sft training', 'Inspecting dataset: mlabonne/orpo-dpo'], toolCount: 5, tokens: 12_400, elapsedMs: 18_000 },
      { agentId: '2', label: 'Checking hardware prices', status: 'done', step: 'Done', steps: ['Listing GPU flavors', 'Comparing prices'], toolCount: 2, tokens: 3_100, elapsedMs: 6_200 },
      { agentId: '3', label: 'Reading the codebase', status: 'error', step: 'Rate limited', steps: ['Listing files', 'Rate limited'], toolCount: 1, tokens: 900, elapsedMs: 2_400 },
    ];
    return html`<div style="padding:24px;max-width:640px"><agent-chat-research .agents=${agents}></agent-chat-research></div>`;
  },
};
