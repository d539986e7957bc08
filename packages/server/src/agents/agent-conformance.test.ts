import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  describeAgentConformance,
  RESEARCH_STEP_MS,
  tourClaudeResponder,
  tourOpenAIResponder,
} from '../__fixtures__/agent-conformance-suite.js';
import { startFakeAnthropicServer } from '../testing/fake-anthropic-server.js';
import { startFakeOpenAIServer } from '../testing/fake-openai-server.js';
import { aiSdkAgent } from './ai-sdk/index.js';
import { anthropicAgent } from './anthropic/index.js';
import { demoAgent } from './demo/demo-agent.js';
import { demoTools } from './demo/demo-tools.js';

// One turn, three agents, the same events (see the suite for what "the same" leaves out).

describeAgentConformance(
  'demo agent',
  // The demo's research sub-agents pause chunkDelayMs per step, as the model agents' do RESEARCH_STEP_MS.
  async (sandboxDir) => ({ agent: demoAgent({ sandboxDir, chunkDelayMs: RESEARCH_STEP_MS }) }),
  { parallelTools: false },
);

describeAgentConformance(
  'anthropicAgent (Claude) against the fake Anthropic Messages API',
  async (sandboxDir) => {
    const fake = await startFakeAnthropicServer({ respond: tourClaudeResponder() });
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'test-key', maxRetries: 0 });
    return {
      agent: anthropicAgent({
        client,
        model: 'claude-haiku-4-5',
        thinking: { budgetTokens: 1024 },
        maxTokens: 4096,
        tools: demoTools({ sandboxDir, researchStepDelayMs: RESEARCH_STEP_MS }),
      }),
      close: () => fake.close(),
    };
  },
  { parallelTools: true },
);

describeAgentConformance(
  'aiSdkAgent on @ai-sdk/openai-compatible against the fake Chat Completions API',
  async (sandboxDir) => {
    const fake = await startFakeOpenAIServer({ respond: tourOpenAIResponder() });
    const provider = createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test-key', includeUsage: true });
    return {
      agent: aiSdkAgent({ model: provider('fake-model'), tools: demoTools({ sandboxDir, researchStepDelayMs: RESEARCH_STEP_MS }) }),
      close: () => fake.close(),
    };
  },
  { parallelTools: true },
);
