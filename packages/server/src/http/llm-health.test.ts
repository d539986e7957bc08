import { llmHealthSchema } from '@agent-chat/core/schemas';
import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { useServers } from '../__fixtures__/conformance-suite.js';
import { recordingLogger } from '../__fixtures__/harness.js';
import type { Agent } from '../agents/agent.js';
import { LlmHealthProbe } from './llm-health.js';

const start = useServers(nodeFactory);
const noRun: Agent['run'] = async function* () {};

describe('GET /health/llm', () => {
  it('answers 503 with the reason when the provider is down, 200 when up', async () => {
    const s = await start({ llmHealthCacheMs: 0 });
    let up = false;
    (s.agent as Agent).checkHealth = async () => (up ? { ok: true, latencyMs: 12 } : { ok: false, error: 'overloaded' });
    const down = await s.call('/health/llm', { user: null });
    expect(down.status).toBe(503);
    expect(llmHealthSchema.parse(await down.json())).toMatchObject({ ok: false, error: 'overloaded' });
    up = true;
    const ok = await s.call('/health/llm', { user: null });
    expect(ok.status).toBe(200);
    expect(llmHealthSchema.parse(await ok.json())).toEqual({ ok: true, latencyMs: 12 });
  });

  it('an agent without checkHealth is ok', async () => {
    const s = await start({ agentOptions: { bare: true }, defaultModel: 'm' });
    expect(await (await s.call('/health/llm')).json()).toEqual({ ok: true, model: 'm' });
  });
});

describe('LlmHealthProbe', () => {
  it('shares one probe between concurrent calls and caches the result', async () => {
    let probes = 0;
    const probe = new LlmHealthProbe({
      agent: { run: noRun, checkHealth: async () => (probes++, { ok: true }) },
      timeoutMs: 1_000,
      cacheMs: 60_000,
      logger: recordingLogger(),
    });
    await Promise.all([probe.check('a'), probe.check('a'), probe.check('a')]);
    await probe.check('a');
    expect(probes).toBe(1);
    await probe.check('b');
    expect(probes).toBe(2);
  });

  it('a probe that throws or hangs is not ok, with a safe message', async () => {
    const logger = recordingLogger();
    const throwing = new LlmHealthProbe({
      agent: { run: noRun, checkHealth: async () => { throw new Error('401 key sk-secret'); } },
      timeoutMs: 1_000,
      cacheMs: 0,
      logger,
    });
    const failed = await throwing.check(undefined);
    expect(failed).toMatchObject({ ok: false, error: 'The model provider could not be reached.' });
    expect(JSON.stringify(failed)).not.toContain('secret');
    const hanging = new LlmHealthProbe({
      agent: { run: noRun, checkHealth: () => new Promise(() => {}) },
      timeoutMs: 30,
      cacheMs: 0,
      logger,
    });
    expect(await hanging.check('m')).toMatchObject({ ok: false, model: 'm', error: 'The model provider did not answer within 30 ms.' });
  });
});
