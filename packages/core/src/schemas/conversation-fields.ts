import * as z from 'zod/mini';
import { chatMessageSchema, pendingApprovalSchema, usageTotalsSchema } from './messages.js';

/**
 * The fields of a whole conversation, as the server holds it: a `snapshot`
 * event and the `GET {base}/session/:id/messages` answer both carry them.
 * One declaration, spread into both schemas; not exported from `./schemas`.
 */
export const conversationFields = {
  messages: z.array(chatMessageSchema),
  pendingApprovals: z.array(pendingApprovalSchema),
  /** Whether a turn is running at the id the conversation is as of. */
  processing: z.boolean(),
  turnId: z.optional(z.string()),
  title: z.optional(z.string()),
  usage: z.optional(usageTotalsSchema),
};
