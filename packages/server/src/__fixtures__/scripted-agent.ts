import type { Agent, AgentContext, AgentOutput } from '../agents/agent.js';

/**
 * A small deterministic agent for API tests. What it does depends on the
 * user's text:
 * - `approve ...`: calls tool `write` and waits for the user's decision;
 * - `hold ...`: sends one chunk, then waits until {@link ScriptedAgent.release} (or an interrupt);
 * - anything else: answers `echo: <text>` in three chunks.
 * It has `models`, `title`, `summarize` and `checkHealth` unless `bare` is set.
 */
export interface ScriptedAgent extends Agent {
  /** Lets every turn waiting in `hold` go on. */
  release(): void;
  /** How many turns have started. */
  readonly runs: number;
  /** What `summarize` was given, call by call. */
  readonly summarized: AgentContext['history'][];
  /** The history each turn was given, turn by turn. */
  readonly histories: AgentContext['history'][];
  /** The model each turn was given, turn by turn. */
  readonly models: readonly { id: string; label: string }[] | undefined;
  readonly turnModels: (string | undefined)[];
}

export function scriptedAgent(options: { bare?: boolean; failSummarize?: boolean } = {}): ScriptedAgent {
  let gate = deferred();
  let runs = 0;
  const summarized: AgentContext['history'][] = [];
  const histories: AgentContext['history'][] = [];
  const turnModels: (string | undefined)[] = [];
  const agent: ScriptedAgent = {
    name: 'scripted',
    get runs() {
      return runs;
    },
    summarized,
    histories,
    models: undefined,
    turnModels,
    release() {
      gate.resolve();
      gate = deferred();
    },
    async *run(ctx): AsyncGenerator<AgentOutput> {
      runs += 1;
      histories.push(ctx.history);
      turnModels.push(ctx.model);
      const text = ctx.input.text;
      if (text.startsWith('approve')) {
        const toolCallId = `call-${ctx.turnId}`;
        yield { type: 'tool_call', toolCallId, name: 'write', input: { path: 'note.txt' } };
        const [decision] = await ctx.requestApproval([{ toolCallId, name: 'write', input: { path: 'note.txt' } }]);
        yield { type: 'tool_output', toolCallId, output: decision!.decision === 'approve' ? 'written' : 'skipped', isError: false };
        yield { type: 'assistant_chunk', delta: `done (${decision!.decision})` };
        yield { type: 'assistant_stream_end' };
        return;
      }
      if (text.startsWith('hold')) {
        yield { type: 'assistant_chunk', delta: 'holding…' };
        const aborted = new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
        await Promise.race([gate.promise, aborted]);
        if (ctx.signal.aborted) return;
        yield { type: 'assistant_chunk', delta: ' released' };
        yield { type: 'assistant_stream_end' };
        return;
      }
      const answer = `echo: ${text}`;
      const third = Math.ceil(answer.length / 3);
      for (let i = 0; i < answer.length; i += third) yield { type: 'assistant_chunk', delta: answer.slice(i, i + third) };
      yield { type: 'assistant_stream_end' };
      yield { type: 'turn_complete', turnId: ctx.turnId, stopReason: 'end_turn' };
    },
  };
  if (options.bare) return agent;
  return Object.assign(agent, {
    models: [
      { id: 'small', label: 'Small', provider: 'test', recommended: true },
      { id: 'large', label: 'Large', provider: 'test' },
    ],
    async title(text: string) {
      return `"Chat about ${text.slice(0, 20)}."`;
    },
    async summarize(ctx: { messages: AgentContext['history'] }) {
      summarized.push(ctx.messages);
      if (options.failSummarize) throw new Error('summary service down (secret detail)');
      return `SUMMARY of ${ctx.messages.length} messages`;
    },
    async checkHealth({ model }: { model?: string }) {
      return { ok: true, model: model ?? 'small', latencyMs: 1 };
    },
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
