import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeEventStream, type AgentEvent } from '@agent-chat/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../agents/agent.js';
import { createNodeListener } from '../adapters/node.js';
import { createChatServer, type ChatServer } from '../http/chat-server.js';
import { streamResponse, type FakeResponse, type RecordedRequest, type ScriptBlock } from '../testing/fake-anthropic-server.js';
import { completionResponse, type FakeOpenAIResponse, type RecordedOpenAIRequest } from '../testing/fake-openai-server.js';

/**
 * One scripted turn, run on every agent over the real HTTP server, whose
 * event sequences must be the same event for event.
 *
 * The demo agent follows its own fixed tour and cannot be scripted, so the
 * turn IS the demo's tour, and the model agents (Claude, any AI SDK model)
 * are driven through the same tour by scripted fake model servers
 * ({@link tourClaudeResponder}, {@link tourOpenAIResponder}), one tool call
 * per model step, with the same real tools (`demoToolSet` on one sandbox):
 * thinking and text, then `list_files`, `read_file`, `calculate`, `research`
 * (three parallel sub-agents reporting `tool_log`), then `write_file`, which
 * needs approval: approved with an edit, or rejected with feedback; a third
 * run is interrupted while `research` runs.
 *
 * Events are compared after {@link normalizeEvents}: text, ids, inputs and
 * outputs are left out (each agent words its answer its own way); a run of
 * chunks (or of `tool_log`) counts as one; a `usage` of scope `step` is left
 * out, since the demo agent has no model steps (model agents report one per
 * model call, the demo only the turn's total).
 *
 * Parallel tool calls (two in one model step) cannot be asked of the demo
 * agent, whose tour calls one tool at a time; {@link PARALLEL_TURN} is
 * checked on the model agents only, the same way.
 */
export interface ConformanceAgent {
  agent: Agent;
  close?(): Promise<void>;
}

/** Builds the agent under test on the suite's sandbox folder (give it `demoToolSet({ sandboxDir, researchStepDelayMs: RESEARCH_STEP_MS })`). */
export type ConformanceAgentFactory = (sandboxDir: string) => Promise<ConformanceAgent>;

/** Pause per file and sub-agent step of the `research` tool (ms): long enough to interrupt it. */
export const RESEARCH_STEP_MS = 5;
/** The sandbox's first file, which the tour reads. */
export const FIRST_FILE = 'a-readme.md';
/** The input the user's edit gives `write_file`. */
export const EDITED_WRITE = { path: 'notes/edited-by-user.md', content: '# Edited\n\nThe user wrote this instead.\n' };

/** The tour, one model step per entry: step N answers the request after N tool rounds. */
export const TOUR_STEPS: { thinking?: string; text?: string; tools?: { name: string; input: Record<string, unknown> }[] }[] = [
  {
    thinking: 'The user wants the tour. I will look around the sandbox first.',
    text: 'Let me look around the sandbox.',
    tools: [{ name: 'list_files', input: { path: '.' } }],
  },
  { tools: [{ name: 'read_file', input: { path: FIRST_FILE } }] },
  { tools: [{ name: 'calculate', input: { expression: '(17 + 25) * 2' } }] },
  { tools: [{ name: 'research', input: { question: 'What is in the sandbox?' } }] },
  { tools: [{ name: 'write_file', input: { path: 'notes/conformance.md', content: '# Conformance\n' } }] },
  { text: 'That was the whole tour.' },
];

/** Two tools in one step, then an answer: for agents that can (`parallelTools`). Asked for with a user text starting `parallel`. */
export const PARALLEL_STEPS: typeof TOUR_STEPS = [
  {
    text: 'Listing and calculating at once.',
    tools: [
      { name: 'list_files', input: { path: '.' } },
      { name: 'calculate', input: { expression: '6 * 7' } },
    ],
  },
  { text: 'Both done.' },
];

/** The tour's first POST /chat, normalized: it pauses for the write's approval. */
export const TOUR_UNTIL_APPROVAL = [
  'ready',
  'processing',
  'thinking_chunk+',
  'thinking_end',
  'assistant_chunk+',
  'assistant_stream_end',
  'tool_call:list_files',
  'tool_output:ok',
  'tool_call:read_file',
  'tool_output:ok',
  'tool_call:calculate',
  'tool_output:ok',
  'tool_call:research',
  'tool_log+',
  'tool_output:ok',
  'tool_call:write_file',
  'approval_required:write_file',
];

/** The approvals POST that approves the write with an edit, normalized. */
export const AFTER_APPROVAL_WITH_EDIT = [
  'ready',
  'tool_state_change:approved',
  'processing',
  'tool_state_change:running',
  'tool_output:ok',
  'assistant_chunk+',
  'assistant_stream_end',
  'usage:turn',
  'turn_complete:end_turn',
];

/** The approvals POST that rejects the write with feedback, normalized. */
export const AFTER_REJECTION = [
  'ready',
  'tool_state_change:rejected',
  'processing',
  'assistant_chunk+',
  'assistant_stream_end',
  'usage:turn',
  'turn_complete:end_turn',
];

