import { AgUiChatClient } from '@agent-chat/core/ag-ui';
import '../define.js';
import { assert, assertEqual, assertMatch, deepQuery, deepQueryAll, waitFor } from '../test-support/assert.js';
import type { AgentChat } from '../components/agent-chat/agent-chat.component.js';

/*
 * <agent-chat protocol="ag-ui"> in Chromium against a scripted AG-UI agent
 * (test-support/ag-ui-scripted.mjs: @ag-ui/core types, @ag-ui/encoder frames)
 * served by the test runner at /ag-ui-scripted.
 */
const ENDPOINT = '/ag-ui-scripted';

interface ReceivedRun {
  input: { threadId: string; messages: Array<{ role: string; content?: unknown }>; resume?: Array<{ interruptId: string; status: string; payload?: unknown }> };
  authorization?: string;
  aborted: boolean;
}

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);
const lastAssistant = (el: AgentChat) => qa(el, '[part~="assistant-message"]').at(-1);
const idle = (el: AgentChat) => el.conversation.status === 'idle' && !el.streaming;

async function runsOf(el: AgentChat): Promise<ReceivedRun[]> {
  const response = await fetch(`${ENDPOINT}/requests?threadId=${encodeURIComponent(el.conversation.sessionId!)}`);
  return (await response.json()) as ReceivedRun[];
}

/** Forgets this endpoint's thread (only its key: other test files share the origin's localStorage). */
function forgetThread(): void {
  localStorage.removeItem(`agent-chat:session:${ENDPOINT}`);
}

async function mountAgUi(): Promise<AgentChat> {
  forgetThread();
  const el = document.createElement('agent-chat');
  el.setAttribute('protocol', 'ag-ui');
  el.setAttribute('endpoint', ENDPOINT);
  el.style.height = '600px';
  document.body.append(el);
  await waitFor(() => el.conversation.sessionId, 'the thread to open');
  await waitFor(() => (q(el, 'agent-chat-composer') as unknown as { disabled: boolean }).disabled === false, 'the composer to be enabled');
  return el;
}

