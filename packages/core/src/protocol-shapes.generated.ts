// Generated from the zod schemas in src/schemas by scripts/generate-protocol-shapes.mjs
// (run by `npm run build -w @agent-chat/core`). Do not edit: change the schemas.
// protocol-shapes.test.ts fails when this file is stale.
import type { AgentEventType } from './schemas/events.js';
import { arrayOf, oneOf, optional, withDefault, type ObjectShape } from './shape.js';

const ATTACHMENT: ObjectShape = {
  id: 's',
  name: 's',
  mediaType: 's',
  size: 'n',
  width: optional('n'),
  height: optional('n'),
};

const PENDING_APPROVAL: ObjectShape = {
  toolCallId: 's',
  name: 's',
  input: '*',
  inputSchema: optional('o'),
  reason: optional('s'),
};

const USAGE_TOTALS: ObjectShape = {
  inputTokens: 'n',
  outputTokens: 'n',
  cacheReadTokens: withDefault('n', 0),
  cacheWriteTokens: withDefault('n', 0),
  costUsd: withDefault('n', 0),
};

const CHAT_MESSAGE: ObjectShape = {
  id: 's',
  role: 's',
  parts: arrayOf(oneOf('type', {
    text: {
      text: 's',
      state: 's',
    },
    thinking: {
      text: 's',
      state: 's',
      signature: optional('s'),
    },
    tool_call: {
      toolCallId: 's',
      name: 's',
      input: '*',
      originalInput: optional('*'),
      state: 's',
      output: optional('*'),
      isError: optional('b'),
      feedback: optional('s'),
      agents: optional(arrayOf({
        agentId: 's',
        label: 's',
        status: 's',
        step: optional('s'),
        steps: withDefault(arrayOf('s'), []),
        toolCount: withDefault('n', 0),
        tokens: withDefault('n', 0),
        elapsedMs: withDefault('n', 0),
      })),
    },
  })),
  turnId: optional('s'),
  createdAt: optional('n'),
  summary: optional('b'),
  interrupted: optional('b'),
  attachments: optional(arrayOf(ATTACHMENT)),
};

const CONVERSATION_FIELDS: ObjectShape = {
  messages: arrayOf(CHAT_MESSAGE),
  pendingApprovals: arrayOf(PENDING_APPROVAL),
  processing: 'b',
  turnId: optional('s'),
  title: optional('s'),
  usage: optional(USAGE_TOTALS),
};

const SESSION_INFO: ObjectShape = {
  id: 's',
  title: optional('s'),
  model: optional('s'),
  createdAt: 'n',
  updatedAt: 'n',
  processing: 'b',
  awaitingApproval: 'b',
  messageCount: 'n',
  lastEventId: 'n',
};

/** Every event's fields but `type`, by type, in protocol order. */
export const EVENT_SHAPES: Readonly<Record<AgentEventType, ObjectShape>> = {
  ready: {
    protocolVersion: 's',
    sessionId: 's',
    lastEventId: 'n',
  },
  processing: {
    turnId: 's',
    assistantMessageId: 's',
    userMessage: optional({
      id: 's',
      text: 's',
      createdAt: optional('n'),
      attachments: optional(arrayOf(ATTACHMENT)),
    }),
  },
  assistant_chunk: {
    messageId: 's',
    delta: 's',
  },
  assistant_stream_end: {
    messageId: 's',
  },
  thinking_chunk: {
    messageId: 's',
    delta: 's',
  },
  thinking_end: {
    messageId: 's',
    signature: optional('s'),
  },
  tool_call: {
    messageId: 's',
    toolCallId: 's',
    name: 's',
    input: '*',
  },
  tool_output: {
    toolCallId: 's',
    output: '*',
    isError: withDefault('b', false),
  },
  approval_required: {
    turnId: 's',
    messageId: 's',
    tools: arrayOf(PENDING_APPROVAL),
  },
  tool_state_change: {
    toolCallId: 's',
    state: 's',
    input: optional('*'),
    feedback: optional('s'),
  },
  tool_log: {
    toolCallId: 's',
    agent: {
      agentId: 's',
      label: 's',
      status: 's',
      step: optional('s'),
      toolCount: withDefault('n', 0),
      tokens: withDefault('n', 0),
      elapsedMs: withDefault('n', 0),
    },
  },
  usage: {
    scope: 's',
    model: optional('s'),
    usage: USAGE_TOTALS,
    cumulative: USAGE_TOTALS,
  },
  title: {
    title: 's',
  },
  compacted: {
    tokensBefore: 'n',
    tokensAfter: 'n',
    messages: optional(arrayOf(CHAT_MESSAGE)),
  },
  snapshot: {
    ...CONVERSATION_FIELDS,
  },
  turn_complete: {
    turnId: 's',
    stopReason: 's',
  },
  error: {
    code: 's',
    message: 's',
    retryable: withDefault('b', false),
    turnId: optional('s'),
  },
  interrupted: {
    turnId: 's',
  },
  shutdown: {
    reason: optional('s'),
  },
};

/** The names of the JSON answers ChatClient reads. */
export type ResponseName = 'health' | 'llmHealth' | 'modelConfig' | 'sessionInfo' | 'sessionList' | 'sessionMessages' | 'interruptResult' | 'titleResult' | 'compactResult' | 'shutdownResult' | 'errorBody' | 'attachment';

/** The JSON answers ChatClient reads, by name. */
export const RESPONSE_SHAPES: Readonly<Record<ResponseName, ObjectShape>> = {
  health: {
    status: 's',
    protocolVersion: 's',
    activeSessions: 'n',
    maxSessions: 'n',
    features: withDefault({
      undo: 'b',
      truncate: 'b',
      compact: 'b',
      models: 'b',
      attachments: 'b',
    }, {"undo":false,"truncate":false,"compact":false,"models":false,"attachments":false}),
    attachmentLimits: optional({
      maxFileBytes: 'n',
      maxFilesPerMessage: 'n',
      maxBytesPerUser: 'n',
      mediaTypes: arrayOf('s'),
    }),
  },
  llmHealth: {
    ok: 'b',
    model: optional('s'),
    latencyMs: optional('n'),
    error: optional('s'),
  },
  modelConfig: {
    model: 'sz',
    models: arrayOf({
      id: 's',
      label: 's',
      provider: optional('s'),
      recommended: optional('b'),
    }),
  },
  sessionInfo: SESSION_INFO,
  sessionList: {
    sessions: arrayOf(SESSION_INFO),
  },
  sessionMessages: {
    ...CONVERSATION_FIELDS,
    lastEventId: 'n',
  },
  interruptResult: {
    interrupted: 'b',
  },
  titleResult: {
    title: 's',
  },
  compactResult: {
    tokensBefore: 'n',
    tokensAfter: 'n',
  },
  shutdownResult: {
    interrupted: 'b',
  },
  errorBody: {
    error: {
      code: 's',
      message: 's',
      issues: optional(arrayOf({
        path: arrayOf('sn'),
        message: 's',
      })),
    },
  },
  attachment: ATTACHMENT,
};
