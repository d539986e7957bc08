import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeEventStream, type AgentEvent } from '@agent-chat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * `openai-against-fake.mjs`: the example app on aiSdkAgent with the real `ai`
 * and `@ai-sdk/openai-compatible`, against the local fake Chat Completions API,
 * as a real process. One whole turn over HTTP: reasoning, parallel tools,
 * research progress, approval, the note on disk.
 */
describe('examples/basic against the fake OpenAI Chat Completions API', () => {
  let child: ChildProcess;
  let sandboxDir: string;
  let base: string;

  beforeAll(async () => {
    sandboxDir = await mkdtemp(join(tmpdir(), 'agent-chat-fake-openai-e2e-'));
    await cp(join(exampleDir, 'sandbox'), sandboxDir, { recursive: true });
    child = spawn(process.execPath, ['openai-against-fake.mjs'], {
      cwd: exampleDir,
      env: { ...process.env, PORT: '0', SANDBOX_DIR: sandboxDir, FAKE_OPENAI_DELAY_MS: '1', OPENAI_MODEL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the example did not start:\n${output}`)), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(`${match[1]!}api`);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`the example exited with ${code}:\n${output}`)));
    });
    expect(output).toContain('agent: aiSdkAgent, model gpt-4o-mini at http://127.0.0.1:');
  });

  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(sandboxDir, { recursive: true, force: true });
  });

  async function chat(sessionId: string, body: unknown): Promise<AgentEvent[]> {
    const response = await fetch(`${base}/chat/${sessionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const events: AgentEvent[] = [];
    const reader = decodeEventStream(response.body!).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) events.push(next.value.event);
    return events;
  }

  it('runs a turn with reasoning, parallel tools, research progress and an approved write', async () => {
    const session = (await (await fetch(`${base}/session`, { method: 'POST' })).json()) as { id: string };

    const first = await chat(session.id, { text: 'Show me around.' });

    expect(first.some((e) => e.type === 'thinking_chunk')).toBe(true);
    const calls = first.flatMap((e) => (e.type === 'tool_call' ? [e.name] : []));
    expect(calls).toEqual(['list_files', 'read_file', 'calculate', 'research', 'write_file']);
    const outputs = first.flatMap((e) => (e.type === 'tool_output' ? [e] : []));
    expect(outputs.every((o) => !o.isError)).toBe(true);
    expect(new Set(first.flatMap((e) => (e.type === 'tool_log' ? [e.agent.label] : [])))).toEqual(
      new Set(['Word counter', 'Heading finder', 'Number finder']),
    );
    const approval = first.at(-1)!;
    expect(approval).toMatchObject({ type: 'approval_required', tools: [{ name: 'write_file' }] });

    const toolCallId = (approval as Extract<AgentEvent, { type: 'approval_required' }>).tools[0]!.toolCallId;
    const second = await chat(session.id, { approvals: [{ toolCallId, decision: 'approve' }] });

    expect(second.at(-1)).toMatchObject({ type: 'turn_complete', stopReason: 'end_turn' });
    const usage = second.filter((e) => e.type === 'usage').at(-1);
    expect(usage).toMatchObject({ scope: 'turn', model: 'gpt-4o-mini' });
    expect((usage as Extract<AgentEvent, { type: 'usage' }>).cumulative.costUsd).toBeGreaterThan(0);
    expect(await readFile(join(sandboxDir, 'notes', 'openai-demo.md'), 'utf8')).toContain('# OpenAI-compatible demo');
  });
});
