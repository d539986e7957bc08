import { conversationFields } from '../schemas/conversation-fields.js';
import * as schemas from '../schemas/index.js';
import { arrayOf, oneOf, optional, withDefault, type ObjectShape, type Shape } from '../shape.js';

/*
 * Writes src/protocol-shapes.generated.ts: the light shapes (see shape.ts)
 * ChatClient checks the wire with, derived from the zod schemas, so that the
 * schemas are the protocol's one description. Run by core's build
 * (scripts/generate-protocol-shapes.mjs); protocol-shapes.test.ts fails when
 * the file is stale. Build-time only: nothing imports this module at runtime.
 */

interface ZodDef {
  type: string;
  // zod/mini definitions differ by type; the walk below reads the fields each type has.
  [key: string]: any;
}
/** A zod schema's definition (`_zod.def`, the same in zod and zod/mini). */
export const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

const typeLetter = (value: unknown) => (value === null ? 'z' : Array.isArray(value) ? 'a' : (typeof value)[0]!);
const letters = (values: unknown[]) => [...new Set(values.map(typeLetter))].join('');

function primitive(shape: Shape): string {
  if (typeof shape !== 'string') throw new Error(`the light shapes have no union of ${JSON.stringify(shape)}`);
  return shape;
}

/**
 * The light shape that says what a zod schema says about JSON types.
 *
 * @throws {Error} for a schema the light shapes cannot say (a strict object, a union of objects without a discriminator, ...).
 */
export function shapeOf(schema: unknown): Shape {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return 's';
    case 'number':
      return 'n';
    case 'boolean':
      return 'b';
    case 'unknown':
      return '*';
    case 'record':
      return 'o';
    case 'literal':
      return letters(def.values);
    case 'enum':
      return letters(Object.values(def.entries));
    case 'optional':
      return optional(shapeOf(def.innerType));
    case 'default':
      return withDefault(shapeOf(def.innerType), def.defaultValue);
    case 'nullable':
      return `${primitive(shapeOf(def.innerType))}z`;
    case 'array':
      return arrayOf(shapeOf(def.element));
    case 'object':
      return objectShapeOf(schema);
    case 'union':
      return def.discriminator
        ? oneOf(def.discriminator, variantsOf(def.options, def.discriminator))
        : def.options.map((option: unknown) => primitive(shapeOf(option))).join('');
  }
  throw new Error(`the light shapes have no form for zod's ${def.type}`);
}

function objectShapeOf(schema: unknown): ObjectShape {
  const def = defOf(schema);
  // The light decoder keeps unknown fields: only a loose object says the same.
  if (def.catchall === undefined || defOf(def.catchall).type !== 'unknown') {
    throw new Error(`not a z.looseObject: ${Object.keys(def.shape).join(', ')}`);
  }
  return Object.fromEntries(Object.entries(def.shape).map(([key, field]) => [key, shapeOf(field)]));
}

/** A discriminated union's options by their tag, each without the tag field. */
export function variantsOf(options: unknown[], key: string): Record<string, ObjectShape> {
  return Object.fromEntries(
    options.map((option) => {
      const { [key]: _tag, ...rest } = objectShapeOf(option);
      return [defOf(defOf(option).shape[key]).values[0], rest];
    }),
  );
}

/** The answers ChatClient reads, by the name `decodeResponse` takes. */
export const RESPONSE_SCHEMAS = {
  health: schemas.healthSchema,
  llmHealth: schemas.llmHealthSchema,
  modelConfig: schemas.modelConfigSchema,
  sessionInfo: schemas.sessionInfoSchema,
  sessionList: schemas.sessionListSchema,
  sessionMessages: schemas.sessionMessagesSchema,
  interruptResult: schemas.interruptResultSchema,
  titleResult: schemas.titleResultSchema,
  compactResult: schemas.compactResultSchema,
  shutdownResult: schemas.shutdownResultSchema,
  errorBody: schemas.errorBodySchema,
  attachment: schemas.attachmentSchema,
};

/** Field groups that several schemas spread in: written once, as a constant, and spread where all their fields are. */
const FIELD_GROUPS: Record<string, Record<string, unknown>> = { CONVERSATION_FIELDS: conversationFields };

/** `chatMessageSchema` -> `CHAT_MESSAGE`. */
const constName = (exportName: string) =>
  exportName
    .replace(/Schema$/, '')
    .replace(/[A-Z]/g, (c) => `_${c}`)
    .toUpperCase();

/**
 * The source of protocol-shapes.generated.ts. A named schema (an export of
 * `./schemas`) met more than once is written once, as a constant.
 */
