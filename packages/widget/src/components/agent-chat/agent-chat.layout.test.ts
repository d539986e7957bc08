import { setViewport } from '@web/test-runner-commands';
import { ChatClient, type AgentEvent } from '@agent-chat/core';
import '../../define.js';
import { manyApprovals, tourResumed, tourTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch, type MockScenario } from '../../testing/mock-fetch.js';
import { assert, assertEqual, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';
import type { AgentChat } from './agent-chat.component.js';

/*
 * A page that lays the element out in a grid with an `auto` column (or as a
 * flex item), where an item's minimum width is its min-content width: a long
 * code line or tool summary must not widen the element past its column and push
 * the code panel off screen.
 */
describe('<agent-chat> layout', () => {
  afterEach(() => {
    for (const el of document.querySelectorAll('.layout-host')) el.remove();
  });

  it('stays within an auto grid column with the code panel open and long content', async () => {
    const host = document.createElement('div');
    host.className = 'layout-host';
    host.style.cssText = 'display: grid; width: 800px; height: 600px;';
    const el = document.createElement('agent-chat') as AgentChat;
    const long = 'x'.repeat(600);
    const history = tourTurn.map((e) => (e.type === 'assistant_chunk' ? { ...e, delta: `${e.delta}\n\n\`\`\`\n${long}\n\`\`\`\n\n` } : e));
    el.client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch({ history }) });
    el.sessionId = 'mock-session';
    host.append(el);
    document.body.append(host);

    await waitFor(() => deepQuery(el.shadowRoot!, 'pre'), 'a code block');
    el.panelOpen = true;
    const panel = await waitFor(() => el.shadowRoot!.querySelector('agent-chat-code-panel'), 'the code panel');
    await el.updateComplete;

    const column = host.getBoundingClientRect();
    const width = el.getBoundingClientRect().width;
    const panelBox = panel.getBoundingClientRect();
    assert(Math.abs(width - column.width) < 1, `the element is as wide as its column (${column.width} px), not ${width}`);
    assert(panelBox.right <= column.right + 0.5, `the code panel ends inside the column (${panelBox.right} vs ${column.right})`);
    assert(panelBox.width > 250, `the code panel has its width (${panelBox.width})`);
  });
});

/** A rectangle, rounded for messages. */
const box = (el: Element) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
};
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** An <agent-chat> filling a `width` x `height` viewport, on the mock server, once the approval bar shows. */
async function fullPage(width: number, height: number, scenario: MockScenario = { history: tourTurn }, approval = true): Promise<AgentChat> {
  await setViewport({ width, height });
  const el = document.createElement('agent-chat') as AgentChat;
  el.className = 'layout-host';
  el.style.cssText = 'position: fixed; inset: 0; height: auto;';
  el.client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch(scenario) });
  el.sessionId = scenario.sessionId ?? 'mock-session';
  document.body.append(el);
  if (approval) await waitFor(() => deepQuery(el.shadowRoot!, '[part~="approve-button"]'), 'the approval bar');
  await waitFor(() => deepQueryAll(el.shadowRoot!, '[part~="tool-call"]').length > 0, 'the tool calls');
  await nextFrame();
  return el;
}

/** The transcript's message column, the approval bar and the composer. */
function columns(el: AgentChat) {
  const root = el.shadowRoot!;
  return {
    column: box(root.querySelector('agent-chat-messages .column')!),
    approvals: box(deepQuery(root, '[part~="approvals"]')!),
    composer: box(root.querySelector('[part~="composer"]')!),
  };
}

function assertAligned(el: AgentChat, label: string): void {
  const { column, approvals, composer } = columns(el);
  for (const [name, b] of [['approval bar', approvals], ['composer', composer]] as const) {
    assert(
      Math.abs(b.left - column.left) <= 1 && Math.abs(b.right - column.right) <= 1,
      `${label}: the ${name} (${b.left.toFixed(1)}–${b.right.toFixed(1)}) lines up with the message column (${column.left.toFixed(1)}–${column.right.toFixed(1)})`,
    );
  }
}

