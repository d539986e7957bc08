import type { LlmHealth } from '@agent-chat/core';
import type { Agent } from '../agents/agent.js';

/** Options of {@link LlmHealthProbe}. */
export interface LlmHealthProbeOptions {
  agent: Agent;
  /** How long a probe may take before it counts as failed, in ms. */
  timeoutMs: number;
  /** How long a result is reused, in ms, so that a public health route cannot be used to spend tokens. */
  cacheMs: number;
  logger: Pick<Console, 'warn'>;
}

/**
 * `GET /health/llm`: asks the agent's `checkHealth()` (a 1-token probe for a
 * hosted model) whether its provider answers. Concurrent calls share one probe
 * and a result is cached for `cacheMs`. An agent without `checkHealth` is ok.
 */
export class LlmHealthProbe {
  readonly #options: LlmHealthProbeOptions;
  #cached: { model: string | undefined; at: number; result: Promise<LlmHealth> } | undefined;

  constructor(options: LlmHealthProbeOptions) {
    this.#options = options;
  }

  /** The provider's health for `model` (`undefined`: the agent's default). Never rejects. */
  check(model: string | undefined): Promise<LlmHealth> {
    const now = Date.now();
    const cached = this.#cached;
    if (cached && cached.model === model && now - cached.at < this.#options.cacheMs) return cached.result;
    const result = this.#probe(model);
    this.#cached = { model, at: now, result };
    return result;
  }

  async #probe(model: string | undefined): Promise<LlmHealth> {
    const { agent, timeoutMs, logger } = this.#options;
    if (!agent.checkHealth) return { ok: true, ...(model !== undefined ? { model } : {}) };
    const signal = AbortSignal.timeout(timeoutMs);
    const started = performance.now();
    try {
      const health = await Promise.race([
        agent.checkHealth({ signal, ...(model !== undefined ? { model } : {}) }),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ]);
      return {
        ok: health.ok === true,
        ...(health.model ?? model ? { model: health.model ?? model } : {}),
        latencyMs: health.latencyMs ?? Math.round(performance.now() - started),
        ...(health.ok !== true ? { error: health.error ?? 'The model provider did not answer the probe.' } : {}),
      };
    } catch (error) {
      logger.warn('[agent-chat] LLM health probe failed:', error);
      const timedOut = signal.aborted;
      return {
        ok: false,
        ...(model !== undefined ? { model } : {}),
        latencyMs: Math.round(performance.now() - started),
        error: timedOut ? `The model provider did not answer within ${timeoutMs} ms.` : 'The model provider could not be reached.',
      };
    }
  }
}
