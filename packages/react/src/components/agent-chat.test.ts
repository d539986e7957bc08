import { createElement, createRef, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import * as widget from '@agent-chat/widget';
import type {
  AgentChat as AgentChatElement,
  AgentChatApproveEvent,
  AgentChatSendEvent,
  AgentChatTurnCompleteEvent,
} from '@agent-chat/widget';
import * as bindings from '../index.js';
import { AgentChat } from '../index.js';
import { assert, assertEqual, assertMatch, deepQuery, deepText, waitFor } from '../test-support/assert.js';

/*
 * The React components against a real agent-chat server (the demo agent, 3 ms
 * per chunk) that web-test-runner.react.config.mjs mounts under /api.
 */

let host: HTMLElement;
let root: Root;

function render(node: Parameters<Root['render']>[0]): void {
  flushSync(() => root.render(createElement(StrictMode, null, node)));
}

function assistantText(el: AgentChatElement): string {
  return el.conversation.messages
    .filter((m) => m.role === 'assistant')
    .flatMap((m) => m.parts.map((p) => (p.type === 'text' ? p.text : '')))
    .join('');
}

/** Element classes the widget exports, by export name. */
const elementClasses = (Object.entries(widget) as [string, unknown][]).filter(
  (entry): entry is [string, CustomElementConstructor] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof HTMLElement,
);

describe('React components', () => {
  beforeEach(() => {
    localStorage.clear();
    host = document.createElement('div');
    host.style.height = '500px';
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    root.unmount();
    host.remove();
  });

  it('wraps every element the widget exports, under the name of its class, registering its tag', () => {
    assert(elementClasses.length > 0, 'the widget exports elements');
    for (const [name, elementClass] of elementClasses) {
      const component = (bindings as Record<string, unknown>)[name] as { $$typeof?: symbol; displayName?: string } | undefined;
      assert(component?.$$typeof !== undefined, `@agent-chat/react exports a component for ${name}`);
      assertEqual(component.displayName, name, `${name}'s display name`);
      render(createElement(component as never, {}));
      const element = host.firstElementChild!;
      assert(element instanceof elementClass, `<${element.localName}> is a ${name}`);
      assertEqual(customElements.get(element.localName), elementClass, `<${element.localName}> is registered`);
    }
  });

  it('<AgentChat> sets props as properties and streams a demo turn with typed event handlers', async () => {
    const ref = createRef<AgentChatElement>();
    const sent: AgentChatSendEvent[] = [];
    const approved: AgentChatApproveEvent[] = [];
    const completed: AgentChatTurnCompleteEvent[] = [];
    const errors: unknown[] = [];
    const strings = { inputPlaceholder: 'Ask the demo agent' };
    render(
      createElement(AgentChat, {
        ref,
        endpoint: '/api',
        theme: 'dark',
        strings,
        className: 'chat',
        onSend: (event) => sent.push(event),
        onApprove: (event) => approved.push(event),
        onTurnComplete: (event) => completed.push(event),
        onError: (event) => errors.push(event.detail),
      }),
    );

    const el = ref.current!;
    assert(el instanceof widget.AgentChat, 'the ref is the <agent-chat> element');
    assertEqual(el.endpoint, '/api', 'endpoint is set as a property');
    assertEqual(el.theme, 'dark', 'theme is set as a property');
    assertEqual(el.strings, strings, 'an object prop reaches the element as is');
    assert(el.classList.contains('chat'), 'className becomes class');
    await waitFor(() => el.conversation.sessionId && deepQuery<HTMLTextAreaElement>(el, 'textarea:not([disabled])'), 'the session');

    // A typed handler can veto: nothing is sent.
    render(createElement(AgentChat, { ref, endpoint: '/api', onSend: (event) => event.preventDefault() }));
    assertEqual(await el.send('vetoed'), false, 'a cancelled agent-chat-send sends nothing');
    assertEqual(el.conversation.messages.length, 0, 'no message after a veto');

    // The handlers are swapped in place on re-render: no stale listener, same element.
    render(
      createElement(AgentChat, {
        ref,
        endpoint: '/api',
        onSend: (event) => sent.push(event),
        onApprove: (event) => approved.push(event),
        onTurnComplete: (event) => completed.push(event),
        onError: (event) => errors.push(event.detail),
      }),
    );
    assertEqual(ref.current, el, 'the same element survives the re-render');

    // Every distinct length the answer takes, one look per frame.
    const lengths: number[] = [];
    let watching = true;
    const watch = () => {
      const length = assistantText(el).length;
      if (length > 0 && length !== lengths.at(-1)) lengths.push(length);
      if (watching) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);

    const turn = el.send('Hello from React');
    const approveButton = await waitFor(
      () => deepQuery<HTMLButtonElement>(el, 'button[data-approve]'),
      'the approval request',
      15_000,
    );
    await turn;
    watching = false;
    assertEqual(sent.length, 1, 'onSend fired once');
    assertEqual(sent[0]!.detail.text, 'Hello from React', 'onSend carries the text');
    assert(lengths.length >= 3, `the answer streamed in over several frames (${lengths.join(', ')})`);
    assertMatch(deepText(el), /Hello from the demo agent/, 'the answer is rendered');

    approveButton.click();
    await waitFor(() => completed.length === 1, 'onTurnComplete', 15_000);
    assertEqual(approved.length, 1, 'onApprove fired once');
    assertEqual(approved[0]!.detail.approvals[0]?.decision, 'approve', 'onApprove carries the decision');
    assertEqual(completed[0]!.detail.stopReason, 'end_turn', 'onTurnComplete carries the stop reason');
    await waitFor(() => el.conversation.status === 'idle', 'the turn to be over');
    await waitFor(() => /That was the whole tour/.test(deepText(el)), 'the end of the answer');
    assertEqual(errors.length, 0, 'no error');
  });
});
