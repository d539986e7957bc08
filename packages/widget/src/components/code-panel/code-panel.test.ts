import { sendKeys } from '@web/test-runner-commands';
import type { ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import { manyApprovals, stateOf, tourComplete } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, assertMatch } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AgentChatInputEditEvent } from '../../events/input-edit-event.js';
import type { AgentChatPanelPinEvent } from '../../events/panel-pin-event.js';

const state = stateOf(manyApprovals);
const callOf = (events: Parameters<typeof stateOf>[0], name: string) =>
  stateOf(events).messages.flatMap((m) => m.parts).find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === name)!;
const next = <E extends Event>(el: EventTarget, type: string) =>
  new Promise<E>((resolve) => el.addEventListener(type, (e) => resolve(e as E), { once: true }));

async function editor(el: HTMLElement & { startEditing(): Promise<void> }, text: string): Promise<void> {
  await el.startEditing();
  const area = el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="editor"]')!;
  area.select();
  await sendKeys({ press: 'Backspace' });
  area.value = text;
  area.dispatchEvent(new InputEvent('input'));
  await (el as unknown as { updateComplete: Promise<void> }).updateComplete;
}

describe('<agent-chat-code-panel>', () => {
  afterEach(cleanup);

  it('shows a finished call’s output, switches to its input, and pins', async () => {
    const el = await mount('agent-chat-code-panel', { call: callOf(tourComplete, 'list_files'), following: true }, 'height: 400px');
    assertMatch(el.shadowRoot!.querySelector('[data-output]')!.textContent!, /"numbers.txt"/, 'output first');
    assert(el.shadowRoot!.querySelector('.following'), 'following label');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-view="input"]')!.click();
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelector('[data-input]')!.textContent, '{\n  "path": "."\n}', 'input');
    const pinned = next<AgentChatPanelPinEvent>(el, 'agent-chat-panel-pin');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-pin]')!.click();
    assertEqual((await pinned).detail.toolCallId, callOf(tourComplete, 'list_files').toolCallId, 'pin event');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  for (const width of [240, 288, 340, 390]) {
    it(`keeps Pin and Close in view in a ${width} px panel`, async () => {
      const approval = state.pendingApprovals.find((p) => p.toolCallId === 'call-w')!;
      for (const props of [
        { call: callOf(manyApprovals, 'write_file'), approval, pinned: true, edited: true, editedInput: { path: 'x', content: 'y' } },
        { call: { ...callOf(tourComplete, 'list_files'), name: 'a_tool_with_a_rather_long_name' }, following: true },
      ]) {
        const el = await mount('agent-chat-code-panel', props, `width: ${width}px; height: 400px; display: block`);
        const right = el.getBoundingClientRect().right;
        for (const selector of ['[data-pin]', '[data-close]', '[data-view="output"]']) {
          const b = el.shadowRoot!.querySelector(selector)!.getBoundingClientRect();
          assert(b.width > 0 && b.right <= right + 0.5, `${selector} ends inside the panel (${b.right.toFixed(0)} > ${right.toFixed(0)})`);
        }
        // The state and a short name are cut last: the "following" note and "(edited)" give way first.
        if (width >= 390) {
          for (const selector of ['.header .badge', '.header .name']) {
            const text = el.shadowRoot!.querySelector<HTMLElement>(selector)!;
            if (text.textContent!.length > 20) continue;
            assert(text.scrollWidth <= text.clientWidth, `"${text.textContent}" is shown whole at ${width} px`);
          }
        }
        el.remove();
      }
    });
  }

  it('renders a research report as safe markdown, other string output as text', async () => {
    const el = await mount('agent-chat-code-panel', { call: callOf(tourComplete, 'research') }, 'height: 500px');
    const report = el.shadowRoot!.querySelector('[data-output]')!;
    assertEqual(report.querySelector('h2')?.textContent, 'Word counter', 'a heading, not "## Word counter"');
    assert(report.querySelectorAll('li').length >= 3, 'a list');
    assert(!report.textContent!.includes('## '), 'no raw markdown');

    const research = callOf(tourComplete, 'research');
    el.call = {
      ...research,
      output: '# Findings\n\n<img src=x onerror="window.__pwnedByReport = 1">\n\n[click](javascript:alert(1)) <script>window.__pwnedByReport = 2</script>',
    };
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 50));
    const hostile = el.shadowRoot!.querySelector('[data-output]')!;
    assertEqual(hostile.querySelector('h1')?.textContent, 'Findings', 'markdown rendered');
    assertEqual(hostile.querySelectorAll('img, script, [onerror]').length, 0, 'raw HTML stays text');
    assertEqual(hostile.querySelectorAll('a[href^="javascript:"]').length, 0, 'no javascript: link');
    assert(hostile.textContent!.includes('<img src=x'), 'the HTML shows as text');
    assertEqual((window as { __pwnedByReport?: number }).__pwnedByReport, undefined, 'nothing ran');

    el.call = callOf(tourComplete, 'read_file');
    await el.updateComplete;
    const text = el.shadowRoot!.querySelector('[data-output]')!;
    assertEqual(text.tagName, 'PRE', 'a plain tool output stays text');
  });

  it('validates an edited input: JSON first, then the tool’s schema, then reports it with a diff', async () => {
    const approval = state.pendingApprovals.find((p) => p.toolCallId === 'call-w')!;
    const el = await mount('agent-chat-code-panel', { call: callOf(manyApprovals, 'write_file'), approval }, 'height: 500px');

    await editor(el, '{ "path": ');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-save]')!.click();
    await el.updateComplete;
    assertMatch(el.shadowRoot!.querySelector('[part~="validation"]')!.textContent!, /Not valid JSON/, 'JSON error');

    await editor(el, JSON.stringify({ path: '', content: 1, extra: true }));
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-save]')!.click();
    await el.updateComplete;
    const issues = el.shadowRoot!.querySelector('[part~="validation"]')!.textContent!;
    assertMatch(issues, /\/path must have at least 1 characters/, 'minLength');
    assertMatch(issues, /\/content must be string/, 'type');
    assertMatch(issues, /\/extra is not allowed/, 'additionalProperties');
    assertEqual(el.shadowRoot!.querySelector('[part~="editor"]')!.getAttribute('aria-invalid'), 'true', 'aria-invalid');

    const edited = { path: 'notes/summary.md', content: '# Summary\n\n- tests written\n- reviewed\n- shipped\n' };
    await editor(el, JSON.stringify(edited, null, 2));
    const diffLines = [...el.shadowRoot!.querySelectorAll('[part~="diff"] [data-diff]')].map((l) => l.getAttribute('data-diff'));
    assert(diffLines.includes('add') && diffLines.includes('remove'), 'live diff while editing');
    const saved = next<AgentChatInputEditEvent>(el, 'agent-chat-input-edit');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-save]')!.click();
    const { detail } = await saved;
    assertEqual(JSON.stringify(detail), JSON.stringify({ toolCallId: 'call-w', input: edited, action: 'save' }), 'event');

    // The owner marks it edited: the panel shows the badge and keeps the diff.
    el.edited = true;
    el.editedInput = edited;
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelector('[data-edited]')!.textContent, '(edited)', 'badge');
    assert(el.shadowRoot!.querySelector('[part~="diff"] [data-diff="add"]')!.textContent!.includes('reviewed'), 'diff shows the added line');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });
});
