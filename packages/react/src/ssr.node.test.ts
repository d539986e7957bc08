import { createElement, Fragment } from 'react';
import { renderToString } from 'react-dom/server';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentChat, useAgentChat } from './index.js';

/** Globals that exist only in browsers: reading any of them on a server is a bug. */
const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'location', 'navigator', 'HTMLElement', 'requestAnimationFrame'];

describe('server-side rendering (Node)', () => {
  const touched: string[] = [];
  const fetched: string[] = [];
  const saved = new Map<string, PropertyDescriptor | undefined>();

  beforeEach(() => {
    touched.length = 0;
    fetched.length = 0;
    for (const name of [...BROWSER_GLOBALS, 'fetch']) {
      saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get() {
          if (name === 'fetch') {
            return (input: unknown) => {
              fetched.push(String(input));
              return Promise.reject(new Error('no network while rendering on a server'));
            };
          }
          touched.push(name);
          return undefined;
        },
      });
    }
  });

  afterEach(() => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  });

  function Page() {
    const chat = useAgentChat({ endpoint: '/api' });
    return createElement(
      Fragment,
      null,
      createElement('p', { id: 'status' }, chat.status),
      createElement(AgentChat, { endpoint: '/api', theme: 'dark', className: 'chat', onSend: () => {} }),
    );
  }

  it('renders the component and the hook to a string without browser globals or requests', () => {
    const html = renderToString(createElement(Page));
    expect(html).toContain('<p id="status">connecting</p>');
    expect(html).toMatch(/<agent-chat[^>]*class="chat"[^>]*><\/agent-chat>/);
    expect(html).not.toContain('onSend');
    expect(touched).toEqual([]);
    expect(fetched).toEqual([]);
  });

  it('imports the built package and renders it in a fresh Node process without reading a browser global', () => {
    // A child process, so that the whole module graph (Lit, the widget, core) loads with the traps in place.
    // Loading may feature-detect (\`typeof document\`: Lit, DOMPurify, the widget's registration, which
    // then does nothing); rendering must not read any of them.
    const script = `
      const reads = [];
      let phase = 'import';
      for (const name of ${JSON.stringify(BROWSER_GLOBALS)}) {
        Object.defineProperty(globalThis, name, {
          configurable: true,
          get() {
            reads.push({ name, phase });
            return undefined;
          },
        });
      }
      const { createElement } = await import('react');
      const { renderToString } = await import('react-dom/server');
      const { AgentChat, useAgentChat } = await import('@agent-chat/react');
      phase = 'render';
      function Page() {
        const chat = useAgentChat({ endpoint: '/api' });
        return createElement('main', { 'data-status': chat.status }, createElement(AgentChat, { endpoint: '/api' }));
      }
      const html = renderToString(createElement(Page));
      console.log(JSON.stringify({ reads, html }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      reads: { name: string; phase: string }[];
      html: string;
    };
    // Without a DOM the widget registers nothing, so React renders the props it cannot route as attributes.
    expect(result.html).toMatch(/^<main data-status="connecting"><agent-chat( endpoint="\/api")?><\/agent-chat><\/main>$/);
    expect(result.reads.filter((read) => read.phase === 'render')).toEqual([]);
  });
});