export function protocolShapesSource(): string {
  const names = new Map<unknown, string>();
  for (const [name, value] of Object.entries(schemas)) {
    if (name.endsWith('Schema') && typeof value === 'object' && value !== null && '_zod' in value) names.set(value, name);
  }
  const eventOptions = defOf(schemas.agentEventSchema).options as unknown[];
  const roots = [...eventOptions, ...Object.values(RESPONSE_SCHEMAS)];

  // How often each named schema is met, to share those met twice or more.
  const seen = new Map<unknown, number>();
  const count = (schema: unknown) => {
    const times = (seen.get(schema) ?? 0) + 1;
    seen.set(schema, times);
    if (times > 1) return;
    for (const child of childrenOf(schema)) count(child);
  };
  for (const root of roots) for (const child of childrenOf(root)) count(child);
  for (const response of Object.values(RESPONSE_SCHEMAS)) seen.set(response, (seen.get(response) ?? 0) + 1);
  const shared = (schema: unknown) => names.has(schema) && (seen.get(schema) ?? 0) > 1 && defOf(schema).type === 'object';

  const constants: string[] = [];
  const written = new Set<unknown>();
  const expression = (schema: unknown, indent: string): string => {
    if (shared(schema)) {
      const name = constName(names.get(schema)!);
      if (!written.has(schema)) {
        written.add(schema);
        constants.push(`const ${name}: ObjectShape = ${objectSource(schema, '')};\n`);
      }
      return name;
    }
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
        return `optional(${expression(def.innerType, indent)})`;
      case 'default':
        return `withDefault(${expression(def.innerType, indent)}, ${JSON.stringify(def.defaultValue)})`;
      case 'array':
        return `arrayOf(${expression(def.element, indent)})`;
      case 'object':
        return objectSource(schema, indent);
      case 'union':
        if (def.discriminator) {
          const inner = `${indent}  `;
          const variants = (def.options as unknown[]).map(
            (option) => `${inner}${key(defOf(defOf(option).shape[def.discriminator]).values[0])}: ${objectSource(option, inner, def.discriminator)},\n`,
          );
          return `oneOf('${def.discriminator}', {\n${variants.join('')}${indent}})`;
        }
    }
    return `'${primitive(shapeOf(schema))}'`;
  };
  const objectSource = (schema: unknown, indent: string, omit?: string): string => {
    objectShapeOf(schema); // throws unless loose
    const fields = Object.entries(defOf(schema).shape as Record<string, unknown>).filter(([name]) => name !== omit);
    return fieldsSource(fields, indent, true);
  };
  const fieldsSource = (fields: [string, unknown][], indent: string, spreadGroups: boolean): string => {
    const inner = `${indent}  `;
    const byName = new Map(fields);
    const groups = spreadGroups
      ? Object.entries(FIELD_GROUPS).filter(([, group]) => Object.entries(group).every(([name, field]) => byName.get(name) === field))
      : [];
    const lines: string[] = [];
    const spread = new Set<string>();
    for (const [name, field] of fields) {
      const group = groups.find(([, members]) => name in members);
      if (!group) lines.push(`${inner}${key(name)}: ${expression(field, inner)},\n`);
      else if (!spread.has(group[0])) {
        spread.add(group[0]);
        lines.push(`${inner}...${groupConstant(group[0], group[1])},\n`);
      }
    }
    return lines.length === 0 ? '{}' : `{\n${lines.join('')}${indent}}`;
  };
  const groupConstant = (name: string, group: Record<string, unknown>): string => {
    if (!written.has(group)) {
      written.add(group);
      const source = fieldsSource(Object.entries(group), '', false);
      constants.push(`const ${name}: ObjectShape = ${source};\n`);
    }
    return name;
  };

  const events = eventOptions.map((option) => `  ${key(defOf(defOf(option).shape.type).values[0])}: ${objectSource(option, '  ', 'type')},\n`);
  const responses = Object.entries(RESPONSE_SCHEMAS).map(([name, schema]) => {
    const source = expression(schema, '  ');
    return `  ${name}: ${source},\n`;
  });
  const responseNames = Object.keys(RESPONSE_SCHEMAS).map((name) => `'${name}'`);

  return `// Generated from the zod schemas in src/schemas by scripts/generate-protocol-shapes.mjs
// (run by \`npm run build -w @agent-chat/core\`). Do not edit: change the schemas.
// protocol-shapes.test.ts fails when this file is stale.
import type { AgentEventType } from './schemas/events.js';
import { arrayOf, oneOf, optional, withDefault, type ObjectShape } from './shape.js';

${constants.join('\n')}
/** Every event's fields but \`type\`, by type, in protocol order. */
export const EVENT_SHAPES: Readonly<Record<AgentEventType, ObjectShape>> = {
${events.join('')}};

/** The names of the JSON answers ChatClient reads. */
export type ResponseName = ${responseNames.join(' | ')};

/** The JSON answers ChatClient reads, by name. */
export const RESPONSE_SHAPES: Readonly<Record<ResponseName, ObjectShape>> = {
${responses.join('')}};
`;
}

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

/** The schemas a schema is made of. */
function childrenOf(schema: unknown): unknown[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return [def.innerType];
    case 'array':
      return [def.element];
    case 'object':
      return Object.values(def.shape);
    case 'union':
      return def.options;
  }
  return [];
}