describe('<agent-chat> layout at desktop and phone sizes', () => {
  afterEach(async () => {
    for (const el of document.querySelectorAll('.layout-host')) el.remove();
    await setViewport({ width: 800, height: 600 });
  });

  for (const [width, height] of [
    [1280, 800],
    [1000, 700],
    [390, 844],
  ] as const) {
    it(`lines the approval bar and the composer up with the message column at ${width}x${height}`, async () => {
      const el = await fullPage(width, height);
      assertAligned(el, 'panel closed');
      if (width < 640) return; // On a phone the panel is a sheet over the conversation.
      el.panelOpen = true;
      const panel = await waitFor(() => el.shadowRoot!.querySelector('agent-chat-code-panel'), 'the code panel');
      await panel.updateComplete;
      await nextFrame();
      assertAligned(el, 'panel open');
      const { approvals, composer } = columns(el);
      const p = box(panel);
      assert(approvals.right <= p.left + 0.5 && composer.right <= p.left + 0.5, `the approval bar and composer stay left of the panel (${composer.right} vs ${p.left})`);
      assert(Math.abs(p.bottom - box(el).bottom) <= 1, `the panel reaches the bottom of the element (${p.bottom} vs ${box(el).bottom}), nothing under it`);
      const probe = el.shadowRoot!.elementFromPoint(p.left + p.width / 2, p.bottom - 20);
      assertEqual(probe, panel as Element, 'the bottom of the panel is the panel, not the approval bar over it');
    });
  }

  for (const [width, height] of [
    [390, 844],
    [360, 780],
    [375, 667],
    [320, 640],
  ] as const) {
    it(`fits the approval bar on a ${width} px phone: one row of buttons, readable arguments, little height`, async () => {
      const el = await fullPage(width, height);
      const root = el.shadowRoot!;
      const [edit, reject, approve] = ['edit-button', 'reject-button', 'approve-button'].map((part) => box(deepQuery(root, `[part~="${part}"]`)!));
      assert(Math.abs(approve!.top - reject!.top) < 1 && Math.abs(edit!.top - reject!.top) < 1, `Edit, Reject and Approve on one row (tops ${edit!.top}, ${reject!.top}, ${approve!.top})`);
      assert(approve!.right <= width, 'Approve is on screen');

      // Each argument hint shows at least 12 characters (or all of itself).
      const hints = [...deepQueryAll<HTMLElement>(root, '.tool-summary'), ...deepQueryAll<HTMLElement>(root, '[part~="approvals"] .summary')];
      assert(hints.length >= 5, `argument hints found (${hints.length})`);
      for (const hint of hints) {
        const text = hint.textContent!.trim();
        if (!text) continue;
        const charWidth = hint.scrollWidth / text.length;
        const shown = Math.floor(hint.clientWidth / charWidth + 0.01);
        assert(shown >= Math.min(12, text.length), `"${text}" shows ${shown} characters at ${width} px`);
      }

      const { approvals, composer } = columns(el);
      const share = (composer.bottom - approvals.top) / height;
      // The smallest phone still in use (iPhone SE, 375x667) and up.
      if (height >= 667) assert(share <= 0.3, `approval bar plus composer take ${(share * 100).toFixed(0)}% of a ${height} px screen (at most 30%): approvals ${approvals.height.toFixed(0)} px, composer ${composer.height.toFixed(0)} px`);
    });
  }

  it('keeps several approvals on a phone to at most half the screen, scrolling the list', async () => {
    const el = await fullPage(390, 844, { history: manyApprovals });
    const { approvals, composer } = columns(el);
    const share = (composer.bottom - approvals.top) / 844;
    assert(share <= 0.5, `several approvals take ${(share * 100).toFixed(0)}% of the screen (at most 50%)`);
  });

  it('keeps the sessions toggle clear of the status row on a phone (the example page’s layout)', async () => {
    await setViewport({ width: 390, height: 844 });
    const client = new ChatClient({ endpoint: '/mock-api', fetch: createMockFetch({ history: tourTurn, sessions: [{ id: 'older', title: 'Budget' }] }) });
    const page = document.createElement('main');
    page.className = 'layout-host';
    page.style.cssText = 'position: fixed; inset: 0; display: flex;';
    const sidebar = document.createElement('agent-chat-sessions');
    sidebar.setAttribute('for', 'layout-chat');
    sidebar.client = client;
    const el = document.createElement('agent-chat') as AgentChat;
    el.id = 'layout-chat';
    el.style.cssText = 'flex: 1; min-width: 0; min-height: 0;';
    el.client = client;
    el.sessionId = 'mock-session';
    page.append(sidebar, el);
    document.body.append(page);
    await waitFor(() => deepQuery(el.shadowRoot!, '[part~="approve-button"]'), 'the chat');
    const toggle = await waitFor(() => {
      const t = sidebar.shadowRoot?.querySelector<HTMLElement>('[part~="toggle"]');
      return t && getComputedStyle(t).display !== 'none' ? t : null;
    }, 'the toggle');
    await nextFrame();
    const t = box(toggle);
    const bar = box(el.shadowRoot!.querySelector('agent-chat-status')!);
    assert(
      Math.abs(t.top - bar.top) <= 1 && Math.abs(t.bottom - bar.bottom) <= 1,
      `the toggle (${t.top}–${t.bottom}) reads as the start of the status row (${bar.top}–${bar.bottom}), not a box jammed against it`,
    );
    for (const part of ['status-bar', 'activity', 'usage']) {
      const target = deepQuery(el.shadowRoot!, `[part~="${part}"]`);
      if (!target) continue;
      const b = box(target);
      const overlap = t.left < b.right && b.left < t.right && t.top < b.bottom && b.top < t.bottom;
      assert(!overlap, `the toggle (${t.left}–${t.right}, ${t.top}–${t.bottom}) overlaps the ${part} (${b.left}–${b.right}, ${b.top}–${b.bottom})`);
    }
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    it(`leaves no wide gap around a user bubble at ${width}x${height}, its actions still in reach`, async () => {
      const el = await fullPage(width, height, { history: [...tourTurn, ...tourResumed] as AgentEvent[] }, false);
      const root = el.shadowRoot!;
      const user = root.querySelector<HTMLElement>('.message.user')!;
      user.scrollIntoView({ block: 'center' });
      await nextFrame();
      const bubble = box(user.querySelector('[part~="bubble"]')!);
      const next = box(user.nextElementSibling!);
      assert(next.top - bubble.bottom <= 24, `${(next.top - bubble.bottom).toFixed(0)} px between the user bubble and the answer (at most 24)`);

      const copy = user.querySelector<HTMLButtonElement>('[data-action="copy"]')!;
      copy.focus({ preventScroll: true });
      await new Promise((r) => setTimeout(r, 300));
      // The transcript may have followed late growth (highlighted code) to the bottom: bring the message back.
      user.scrollIntoView({ block: 'center' });
      const c = box(copy);
      const under = box(user.querySelector('[part~="bubble"]')!);
      assert(c.top >= under.bottom - 1 && c.right <= under.right + 1, 'the actions sit under the bubble');
      const hit = root.elementFromPoint(c.left + c.width / 2, c.top + c.height / 2);
      assert(hit?.closest('button') === copy, `the focused Copy button (${JSON.stringify(c)}) is on top, not covered by ${hit?.outerHTML.slice(0, 80)}`);
      assertEqual(getComputedStyle(copy.closest('.actions')!).opacity, '1', 'shown while focused');
    });
  }
});
