import { sendKeys } from '@web/test-runner-commands';
import { ChatClient, type ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import {
  editedApproval,
  failedTurn,
  longMarkdownTurn,
  manyApprovals,
  manyApprovalsResumed,
  rightToLeft,
  tourComplete,
  tourTurn,
  tourResumed,
} from '../../__fixtures__/scenarios.js';
import { createMockFetch, type MockScenario } from '../../testing/mock-fetch.js';
import { assert, assertEqual, assertMatch, deepActiveElement, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mountChat } from '../../test-support/mount.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * <agent-chat> over the mock transport (recorded event streams through the
 * real ChatClient), for what the demo server does not offer or cannot be
 * driven into: undo, edit-and-regenerate, models, many approvals, failures.
 */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);
/** The tool name in the code panel's header. */
const panelName = (el: AgentChat) => q(el, 'agent-chat-code-panel')?.shadowRoot?.querySelector('.name')?.textContent;
const toolCalls = (el: AgentChat) => el.conversation.messages.flatMap((m) => m.parts.filter((p): p is ToolCallPart => p.type === 'tool_call'));

/** The mock with every request body recorded. */
function recordingChat(scenario: MockScenario, attributes: Record<string, string> = {}) {
  const bodies: Array<{ path: string; body: unknown }> = [];
  const mock = createMockFetch(scenario);
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    if (init?.body) bodies.push({ path: new URL(url, location.href).pathname, body: JSON.parse(String(init.body)) });
    return mock(input, init);
  };
  return { bodies, fetch, mount: () => mountWith(fetch, scenario, attributes) };
}

async function mountWith(fetch: typeof globalThis.fetch, scenario: MockScenario, attributes: Record<string, string>) {
  const el = document.createElement('agent-chat');
  el.client = new ChatClient({ endpoint: '/mock-api', fetch });
  el.sessionId = scenario.sessionId ?? 'mock-session';
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.style.height = '640px';
  document.body.append(el);
  await waitFor(() => el.shadowRoot?.querySelector('agent-chat-composer')?.disabled === false, 'the mock session');
  return el;
}

