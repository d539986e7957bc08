import type { AttachmentLimits, ChatClient, ChatSession, ChatSessionClient, RequestOptions } from '@agent-chat/core';

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
  /** With `attachments`: the server's limits on files (`/health`'s `attachmentLimits`), checked before uploading. */
  attachmentLimits?: AttachmentLimits;
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
    health?(options?: RequestOptions): Promise<{ features?: Partial<ServerFeatures>; attachmentLimits?: AttachmentLimits }>;
    /** A `ChatClient`'s options: where and how attachments upload (core's `uploadAttachment`); without them files cannot be attached. */
    options?: ChatClient['options'];
    getModelConfig?(options?: RequestOptions): Promise<{ model: string | null; models: ModelOption[] }>;
    setSessionModel?(id: string, model: string, options?: RequestOptions): Promise<unknown>;
  };

/** The server's features, false for anything the client cannot do or the server does not say. */
export async function detectFeatures(client: AgentChatClient, signal?: AbortSignal): Promise<ServerFeatures> {
  if (typeof client.health !== 'function') return NO_FEATURES;
  const health = await client.health({ signal });
  const reported = health.features ?? {};
  return {
    undo: reported.undo === true && typeof client.undo === 'function',
    truncate: reported.truncate === true && typeof client.truncate === 'function',
    compact: reported.compact === true,
    models: reported.models === true && typeof client.getModelConfig === 'function',
    attachments: reported.attachments === true,
    attachmentLimits: health.attachmentLimits,
  };
}

/**
 * Where the attachment parts send and read files: what `<agent-chat>` gives
 * its composer and message list (`attachmentHost`). An app composing the
 * parts itself makes one from its client and `ChatSession`.
 */
export interface AttachmentHost {
  /** The client; uploads use its `options` (endpoint, fetch, headers, credentials). */
  client: AgentChatClient;
  /** The session the files belong to; its `signal` ends uploads and loads when the session closes. */
  session: Pick<ChatSession, 'sessionId' | 'signal'>;
  /** The server's limits, checked before a file uploads. */
  limits?: AttachmentLimits;
}
