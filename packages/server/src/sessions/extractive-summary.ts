import type { ChatMessage } from '@agent-chat/core';
import { clip } from '@agent-chat/core/util';

/** Longest line the summary keeps per message, in characters. */
const LINE_CHARS = 240;
/** Longest summary, in characters, so that compaction always shrinks a long history. */
const SUMMARY_CHARS = 6_000;

/**
 * A deterministic summary of `messages` for agents without `summarize()`:
 * one line per message with its role, the start of its text and the tools it
 * called, then earlier summaries as they were. It keeps what was asked and
 * which tools ran, which is what a model most needs to continue.
 */
export function extractiveSummary(messages: readonly ChatMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    const text = message.parts
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join(' ');
    if (message.summary) {
      lines.push(`- Earlier summary: ${clip(oneLine(text), LINE_CHARS * 2)}`);
      continue;
    }
    const tools = message.parts.filter((part) => part.type === 'tool_call').map((part) => part.name);
    const who = message.role === 'user' ? 'User' : 'Assistant';
    const said = clip(oneLine(text), LINE_CHARS);
    const used = tools.length > 0 ? ` [tools: ${[...new Set(tools)].join(', ')}]` : '';
    if (said === '' && used === '') continue;
    lines.push(`- ${who}: ${said || '(no text)'}${used}`);
  }
  const header = `Summary of the earlier conversation (${messages.length} message${messages.length === 1 ? '' : 's'}):`;
  return clip([header, ...lines].join('\n').trim(), SUMMARY_CHARS);
}

/** `text` on one line: white space runs folded into one space, none at either end. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
