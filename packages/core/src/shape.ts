import { ProtocolError } from './protocol-error.js';

/**
 * A small declarative description of a JSON value, for checking what comes
 * off the wire without a schema library in the browser bundle. It checks JSON
 * types only (not enum members, integers or ranges), keeps unknown object
 * fields, and fills in defaults. `protocol-shapes.generated.ts` describes the
 * protocol with it, generated at build time from the zod schemas in `./schemas`
 * (codegen/protocol-shapes-source.ts), so the schemas stay the one description.
 *
 * - a string of type letters, any of which may match: `s` string, `n` number,
 *   `b` boolean, `o` object, `a` array, `z` null; or `*`, any value (present);
 * - an object: an object whose fields match, each required unless wrapped;
 * - `optional(shape)`: may be absent;
 * - `withDefault(shape, value)`: `value` (decoded, so a fresh copy) when absent;
 * - `arrayOf(shape)`: an array whose every item matches;
 * - `oneOf(key, { tag: objectShape })`: an object whose string field `key`
 *   picks the shape of the rest.
 */
export type Shape =
  | string
  | ObjectShape
  | readonly ['?', Shape]
  | readonly ['=', Shape, unknown]
  | readonly ['[]', Shape]
  | readonly ['|', string, Readonly<Record<string, ObjectShape>>];

export interface ObjectShape {
  readonly [field: string]: Shape;
}

export const optional = (shape: Shape) => ['?', shape] as const;
export const withDefault = (shape: Shape, value: unknown) => ['=', shape, value] as const;
export const arrayOf = (shape: Shape) => ['[]', shape] as const;
export const oneOf = (key: string, shapes: Readonly<Record<string, ObjectShape>>) => ['|', key, shapes] as const;

const TYPE_NAMES: Record<string, string> = {
  s: 'a string',
  n: 'a number',
  b: 'a boolean',
  o: 'an object',
  a: 'an array',
  z: 'null',
  '*': 'present',
};

/** The type letter of a JSON value (`u` for undefined, i.e. absent). */
const typeLetter = (value: unknown): string =>
  value === null ? 'z' : Array.isArray(value) ? 'a' : (typeof value)[0]!;

/**
 * Checks `value` against `shape` and returns it with defaults filled in (objects
 * and arrays are copies; unknown fields are kept).
 *
 * @param path Where `value` is, for the message: `agent.toolCount`, `messages[2].parts[0]`.
 * @throws {ProtocolError} naming the first field that does not match, e.g.
 *   `agent.toolCount must be a number, got a string`.
 */
export function decodeShape(shape: Shape, value: unknown, path = ''): unknown {
  const type = typeLetter(value);
  const fail = (expected: string): never => {
    throw new ProtocolError(`${path || 'the value'} must be ${expected}, got ${TYPE_NAMES[type] ?? 'nothing'}`);
  };
  if (typeof shape === 'string') {
    if (shape === '*' ? type === 'u' : !shape.includes(type)) {
      fail([...shape].map((letter) => TYPE_NAMES[letter]).join(' or '));
    }
    return value;
  }
  if (Array.isArray(shape)) {
    const [kind, inner, extra] = shape as readonly [string, Shape & string, Record<string, ObjectShape>];
    if (kind === '?') return value === undefined ? value : decodeShape(inner, value, path);
    if (kind === '=') return decodeShape(inner, value === undefined ? extra : value, path);
    if (kind === '[]') {
      if (type !== 'a') fail(TYPE_NAMES.a!);
      return (value as unknown[]).map((item, index) => decodeShape(inner, item, `${path}[${index}]`));
    }
    // kind '|': `inner` is the key whose value picks the shape.
    const tag = (value as Record<string, unknown> | null)?.[inner];
    if (type !== 'o') fail(TYPE_NAMES.o!);
    if (typeof tag !== 'string' || !Object.hasOwn(extra, tag)) {
      throw new ProtocolError(`${path ? `${path}.` : ''}${inner} must be one of ${Object.keys(extra).join(', ')}`);
    }
    return decodeShape(extra[tag]!, value, path);
  }
  if (type !== 'o') fail(TYPE_NAMES.o!);
  const fields = shape as ObjectShape;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...object };
  for (const key in fields) {
    const field = decodeShape(fields[key]!, object[key], path ? `${path}.${key}` : key);
    if (field !== undefined) out[key] = field;
  }
  return out;
}
