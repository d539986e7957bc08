import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import { manyApprovals, stateOf } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, deepActiveElement } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AgentChatApproveEvent } from '../../events/approve-event.js';
import type { AgentChatToolSelectEvent } from '../../events/tool-select-event.js';

const pending = () => stateOf(manyApprovals).pendingApprovals;
const next = <E extends Event>(el: EventTarget, type: string) =>
  new Promise<E>((resolve) => el.addEventListener(type, (e) => resolve(e as E), { once: true }));

describe('<agent-chat-approvals>', () => {
  afterEach(cleanup);

  it('approves all at once', async () => {
    const el = await mount('agent-chat-approvals', { approvals: pending() });
    assertEqual(el.shadowRoot!.querySelector('[part~="approvals-header"] .title')!.textContent, '3 tool calls need your approval');
    const approved = next<AgentChatApproveEvent>(el, 'agent-chat-approve');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="approve-all"]')!.click();
    const { approvals } = (await approved).detail;
    assertEqual(approvals.map((a) => `${a.toolCallId}:${a.decision}`).join(','), 'call-w:approve,call-d:approve,call-m:approve');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('rejects all with each call’s feedback', async () => {
    const el = await mount('agent-chat-approvals', { approvals: pending() });
    const feedback = el.shadowRoot!.querySelector<HTMLInputElement>('[data-tool-call-id="call-d"] [part~="feedback"]')!;
    feedback.focus();
    await sendKeys({ type: 'keep the draft' });
    const rejected = next<AgentChatApproveEvent>(el, 'agent-chat-approve');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="reject-all"]')!.click();
    const { approvals } = (await rejected).detail;
    assertEqual(JSON.stringify(approvals.find((a) => a.toolCallId === 'call-d')), '{"toolCallId":"call-d","decision":"reject","feedback":"keep the draft"}');
    assert(approvals.every((a) => a.decision === 'reject'), 'all rejected');
  });

  it('holds per-call decisions until every call is decided, keyboard only, with edited input', async () => {
    const edits = new Map<string, unknown>([['call-w', { path: 'notes/summary.md', content: 'edited' }]]);
    const el = await mount('agent-chat-approvals', { approvals: pending(), edits });
    assertEqual(el.shadowRoot!.querySelector('[data-tool-call-id="call-w"] [part~="edited-badge"]')?.textContent, '(edited)', 'edited badge');
    let fired = 0;
    el.addEventListener('agent-chat-approve', () => fired++);
    const done = next<AgentChatApproveEvent>(el, 'agent-chat-approve');

    assert(await el.focusFirst(), 'focus moved');
    assertEqual((deepActiveElement() as HTMLElement).closest('[data-tool-call-id]')!.getAttribute('data-tool-call-id'), 'call-w', 'first call');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    assertEqual(fired, 0, 'nothing sent after one decision');
    assertEqual(el.shadowRoot!.querySelector('[data-tool-call-id="call-w"] .decision')!.textContent, 'Will approve', 'decision shown');
    // Focus moved on to the next undecided call's Approve; Shift+Tab goes back to its Reject.
    await new Promise((r) => requestAnimationFrame(r));
    assertEqual((deepActiveElement() as HTMLElement).closest('[data-tool-call-id]')!.getAttribute('data-tool-call-id'), 'call-d', 'next call');
    await sendKeys({ press: 'Shift+Tab' });
    assertEqual(deepActiveElement()!.getAttribute('part'), 'reject-button', 'reject reached by keyboard');
    await sendKeys({ press: 'Enter' });
    await new Promise((r) => requestAnimationFrame(r));
    await sendKeys({ press: 'Enter' });
    const { approvals } = (await done).detail;
    assertEqual(fired, 1, 'sent once');
    assertEqual(JSON.stringify(approvals), JSON.stringify([
      { toolCallId: 'call-w', decision: 'approve', input: { path: 'notes/summary.md', content: 'edited' } },
      { toolCallId: 'call-d', decision: 'reject' },
      { toolCallId: 'call-m', decision: 'approve' },
    ]));
  });

  it('asks to edit a call’s input in the code panel, and disables everything while busy', async () => {
    const el = await mount('agent-chat-approvals', { approvals: pending() });
    const edit = next<AgentChatToolSelectEvent>(el, 'agent-chat-tool-select');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-tool-call-id="call-m"] [part~="edit-button"]')!.click();
    const { detail } = await edit;
    assertEqual(`${detail.toolCallId}:${detail.edit}`, 'call-m:true');
    el.busy = true;
    await el.updateComplete;
    assert([...el.shadowRoot!.querySelectorAll('button')].every((b) => b.disabled), 'all disabled');
  });
});
