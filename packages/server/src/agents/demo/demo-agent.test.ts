import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChatMessage, PendingApproval } from '@agent-chat/core';
import { describe, expect, it } from 'vitest';
import type { AgentContext, AgentOutput } from '../agent.js';
import { DEMO_MODELS, demoAgent } from './demo-agent.js';

function makeSandbox(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-chat-demo-'));
  writeFileSync(path.join(dir, 'README.md'), '# Sandbox\n\nTwo words here.\n');
  writeFileSync(path.join(dir, 'budget.csv'), 'item,usd\nrent,1200\nfood,300\n');
  mkdirSync(path.join(dir, 'notes'));
  writeFileSync(path.join(dir, 'notes', 'todo.md'), '## Todo\n\n- ship 2 things\n');
  writeFileSync(path.join(dir, 'image.png'), 'not text');
  return dir;
}

function context(overrides: Partial<AgentContext> = {}): AgentContext & { approvals: PendingApproval[][] } {
  const approvals: PendingApproval[][] = [];
  return {
    sessionId: 's1',
    turnId: 't1',
    messageId: 'm1',
    history: [],
    input: { text: 'What is 6 * 7?' },
    model: undefined,
    usage: undefined,
    signal: new AbortController().signal,
    requestApproval: async (tools) => {
      approvals.push(tools);
      return tools.map((t) => ({ toolCallId: t.toolCallId, decision: 'approve' as const }));
    },
    approvals,
    ...overrides,
  };
}

async function run(ctx: AgentContext, sandboxDir = makeSandbox()): Promise<AgentOutput[]> {
  const events: AgentOutput[] = [];
  for await (const event of demoAgent({ sandboxDir, chunkDelayMs: 0 }).run(ctx)) events.push(event);
  return events;
}

describe('demoAgent', () => {
  it('calls research after calculate; its three sub-agents report progress until the tool output', async () => {
    const events = await run(context());

    const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e] : []));
    expect(calls.map((c) => c.name)).toEqual(['list_files', 'read_file', 'calculate', 'research', 'write_file']);
    const researchId = calls[3]!.toolCallId;
    const start = events.indexOf(calls[3]!);
    const end = events.findIndex((e) => e.type === 'tool_output' && e.toolCallId === researchId);
    const logs = events.flatMap((e) => (e.type === 'tool_log' ? [e] : []));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      const at = events.indexOf(log);
      expect(at).toBeGreaterThan(start);
      expect(at).toBeLessThan(end);
      expect(log.toolCallId).toBe(researchId);
    }
    const last = new Map(logs.map((l) => [l.agent.label, l.agent]));
    expect([...last.keys()]).toEqual(['Word counter', 'Heading finder', 'Number finder']);
    for (const agent of last.values()) {
      // Three text files: README.md, budget.csv, notes/todo.md (image.png is skipped).
      expect(agent).toMatchObject({ status: 'done', toolCount: 3, step: 'Done: 3 files' });
      expect(agent.tokens).toBeGreaterThan(0);
    }
    // The sub-agents work at once: each has started before any has finished.
    const firstDone = logs.findIndex((l) => l.agent.status === 'done');
    expect(new Set(logs.slice(0, firstDone).map((l) => l.agent.agentId)).size).toBe(3);

    const output = events[end]! as { output: string; isError: boolean };
    expect(output.isError).toBe(false);
    expect(output.output).toContain('over 3 sandbox files');
    expect(output.output).toContain('- README.md: Sandbox');
    expect(output.output).toContain('- notes/todo.md: Todo');
    // 1200 + 300 + 2
    expect(output.output).toContain('3 numbers, adding up to 1502.');
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });
  });

  it('stops within the research when interrupted', async () => {
    const controller = new AbortController();
    const ctx = context({ signal: controller.signal });
    const events: AgentOutput[] = [];
    for await (const event of demoAgent({ sandboxDir: makeSandbox(), chunkDelayMs: 1 }).run(ctx)) {
      events.push(event);
      if (event.type === 'tool_log') controller.abort();
    }
    expect(events.filter((e) => e.type === 'tool_log').length).toBeLessThanOrEqual(3);
    expect(events.at(-1)!.type).toBe('tool_log');
    expect(ctx.approvals).toEqual([]);
  });

  it('offers one offline model and answers summarize, title and checkHealth deterministically', async () => {
    const agent = demoAgent({ sandboxDir: makeSandbox() });
    const signal = new AbortController().signal;
    const messages: ChatMessage[] = [
      { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'What is  6 * 7?', state: 'done' }] },
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'text', text: '42', state: 'done' },
          { type: 'tool_call', toolCallId: 'c1', name: 'calculate', input: {}, state: 'done', output: 42 },
        ],
      },
    ];

    expect(agent.models).toEqual(DEMO_MODELS);
    expect(await agent.summarize({ sessionId: 's', messages, model: undefined, signal })).toBe(
      'Summary of 2 earlier messages. The user asked: "What is 6 * 7?". The assistant used: calculate.',
    );
    expect(await agent.title('Please tell me what is in the sandbox folder today', { signal })).toBe('Please tell me what is in…');
    expect(await agent.title('Hello', { signal })).toBe('Hello');
    expect(await agent.title('   ', { signal })).toBe('New conversation');
    expect(await agent.checkHealth({ signal })).toEqual({ ok: true, model: 'demo', latencyMs: 0 });
  });

  it('creates a missing sandbox folder with a README, so its file tools work in a fresh folder; an existing one is left alone', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'agent-chat-demo-fresh-'));
    const fresh = path.join(parent, 'not', 'there', 'yet');
    const events = await run(context(), fresh);
    const errors = events.filter((e) => e.type === 'tool_output' && e.isError);
    expect(errors).toEqual([]);
    const listed = events.find((e) => e.type === 'tool_output') as Extract<AgentOutput, { type: 'tool_output' }>;
    expect(JSON.stringify(listed.output)).toContain('README.md');
    expect(readFileSync(path.join(fresh, 'README.md'), 'utf8')).toContain('# Demo sandbox');

    const existing = makeSandbox();
    demoAgent({ sandboxDir: existing });
    expect(readFileSync(path.join(existing, 'README.md'), 'utf8')).toBe('# Sandbox\n\nTwo words here.\n');
    expect(() => demoAgent({ sandboxDir: path.join(existing, 'budget.csv', 'below-a-file') })).toThrow(/ENOTDIR|EEXIST/);
  });
});
