import { describe, expect, it } from 'vitest';
import { validateJsonSchema } from './json-schema.js';

const told = async (value: unknown, schema: Record<string, unknown>) =>
  (await validateJsonSchema(value, schema)).map((i) => `${i.path} ${i.message}`).sort();

describe('validateJsonSchema (on @cfworker/json-schema)', () => {
  it('tells what is wrong in the widget’s words, at JSON paths', async () => {
    // What zod 4's z.toJSONSchema() emits for a tool's input (plus an anyOf, which it emits for unions of objects).
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        path: { type: 'string', minLength: 1 },
        content: { type: 'string' },
        mode: { type: 'string', enum: ['append', 'replace'] },
        tags: { minItems: 1, maxItems: 2, type: 'array', items: { type: 'string', maxLength: 3 } },
        count: { type: 'integer', minimum: 1, maximum: 9, multipleOf: 2 },
        ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        id: { type: 'string', pattern: '^[a-z]+$' },
        kind: { type: 'string', const: 'file' },
        either: { anyOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'number' }] },
        several: { type: ['string', 'number'] },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    };
    expect(await told({ path: 'a', content: 'b' }, schema)).toEqual([]);
    expect(
      await told(
        { path: '', content: 1, extra: true, mode: 'x', tags: ['abcd', 'b', 'c'], count: 11, ratio: 1, id: 'A', kind: 'dir', either: { b: 1 }, several: null },
        schema,
      ),
    ).toEqual(
      [
        '/path must have at least 1 characters',
        '/content must be string, not integer',
        '/extra is not allowed',
        '/mode must be one of "append", "replace"',
        '/tags must have at most 2 items',
        '/tags/0 must have at most 3 characters',
        '/count must be ≤ 9',
        '/count must be a multiple of 2',
        '/ratio must be < 1',
        '/id must match ^[a-z]+$',
        '/kind must be "file"',
        '/either does not match any allowed shape',
        '/several must be string or number, not null',
      ].sort(),
    );
    expect(await told({ content: 'b' }, schema)).toEqual(['/path is required']);
    expect(await told([], schema)).toEqual(['/ must be object, not array']);
    expect(await told({ path: 'a', content: 'b', tags: [], count: 0, ratio: 0 }, schema)).toEqual(
      ['/count must be ≥ 1', '/ratio must be > 0', '/tags must have at least 1 items'].sort(),
    );
  });

  it('follows local $refs and reports nested paths; keys with / and ~ keep their spelling', async () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { 'a/b~c': { $ref: '#/$defs/positive' }, list: { type: 'array', items: { $ref: '#/$defs/positive' } } },
      required: ['a/b~c', 'other'],
      $defs: { positive: { type: 'number', exclusiveMinimum: 0 } },
    };
    expect(await told({ 'a/b~c': -1, list: [1, 'x', 0] }, schema)).toEqual(
      ['/a/b~c must be > 0', '/list/1 must be number, not string', '/list/2 must be > 0', '/other is required'].sort(),
    );
  });

  it('checks no format and passes a schema it cannot use: the server validates again', async () => {
    expect(await told('not an email', { type: 'string', format: 'email' })).toEqual([]);
    expect(await told('x', { $ref: 'https://example.com/schema.json' })).toEqual([]);
    // A pattern is quoted as written, `$&` and all.
    expect(await told('b', { type: 'string', pattern: '^a$&' })).toEqual(['/ must match ^a$&']);
    // Draft 7 by its $schema.
    expect(await told({}, { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', required: ['a'] })).toEqual(['/a is required']);
  });
});
