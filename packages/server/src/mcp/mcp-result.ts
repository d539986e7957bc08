/** One content item of an MCP `tools/call` result (MCP spec 2025-06-18, `ContentBlock`), as far as we read it. */
export type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image' | 'audio'; data: string; mimeType: string }
  | {
      type: 'resource';
      resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };
    }
  | { type: 'resource_link'; uri: string; name: string; mimeType?: string; size?: number; title?: string }
  | { type: string; [key: string]: unknown };

/** The parts of a `tools/call` result we read. */
export interface McpCallResult {
  content?: McpContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  /** The result shape of protocol version 2024-10-07, still accepted by the SDK. */
  toolResult?: unknown;
}

/**
 * A `tools/call` result as the text our tool output is (the widget shows tool
 * output as text, and the model reads it back): text items as they are,
 * embedded text resources inline under a `[resource: uri]` line, and what
 * cannot be text (images, audio, binary resources, links) as a short
 * description such as `[image: image/png, 12 KB]`. Items are separated by a
 * blank line. A result with no content but `structuredContent` gives that as JSON.
 */
export function mcpResultText(result: McpCallResult): string {
  if (!result.content && result.toolResult !== undefined) {
    return typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult);
  }
  const parts = (result.content ?? []).map(contentText);
  if (parts.length === 0 && result.structuredContent) return JSON.stringify(result.structuredContent);
  return parts.join('\n\n');
}

function contentText(item: McpContent): string {
  const c = item as Record<string, any>;
  switch (item.type) {
    case 'text':
      return String(c.text ?? '');
    case 'image':
    case 'audio':
      return `[${item.type}: ${c.mimeType ?? 'unknown type'}, ${formatBytes(base64Bytes(String(c.data ?? '')))}]`;
    case 'resource': {
      const resource = (c.resource ?? {}) as Record<string, any>;
      const type = resource.mimeType ? `, ${resource.mimeType}` : '';
      if (typeof resource.text === 'string') return `[resource: ${resource.uri}${type}]\n${resource.text}`;
      return `[resource: ${resource.uri}${type}, ${formatBytes(base64Bytes(String(resource.blob ?? '')))}]`;
    }
    case 'resource_link': {
      const details = [c.mimeType, typeof c.size === 'number' ? formatBytes(c.size) : undefined].filter(Boolean);
      return `[resource link: ${c.title ?? c.name} <${c.uri}>${details.length ? `, ${details.join(', ')}` : ''}]`;
    }
    default:
      return `[${item.type} content]`;
  }
}

/** Decoded size of a base64 string, in bytes. */
function base64Bytes(data: string): number {
  const clean = data.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

/** `512 B`, `12 KB`, `3.4 MB` (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
