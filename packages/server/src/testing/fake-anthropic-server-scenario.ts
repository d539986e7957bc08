import { splitIntoChunks } from '../agents/stream-text.js';
import { streamResponse, textResponse, type FakeResponse, type RecordedRequest, type ScriptBlock } from './fake-anthropic-server.js';

export { startFakeAnthropicServer } from './fake-anthropic-server.js';

/**
 * A scripted stand-in for Claude, for `startFakeAnthropicServer({ respond })`,
 * that drives an agent with the demo tools (`demoTools()`) through a whole
 * tour on any input: parallel `list_files` + `read_file`, then `calculate`
 * with `research`, then a `write_file` that needs approval, then an answer
 * that says what happened. It streams word by word, thinks when asked to,
 * and answers the side calls of the agent too: titles, summaries, health
 * probes and research sub-agents. Deterministic; used by
 * `examples/basic/claude-against-fake.mjs`.
 * `delayMs`: pause before each streamed event, in ms (default 15).
 */
export function demoClaudeResponder({ delayMs = 15 }: { delayMs?: number } = {}): (request: RecordedRequest) => FakeResponse {
  return (request) => {
    const body = request.body;
    const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-5-5';
    if (body.stream !== true) return sideCall(body, model);

    const messages: { role: string; content: unknown }[] = body.messages ?? [];
    const tools = new Set<string>((body.tools ?? []).map((t: { name: string }) => t.name));
    const step = toolRoundsSinceUserText(messages);
    const thinking = body.thinking?.type === 'enabled' || body.thinking?.type === 'adaptive';
    const blocks: ScriptBlock[] = [];
    const think = (text: string) => {
      if (thinking) blocks.push({ type: 'thinking', chunks: splitIntoChunks(text), signature: `fake-signature-${step}` });
    };
    const say = (text: string) => blocks.push({ type: 'text', chunks: splitIntoChunks(text) });
    const use = (name: string, input: Record<string, unknown>) => {
      if (tools.has(name)) blocks.push({ type: 'tool_use', id: `toolu_fake_${step}_${name}`, name, jsonChunks: splitJson(input) });
    };

    if (step === 0) {
      think('The user wants a look around. I will list the sandbox and read its README at the same time.');
      say('I will look around the sandbox first: listing the files and reading the README at once.');
      use('list_files', { path: '.' });
      use('read_file', { path: 'README.md' });
    } else if (step === 1) {
      think('Now a calculation, and a research pass over every file.');
      say('Next, some arithmetic and a research pass over the files.');
      use('calculate', { expression: '(17 + 25) * 2' });
      use('research', { question: 'What is in the sandbox?' });
    } else if (step === 2) {
      say('I would like to save a short note about this tour. Please approve the write.');
      use('write_file', {
        path: 'notes/claude-demo.md',
        content: '# Claude demo\n\nWritten by the scripted Claude of examples/basic/claude-against-fake.mjs.\n',
      });
    }
    if (!blocks.some((b) => b.type === 'tool_use')) {
      const rejected = lastToolResults(messages).some((r) => r.is_error && /rejected/.test(String(r.content)));
      say(
        `## Done\n\n${rejected ? 'You rejected the write, so nothing was saved.' : 'That was the tour.'} ` +
          'Every answer you saw came from a local fake of the Anthropic Messages API, through the real `@anthropic-ai/sdk`.',
      );
    }
    const input = JSON.stringify(messages).length;
    return streamResponse(
      { blocks, model, usage: { input_tokens: Math.ceil(input / 4), output_tokens: 20 * blocks.length, cache_read_input_tokens: 0 } },
      { delayMs },
    );
  };
}

/** Titles, summaries, health probes and research sub-agents: the agent's calls without streaming. */
function sideCall(body: Record<string, any>, model: string): FakeResponse {
  const system = String(body.system ?? '');
  const messages: { role: string; content: unknown }[] = body.messages ?? [];
  if (body.max_tokens === 1) return textResponse(['o'], { model });
  if (/title/i.test(system)) return textResponse(['Sandbox tour with Claude'], { model });
  if (/summari[sz]e/i.test(system)) return textResponse(['Earlier, the user took the sandbox tour.'], { model });
  if (body.tools?.some((t: { name: string }) => t.name === 'list_files') && messages.length === 1) {
    return streamResponse({ blocks: [{ type: 'tool_use', id: 'toolu_fake_sub', name: 'list_files', jsonChunks: ['{"path":"."}'] }], model });
  }
  return textResponse(['I looked at the sandbox listing; it holds a README, a budget and some notes.'], { model });
}

/** How many tool-result rounds follow the user's last text message. */
function toolRoundsSinceUserText(messages: { role: string; content: unknown }[]): number {
  let rounds = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    const blocks = Array.isArray(message.content) ? (message.content as { type: string }[]) : [{ type: 'text' }];
    if (blocks.some((b) => b.type === 'text')) return rounds;
    rounds++;
  }
  return rounds;
}

type ToolResult = { type: string; is_error?: boolean; content?: unknown };

function lastToolResults(messages: { role: string; content: unknown }[]): ToolResult[] {
  const last = messages.at(-1);
  return last && Array.isArray(last.content) ? (last.content as ToolResult[]).filter((b) => b.type === 'tool_result') : [];
}

/** A tool input as the API streams it: JSON in a few pieces. */
function splitJson(input: Record<string, unknown>): string[] {
  const json = JSON.stringify(input);
  const size = Math.max(1, Math.ceil(json.length / 3));
  return json.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [json];
}
