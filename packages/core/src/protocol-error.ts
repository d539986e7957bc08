/**
 * Thrown when data from the server breaks the protocol: an event of a known
 * type, or a JSON answer, whose fields do not have the documented JSON types.
 * `message` names the event type and the field, e.g.
 * `Invalid tool_log event: agent.toolCount must be a number, got a string`.
 */
export class ProtocolError extends Error {
  readonly code = 'protocol_error';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}
