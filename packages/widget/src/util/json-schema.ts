/**
 * A small validator for the subset of JSON Schema (draft 2020-12) that zod's
 * `z.toJSONSchema()` emits for tool inputs: `type` (one or many), `properties`,
 * `required`, `additionalProperties` (boolean or schema), `items`,
 * `enum`, `const`, `anyOf`, `oneOf`, `allOf`, `minLength`, `maxLength`,
 * `pattern`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
 * `multipleOf`, `minItems`, `maxItems`, and local `$ref` to `#/$defs/...`.
 * Unknown keywords are ignored, so a richer schema never rejects valid input.
 * No `format` checks: the server validates again with the tool's zod schema.
 */

/** One problem, at a JSON path such as `/path/0`. */
export interface SchemaIssue {
  path: string;
  message: string;
}

type Schema = Record<string, unknown> | boolean;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Validates `value` against `schema`; returns every issue found (empty when valid). */
export function validateJsonSchema(value: unknown, schema: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(value, schema, '', schema, issues, 0);
  return issues;
}

function resolveRef(ref: string, root: Record<string, unknown>): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const segment of ref.slice(1).split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as Schema | undefined;
}

function check(
  value: unknown,
  schema: Schema,
  path: string,
  root: Record<string, unknown>,
  issues: SchemaIssue[],
  depth: number,
): void {
  if (schema === true) return;
  if (schema === false) {
    issues.push({ path: path || '/', message: 'is not allowed' });
    return;
  }
  if (depth > 64) return;
  const at = path || '/';
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, root);
    if (target !== undefined) check(value, target, path, root, issues, depth + 1);
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0 && !types.some((t) => matchesType(value, String(t)))) {
    issues.push({ path: at, message: `must be ${types.join(' or ')}, not ${typeOf(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    issues.push({ path: at, message: `must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}` });
  }
  if ('const' in schema && !deepEqual(schema.const, value)) {
    issues.push({ path: at, message: `must be ${JSON.stringify(schema.const)}` });
  }
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) check(value, sub, path, root, issues, depth + 1);
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const options = schema[keyword] as Schema[] | undefined;
    if (!options) continue;
    const passing = options.filter((option) => {
      const found: SchemaIssue[] = [];
      check(value, option, path, root, found, depth + 1);
      return found.length === 0;
    }).length;
    if (keyword === 'anyOf' ? passing === 0 : passing !== 1) {
      issues.push({ path: at, message: 'does not match any allowed shape' });
    }
  }

  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      issues.push({ path: at, message: `must have at least ${schema.minLength} characters` });
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      issues.push({ path: at, message: `must have at most ${schema.maxLength} characters` });
    }
    if (typeof schema.pattern === 'string') {
      try {
        if (!new RegExp(schema.pattern, 'u').test(value)) issues.push({ path: at, message: `must match ${schema.pattern}` });
      } catch {
        // A pattern this engine cannot compile is left to the server.
      }
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push({ path: at, message: `must be ≥ ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push({ path: at, message: `must be ≤ ${schema.maximum}` });
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
      issues.push({ path: at, message: `must be > ${schema.exclusiveMinimum}` });
    }
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) {
      issues.push({ path: at, message: `must be < ${schema.exclusiveMaximum}` });
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const ratio = value / schema.multipleOf;
      if (Math.abs(ratio - Math.round(ratio)) > 1e-9) issues.push({ path: at, message: `must be a multiple of ${schema.multipleOf}` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      issues.push({ path: at, message: `must have at least ${schema.minItems} items` });
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      issues.push({ path: at, message: `must have at most ${schema.maxItems} items` });
    }
    const items = schema.items as Schema | undefined;
    if (items !== undefined) value.forEach((item, i) => check(item, items, `${path}/${i}`, root, issues, depth + 1));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) issues.push({ path: `${path}/${key}`, message: 'is required' });
    }
    for (const [key, child] of Object.entries(object)) {
      if (key in properties) check(child, properties[key]!, `${path}/${key}`, root, issues, depth + 1);
      else if (schema.additionalProperties !== undefined) {
        check(child, schema.additionalProperties as Schema, `${path}/${key}`, root, issues, depth + 1);
      }
    }
  }
}
