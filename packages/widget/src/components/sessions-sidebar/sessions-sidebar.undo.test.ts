import { sendKeys, setViewport } from '@web/test-runner-commands';
import { ChatClient } from '@agent-chat/core';
import '../../define.js';
import { tourComplete } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import { assert, assertEqual, assertMatch, deepActiveElement, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup } from '../../test-support/mount.js';
import type { AgentChatSessions } from './sessions-sidebar.component.js';
import type { AgentChat } from '../agent-chat/agent-chat.component.js';

/* Deleting a conversation can be undone for a while; at the session limit "+ New chat" says why it did nothing. */

const LIMIT = 3;

/** A sidebar and an <agent-chat> on one mock server that refuses a session past `LIMIT`, as the real one does (429). */
async function page(options: { chatSession?: string } = { chatSession: 'mock-session' }) {
  const mock = createMockFetch({
    history: tourComplete,
    sessions: [
      { id: 'older', title: 'Budget questions' },
      { id: 'oldest', title: 'Recipes' },
    ],
  });
  const requests: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input), location.href);
    const method = init?.method ?? 'GET';
    requests.push(`${method} ${url.pathname.replace('/mock-api', '')}`);
    if (method === 'POST' && url.pathname.endsWith('/session') && mock.sessions.size >= LIMIT) {
      const body = { error: { code: 'session_limit', message: `You have ${LIMIT} sessions, the most allowed; delete one first.` } };
      return new Response(JSON.stringify(body), { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '60' } });
    }
    return mock(input, init);
  };
  const client = new ChatClient({ endpoint: '/mock-api', fetch });
  const layout = document.createElement('div');
  layout.style.cssText = 'display: flex; height: 500px';
  const sidebar = document.createElement('agent-chat-sessions');
  sidebar.setAttribute('for', 'chat');
  sidebar.client = client;
  // Nothing is deleted by the timer unless a test shortens it.
  sidebar.undoDelay = 60_000;
  const chat = document.createElement('agent-chat');
  chat.id = 'chat';
  chat.client = client;
  if (options.chatSession) chat.sessionId = options.chatSession;
  chat.style.flex = '1';
  layout.append(sidebar, chat);
  document.body.append(layout);
  await waitFor(() => sidebar.sessions.length === 3 && (!options.chatSession || sidebar.active === options.chatSession), 'the list');
  await sidebar.updateComplete;
  return { sidebar, chat, mock, requests };
}

