import type { EventOf } from '@agent-chat/core';
import type { ToolContext } from './tool.js';

/** A research sub-agent's progress as one `tool_log` event carries it. */
export type ToolLogAgent = EventOf<'tool_log'>['agent'];

/**
 * Tracks one sub-agent for {@link ToolContext.log}: its step, tool
 * count, tokens and elapsed time (ms, from its creation), and reports each change.
 */
export class SubAgentProgress {
  #toolCount = 0;
  #tokens = 0;
  readonly #started = performance.now();

  constructor(
    readonly agentId: string,
    readonly label: string,
    private readonly ctx: ToolContext,
  ) {}

  get toolCount(): number {
    return this.#toolCount;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Reports what the sub-agent does now, e.g. `Reading notes/todo.md`. */
  step(step: string, changes: { tools?: number; tokens?: number } = {}): void {
    this.#toolCount += changes.tools ?? 0;
    this.#tokens += changes.tokens ?? 0;
    this.#report('running', step);
  }

  done(step = 'Done'): void {
    this.#report('done', step);
  }

  fail(step: string): void {
    this.#report('error', step);
  }

  #report(status: ToolLogAgent['status'], step: string): void {
    this.ctx.log?.({
      agentId: this.agentId,
      label: this.label,
      status,
      step,
      toolCount: this.#toolCount,
      tokens: this.#tokens,
      elapsedMs: Math.round(performance.now() - this.#started),
    });
  }
}
