// The conversation view model's types, from the zod schemas in
// `@agent-chat/core/schemas` (by type only: no zod at runtime).
export type {
  Attachment,
  ChatMessage,
  MessagePart,
  PendingApproval,
  ResearchAgent,
  TextPart,
  ThinkingPart,
  ToolCallPart,
  ToolCallState,
  UsageTotals,
} from './schemas/messages.js';