/** The tour interrupted while `research` runs, normalized. */
export const TOUR_INTERRUPTED = [...TOUR_UNTIL_APPROVAL.slice(0, TOUR_UNTIL_APPROVAL.indexOf('tool_log+') + 1), 'interrupted'];

/** {@link PARALLEL_STEPS} as one POST /chat, normalized. */
export const PARALLEL_TURN = [
  'ready',
  'processing',
  'assistant_chunk+',
  'assistant_stream_end',
  'tool_call:list_files',
  'tool_call:calculate',
  'tool_output:ok',
  'tool_output:ok',
  'assistant_chunk+',
  'assistant_stream_end',
  'usage:turn',
  'turn_complete:end_turn',
];

/**
 * An event sequence without what may differ between agents (see the suite's
 * description): one string per event, `type` plus what must be the same
 * (`tool_call:<name>`, `tool_output:ok|error`, `tool_state_change:<state>`,
 * `usage:<scope>`, `turn_complete:<stopReason>`, `approval_required:<names>`),
 * runs of chunks and of `tool_log` as one `<type>+`, step usage left out.
 */
export function normalizeEvents(events: readonly AgentEvent[]): string[] {
  const out: string[] = [];
  for (const event of events) {
    const e = event as Record<string, any>;
    let entry: string;
    switch (event.type) {
      case 'assistant_chunk':
      case 'thinking_chunk':
      case 'tool_log':
        entry = `${event.type}+`;
        if (out.at(-1) === entry) continue;
        break;
      case 'usage':
        if (e.scope === 'step') continue;
        entry = `usage:${e.scope}`;
        break;
      case 'tool_call':
        entry = `tool_call:${e.name}`;
        break;
      case 'tool_output':
        entry = `tool_output:${e.isError ? 'error' : 'ok'}`;
        break;
      case 'tool_state_change':
        entry = `tool_state_change:${e.state}`;
        break;
      case 'turn_complete':
        entry = `turn_complete:${e.stopReason}`;
        break;
      case 'approval_required':
        entry = `approval_required:${(e.tools as { name: string }[]).map((t) => t.name).join(',')}`;
        break;
      default:
        entry = event.type;
    }
    out.push(entry);
  }
  return out;
}

/** Which step of a script a model request asks for: the tool rounds since the user's last text. */
function scriptFor(userText: string): typeof TOUR_STEPS {
  return userText.trim().startsWith('parallel') ? PARALLEL_STEPS : TOUR_STEPS;
}

/**
 * A scripted Claude for `startFakeAnthropicServer({ respond })` that walks
 * {@link TOUR_STEPS} (or {@link PARALLEL_STEPS}), one step per request, step
 * N after N rounds of tool results; thinking only when the request enables it.
 */
export function tourClaudeResponder(): (request: RecordedRequest) => FakeResponse | undefined {
  return (request) => {
    const messages: { role: string; content: any }[] = request.body.messages ?? [];
    let rounds = 0;
    let userText = '';
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.role !== 'user') continue;
      const blocks: { type: string; text?: string }[] = Array.isArray(message.content) ? message.content : [{ type: 'text', text: message.content }];
      const text = blocks.find((b) => b.type === 'text');
      if (text) {
        userText = text.text ?? '';
        break;
      }
      rounds++;
    }
    const step = scriptFor(userText)[rounds] ?? { text: 'Done.' };
    const blocks: ScriptBlock[] = [];
    const thinking = request.body.thinking?.type === 'enabled';
    if (step.thinking && thinking) blocks.push({ type: 'thinking', chunks: words(step.thinking), signature: `sig-${rounds}` });
    if (step.text) blocks.push({ type: 'text', chunks: words(step.text) });
    for (const [index, tool] of (step.tools ?? []).entries()) {
      const json = JSON.stringify(tool.input);
      blocks.push({ type: 'tool_use', id: `toolu_${rounds}_${index}`, name: tool.name, jsonChunks: [json.slice(0, 5), json.slice(5)] });
    }
    return streamResponse({ blocks, model: 'claude-haiku-4-5' });
  };
}

/** The same script for `startFakeOpenAIServer({ respond })`: reasoning as `reasoning_content`, tool calls as `tool_calls` deltas. */
export function tourOpenAIResponder(): (request: RecordedOpenAIRequest) => FakeOpenAIResponse | undefined {
  return (request) => {
    const messages: { role: string; content: any }[] = request.body.messages ?? [];
    let rounds = 0;
    let userText = '';
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      if (message.role === 'assistant' && Array.isArray((message as { tool_calls?: unknown[] }).tool_calls)) rounds++;
      if (message.role === 'user') {
        userText = typeof message.content === 'string' ? message.content : String(message.content?.[0]?.text ?? '');
        break;
      }
    }
    const step = scriptFor(userText)[rounds] ?? { text: 'Done.' };
    return completionResponse({
      ...(step.thinking ? { reasoning: words(step.thinking) } : {}),
      ...(step.text ? { text: words(step.text) } : {}),
      toolCalls: (step.tools ?? []).map((tool, index) => {
        const json = JSON.stringify(tool.input);
        return { id: `call_${rounds}_${index}`, name: tool.name, argumentChunks: [json.slice(0, 5), json.slice(5)] };
      }),
      model: 'fake-model',
    });
  };
}

