/**
 * Event streams for stories, tests and benchmarks: the demo agent's recorded
 * turn (demo-tour.ts) cut at interesting points, and a few streams written in
 * the same recorded form for states the demo does not reach (a tool error,
 * several approvals at once, a failed turn, right-to-left text, long history).
 */
import { createConversationState, reduce, type AgentEvent, type ConversationState } from '@agent-chat/core';
import { demoResumed, demoTurn } from './demo-tour.js';

export const tourTurn: AgentEvent[] = demoTurn.map((e) => e.event).filter((e) => e.type !== 'ready');
export const tourResumed: AgentEvent[] = demoResumed.map((e) => e.event).filter((e) => e.type !== 'ready');

/** The events of `events` before the first one matching `stop` (or all). */
export function until(events: AgentEvent[], stop: (e: AgentEvent, index: number) => boolean): AgentEvent[] {
  const index = events.findIndex(stop);
  return index === -1 ? events : events.slice(0, index);
}

/** Reduces events into the view model, as the widget would. */
export function stateOf(events: AgentEvent[], sessionId = 'mock-session'): ConversationState {
  return events.reduce((state, event, i) => reduce(state, event, i + 1), createConversationState(sessionId));
}

/** The tour while the answer streams: thinking done, half the text written. */
export const tourStreaming = until(tourTurn, (e, i) => e.type === 'assistant_chunk' && i > 120);
/** The tour while the three research agents work. */
export const tourResearching = until(tourTurn, (e) => e.type === 'tool_log' && e.agent.agentId.endsWith(':3') && e.agent.status === 'done');
/** The whole tour, finished. */
export const tourComplete = [...tourTurn, ...tourResumed];

const turnStart = (n: string, text: string): AgentEvent[] => [
  { type: 'processing', turnId: `turn-${n}`, assistantMessageId: `a-${n}`, userMessage: { id: `u-${n}`, text, createdAt: 1_767_225_600_000 } },
];
const say = (n: string, text: string): AgentEvent[] => [
  ...text.match(/[\s\S]{1,24}/g)!.map((delta): AgentEvent => ({ type: 'assistant_chunk', messageId: `a-${n}`, delta })),
  { type: 'assistant_stream_end', messageId: `a-${n}` },
];
const usage = (input: number, output: number, cost: number): AgentEvent => ({
  type: 'usage',
  scope: 'turn',
  model: 'demo',
  usage: { inputTokens: input, outputTokens: output, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: cost },
  cumulative: { inputTokens: input * 3, outputTokens: output * 3, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: cost * 3 },
});

/** A tool that fails, and the assistant explaining it. */
export const toolError: AgentEvent[] = [
  ...turnStart('err', 'Read the config file'),
  ...say('err', 'Let me read it.'),
  { type: 'tool_call', messageId: 'a-err', toolCallId: 'call-read', name: 'read_file', input: { path: 'config/settings.json' } },
  { type: 'tool_output', toolCallId: 'call-read', output: 'ENOENT: no such file or directory, open \'config/settings.json\'', isError: true },
  { type: 'tool_call', messageId: 'a-err', toolCallId: 'call-list', name: 'list_files', input: { path: 'config' } },
  {
    type: 'tool_output',
    toolCallId: 'call-list',
    output: { path: 'config', entries: Array.from({ length: 40 }, (_, i) => ({ name: `file-${i}.yaml`, type: 'file', size: 100 + i })) },
    isError: false,
  },
  ...say('err', 'There is no `config/settings.json`; the folder holds YAML files instead.'),
  usage(1840, 96, 0.0069),
  { type: 'turn_complete', turnId: 'turn-err', stopReason: 'end_turn' },
];

const writeSchema = {
  type: 'object',
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 500 },
    content: { type: 'string', maxLength: 100000 },
  },
  required: ['path', 'content'],
  additionalProperties: false,
};

