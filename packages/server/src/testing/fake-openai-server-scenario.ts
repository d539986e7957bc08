import { splitIntoChunks } from '../agents/stream-text.js';
import { completionResponse, openAITextResponse, type FakeOpenAIResponse, type RecordedOpenAIRequest, type ScriptToolCall } from './fake-openai-server.js';

export { startFakeOpenAIServer } from './fake-openai-server.js';

/**
 * A scripted stand-in for an OpenAI-compatible model, for
 * `startFakeOpenAIServer({ respond })`, that drives an agent with the demo
 * tools (`demoTools()`) through a whole tour on any input, as
 * `demoClaudeResponder` does for Claude: reasoning, then parallel
 * `list_files` + `read_file`, then `calculate` with `research`, then a
 * `write_file` that needs approval, then an answer that says what happened.
 * It streams word by word and answers the agent's calls without streaming
 * (titles, summaries, health probes). Deterministic; used by
 * `examples/basic/openai-against-fake.mjs`.
 * `delayMs`: pause before each streamed chunk, in ms (default 15).
 */
export function demoOpenAIResponder({ delayMs = 15 }: { delayMs?: number } = {}): (request: RecordedOpenAIRequest) => FakeOpenAIResponse {
  return (request) => {
    const body = request.body;
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    if (body.stream !== true) return sideCall(body, model);

    const messages: { role: string; content?: unknown; tool_calls?: unknown[] }[] = body.messages ?? [];
    const tools = new Set<string>((body.tools ?? []).map((t: { function: { name: string } }) => t.function.name));
    let step = 0;
    for (let i = messages.length - 1; i >= 0 && messages[i]!.role !== 'user'; i--) if (messages[i]!.role === 'assistant') step++;
    const calls: ScriptToolCall[] = [];
    const use = (name: string, input: Record<string, unknown>) => {
      if (tools.has(name)) calls.push({ id: `call_fake_${step}_${name}`, name, argumentChunks: splitJson(input) });
    };
    let reasoning: string | undefined;
    let text: string;
    if (step === 0) {
      reasoning = 'The user wants a look around. I will list the sandbox and read its README at the same time.';
      text = 'I will look around the sandbox first: listing the files and reading the README at once.';
      use('list_files', { path: '.' });
      use('read_file', { path: 'README.md' });
    } else if (step === 1) {
      text = 'Next, some arithmetic and a research pass over the files.';
      use('calculate', { expression: '(17 + 25) * 2' });
      use('research', { question: 'What is in the sandbox?' });
    } else if (step === 2) {
      text = 'I would like to save a short note about this tour. Please approve the write.';
      use('write_file', {
        path: 'notes/openai-demo.md',
        content: '# OpenAI-compatible demo\n\nWritten by the scripted model of examples/basic/openai-against-fake.mjs.\n',
      });
    } else {
      const last = messages.at(-1);
      const rejected = last?.role === 'tool' && /rejected/.test(String(last.content));
      text =
        `## Done\n\n${rejected ? 'You rejected the write, so nothing was saved.' : 'That was the tour.'} ` +
        'Every answer you saw came from a local fake of the OpenAI Chat Completions API, through the real `ai` and `@ai-sdk/openai-compatible`.';
    }
    const input = JSON.stringify(messages).length;
    return completionResponse(
      {
        ...(reasoning ? { reasoning: splitIntoChunks(reasoning) } : {}),
        text: splitIntoChunks(text),
        toolCalls: calls,
        model,
        usage: { prompt_tokens: Math.ceil(input / 4), completion_tokens: 20 * (calls.length + 1) },
      },
      { delayMs },
    );
  };
}

/** Titles, summaries and health probes: the agent's calls without streaming. */
function sideCall(body: Record<string, any>, model: string): FakeOpenAIResponse {
  const system = String(body.messages?.find((m: { role: string }) => m.role === 'system')?.content ?? '');
  if (body.max_tokens === 1) return openAITextResponse(['o'], { model });
  if (/title/i.test(system)) return openAITextResponse(['Sandbox tour with a local model'], { model });
  if (/summari[sz]e/i.test(system)) return openAITextResponse(['Earlier, the user took the sandbox tour.'], { model });
  return openAITextResponse(['OK.'], { model });
}

/** A tool's arguments as the API streams them: JSON in a few pieces. */
function splitJson(input: Record<string, unknown>): string[] {
  const json = JSON.stringify(input);
  const size = Math.max(1, Math.ceil(json.length / 3));
  return json.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [json];
}
