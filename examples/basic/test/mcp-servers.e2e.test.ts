import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeEventStream, type AgentEvent } from '@agent-chat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleStdioMcpServer } from '../../../packages/server/src/mcp/__fixtures__/bundle-stdio-server.js';
import { startHttpTestMcpServer, type HttpTestMcpServer } from '../../../packages/server/src/mcp/__fixtures__/test-mcp-server.js';
import {
  openAITextResponse,
  openAIToolCallResponse,
  startFakeOpenAIServer,
  type FakeOpenAIServer,
  type RecordedOpenAIRequest,
} from '../../../packages/server/src/testing/fake-openai-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A scripted model: calls one tool of each MCP server at once, then says it is done. */
function respond(request: RecordedOpenAIRequest) {
  if (request.body.stream !== true) return openAITextResponse(['MCP tools']);
  const messages: { role: string }[] = request.body.messages;
  if (messages.at(-1)?.role === 'tool') return openAITextResponse(['Both MCP servers answered.']);
  return openAIToolCallResponse([
    { id: 'call_echo', name: 'local_echo', input: { text: 'from npm start' } },
    { id: 'call_info', name: 'local_info', input: {} },
    { id: 'call_count', name: 'remote_count', input: { to: 2 } },
  ]);
}

/**
 * `npm start` with MCP_SERVERS naming a stdio server and a Streamable HTTP
 * server (and an OpenAI-compatible fake as the model): the banner lists their
 * tools, a turn calls them (`info`, which has no annotations, is let through
 * by the entry's `approval`), and stopping the app ends the stdio server's process.
 */
describe('npm start with MCP_SERVERS', () => {
  let fake: FakeOpenAIServer;
  let mcpHttp: HttpTestMcpServer;
  let stdio: { file: string; cleanup(): Promise<void> };
  let child: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    [fake, mcpHttp, stdio] = await Promise.all([startFakeOpenAIServer({ respond }), startHttpTestMcpServer(), bundleStdioMcpServer()]);
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: {
        ...process.env,
        ANTHROPIC_API_KEY: '',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: 'llama3.2',
        MCP_SERVERS: JSON.stringify({ local: { command: process.execPath, args: [stdio.file], approval: { info: false } }, remote: { url: mcpHttp.url } }),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not serve the page:\n${output}`)), 110_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    // The JavaScript-only build takes most of it, longer on a busy machine.
  }, 120_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([fake?.close(), mcpHttp?.kill(), stdio?.cleanup()]);
  });

  it('lists the servers tools, calls them in a turn, and ends the stdio server with the app', async () => {
    expect(output).toContain('mcp: local: local_echo, local_delete_note, local_info, local_count, local_snapshot, local_fail, local_hang');
    expect(output).toContain('mcp: remote: remote_echo, remote_delete_note');

    const session = (await (await fetch(`${url}api/session`, { method: 'POST' })).json()) as { id: string };
    const response = await fetch(`${url}api/chat/${session.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Use the MCP tools' }),
    });
    const events: AgentEvent[] = [];
    const reader = decodeEventStream(response.body!).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) events.push(next.value.event);

    const outputs = Object.fromEntries(
      events.flatMap((e) => (e.type === 'tool_output' ? [[e.toolCallId, { output: e.output, isError: e.isError }]] : [])),
    );
    expect(outputs).toMatchObject({
      call_echo: { output: 'echo: from npm start', isError: false },
      call_info: { output: expect.stringMatching(/^test server, pid \d+$/), isError: false },
      call_count: { output: 'counted to 2', isError: false },
    });
    expect(events.some((e) => e.type === 'tool_log' && e.toolCallId === 'call_count')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete' });
    expect(mcpHttp.record.calls).toEqual([{ name: 'count', arguments: { to: 2 } }]);

    const pid = Number(/pid (\d+)/.exec(String(outputs.call_info!.output))![1]);
    expect(isAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await expect.poll(() => isAlive(pid), { timeout: 5_000 }).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
