import type { AgUiChatClient } from '@agent-chat/core/ag-ui';
import type { AgentChatClient } from '../client.js';

/**
 * The client of `<agent-chat protocol="ag-ui">`: core's `AgUiChatClient` for
 * the AG-UI run URL `url`, whose code (`@agent-chat/core/ag-ui`, in
 * ag-ui-part.ts) is fetched on the first call, so a page without an AG-UI
 * agent never loads it. It offers only what `ChatSession` needs: no health,
 * undo, truncate, models or sessions list, so the element hides those controls.
 */
export function lazyAgUiClient(url: string): AgentChatClient {
  let loaded: Promise<AgUiChatClient> | undefined;
  const load = () => (loaded ??= import('./ag-ui-part.js').then((m) => new m.AgUiChatClient({ url })));
  const client: Record<string, unknown> = {};
  for (const name of ['createSession', 'getMessages', 'interrupt'] as const) {
    client[name] = async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  }
  for (const name of ['send', 'sendApprovals', 'subscribe'] as const) {
    // Streams: the request starts (and the code loads) when the session reads them.
    client[name] = async function* (...args: unknown[]) {
      yield* ((await load())[name] as (...a: unknown[]) => AsyncGenerator)(...args);
    };
  }
  return client as unknown as AgentChatClient;
}