function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

/** A sandbox whose first file is {@link FIRST_FILE}, with enough files that `research` takes a while. */
async function makeTourSandbox(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'agent-chat-conformance-'));
  await writeFile(path.join(dir, FIRST_FILE), '# Sandbox\n\nHello from the sandbox. It holds 3 notes.\n');
  for (let i = 1; i <= 40; i++) await writeFile(path.join(dir, `note-${String(i).padStart(2, '0')}.md`), `# Note ${i}\n\n${i * 7} apples.\n`);
  return dir;
}

/**
 * Defines the conformance tests of one agent: the tour with an approval with
 * an edit, with a rejection with feedback, interrupted while a tool runs,
 * and (with `parallelTools`) two parallel tools in one step. Each compares
 * the normalized events of each POST with the expected sequence above, so
 * every agent that passes has the same events as every other.
 */
export function describeAgentConformance(
  name: string,
  factory: ConformanceAgentFactory,
  options: {
    /** Whether the agent can make parallel tool calls in one step (the demo agent cannot: its tour calls one tool at a time). */
    parallelTools: boolean;
  },
): void {
  describe(`agent conformance: ${name}`, () => {
    let sandbox: string;
    let subject: ConformanceAgent;
    let chat: ChatServer;
    let http: Server;
    let base: string;

    beforeEach(async () => {
      sandbox = await makeTourSandbox();
      subject = await factory(sandbox);
      const quiet = { warn: () => {}, error: () => {}, info: () => {} };
      chat = createChatServer({ agent: subject.agent, logger: quiet, autoTitle: false });
      http = createServer(createNodeListener(chat));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api`;
    });

    afterEach(async () => {
      await chat.close();
      await new Promise((resolve) => http.close(resolve));
      await subject.close?.();
      await rm(sandbox, { recursive: true, force: true });
    });

    async function createSession(): Promise<string> {
      const response = await fetch(`${base}/session`, { method: 'POST' });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    }

    /** POSTs to /chat/:id and reads the SSE answer to its end; `onEvent` may act on each event as it arrives. */
    async function chatPost(sessionId: string, body: unknown, onEvent?: (event: AgentEvent) => void): Promise<AgentEvent[]> {
      const response = await fetch(`${base}/chat/${sessionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const events: AgentEvent[] = [];
      const reader = decodeEventStream(response.body!).getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        events.push(next.value.event);
        onEvent?.(next.value.event);
      }
      return events;
    }

    function writeCallOf(events: AgentEvent[]): string {
      const approval = events.at(-1) as Extract<AgentEvent, { type: 'approval_required' }>;
      return approval.tools[0]!.toolCallId;
    }

    it('a turn with tools, then an approval with an edit', async () => {
      const sessionId = await createSession();

      const first = await chatPost(sessionId, { text: 'Show me around.' });
      expect(normalizeEvents(first)).toEqual(TOUR_UNTIL_APPROVAL);

      const second = await chatPost(sessionId, { approvals: [{ toolCallId: writeCallOf(first), decision: 'approve', input: EDITED_WRITE }] });
      expect(normalizeEvents(second)).toEqual(AFTER_APPROVAL_WITH_EDIT);
      // The tool ran with the user's input, not the agent's.
      expect(await readFile(path.join(sandbox, EDITED_WRITE.path), 'utf8')).toBe(EDITED_WRITE.content);
    });

    it('a rejection with feedback', async () => {
      const sessionId = await createSession();
      const first = await chatPost(sessionId, { text: 'Show me around.' });
      expect(normalizeEvents(first)).toEqual(TOUR_UNTIL_APPROVAL);

      const second = await chatPost(sessionId, {
        approvals: [{ toolCallId: writeCallOf(first), decision: 'reject', feedback: 'Do not write anything.' }],
      });
      expect(normalizeEvents(second)).toEqual(AFTER_REJECTION);
      await expect(readFile(path.join(sandbox, 'notes', 'conformance.md'))).rejects.toThrow();
    });

    it('an interrupt while a tool runs', async () => {
      const sessionId = await createSession();
      let interrupting: Promise<Response> | undefined;

      const events = await chatPost(sessionId, { text: 'Show me around.' }, (event) => {
        if (event.type === 'tool_log' && !interrupting) interrupting = fetch(`${base}/interrupt/${sessionId}`, { method: 'POST' });
      });

      expect((await interrupting!).status).toBeLessThan(300);
      expect(normalizeEvents(events)).toEqual(TOUR_INTERRUPTED);
    });

    if (!options.parallelTools) return;
    it('two parallel tools in one step', async () => {
      const sessionId = await createSession();

      const events = await chatPost(sessionId, { text: 'parallel, please' });

      expect(normalizeEvents(events)).toEqual(PARALLEL_TURN);
    });
  });
}
