import { sleep } from '@agent-chat/core/util';
import type { AgentOutput } from './agent.js';

/**
 * Splits text into word-sized chunks, each word with the whitespace after it,
 * so that joining the chunks gives the text back exactly.
 */
export function splitIntoChunks(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

/** Options of {@link streamText}. */
export interface StreamTextOptions {
  /** `text` yields `assistant_chunk`s, `thinking` yields `thinking_chunk`s. Default `text`. */
  kind?: 'text' | 'thinking';
  /** The message the chunks belong to; the runner fills in the turn's when left out. */
  messageId?: string;
  /** Pause before each chunk, in ms. Default 0. */
  delayMs?: number;
  /** Stops the stream at the next chunk once aborted. */
  signal?: AbortSignal;
}

/**
 * Streams text as an agent would: one chunk event per word (see {@link splitIntoChunks}),
 * paced by `delayMs`. It does not close the block: yield `assistant_stream_end` /
 * `thinking_end` after it.
 */
export async function* streamText(text: string, options: StreamTextOptions = {}): AsyncGenerator<AgentOutput> {
  const type = options.kind === 'thinking' ? 'thinking_chunk' : 'assistant_chunk';
  for (const delta of splitIntoChunks(text)) {
    await sleep(options.delayMs ?? 0, options.signal);
    if (options.signal?.aborted) return;
    yield options.messageId === undefined ? { type, delta } : { type, delta, messageId: options.messageId };
  }
}
