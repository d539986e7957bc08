import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, runToolCall, toolInputJsonSchema, toolNeedsApproval } from './tool.js';

const ctx = { sessionId: 's', toolCallId: 't', signal: new AbortController().signal };
const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  input: z.object({ a: z.number(), b: z.number() }),
  needsApproval: (input) => input.a > 100,
  execute: ({ a, b }) => a + b,
});

describe('tools', () => {
  it('runs with valid input', async () => {
    expect(await runToolCall(add, { a: 1, b: 2 }, ctx)).toEqual({ output: 3, isError: false });
  });

  it('names the invalid field', async () => {
    const result = await runToolCall(add, { a: 1, b: 'two' }, ctx);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/^Invalid input for add: b: /);
  });

  it('turns a throw into an error result', async () => {
    const failing = defineTool({
      name: 'fail',
      description: 'Always fails',
      input: z.object({}),
      execute: async () => {
        throw new Error('disk full');
      },
    });
    expect(await runToolCall(failing, {}, ctx)).toEqual({ output: 'disk full', isError: true });
  });

  it('describes its input as JSON Schema and decides on approval', () => {
    expect(toolInputJsonSchema(add)).toEqual({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
      additionalProperties: false,
    });
    expect(toolNeedsApproval(add, { a: 1, b: 1 })).toBe(false);
    expect(toolNeedsApproval(add, { a: 101, b: 1 })).toBe(true);
  });
});