describe('<agent-chat protocol="ag-ui">', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('agent-chat')) el.remove();
  });

  it('streams text and reasoning, sends the conversation as AG-UI messages, and hides what AG-UI cannot do', async () => {
    const el = await mountAgUi();
    assert(await el.send('hello'), 'sent');
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('You said: hello'), 'the streamed answer');
    assertEqual(el.features.undo || el.features.truncate || el.features.models, false, 'no undo, edit or models');
    assertEqual(q(el, '[part~="model-select"]'), null, 'no model selector');
    assertEqual(qa(el, '[part~="action"]').filter((b) => /undo|edit/i.test(b.getAttribute('aria-label') ?? b.textContent ?? '')).length, 0, 'no undo or edit buttons');

    await el.send('reason about it');
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('After some thought: 42.'), 'the answer after reasoning');
    const thinking = lastAssistant(el)!.querySelector('[part~="thinking"]');
    assert(thinking, 'a thinking block');
    assertMatch(thinking.textContent!, /Weighing the question carefully\./, 'with the reasoning');

    const runs = await runsOf(el);
    assertEqual(runs.length, 2, 'two runs of one thread');
    assertEqual(
      JSON.stringify(runs[1]!.input.messages.map((m) => [m.role, m.content])),
      JSON.stringify([['user', 'hello'], ['assistant', 'You said: hello'], ['user', 'reason about it']]),
      'the second run carries the conversation',
    );
  });

  it('shows a tool call with its result', async () => {
    const el = await mountAgUi();
    await el.send('use a tool');
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('2 + 3 = 5.'), 'the answer after the tool');
    const call = el.conversation.messages.at(-1)!.parts.find((p) => p.type === 'tool_call');
    assertEqual(JSON.stringify(call && { name: call.name, input: call.input, output: call.output, state: call.state }), JSON.stringify({ name: 'add', input: { a: 2, b: 3 }, output: '5', state: 'done' }), 'the call');
    const card = await waitFor(() => q(el, 'agent-chat-tool-group')?.shadowRoot?.textContent?.match(/\badd\b/), 'its card in the transcript');
    assert(card, 'the card names the tool');
  });

  it('shows sub-agents of a tool call in the research panel', async () => {
    const el = await mountAgUi();
    await el.send('research tides');
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('Tides follow the Moon.'), 'the answer after the research');
    const call = el.conversation.messages.at(-1)!.parts.find((p) => p.type === 'tool_call');
    assertEqual(
      JSON.stringify(call?.agents?.map((a) => [a.label, a.status])),
      JSON.stringify([['Moon researcher', 'done'], ['Sun researcher', 'error']]),
      'the sub-agents and how they ended',
    );
    const research = await waitFor(() => deepQuery(el.shadowRoot!, 'agent-chat-research'), 'the research panel');
    await waitFor(() => research.shadowRoot?.textContent?.includes('Sun researcher'), 'the research panel to list the sub-agents');
    assertMatch(research.shadowRoot!.textContent!, /Moon researcher/, 'both of them');
  });

  it('shows an interrupt in the approval panel and resumes with the edited input', async () => {
    const el = await mountAgUi();
    await el.send('please write the file');
    const approve = await waitFor(() => q<HTMLButtonElement>(el, '[part~="approve-button"]'), 'the approval panel');
    const panel = q(el, 'agent-chat-approvals')!;
    assertMatch(panel.shadowRoot!.textContent!, /write_file/, 'names the tool');
    assertMatch(panel.shadowRoot!.textContent!, /Write notes\.txt\?/, 'with the interrupt message');

    // Edit the input in the code panel, keep it, approve.
    const toolCallId = el.conversation.pendingApprovals[0]!.toolCallId;
    q(el, `[data-tool-call-id="${toolCallId}"] [part~="edit-button"]`)!.click();
    const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor');
    const edited = { path: 'edited.txt', content: 'from the browser' };
    editor.value = JSON.stringify(edited, null, 2);
    editor.dispatchEvent(new InputEvent('input'));
    q(el, '[data-save]')!.click();
    await waitFor(() => q(el, 'agent-chat-approvals')?.shadowRoot?.querySelector('[data-edited]'), 'the approval marked edited');
    (q<HTMLButtonElement>(el, '[part~="approve-button"]') ?? approve).click();
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('Done: edited.txt written.'), 'the resumed run', 15_000);

    const runs = await runsOf(el);
    const resumed = runs.at(-1)!.input;
    assertEqual(resumed.resume?.length, 1, 'one resume entry');
    assertEqual(resumed.resume![0]!.status, 'resolved', 'resolved');
    assertEqual(JSON.stringify(resumed.resume![0]!.payload), JSON.stringify({ approved: true, input: edited }), 'the edited input is the payload');
    const call = el.conversation.messages.at(-1)!.parts.find((p) => p.type === 'tool_call');
    assertEqual(call?.output, 'Wrote 16 bytes to edited.txt', 'the tool ran with the edit');
  });

  it('after a reload, shows the thread and answers the interrupt it was waiting on', async () => {
    const first = await mountAgUi();
    await first.send('write the file');
    await waitFor(() => q(first, '[part~="approve-button"]'), 'the approval panel');
    const threadId = first.conversation.sessionId;
    first.remove();

    // A new element for the same endpoint, as after a reload: the thread comes back from sessionStorage.
    const el = document.createElement('agent-chat');
    el.setAttribute('protocol', 'ag-ui');
    el.setAttribute('endpoint', ENDPOINT);
    document.body.append(el);
    (await waitFor(() => q<HTMLButtonElement>(el, '[part~="approve-button"]'), 'the approval panel again')).click();
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('Done: notes.txt written.'), 'the resumed run');
    assertEqual(el.conversation.sessionId, threadId, 'the same thread');
    assertEqual(el.conversation.messages.length, 2, 'one turn');
    const resumed = (await runsOf(el)).at(-1)!.input;
    assertEqual(JSON.stringify(resumed.resume?.map((r) => [r.status, r.payload])), JSON.stringify([['resolved', { approved: true }]]), 'approved as proposed');
  });

  it('takes a configured AgUiChatClient (headers) as its client', async () => {
    forgetThread();
    const el = document.createElement('agent-chat');
    // Only the key the thread is remembered under: the given client is what runs.
    el.setAttribute('endpoint', ENDPOINT);
    el.client = new AgUiChatClient({ url: ENDPOINT, headers: { authorization: 'Bearer test-token' } });
    document.body.append(el);
    await waitFor(() => el.conversation.sessionId, 'the thread to open');
    await waitFor(() => (q(el, 'agent-chat-composer') as unknown as { disabled: boolean }).disabled === false, 'the composer to be enabled');
    await el.send('hello with a token');
    await waitFor(() => idle(el) && lastAssistant(el)?.textContent?.includes('You said: hello with a token'), 'the answer');
    assertEqual((await runsOf(el)).at(-1)?.authorization, 'Bearer test-token', 'the header reached the agent');
  });

  it('shows an agent error', async () => {
    const el = await mountAgUi();
    await el.send('now fail');
    const error = await waitFor(() => q(el, '[part~="error"]'), 'the error');
    assertMatch(error.textContent!, /The scripted agent failed on purpose\./, 'its message');
    assert(idle(el), 'the turn ended');
  });

  it('Stop aborts the run: the agent sees the request closed, the answer is marked stopped', async () => {
    const el = await mountAgUi();
    void el.send('a slow one');
    await waitFor(() => lastAssistant(el)?.textContent?.includes('word3'), 'the answer to stream');
    (await waitFor(() => q<HTMLButtonElement>(el, '[part~="stop-button"]'), 'the Stop button')).click();
    await waitFor(() => idle(el), 'the turn to stop');
    await waitFor(() => lastAssistant(el)!.querySelector('[part~="stopped-mark"]'), 'the stopped mark');
    let aborted = false;
    for (let i = 0; i < 50 && !aborted; i++) {
      aborted = (await runsOf(el)).at(-1)?.aborted === true;
      if (!aborted) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert(aborted, 'the agent saw the request closed');
  });
});
