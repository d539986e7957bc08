import { describe, expect, it } from 'vitest';
import { ProtocolError } from './protocol-error.js';
import { arrayOf, decodeShape, oneOf, optional, withDefault } from './shape.js';

describe('decodeShape', () => {
  const shape = {
    name: 's',
    count: withDefault('n', 0),
    tags: withDefault(arrayOf('s'), []),
    note: optional('sz'),
    input: '*',
    items: arrayOf(oneOf('kind', { a: { x: 'n' }, b: { y: optional({ z: 'b' }) } })),
  };

  it('returns a copy with defaults filled in and unknown fields kept, leaving absent optional fields absent', () => {
    const value = { name: 'n', input: null, items: [{ kind: 'a', x: 1, extra: true }], newer: { a: 1 } };
    const decoded = decodeShape(shape, value) as Record<string, unknown>;
    expect(decoded).toEqual({ ...value, count: 0, tags: [] });
    expect('note' in decoded).toBe(false);
    expect(decoded).not.toBe(value);
    expect(value).not.toHaveProperty('count');
  });

  it('gives each decoded value its own copy of a default', () => {
    const value = { name: 'n', input: 1, items: [] };
    const first = decodeShape(shape, value) as { tags: string[] };
    first.tags.push('changed');
    expect((decodeShape(shape, value) as { tags: string[] }).tags).toEqual([]);
  });

  it.each([
    [{ input: 1, items: [] }, 'name must be a string, got nothing'],
    [{ name: 'n', items: [] }, 'input must be present, got nothing'],
    [{ name: 'n', input: 1, items: [], note: 3 }, 'note must be a string or null, got a number'],
    [{ name: 'n', input: 1, items: [], count: null }, 'count must be a number, got null'],
    [{ name: 'n', input: 1, items: {} }, 'items must be an array, got an object'],
    [{ name: 'n', input: 1, items: [{ kind: 'a', x: 1 }, { kind: 'c' }] }, 'items[1].kind must be one of a, b'],
    [{ name: 'n', input: 1, items: [{ kind: 'toString' }] }, 'items[0].kind must be one of a, b'],
    [{ name: 'n', input: 1, items: [{ kind: 'b', y: [] }] }, 'items[0].y must be an object, got an array'],
    [{ name: 'n', input: 1, items: [{ kind: 'b', y: { z: 'yes' } }] }, 'items[0].y.z must be a boolean, got a string'],
    [['name'], 'the value must be an object, got an array'],
  ])('rejects %j: %s', (value, message) => {
    expect(() => decodeShape(shape, value)).toThrow(ProtocolError);
    expect(() => decodeShape(shape, value)).toThrow(new RegExp(`^${message.replace(/[[\]]/g, '\\$&')}$`));
  });
});
