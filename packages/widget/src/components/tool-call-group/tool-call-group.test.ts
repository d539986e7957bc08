import type { ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import { stateOf, toolError, tourComplete, editedApproval, manyApprovals } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, assertMatch } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';

const callsOf = (events: Parameters<typeof stateOf>[0]) =>
  stateOf(events).messages.flatMap((m) => m.parts).filter((p): p is ToolCallPart => p.type === 'tool_call');

describe('<agent-chat-tool-group>', () => {
  afterEach(cleanup);

  for (const dir of ['ltr', 'rtl'])
    for (const width of [320, 700]) {
      it(`keeps the state and the chevron clear of the open-in-panel button (${dir}, ${width} px)`, async () => {
        const el = await mount('agent-chat-tool-group', { calls: callsOf(tourComplete) }, `width: ${width}px`);
        el.setAttribute('dir', dir);
        await el.updateComplete;
        for (const card of el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tool-call"]')) {
          const open = card.querySelector('[part~="open-panel"]')!.getBoundingClientRect();
          const outer = card.getBoundingClientRect();
          assert(outer.right - open.right <= 12 ? dir === 'ltr' : dir === 'rtl', `the open button is at the ${dir === 'ltr' ? 'right' : 'left'}`);
          for (const selector of ['[part~="badge"]', '.chevron']) {
            const b = card.querySelector(selector)!.getBoundingClientRect();
            const overlap = b.left < open.right && open.left < b.right && b.top < open.bottom && open.top < b.bottom;
            assert(!overlap, `${selector} (${b.left.toFixed(0)}–${b.right.toFixed(0)}) is under the open button (${open.left.toFixed(0)}–${open.right.toFixed(0)})`);
          }
        }
      });
    }

  it('shows each call with name, state badge, and pretty-printed JSON input and output', async () => {
    const calls = callsOf(tourComplete);
    const el = await mount('agent-chat-tool-group', { calls });
    const cards = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tool-call"]');
    assertEqual(cards.length, calls.length, 'one card per call');
    const calc = [...cards].find((c) => c.querySelector('.tool-name')!.textContent === 'calculate')!;
    assertEqual(calc.dataset.state, 'done', 'state');
    assertEqual(calc.querySelector('[part~="badge"]')!.textContent!.trim(), 'Done', 'badge');
    assertEqual(calc.querySelector('[part~="tool-input"] pre')!.textContent, '{\n  "expression": "(17 + 25) * 2"\n}', 'input JSON');
    assertMatch(calc.querySelector('[part~="tool-output"] pre')!.textContent!, /"result": 84/, 'output JSON');
    const details = calc.querySelector('details')!;
    assertEqual(details.open, false, 'done calls start collapsed');
    calc.querySelector('summary')!.click();
    assertEqual(details.open, true, 'the header expands it');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('shows errors open and in red, and cuts long output with "Show more"', async () => {
    const el = await mount('agent-chat-tool-group', { calls: callsOf(toolError) });
    const [failed, long] = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tool-call"]');
    assertEqual(failed!.dataset.state, 'error', 'error state');
    assert(failed!.querySelector('details')!.open, 'a failed call is open');
    assert(failed!.querySelector('[part~="tool-output"] pre.error'), 'error output styled');
    const pre = () => long!.querySelector('[part~="tool-output"] pre')!.textContent!;
    const cut = pre();
    assert(cut.endsWith('…'), 'long output is cut');
    const button = long!.querySelector<HTMLButtonElement>('[part~="show-more"]')!;
    assertEqual(button.getAttribute('aria-expanded'), 'false', 'collapsed');
    button.click();
    await el.updateComplete;
    assert(pre().length > cut.length && !pre().endsWith('…'), 'all of it after Show more');
    assertMatch(pre(), /file-39\.yaml/, 'the end of the output');
    assertEqual(long!.querySelector('[part~="show-more"]')!.textContent!.trim(), 'Show less', 'toggle');
  });

  it('marks edited inputs and asks to open a call in the code panel', async () => {
    const calls = callsOf(editedApproval);
    const el = await mount('agent-chat-tool-group', { calls });
    const write = el.shadowRoot!.querySelector<HTMLElement>('[data-tool-call-id="call-w"]')!;
    assertEqual(write.querySelector('[part~="edited-badge"]')?.textContent, '(edited)', 'edited badge');
    assertEqual(el.shadowRoot!.querySelectorAll('[part~="edited-badge"]').length, 1, 'only the edited call');
    const selected = new Promise<AgentChatToolSelectEvent>((r) => el.addEventListener('agent-chat-tool-select', r, { once: true }));
    const open = write.querySelector<HTMLButtonElement>('[part~="open-panel"]')!;
    assertEqual(open.getAttribute('aria-label'), 'Open write_file in the code panel', 'labelled');
    open.click();
    assertEqual((await selected).detail.toolCallId, 'call-w', 'event');
  });

  it('shows a pending call with the input the user edited, marked "(edited)", until it is decided', async () => {
    const calls = callsOf(manyApprovals);
    const edited = { path: 'notes/renamed.md', content: '# Edited by the user\n' };
    const el = await mount('agent-chat-tool-group', { calls, edits: new Map([['call-w', edited]]) });
    const write = el.shadowRoot!.querySelector<HTMLElement>('[data-tool-call-id="call-w"]')!;
    assertEqual(write.querySelector('[part~="edited-badge"]')?.textContent, '(edited)', 'the card says edited');
    assertEqual(write.querySelector('[part~="tool-input"] pre')!.textContent, JSON.stringify(edited, null, 2), 'the card shows the edited input');
    assertMatch(write.querySelector('.tool-summary')!.textContent!, /renamed\.md/, 'the summary is of the edited input');
    assertEqual(el.shadowRoot!.querySelectorAll('[part~="edited-badge"]').length, 1, 'only the edited call');

    // Reset (no edit any more): the model's input again.
    el.edits = new Map();
    await el.updateComplete;
    assertEqual(write.querySelector('[part~="edited-badge"]'), null, 'no mark after reset');
    assertMatch(write.querySelector('[part~="tool-input"] pre')!.textContent!, /notes\/summary\.md/, 'the original input');

    // An edit of a call no longer waiting (decided, or stale) does not override what the call ran with.
    const done = callsOf(tourComplete).find((c) => c.name === 'calculate')!;
    el.calls = [done];
    el.edits = new Map([[done.toolCallId, { expression: '1 + 1' }]]);
    await el.updateComplete;
    const card = el.shadowRoot!.querySelector<HTMLElement>(`[data-tool-call-id="${done.toolCallId}"]`)!;
    assertMatch(card.querySelector('[part~="tool-input"] pre')!.textContent!, /17 \+ 25/, 'a finished call shows what it ran with');
    assertEqual(card.querySelector('[part~="edited-badge"]'), null, 'no mark');
  });

  it('renders a research report as safe markdown, cut like other output; other string output stays text', async () => {
    const calls = callsOf(tourComplete);
    const el = await mount('agent-chat-tool-group', { calls });
    const research = calls.find((c) => c.name === 'research')!;
    const card = el.shadowRoot!.querySelector<HTMLElement>(`[data-tool-call-id="${research.toolCallId}"]`)!;
    const output = () => card.querySelector<HTMLElement>('[part~="tool-output"] .report')!;
    assertEqual(output().querySelector('h2')?.textContent, 'Word counter', 'a heading, not "## Word counter"');
    assert(output().querySelectorAll('li').length >= 3, 'a list');
    assert(!output().textContent!.includes('## '), 'no raw markdown');
    const read = calls.find((c) => c.name === 'read_file')!;
    assertEqual(el.shadowRoot!.querySelector(`[data-tool-call-id="${read.toolCallId}"] [part~="tool-output"] pre`)?.textContent, '1 2 3 5 8 13\n', 'plain string output stays text');

    // Hostile and long: raw HTML stays text, no script link, cut with Show more, whole after it.
    const sections = Array.from({ length: 40 }, (_, i) => `## Section ${i}\n\nLine ${i} of the report.`).join('\n\n');
    el.calls = [{ ...research, output: `# Findings\n\n<img src=x onerror="window.__pwnedByCard = 1">\n\n[click](javascript:alert(1))\n\n${sections}` }];
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    assertEqual(output().querySelector('h1')?.textContent, 'Findings', 'rendered');
    assertEqual(output().querySelectorAll('img, script, [onerror]').length, 0, 'raw HTML stays text');
    assertEqual(output().querySelectorAll('a[href^="javascript:"]').length, 0, 'no javascript: link');
    assertEqual((window as { __pwnedByCard?: number }).__pwnedByCard, undefined, 'nothing ran');
    assert(!output().textContent!.includes('Section 39'), 'a long report is cut');
    const more = card.querySelector<HTMLButtonElement>('[part~="show-more"]')!;
    assertEqual(more.getAttribute('aria-expanded'), 'false', 'Show more offered');
    more.click();
    await el.updateComplete;
    assertEqual(output().querySelectorAll('h2').length, 40, 'all of it after Show more');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });
  it('loads a remote image held back in a research report when its placeholder is clicked', async () => {
    const research = callsOf(tourComplete).find((c) => c.name === 'research')!;
    const el = await mount('agent-chat-tool-group', { calls: [{ ...research, output: '# Findings\n\n![chart](http://images.invalid/chart.png)' }] });
    const report = () => el.shadowRoot!.querySelector<HTMLElement>('[part~="tool-output"] .report')!;
    assertEqual(report().querySelector('img'), null, 'nothing loads before the click');
    const button = report().querySelector<HTMLButtonElement>('button[part~="load-image"]');
    assert(button !== null, 'a placeholder');
    button!.click();
    const img = report().querySelector('img');
    assertEqual(img?.getAttribute('src'), 'http://images.invalid/chart.png', 'the image after the click');
    assertEqual(img?.getAttribute('alt'), 'chart', 'its alt text');
  });
});