describe('<agent-chat> features over a mock transport', () => {
  afterEach(cleanup);

  it('undo removes the last turn when the server offers it', async () => {
    const el = await mountChat({ history: tourComplete });
    await waitFor(() => el.features.undo && q(el, '[data-action="undo"]'), 'the undo action');
    assertEqual(el.conversation.messages.length, 2, 'one turn');
    q(el, '[data-action="undo"]')!.click();
    await waitFor(() => el.conversation.messages.length === 0, 'the turn to be undone');
    await el.updateComplete;
    assert(q(el, '.empty'), 'empty state again');
  });

  it('edit-and-regenerate truncates before the message and sends the edited text', async () => {
    const { bodies, mount } = recordingChat({ history: tourComplete, turns: [tourTurn] });
    const el = await mount();
    await waitFor(() => el.features.truncate && q(el, '[data-action="edit"]'), 'the edit action');
    q(el, '[data-action="edit"]')!.click();
    const area = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="user-message"] .edit textarea'), 'the editor');
    assert(deepActiveElement() === area, 'the editor has focus');
    area.select();
    await sendKeys({ type: 'Just say hello' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => el.conversation.status === 'awaiting_approval', 'the regenerated turn to run');
    assertEqual(JSON.stringify(bodies.map((b) => b.path.replace(/.*\/(truncate|chat)\/.*/, '$1'))), '["truncate","chat"]', 'truncate then chat');
    assertEqual(JSON.stringify(bodies[0]!.body), '{"userMessageIndex":0}', 'truncate body');
    const users = el.conversation.messages.filter((m) => m.role === 'user');
    assertEqual(users.length, 1, 'the old turn is gone');
    assertEqual(users[0]!.parts[0]!.type === 'text' && users[0]!.parts[0]!.text, 'Just say hello', 'the edited text');
  });

  it('shows the server’s models and sets the session’s model', async () => {
    const { bodies, mount } = recordingChat({
      models: { model: 'opus', models: [{ id: 'opus', label: 'Claude Opus 4.6', recommended: true }, { id: 'kimi', label: 'Kimi K2.6' }] },
    });
    const el = await mount();
    const select = await waitFor(() => q<HTMLSelectElement>(el, '[part~="model-select"]'), 'the model selector');
    assertEqual(select.value, 'opus', 'the server’s current model');
    select.value = 'kimi';
    select.dispatchEvent(new Event('change'));
    await waitFor(() => bodies.some((b) => b.path.endsWith('/session/mock-session/model')), 'the model request');
    assertEqual(JSON.stringify(bodies.at(-1)!.body), '{"model":"kimi"}', 'body');
  });

  it('many approvals: edit one input in the code panel, then approve all with the edit', async () => {
    const { bodies, mount } = recordingChat({ history: manyApprovals, afterApproval: manyApprovalsResumed });
    const el = await mount();
    await waitFor(() => q(el, '[part~="approve-all"]'), 'the approvals');
    assertEqual(q(el, '[part~="status-bar"]')!.dataset.activity, 'approval', 'status: waiting');
    q(el, '[data-tool-call-id="call-w"] [part~="edit-button"]')!.click();
    const editor = await waitFor(() => q<HTMLTextAreaElement>(el, '[part~="editor"]'), 'the editor in the code panel');
    await waitFor(() => deepActiveElement() === editor, 'focus in the editor');
    assert(el.panelOpen, 'panel open');
    editor.value = JSON.stringify({ path: 'notes/summary.md', content: '# Edited\n' }, null, 2);
    editor.dispatchEvent(new InputEvent('input'));
    q(el, '[data-save]')!.click();
    await waitFor(() => q(el, 'agent-chat-approvals')!.shadowRoot!.querySelector('[data-edited]'), 'the (edited) badge');
    assert(q(el, '[part~="diff"] [data-diff="add"]'), 'the diff in the panel');
    q(el, '[part~="approve-all"]')!.click();
    await waitFor(() => el.conversation.status === 'idle' && !el.streaming, 'the turn to finish');
    const approvals = (bodies.find((b) => b.path.includes('/chat/'))!.body as { approvals: Array<{ toolCallId: string; input?: unknown }> }).approvals;
    assertEqual(JSON.stringify(approvals.find((a) => a.toolCallId === 'call-w')!.input), '{"path":"notes/summary.md","content":"# Edited\\n"}', 'edited input sent');
    assertEqual(approvals.filter((a) => a.input !== undefined).length, 1, 'only the edited call carries input');
    assert(toolCalls(el).every((t) => t.state === 'done'), 'all ran');
  });

  it('the code panel follows the running tool unless pinned', async () => {
    const watched = await mountChat({ turns: [[...tourTurn]], delayMs: 25 }, { 'panel-open': '' });
    const names: string[] = [];
    const sending = watched.send('Go');
    await waitFor(() => {
      const name = panelName(watched);
      if (name && names.at(-1) !== name) names.push(name);
      return watched.conversation.status === 'awaiting_approval';
    }, 'the turn to reach approval', 20_000);
    await sending;
    // Short tools may come and go between two frames; the long ones are always seen.
    const tools = new Set(names.filter((n) => n !== 'Code panel'));
    assert(tools.has('list_files') && tools.has('research') && tools.size >= 3, `followed the tools: ${names.join(', ')}`);

    // Pinned: the next tool does not take the panel.
    const pinnedEl = await mountChat({ turns: [[...tourTurn]], delayMs: 25 }, { 'panel-open': '' });
    const run = pinnedEl.send('Go');
    await waitFor(() => panelName(pinnedEl) === 'read_file', 'read_file in the panel', 20_000);
    q(pinnedEl, 'agent-chat-code-panel')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-pin]')!.click();
    await waitFor(() => pinnedEl.conversation.status === 'awaiting_approval', 'the approval', 20_000);
    await run;
    await pinnedEl.updateComplete;
    assertEqual(panelName(pinnedEl), 'read_file', 'stayed on the pinned call');
    assertEqual(q(pinnedEl, 'agent-chat-code-panel')!.shadowRoot!.querySelector('[data-pin]')!.getAttribute('aria-pressed'), 'true', 'pinned');
  });

  it('shows a failed turn as an alert and in the status', async () => {
    const el = await mountChat({ turns: [failedTurn] });
    await el.send('Summarise the quarterly report');
    const alert = await waitFor(() => q(el, '[part~="error"][role="alert"]'), 'the error');
    assertMatch(alert.textContent!, /overloaded/, 'message');
    assertEqual(el.conversation.status, 'idle', 'idle');
  });

  it('passes axe in every state: empty, complete, approvals, edited, error, long markdown, dark, right-to-left', async () => {
    const states: Array<[string, MockScenario, Record<string, string>]> = [
      ['empty', {}, {}],
      ['complete', { history: tourComplete }, { theme: 'light' }],
      ['approvals', { history: manyApprovals }, {}],
      ['edited', { history: editedApproval }, {}],
      ['error', { history: failedTurn.slice(0, -1) }, {}],
      ['long markdown', { history: longMarkdownTurn }, {}],
      ['dark', { history: [...tourTurn, ...tourResumed] }, { theme: 'dark' }],
      ['right-to-left', { history: rightToLeft }, { dir: 'rtl' }],
    ];
    for (const [name, scenario, attributes] of states) {
      const el = await mountChat(scenario, attributes);
      await el.updateComplete;
      await new Promise((r) => setTimeout(r, 50));
      assertEqual((await axeViolations(el)).join('\n'), '', `axe: ${name}`);
      el.remove();
    }
  });

  it('lays out right-to-left and restyles through custom properties and parts', async () => {
    const el = await mountChat({ history: rightToLeft }, { dir: 'rtl' });
    const user = q(el, '[part~="user-message"]')!;
    const transcript = q(el, '[part~="transcript"]')!;
    // The user's bubble sits at the start edge of an RTL layout: the left.
    assert(user.querySelector('.bubble')!.getBoundingClientRect().left - transcript.getBoundingClientRect().left < 120, 'bubble on the left');
    el.style.setProperty('--agent-chat-accent', 'rgb(10, 20, 30)');
    const send = q(el, '[part~="send-button"]')!;
    // (after the button's background transition)
    await waitFor(() => getComputedStyle(send).backgroundColor === 'rgb(10, 20, 30)', 'the accent to reach the composer’s button');
    const style = document.createElement('style');
    style.textContent = 'agent-chat::part(bubble) { border-radius: 3px; }';
    document.head.append(style);
    assertEqual(getComputedStyle(user.querySelector('.bubble')!).borderRadius, '3px', '::part(bubble) through exportparts');
    style.remove();
  });
});
