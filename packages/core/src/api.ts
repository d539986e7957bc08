// The HTTP API's body and answer types, from the zod schemas in
// `@agent-chat/core/schemas` (by type only: no zod at runtime).
export type {
  ApprovalDecision,
  AttachmentLimits,
  ChatBody,
  CompactResult,
  CreateSessionBody,
  ErrorBody,
  Features,
  Health,
  InterruptResult,
  LlmHealth,
  ModelConfig,
  ModelInfo,
  SessionInfo,
  SessionList,
  SessionMessages,
  SetModelBody,
  ShutdownResult,
  TitleBody,
  TitleResult,
  TruncateBody,
} from './schemas/api.js';

export { MAX_MESSAGE_LENGTH } from './limits.js';
