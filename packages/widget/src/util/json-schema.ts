/**
 * The approval editor's check of an edited tool input against the tool's JSON
 * Schema (as zod's `z.toJSONSchema()` emits it, draft 2020-12; drafts 4, 7 and
 * 2019-09 by their `$schema`), on `@cfworker/json-schema`. The validator is
 * loaded on the first check (in the prebuilt bundle: its own file in `parts/`),
 * and its errors are told in the widget's words: `/path must have at least 1
 * characters`, `/extra is not allowed`. No `format` checks, and a schema the
 * validator cannot use (a remote `$ref`, a pattern this engine cannot compile)
 * passes: the server validates again with the tool's zod schema.
 */
import type { OutputUnit, SchemaDraft, Validator } from '@cfworker/json-schema';

/** One problem, at a JSON path such as `/path/0`. */
export interface SchemaIssue {
  path: string;
  message: string;
}

type SchemaNode = Record<string, unknown>;

/** Keywords whose failure is told by the errors of their subschemas, reported as well. */
const WRAPPERS = new Set([
  'properties', 'patternProperties', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'dependentSchemas',
  'items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'allOf', 'if', 'then', 'else',
  '$ref', '$dynamicRef', '$recursiveRef',
]);

/** Keywords whose message names the schema's value (`#`). */
const BOUNDS: Record<string, string> = {
  minLength: 'must have at least # characters',
  maxLength: 'must have at most # characters',
  pattern: 'must match #',
  minimum: 'must be ≥ #',
  maximum: 'must be ≤ #',
  exclusiveMinimum: 'must be > #',
  exclusiveMaximum: 'must be < #',
  multipleOf: 'must be a multiple of #',
  minItems: 'must have at least # items',
  maxItems: 'must have at most # items',
  minProperties: 'must have at least # properties',
  maxProperties: 'must have at most # properties',
};

let validatorModule: Promise<typeof import('./json-schema-validator.js')> | undefined;
const validators = new WeakMap<SchemaNode, Validator>();

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function draftOf(schema: SchemaNode): SchemaDraft {
  const uri = String(schema.$schema ?? '');
  return uri.includes('draft-04') ? '4' : uri.includes('draft-07') ? '7' : uri.includes('2019-09') ? '2019-09' : '2020-12';
}

/** The segments of a JSON pointer as the validator writes it (`#/a/b~1c`, URI-encoded). */
function segments(pointer: string): string[] {
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The node at `path` in `root`; in a schema (`refs`), following local `$ref`s where the path goes through one. */
function nodeAt(root: unknown, path: string[], refs = false): unknown {
  let node = root;
  for (const segment of path) {
    const here = node as Record<string, unknown> | undefined;
    if (typeof here !== 'object' || here === null) return undefined;
    if (refs && (segment === '$ref' || segment === '$dynamicRef' || segment === '$recursiveRef')) {
      const ref = here[segment];
      node = typeof ref === 'string' && ref.startsWith('#') ? nodeAt(root, segments(ref), true) : undefined;
    } else {
      node = here[segment];
    }
  }
  return node;
}

/** Our message for one failed keyword of `schema` by `value`; undefined: told by the errors under it. */
function messageFor(unit: OutputUnit, schema: SchemaNode | undefined, value: unknown): string | undefined {
  const limit = schema?.[unit.keyword];
  switch (unit.keyword) {
    case 'false':
    case 'not':
      return 'is not allowed';
    case 'type': {
      const types = Array.isArray(limit) ? limit : [limit];
      return `must be ${types.join(' or ')}, not ${typeOf(value)}`;
    }
    case 'enum':
      return `must be one of ${(limit as unknown[]).map((o) => JSON.stringify(o)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(limit)}`;
    case 'anyOf':
    case 'oneOf':
      return 'does not match any allowed shape';
    case 'uniqueItems':
      return 'must not repeat an item';
    default:
      if (unit.keyword in BOUNDS) return BOUNDS[unit.keyword]!.replace('#', () => String(limit));
      return WRAPPERS.has(unit.keyword) ? undefined : unit.error;
  }
}

/**
 * Validates `value` against `schema`; resolves with every issue found (empty
 * when valid). The first call loads the validator (`@cfworker/json-schema`).
 * @throws when the validator's module cannot be loaded (e.g. offline); a later call tries again.
 */
export async function validateJsonSchema(value: unknown, schema: Record<string, unknown>): Promise<SchemaIssue[]> {
  let module: typeof import('./json-schema-validator.js');
  try {
    module = await (validatorModule ??= import('./json-schema-validator.js'));
  } catch (error) {
    validatorModule = undefined;
    throw error;
  }
  let errors: OutputUnit[];
  try {
    let validator = validators.get(schema);
    if (!validator) validators.set(schema, (validator = new module.Validator(schema, draftOf(schema), false)));
    errors = validator.validate(value).errors;
  } catch {
    return [];
  }
  const issues: SchemaIssue[] = [];
  /** Where an `anyOf`/`oneOf` failed: the errors of its branches are not reported one by one. */
  const shapes: string[] = [];
  for (const unit of errors) {
    if (unit.keyword === 'format' || shapes.some((at) => unit.keywordLocation.startsWith(at))) continue;
    const at = segments(unit.instanceLocation);
    const path = at.length > 0 ? `/${at.join('/')}` : '';
    const schemaNode = nodeAt(schema, segments(unit.keywordLocation).slice(0, -1), true) as SchemaNode | undefined;
    const instance = nodeAt(value, at);
    if (unit.keyword === 'required') {
      // One unit per missing property; their names come from the schema.
      for (const key of (schemaNode?.required as string[] | undefined) ?? []) {
        const issue = { path: `${path}/${key}`, message: 'is required' };
        const missing = typeOf(instance) === 'object' && !(key in (instance as object));
        if (missing && !issues.some((i) => i.path === issue.path && i.message === issue.message)) issues.push(issue);
      }
      continue;
    }
    if (unit.keyword === 'anyOf' || unit.keyword === 'oneOf') shapes.push(`${unit.keywordLocation}/`);
    const message = messageFor(unit, schemaNode, instance);
    if (message) issues.push({ path: path || '/', message });
  }
  return issues;
}