const root = (sidebar: AgentChatSessions) => sidebar.shadowRoot!;
const row = (sidebar: AgentChatSessions, id: string) => root(sidebar).querySelector<HTMLElement>(`[data-session-id="${id}"]`);
const deleteButton = (sidebar: AgentChatSessions, id: string) => row(sidebar, id)!.querySelector<HTMLButtonElement>('[part~="delete-session"]')!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<agent-chat-sessions>: delete with undo, the session limit', () => {
  afterEach(async () => {
    for (const el of document.querySelectorAll('div')) el.remove();
    cleanup();
    await setViewport({ width: 800, height: 600 });
  });

  it('a deleted conversation can be restored with Undo until the delay ends; then it is deleted on the server', async () => {
    const { sidebar, mock } = await page();
    deleteButton(sidebar, 'oldest').click();
    await sidebar.updateComplete;
    const undo = row(sidebar, 'oldest')?.querySelector<HTMLButtonElement>('[part~="undo-delete"]');
    assert(undo, 'the row offers Undo in its place');
    assertMatch(row(sidebar, 'oldest')!.textContent!, /Deleted “Recipes”/, 'and says what was deleted');
    assertEqual(deepActiveElement(), undo as Element, 'focus moves to Undo');
    assert(!sidebar.sessions.some((s) => s.id === 'oldest'), 'gone from the list');
    assert(mock.sessions.has('oldest'), 'not deleted on the server yet');
    assertEqual((await axeViolations(sidebar)).join('\n'), '', 'axe with an Undo row');
    undo.click();
    await sidebar.updateComplete;
    assert(row(sidebar, 'oldest')?.querySelector('[part~="delete-session"]'), 'restored in place');
    assert(sidebar.sessions.some((s) => s.id === 'oldest'), 'back in the list');
    sidebar.undoDelay = 300;
    await sleep(500);
    assert(mock.sessions.has('oldest'), 'an undone delete never reaches the server');

    deleteButton(sidebar, 'oldest').click();
    await waitFor(() => !mock.sessions.has('oldest'), 'the delete after the undo delay');
    await sidebar.updateComplete;
    assertEqual(row(sidebar, 'oldest'), null, 'the row is gone');
  });

  it('deleting the conversation on screen moves to the next; Undo brings it back', async () => {
    const { sidebar, chat, mock } = await page();
    deleteButton(sidebar, 'mock-session').click();
    await waitFor(() => chat.conversation.sessionId === 'older', 'the chat on the next conversation');
    sidebar.undoDelay = 300;
    row(sidebar, 'mock-session')!.querySelector<HTMLButtonElement>('[part~="undo-delete"]')!.click();
    await waitFor(() => chat.conversation.sessionId === 'mock-session' && chat.conversation.messages.length > 0, 'the chat back on it');
    await sleep(500);
    assert(mock.sessions.has('mock-session'), 'still on the server');
  });

  it('at the session limit "+ New chat" says so; deleting one then makes room at once', async () => {
    const { sidebar, chat, mock, requests } = await page();
    root(sidebar).querySelector<HTMLButtonElement>('[part~="new-session"]')!.click();
    const notice = await waitFor(() => root(sidebar).querySelector<HTMLElement>('[part~="notice"]'), 'a visible notice');
    assertEqual(notice.getAttribute('role'), 'alert', 'announced');
    assertMatch(notice.textContent!, /most conversations|delete one/i, 'says why and what to do');
    assert(notice.getBoundingClientRect().height > 0, 'visible');

    deleteButton(sidebar, 'oldest').click();
    await sidebar.updateComplete;
    root(sidebar).querySelector<HTMLButtonElement>('[part~="new-session"]')!.click();
    await waitFor(() => sidebar.sessions.length === 3 && sidebar.active !== 'mock-session', 'the new conversation');
    assert(!mock.sessions.has('oldest'), 'the pending delete was done first');
    const del = requests.indexOf('DELETE /session/oldest');
    assert(del !== -1 && del < requests.lastIndexOf('POST /session'), 'DELETE before the POST');
    await waitFor(() => chat.conversation.sessionId === sidebar.active, 'the chat on it');
    assertEqual(root(sidebar).querySelector('[part~="notice"]'), null, 'the notice is gone');
  });

  it('a fresh visitor at the limit: the chat says it could not start, never "Connecting…", and the sidebar opens to delete one', async () => {
    await setViewport({ width: 420, height: 700 });
    const { sidebar, chat, mock } = await page({});
    const input = chat.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!;
    const retry = await waitFor(() => chat.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]'), 'a Try again button');
    assert(!/Connecting/.test(input.placeholder), `the composer does not say "${input.placeholder}"`);
    await waitFor(() => sidebar.open, 'the drawer to open');
    assert(root(sidebar).querySelector('[part~="notice"]'), 'with the notice');

    sidebar.undoDelay = 300;
    deleteButton(sidebar, 'oldest').click();
    await waitFor(() => !mock.sessions.has('oldest'), 'the delete, once its Undo has passed');
    retry.click();
    await waitFor(() => chat.conversation.sessionId && !input.disabled, 'the chat to start');
  });

  it('a chat with no sidebar at the limit offers to open the latest conversation instead', async () => {
    const { sidebar, chat, mock } = await page({});
    sidebar.remove();
    const latest = await waitFor(() => chat.shadowRoot!.querySelector<HTMLButtonElement>('[part~="open-latest"]'), 'Open my latest conversation');
    assertEqual((await axeViolations(chat)).join('\n'), '', 'axe on the failed state');
    latest.click();
    await waitFor(() => chat.conversation.sessionId && !chat.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!.disabled, 'the chat on a session');
    assert(mock.sessions.has(chat.conversation.sessionId!), 'one of the user’s sessions');
    assertEqual(mock.sessions.size, LIMIT, 'no new session');
  });

  it('a sidebar added after the chat failed at the limit shows why at once', async () => {
    const { sidebar, chat } = await page({});
    await waitFor(() => chat.openError?.code === 'session_limit', 'the failed open');
    sidebar.remove();
    const late = document.createElement('agent-chat-sessions');
    late.setAttribute('for', 'chat');
    late.client = chat.client;
    chat.before(late);
    await late.updateComplete;
    assert(late.shadowRoot!.querySelector('[part~="notice"]'), 'the notice');
    assert(late.open, 'open');
  });

  it('on a phone, the drawer that opens by itself at the limit takes focus, so Escape closes it', async () => {
    await setViewport({ width: 390, height: 844 });
    const { sidebar } = await page({});
    await waitFor(() => sidebar.open, 'the drawer to open');
    const notice = await waitFor(() => root(sidebar).querySelector<HTMLElement>('[part~="notice"]'), 'the notice');
    await waitFor(() => deepActiveElement() === notice, 'focus on the notice, in the drawer');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !sidebar.open, 'Escape to close the drawer');
    assertEqual(deepActiveElement(), root(sidebar).querySelector('[part~="toggle"]'), 'focus on the toggle');
  });

  it('beside the chat (wide), the sidebar that shows the limit leaves focus alone', async () => {
    await setViewport({ width: 1280, height: 800 });
    const { sidebar } = await page({});
    await waitFor(() => root(sidebar).querySelector('[part~="notice"]'), 'the notice');
    await sidebar.updateComplete;
    assert(!sidebar.shadowRoot!.activeElement, 'nothing in the sidebar took focus');
  });
});