/** Three tool calls waiting for approval at once. */
export const manyApprovals: AgentEvent[] = [
  ...turnStart('many', 'Tidy up the notes folder'),
  ...say('many', 'I will write a summary, delete the draft and rename the old notes. These need your approval:'),
  { type: 'tool_call', messageId: 'a-many', toolCallId: 'call-w', name: 'write_file', input: { path: 'notes/summary.md', content: '# Summary\n\n- tests written\n- shipped\n' } },
  { type: 'tool_call', messageId: 'a-many', toolCallId: 'call-d', name: 'delete_file', input: { path: 'notes/draft.md' } },
  { type: 'tool_call', messageId: 'a-many', toolCallId: 'call-m', name: 'move_file', input: { from: 'notes/old.md', to: 'archive/old.md' } },
  {
    type: 'approval_required',
    turnId: 'turn-many',
    messageId: 'a-many',
    tools: [
      { toolCallId: 'call-w', name: 'write_file', input: { path: 'notes/summary.md', content: '# Summary\n\n- tests written\n- shipped\n' }, inputSchema: writeSchema, reason: 'Writes a file in the sandbox' },
      { toolCallId: 'call-d', name: 'delete_file', input: { path: 'notes/draft.md' }, inputSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'] }, reason: 'Deletes a file' },
      { toolCallId: 'call-m', name: 'move_file', input: { from: 'notes/old.md', to: 'archive/old.md' }, reason: 'Moves a file' },
    ],
  },
];

/** After approving `manyApprovals`: the calls run and the turn ends. */
export const manyApprovalsResumed: AgentEvent[] = [
  { type: 'tool_state_change', toolCallId: 'call-w', state: 'running' },
  { type: 'tool_output', toolCallId: 'call-w', output: { written: 'notes/summary.md', bytes: 38 }, isError: false },
  { type: 'tool_state_change', toolCallId: 'call-d', state: 'running' },
  { type: 'tool_output', toolCallId: 'call-d', output: { deleted: 'notes/draft.md' }, isError: false },
  { type: 'tool_state_change', toolCallId: 'call-m', state: 'running' },
  { type: 'tool_output', toolCallId: 'call-m', output: { moved: 'archive/old.md' }, isError: false },
  ...say('many', '\n\nDone: the notes folder is tidy.'),
  usage(3200, 240, 0.0132),
  { type: 'turn_complete', turnId: 'turn-many', stopReason: 'end_turn' },
];

/** `manyApprovals` where the user approved the write with an edited input. */
export const editedApproval: AgentEvent[] = [
  ...manyApprovals,
  { type: 'tool_state_change', toolCallId: 'call-w', state: 'approved', input: { path: 'notes/summary.md', content: '# Summary\n\n- tests written\n- reviewed\n- shipped\n' } },
];

/** A turn that fails part-way. */
export const failedTurn: AgentEvent[] = [
  ...turnStart('fail', 'Summarise the quarterly report'),
  ...say('fail', 'Reading the report now'),
  { type: 'error', code: 'overloaded', message: 'The model is overloaded. Try again in a minute.', retryable: true, turnId: 'turn-fail' },
];

/** A conversation in Arabic, for right-to-left layouts. */
export const rightToLeft: AgentEvent[] = [
  ...turnStart('rtl', 'ما هو مجموع ١٧ و٢٥؟'),
  { type: 'thinking_chunk', messageId: 'a-rtl', delta: 'المستخدم يسأل عن عملية جمع بسيطة.' },
  { type: 'thinking_end', messageId: 'a-rtl' },
  { type: 'tool_call', messageId: 'a-rtl', toolCallId: 'call-rtl', name: 'calculate', input: { expression: '17 + 25' } },
  { type: 'tool_output', toolCallId: 'call-rtl', output: { expression: '17 + 25', result: 42 }, isError: false },
  ...say('rtl', '## النتيجة\n\nمجموع **١٧** و**٢٥** هو **٤٢**.\n\n- الخطوة الأولى: جمع الآحاد\n- الخطوة الثانية: جمع العشرات\n'),
  usage(900, 60, 0.0036),
  { type: 'turn_complete', turnId: 'turn-rtl', stopReason: 'end_turn' },
];

/** Long markdown with every block kind: headings, lists, tables, quotes, images, code in several languages. */
export function longMarkdown(sections = 6): string {
  const parts: string[] = ['# Migration guide\n\nThis guide walks through the **whole** migration, step by step, with `code` where it helps.\n'];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      `## Step ${i}: update the ${['client', 'server', 'schema', 'tests', 'docs', 'deploy'][i % 6]}\n\n` +
        `Some context for step ${i}. Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n\n` +
        `- first, check the [changelog](https://example.com/changelog#${i})\n- then run the codemod\n  - nested detail ${i}\n- finally, commit\n\n` +
        '```ts\n' +
        `export async function step${i}(client: ChatClient): Promise<number> {\n  const sessions = await client.listSessions();\n  return sessions.length * ${i}; // count\n}\n` +
        '```\n\n' +
        `| Option | Default | Since |\n| --- | --- | --- |\n| \`retries\` | ${i} | 1.${i} |\n| \`timeoutMs\` | ${i * 1000} | 1.0 |\n\n` +
        `> Note: step ${i} is safe to run twice.\n\n` +
        '```python\n' +
        `def step_${i}(items):\n    """Sum the items."""\n    return sum(x * ${i} for x in items)\n` +
        '```\n',
    );
  }
  parts.push(
    '![A chart of throughput](data:image/svg+xml;base64,' +
      btoa('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80"><rect width="320" height="80" rx="8" fill="#f1e4dc"/><path d="M10 70 L80 40 L150 52 L220 20 L310 30" stroke="#b8532f" stroke-width="3" fill="none"/></svg>') +
      ')\n',
  );
  return parts.join('\n');
}

/** A finished turn whose answer is `longMarkdown()`. */
export const longMarkdownTurn: AgentEvent[] = [
  ...turnStart('long', 'How do I migrate?'),
  ...say('long', longMarkdown()),
  usage(5200, 2900, 0.0591),
  { type: 'turn_complete', turnId: 'turn-long', stopReason: 'end_turn' },
];

/** `count` messages of history (alternating user and assistant), as one snapshot event. */
export function longHistory(count: number): AgentEvent {
  const messages = Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { id: `h-u-${i}`, role: 'user' as const, parts: [{ type: 'text' as const, text: `Question number ${i / 2 + 1}?`, state: 'done' as const }] }
      : {
          id: `h-a-${i}`,
          role: 'assistant' as const,
          parts: [{ type: 'text' as const, text: `Answer **${(i + 1) / 2}**: a short paragraph with a [link](https://example.com) and \`code\`.\n\n- one\n- two`, state: 'done' as const }],
        },
  );
  return { type: 'snapshot', messages, pendingApprovals: [], processing: false };
}
