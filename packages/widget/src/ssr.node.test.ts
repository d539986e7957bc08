import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Importing the package in Node, as Next.js or Astro do while rendering a page
 * on the server, must not touch `window`, `document` or `customElements`, and
 * must register nothing. Runs against the BUILT package (npm run build -w @agent-chat/widget).
 */
// \`customElements\` is not trapped: Lit's Node build installs its own shim of it
// (@lit-labs/ssr-dom-shim); the tests check that nothing is registered in it.
const watched = ['window', 'document', 'localStorage', 'navigator', 'requestAnimationFrame'] as const;
const touched: string[] = [];
const saved = new Map<string, PropertyDescriptor | undefined>();

beforeAll(() => {
  for (const name of watched) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        // Only reads by the widget's own code count: lit-html and DOMPurify
        // probe \`document\`, \`window\` and \`navigator\` (typeof checks) to pick
        // their server-side paths, which is what makes them SSR-safe.
        const caller = new Error().stack?.split('\n')[2] ?? '';
        if (caller.includes('/packages/widget/dist/')) touched.push(name);
        return undefined;
      },
    });
  }
});

afterAll(() => {
  for (const name of watched) {
    const descriptor = saved.get(name);
    if (descriptor) Object.defineProperty(globalThis, name, descriptor);
    else delete (globalThis as Record<string, unknown>)[name];
  }
});

describe('SSR-safe import', () => {
  it('importing the index touches no browser global and exports every element class', async () => {
    const widget = await import('../dist/index.js');
    expect(touched).toEqual([]);
    for (const name of ['AgentChat', 'AgentChatMessages', 'AgentChatComposer', 'AgentChatToolGroup', 'AgentChatApprovals', 'AgentChatResearch', 'AgentChatCodePanel', 'AgentChatStatus', 'AgentChatSessions']) {
      expect(typeof (widget as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(new widget.AgentChatSendEvent({ text: 'hi' }).detail.text).toBe('hi');
    expect(globalThis.customElements?.get('agent-chat')).toBeUndefined();
  });

  it('importing the registering module in Node registers nothing and does not throw', async () => {
    touched.length = 0;
    await expect(import('../dist/define.js')).resolves.toBeDefined();
    // Registration looks for a document (a browser) and stops there.
    expect(touched.filter((name) => name !== 'document')).toEqual([]);
    for (const tag of ['agent-chat', 'agent-chat-messages', 'agent-chat-sessions']) {
      expect(globalThis.customElements?.get(tag), tag).toBeUndefined();
    }
  });
});
