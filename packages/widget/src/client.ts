import type { ChatClient, ChatSessionClient, RequestOptions } from '@agent-chat/core';

/** A model the server offers (`GET {endpoint}/config/model`). */
export interface ModelOption {
  id: string;
  label: string;
  provider?: string;
  recommended?: boolean;
}

/** What the server supports, from `GET {endpoint}/health`'s `features`. Missing means false. */
export interface ServerFeatures {
  undo: boolean;
  truncate: boolean;
  compact: boolean;
  models: boolean;
  attachments: boolean;
}

export const NO_FEATURES: ServerFeatures = Object.freeze({
  undo: false,
  truncate: false,
  compact: false,
  models: false,
  attachments: false,
});

/**
 * What the elements need from a client: core's {@link ChatClient} or anything
 * shaped like it (a mock transport in Storybook, a proxy in a host app). That
 * is what core's `ChatSession` needs (`ChatSessionClient`, with optional `undo`
 * and `truncate`), plus listing and deleting sessions for `<agent-chat-sessions>`.
 * The optional methods belong to newer servers; each is feature-detected, and the
 * UI it drives (undo, edit-and-regenerate, model selector) stays hidden without it.
 */
export type AgentChatClient = ChatSessionClient &
  Pick<ChatClient, 'listSessions' | 'deleteSession'> & {
    health?(options?: RequestOptions): Promise<{ features?: Partial<ServerFeatures> }>;
    getModelConfig?(options?: RequestOptions): Promise<{ model: string | null; models: ModelOption[] }>;
    setSessionModel?(id: string, model: string, options?: RequestOptions): Promise<unknown>;
  };

/** The server's features, false for anything the client cannot do or the server does not say. */
export async function detectFeatures(client: AgentChatClient, signal?: AbortSignal): Promise<ServerFeatures> {
  if (typeof client.health !== 'function') return NO_FEATURES;
  const reported = (await client.health({ signal })).features ?? {};
  return {
    undo: reported.undo === true && typeof client.undo === 'function',
    truncate: reported.truncate === true && typeof client.truncate === 'function',
    compact: reported.compact === true,
    models: reported.models === true && typeof client.getModelConfig === 'function',
    attachments: reported.attachments === true,
  };
}
