import { assert, assertEqual } from './test-support/assert.js';

/*
 * The prebuilt bundle's entry in a page (web-test-runner serves it as modules,
 * not bundled; the built bundle's files are checked in define-bundle.node.test.ts).
 */

describe('the prebuilt bundle’s entry (define-bundle.ts)', () => {
  it('defines <agent-chat> at once, a lazy part found in the page soon, the others on ensureDefined', async () => {
    // Written in the page before the bundle runs, as in a page's HTML.
    const approvals = document.createElement('agent-chat-approvals');
    document.body.append(approvals);
    assertEqual(customElements.get('agent-chat-approvals'), undefined, 'nothing defined before the import');

    const bundle = await import('./define-bundle.js');
    assert(customElements.get('agent-chat') === bundle.AgentChat, '<agent-chat> at once');
    assertEqual(customElements.get('agent-chat-sessions'), undefined, '<agent-chat-sessions> on first need');
    assert(customElements.get('agent-chat-messages') === bundle.AgentChatMessages, 'the parts <agent-chat> always shows, at once');
    assertEqual(customElements.get('agent-chat-tool-group'), undefined, 'the tool cards on first need');
    assertEqual(customElements.get('agent-chat-code-panel'), undefined, 'the code panel on first need');
    assert(
      !('AgentChatApprovals' in bundle) && !('AgentChatCodePanel' in bundle) && !('AgentChatSessions' in bundle) && !('AgentChatToolGroup' in bundle),
      'the lazy classes are not exported',
    );

    const Approvals = await customElements.whenDefined('agent-chat-approvals');
    assert(approvals instanceof Approvals && approvals.shadowRoot, 'the panel written in the page is upgraded');
    assertEqual(customElements.get('agent-chat-research'), undefined, 'what the page does not use stays undefined');

    const CodePanel = await bundle.ensureDefined('agent-chat-code-panel');
    assert(CodePanel && customElements.get('agent-chat-code-panel') === CodePanel, 'ensureDefined defines it and gives the class');
    const panel = document.createElement('agent-chat-code-panel');
    document.body.append(panel);
    await panel.updateComplete;
    assert(panel.shadowRoot?.querySelector('[part~="panel"]'), 'and it renders');
    const Sessions = await bundle.ensureDefined('agent-chat-sessions');
    assert(Sessions && customElements.get('agent-chat-sessions') === Sessions, 'the sessions sidebar on ensureDefined');
    const ToolGroup = await bundle.ensureDefined('agent-chat-tool-group');
    assert(ToolGroup && customElements.get('agent-chat-tool-group') === ToolGroup, 'the tool cards on ensureDefined');
    approvals.remove();
    panel.remove();
  });
});
