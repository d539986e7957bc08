/**
 * What the model reads for a tool call the user rejected (with their
 * feedback, when they gave some): the server's tool loop sends it as the
 * call's result, and the AG-UI mapping as the tool message of a rejected call.
 */
export function rejectionText(feedback: string | undefined): string {
  return feedback?.trim()
    ? `The user rejected this tool call. Feedback: ${feedback.trim()}`
    : 'The user rejected this tool call.';
}
