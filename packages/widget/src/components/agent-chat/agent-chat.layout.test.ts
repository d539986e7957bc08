import { ChatClient } from '@agent-chat/core';
import '../../define.js';
import { tourTurn } from '../../__fixtures__/scenarios.js';
import { createMockFetch } from '../../testing/mock-fetch.js';
import { assert, deepQuery, waitFor } from '../../test-support/assert.js';
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
