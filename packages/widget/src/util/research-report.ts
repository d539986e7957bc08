import type { ToolCallPart } from '@agent-chat/core';

/**
 * Whether `call`'s output is a research report: the markdown its sub-agents
 * wrote (a call with sub-agents, string output, no error). The tool card and
 * the code panel render a report as the widget's safe markdown; any other
 * output as text.
 */
export function isResearchReport(call: ToolCallPart): call is ToolCallPart & { output: string } {
  return !!call.agents?.length && typeof call.output === 'string' && !call.isError;
}
