import { setViewport } from '@web/test-runner-commands';
import type { AgentEvent } from '@agent-chat/core';
import '../../define.js';
import { tourStreaming, tourTurn, until } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, deepQuery, deepQueryAll } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mountChat } from '../../test-support/mount.js';
import type { AgentChat } from './agent-chat.component.js';

/* A stopped answer says so where it stopped: on the message, and on the thinking when it stopped there. */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);
const turnId = tourTurn.find((e) => e.type === 'processing')!.turnId as string;
const stopped: AgentEvent = { type: 'interrupted', turnId };
/** The tour stopped while the model was still thinking. */
const stoppedThinking = [...until(tourTurn, (e, i) => e.type === 'thinking_chunk' && i > 12), stopped];

function visible(node: Element | null): boolean {
  if (!node) return false;
  const box = node.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(node).visibility !== 'hidden';
}

describe('<agent-chat> after Stop', () => {
  afterEach(cleanup);

  it('stopped mid-answer: a visible “Stopped” mark ends the message, after the cut text', async () => {
    await setViewport({ width: 900, height: 700 });
    const el = await mountChat({ history: [...tourStreaming, stopped] });
    await el.updateComplete;
    const message = qa(el, '[part~="assistant-message"]').at(-1)!;
    const mark = message.querySelector('[part~="stopped-mark"]');
    assert(visible(mark), 'a visible Stopped mark');
    assertEqual(mark!.textContent!.trim(), 'Stopped', 'its text');
    const text = message.querySelector('.markdown')!;
    assert(text.compareDocumentPosition(mark!) & Node.DOCUMENT_POSITION_FOLLOWING, 'the mark comes after the text');
    assertEqual(message.querySelector('[part~="thinking"] summary')!.textContent!.trim(), 'Thoughts', 'the finished thinking is not marked');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('stopped while thinking: the thinking block says “Thinking stopped”', async () => {
    const el = await mountChat({ history: stoppedThinking });
    await el.updateComplete;
    const message = qa(el, '[part~="assistant-message"]').at(-1)!;
    const summary = message.querySelector('[part~="thinking"] summary')!;
    assertEqual(summary.textContent!.trim(), 'Thinking stopped', 'the thinking says it was cut');
    assert(visible(message.querySelector('[part~="stopped-mark"]')), 'and the message has its mark');
  });

  it('a finished answer has no mark; strings are replaceable', async () => {
    const el = await mountChat({ history: [...tourStreaming, stopped] }, {});
    el.strings = { stopped: 'Angehalten', thinkingStopped: 'Denken angehalten' };
    await el.updateComplete;
    await (q(el, 'agent-chat-messages') as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    assertEqual(q(el, '[part~="stopped-mark"]')!.textContent!.trim(), 'Angehalten', 'replaced string');
    cleanup();
    const done = await mountChat({ history: tourTurn });
    await done.updateComplete;
    assertEqual(qa(done, '[part~="stopped-mark"]').length, 0, 'no mark on an answer that was not stopped');
  });
});
