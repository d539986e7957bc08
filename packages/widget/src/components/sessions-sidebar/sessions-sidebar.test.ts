import { setViewport } from '@web/test-runner-commands';
import { ChatClient } from '@agent-chat/core';
import '../../define.js';
import { tourComplete } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup } from '../../test-support/mount.js';
import type { AgentChatSessions } from './sessions-sidebar.component.js';
import type { AgentChat } from '../agent-chat/agent-chat.component.js';

/** A sidebar and an <agent-chat> side by side, on one mock server. */
async function page(): Promise<{ sidebar: AgentChatSessions; chat: AgentChat; fetch: ReturnType<typeof createMockFetch> }> {
  const fetch = createMockFetch({
    history: tourComplete,
    turns: [tourComplete],
    sessions: [
      { id: 'older', title: 'Budget questions' },
      { id: 'oldest', title: 'Recipes' },
    ],
  });
  const client = new ChatClient({ endpoint: '/mock-api', fetch });
  const layout = document.createElement('div');
  layout.style.cssText = 'display: flex; height: 500px';
  const sidebar = document.createElement('agent-chat-sessions');
  sidebar.setAttribute('for', 'chat');
  sidebar.client = client;
  const chat = document.createElement('agent-chat');
  chat.id = 'chat';
  chat.client = client;
  chat.sessionId = 'mock-session';
  chat.style.flex = '1';
  layout.append(sidebar, chat);
  document.body.append(layout);
  await waitFor(() => sidebar.sessions.length === 3 && sidebar.active === 'mock-session', 'the list and the active session');
  await sidebar.updateComplete;
  return { sidebar, chat, fetch };
}

const rows = (sidebar: AgentChatSessions) => [...sidebar.shadowRoot!.querySelectorAll<HTMLElement>('[part~="session"]')];

describe('<agent-chat-sessions> with <agent-chat>', () => {
  afterEach(async () => {
    for (const el of document.querySelectorAll('div')) el.remove();
    cleanup();
    await setViewport({ width: 800, height: 600 });
  });

  it('lists sessions with titles and marks the one <agent-chat> shows', async () => {
    const { sidebar } = await page();
    assertEqual(rows(sidebar).map((r) => r.querySelector('.name')!.textContent).join(' | '), 'Recipes | Budget questions | What is (17 + 25) * 2? Look around the sandbox too.', 'titles');
    const active = sidebar.shadowRoot!.querySelector('[part~="session-active"]')!;
    assertEqual(active.getAttribute('data-session-id'), 'mock-session', 'active row');
    assertEqual(active.querySelector('.pick')!.getAttribute('aria-current'), 'page', 'aria-current');
    assertEqual((await axeViolations(sidebar)).join('\n'), '', 'axe');
  });

  it('switching sets the session-id of <agent-chat>, which loads that conversation', async () => {
    const { sidebar, chat } = await page();
    assert(chat.conversation.messages.length > 0, 'the tour is shown');
    rows(sidebar).find((r) => r.dataset.sessionId === 'older')!.querySelector<HTMLButtonElement>('.pick')!.click();
    assertEqual(chat.sessionId, 'older', 'session-id set');
    await waitFor(() => chat.conversation.sessionId === 'older', 'the switch');
    assertEqual(chat.conversation.messages.length, 0, 'the other conversation');
    await sidebar.updateComplete;
    assertEqual(sidebar.shadowRoot!.querySelector('[part~="session-active"]')!.getAttribute('data-session-id'), 'older', 'active follows');
  });

  it('creates a session and switches to it; deletes one; follows titles from title events', async () => {
    const { sidebar, chat } = await page();
    sidebar.shadowRoot!.querySelector<HTMLButtonElement>('[part~="new-session"]')!.click();
    await waitFor(() => sidebar.sessions.length === 4, 'the new session');
    const created = sidebar.sessions[0]!.id;
    await waitFor(() => chat.conversation.sessionId === created, '<agent-chat> on the new session');

    // A title event in <agent-chat> renames the row.
    chat.dispatchEvent(new (await import('../../events/title-event.js')).AgentChatTitleEvent({ sessionId: created, title: 'Fresh start' }));
    await sidebar.updateComplete;
    assertEqual(sidebar.shadowRoot!.querySelector('[part~="session-active"] .name')!.textContent, 'Fresh start', 'title');

    const del = rows(sidebar).find((r) => r.dataset.sessionId === 'oldest')!.querySelector<HTMLButtonElement>('[part~="delete-session"]')!;
    assertEqual(del.getAttribute('aria-label'), 'Delete “Recipes”', 'labelled');
    del.click();
    await waitFor(() => !sidebar.sessions.some((s) => s.id === 'oldest'), 'the deletion');
    assertEqual(rows(sidebar).length, 3, 'row removed');
  });

  it('becomes a drawer under 640 px', async () => {
    const { sidebar } = await page();
    await setViewport({ width: 420, height: 700 });
    const toggle = sidebar.shadowRoot!.querySelector<HTMLButtonElement>('[part~="toggle"]')!;
    const nav = sidebar.shadowRoot!.querySelector<HTMLElement>('[part~="sidebar"]')!;
    await waitFor(() => getComputedStyle(toggle).display !== 'none', 'the toggle');
    assertEqual(getComputedStyle(nav).position, 'fixed', 'drawer');
    await waitFor(() => getComputedStyle(nav).visibility === 'hidden', 'the drawer closed');
    assertEqual(toggle.getAttribute('aria-expanded'), 'false', 'collapsed');
    toggle.click();
    await sidebar.updateComplete;
    await waitFor(() => getComputedStyle(nav).visibility === 'visible', 'the drawer to open');
    assertEqual(toggle.getAttribute('aria-expanded'), 'true', 'expanded');
    assert(sidebar.shadowRoot!.querySelector('[part~="backdrop"]'), 'backdrop');
    rows(sidebar)[0]!.querySelector<HTMLButtonElement>('.pick')!.click();
    await sidebar.updateComplete;
    assertEqual(sidebar.open, false, 'picking closes the drawer');
    await setViewport({ width: 1000, height: 700 });
    await waitFor(() => getComputedStyle(toggle).display === 'none', 'no toggle when wide');
  });
});
