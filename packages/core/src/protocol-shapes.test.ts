import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_EVENT_TYPES, type AgentEventType } from './events.js';
import { ProtocolError } from './protocol-error.js';
import { decodeAgentEvent, decodeResponse, EVENT_SHAPES, RESPONSE_SHAPES, type ResponseTypes } from './protocol-shapes.js';
import { bigint, looseObject, strictObject, string, union } from 'zod/mini';
import { defOf, protocolShapesSource, RESPONSE_SCHEMAS, shapeOf, variantsOf } from './codegen/protocol-shapes-source.js';
import { agentEventSchema, parseAgentEvent } from './schemas/index.js';
import type { ObjectShape, Shape } from './shape.js';
import type { StreamEvent } from './sse.js';

/*
 * The light shapes ChatClient checks the wire with must say what the zod
 * schemas say. They are generated from the schemas' definitions (and the file
 * must be fresh); every recorded stream and a sample of every event and answer
 * decode to the same value both ways; and every corruption of them (a field
 * missing, null, of another type, an array for an object) is rejected both ways.
 */

/** The light shapes' letter for a JSON value's type. */
const typeLetter = (value: unknown) => (value === null ? 'z' : Array.isArray(value) ? 'a' : (typeof value)[0]!);

const derivedEvents = variantsOf(defOf(agentEventSchema).options, 'type');
const RESPONSE_NAMES = Object.keys(RESPONSE_SCHEMAS) as (keyof ResponseTypes)[];

describe('the light shapes are generated from the zod schemas', () => {
  it('protocol-shapes.generated.ts is what the schemas generate now (else: npm run build -w @agent-chat/core)', () => {
    const file = readFileSync(new URL('./protocol-shapes.generated.ts', import.meta.url), 'utf8');
    expect(file).toBe(protocolShapesSource());
  });

  it('EVENT_SHAPES has one shape per type of the schema union, in its order', () => {
    expect(Object.keys(EVENT_SHAPES)).toEqual(AGENT_EVENT_TYPES);
    expect(Object.keys(EVENT_SHAPES)).toEqual(Object.keys(derivedEvents));
  });

  it.each(Object.keys(derivedEvents))('the %s event says what its schema says', (type) => {
    expect(EVENT_SHAPES[type as AgentEventType]).toEqual(derivedEvents[type]);
  });

  it('RESPONSE_SHAPES has one shape per answer ChatClient reads', () => {
    expect(Object.keys(RESPONSE_SHAPES).sort()).toEqual([...RESPONSE_NAMES].sort());
  });

  it.each(RESPONSE_NAMES)('the %s answer says what its schema says', (name) => {
    expect(RESPONSE_SHAPES[name]).toEqual(shapeOf(RESPONSE_SCHEMAS[name]));
  });

  it('the generator refuses a schema the light shapes cannot say', () => {
    expect(() => shapeOf(strictObject({ a: string() }))).toThrow(/not a z.looseObject: a/);
    expect(() => shapeOf(union([looseObject({ a: string() }), looseObject({ b: string() })]))).toThrow(/no union/);
    expect(() => shapeOf(bigint())).toThrow(/no form for zod's bigint/);
  });
});

/** Converts through JSON, as the wire does. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, cacheWriteTokens: 1, costUsd: 0.25 };
const agent = { agentId: 'r1', label: 'Docs', status: 'running', step: 'Reading', toolCount: 1, tokens: 20, elapsedMs: 300 };
const approval = { toolCallId: 'c2', name: 'write', input: { path: 'a' }, inputSchema: { type: 'object' }, reason: 'Writes' };
const attachment = { id: 'f1', name: 'cat.png', mediaType: 'image/png', size: 68, width: 1, height: 1 };
const messages = [
  { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Hi', state: 'done' }], turnId: 't1', createdAt: 1000, summary: false, attachments: [attachment] },
  {
    id: 'a1',
    role: 'assistant',
    parts: [
      { type: 'thinking', text: 'Hmm', state: 'done', signature: 'sig' },
      { type: 'text', text: 'Hello', state: 'done' },
      {
        type: 'tool_call',
        toolCallId: 'c1',
        name: 'research',
        input: { q: 1 },
        originalInput: { q: 0 },
        state: 'done',
        output: 'found',
        isError: false,
        feedback: 'ok',
        agents: [{ ...agent, steps: ['Starting'] }],
      },
    ],
    turnId: 't1',
  },
];
const conversation = { messages, pendingApprovals: [approval], processing: true, turnId: 't1', title: 'T', usage };

/** One event of every type with every optional field present, so that each field is exercised. */
const SAMPLE_EVENTS: Record<AgentEventType, unknown> = {
  ready: { type: 'ready', protocolVersion: '1.0', sessionId: 's1', lastEventId: 0 },
  processing: { type: 'processing', turnId: 't1', assistantMessageId: 'a1', userMessage: { id: 'u1', text: 'Hi', createdAt: 1, attachments: [attachment] } },
  assistant_chunk: { type: 'assistant_chunk', messageId: 'a1', delta: 'He' },
  assistant_stream_end: { type: 'assistant_stream_end', messageId: 'a1' },
  thinking_chunk: { type: 'thinking_chunk', messageId: 'a1', delta: 'Hm' },
  thinking_end: { type: 'thinking_end', messageId: 'a1', signature: 'sig' },
  tool_call: { type: 'tool_call', messageId: 'a1', toolCallId: 'c1', name: 'read', input: null },
  tool_output: { type: 'tool_output', toolCallId: 'c1', output: ['any', 'json'], isError: true },
  approval_required: { type: 'approval_required', turnId: 't1', messageId: 'a1', tools: [approval] },
  tool_state_change: { type: 'tool_state_change', toolCallId: 'c2', state: 'rejected', input: 3, feedback: 'no' },
  tool_log: { type: 'tool_log', toolCallId: 'c1', agent },
  usage: { type: 'usage', scope: 'turn', model: 'm', usage, cumulative: usage },
  title: { type: 'title', title: 'T' },
  compacted: { type: 'compacted', tokensBefore: 100, tokensAfter: 10, messages },
  snapshot: { type: 'snapshot', ...conversation },
  turn_complete: { type: 'turn_complete', turnId: 't1', stopReason: 'end_turn' },
  error: { type: 'error', code: 'agent_error', message: 'Boom', retryable: true, turnId: 't1' },
  interrupted: { type: 'interrupted', turnId: 't1' },
  shutdown: { type: 'shutdown', reason: 'bye' },
};

const session = { id: 's1', title: 'T', model: 'm', createdAt: 1, updatedAt: 2, processing: false, awaitingApproval: false, messageCount: 2, lastEventId: 9 };

/** One answer of every kind with every optional field present. */
const SAMPLE_RESPONSES: Record<keyof ResponseTypes, unknown> = {
  health: {
    status: 'ok',
    protocolVersion: '1.0',
    activeSessions: 1,
    maxSessions: 10,
    features: { undo: true, truncate: true, compact: false, models: true, attachments: true },
    attachmentLimits: { maxFileBytes: 10, maxFilesPerMessage: 2, maxBytesPerUser: 100, mediaTypes: ['image/png'] },
  },
  llmHealth: { ok: false, model: 'm', latencyMs: 12, error: 'down' },
  modelConfig: { model: null, models: [{ id: 'm', label: 'M', provider: 'p', recommended: true }] },
  sessionInfo: session,
  sessionList: { sessions: [session] },
  sessionMessages: { ...conversation, lastEventId: 9 },
  interruptResult: { interrupted: true },
  titleResult: { title: 'T' },
  compactResult: { tokensBefore: 100, tokensAfter: 10 },
  shutdownResult: { interrupted: false },
  errorBody: { error: { code: 'invalid_body', message: 'Bad', issues: [{ path: ['approvals', 0, 'toolCallId'], message: 'Required' }] } },
  attachment,
};

// The widget's recording of the demo agent's tour (packages/widget/scripts/record-fixtures.mjs),
// imported by URL: it lies outside this package's sources.
const demoTour = (await import(new URL('../../widget/src/__fixtures__/demo-tour.ts', import.meta.url).href)) as {
  demoTurn: StreamEvent[];
  demoResumed: StreamEvent[];
};
const fixtureDir = new URL('./__fixtures__/', import.meta.url);
/** Every recorded stream: core's fixtures and the widget's recording of the demo agent's tour. */
const STREAMS: [string, unknown[]][] = [
  ...readdirSync(fixtureDir)
    .filter((file) => file.endsWith('.json'))
    .map((file): [string, unknown[]] => [
      file,
      (JSON.parse(readFileSync(new URL(file, fixtureDir), 'utf8')) as { event: unknown }[]).map((e) => e.event),
    ]),
  ['widget demo-tour.ts demoTurn', wire(demoTour.demoTurn).map((e) => e.event)],
  ['widget demo-tour.ts demoResumed', wire(demoTour.demoResumed).map((e) => e.event)],
];

interface Mutation {
  /** Where, as the light decoder's messages write it: `tools[0].name`. */
  path: string;
  /** The same without indices and with each union's tag: `messages[].parts[]<tool_call>.name`, to tell cases apart. */
  field: string;
  what: 'missing' | 'null' | 'wrong type' | 'array for object' | 'object for array' | 'unknown tag' | 'default left out';
  value: unknown;
}

/** Copies `root` with the value at `keys` replaced (`undefined`: removed). */
function replaced(root: unknown, keys: (string | number)[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [key, ...rest] = keys;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  const next = replaced(copy[key!], rest, value);
  if (next === undefined) delete copy[key!];
  else copy[key!] = next;
  return copy;
}

/**
 * Every corruption of `value` at every field its shape describes, in every
 * item of its arrays, plus removals of defaulted fields (which are no corruption).
 */
function* mutations(shape: Shape, value: unknown, path = '', field = ''): Generator<Mutation> {
  const at = (what: Mutation['what'], replacement: unknown): Mutation => ({ path, field, what, value: replacement });
  if (typeof shape === 'string') {
    if (shape === '*') return;
    if (!shape.includes('z')) yield at('null', null);
    yield at('wrong type', ['x', 1, true].find((v) => !shape.includes(typeLetter(v))));
    return;
  }
  if (Array.isArray(shape)) {
    const [kind, inner, extra] = shape as readonly [string, Shape, Record<string, ObjectShape>];
    if (kind === '?' || kind === '=') {
      if (value !== undefined) yield* mutations(inner, value, path, field);
      return;
    }
    yield at('null', null);
    if (kind === '[]') {
      yield at('object for array', {});
      for (const [index, item] of (value as unknown[]).entries()) {
        yield* mutations(inner, item, `${path}[${index}]`, `${field}[]`);
      }
      return;
    }
    // A union: its tag, then the fields of the variant the value is.
    const key = inner as string;
    const tag = (value as Record<string, unknown>)[key] as string;
    yield { path: path ? `${path}.${key}` : key, field: `${field}.${key}`, what: 'unknown tag', value: 'bogus' };
    yield* mutations(extra[tag]!, value, path, `${field}<${tag}>`);
    return;
  }
  if (path) {
    yield at('null', null);
    yield at('array for object', []);
  }
  for (const [key, fieldShape] of Object.entries(shape as ObjectShape)) {
    const fieldValue = (value as Record<string, unknown>)[key];
    const fieldPath = path ? `${path}.${key}` : key;
    const kind = Array.isArray(fieldShape) ? (fieldShape as readonly unknown[])[0] : undefined;
    if (kind === '=' && fieldValue !== undefined) {
      yield { path: fieldPath, field: `${field}.${key}`, what: 'default left out', value: undefined };
    } else if (kind !== '?' && kind !== '=') {
      yield { path: fieldPath, field: `${field}.${key}`, what: 'missing', value: undefined };
    }
    yield* mutations(fieldShape, fieldValue, fieldPath, `${field}.${key}`);
  }
}

/** Applies a mutation (its path is keys joined by dots, and `[n]` for array items). */
function applied(root: unknown, mutation: Mutation): unknown {
  const keys = mutation.path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return replaced(root, keys, mutation.value);
}

function throwsWith(decode: () => unknown): unknown {
  try {
    decode();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('decodeAgentEvent and parseAgentEvent agree', () => {
  it.each(STREAMS.map(([name, events]) => [name, events] as const))('on every event of %s', (_, events) => {
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const light = decodeAgentEvent(event);
      expect(light).toBeDefined();
      expect(light).toEqual(parseAgentEvent(event));
    }
  });

  it.each(AGENT_EVENT_TYPES)('on a %s event with every optional field, and with unknown fields', (type) => {
    const sample = SAMPLE_EVENTS[type];
    expect(decodeAgentEvent(sample)).toEqual(parseAgentEvent(sample));
    const newer = { ...(sample as object), addedLater: { nested: [1] } };
    expect(decodeAgentEvent(newer)).toEqual(parseAgentEvent(newer));
    expect(decodeAgentEvent(newer)).toMatchObject({ addedLater: { nested: [1] } });
  });

  it('skip the same values: unknown types, no type, not objects', () => {
    for (const value of [{ type: 'added_later', x: 1 }, { type: 'toString' }, { type: 7 }, {}, null, 'ready', 3, [{ type: 'ready' }]]) {
      expect(decodeAgentEvent(value)).toBeUndefined();
      expect(parseAgentEvent(value)).toBeUndefined();
    }
  });

  const cases = [...STREAMS.flatMap(([, events]) => events), ...Object.values(SAMPLE_EVENTS)].flatMap((event) => {
    const type = (event as { type: AgentEventType }).type;
    return [...mutations(EVENT_SHAPES[type], event)].map((mutation) => ({ type, event, mutation }));
  });
  // One case per event type, field and kind of corruption: the streams repeat themselves.
  const unique = [...new Map(cases.map((c) => [`${c.type} ${c.mutation.field} ${c.mutation.what}`, c])).values()];

  it('fill in the same defaults when a defaulted field is left out', () => {
    const defaults = unique.filter((c) => c.mutation.what === 'default left out');
    const found = defaults.map((c) => `${c.type} ${c.mutation.field}`);
    for (const field of ['tool_output .isError', 'error .retryable', 'usage .usage.costUsd', 'tool_log .agent.toolCount', 'snapshot .messages[].parts[]<tool_call>.agents[].steps']) {
      expect(found).toContain(field);
    }
    for (const { event, mutation } of defaults) {
      const changed = applied(event, mutation);
      expect(decodeAgentEvent(changed), `${mutation.path} left out`).toEqual(parseAgentEvent(changed));
    }
  });

  const corruptions = unique.filter((c) => c.mutation.what !== 'default left out');
  it(`reject every corruption, the light decoder naming the event type and the field (${corruptions.length} cases)`, () => {
    expect(new Set(corruptions.map((c) => c.mutation.what))).toEqual(
      new Set(['missing', 'null', 'wrong type', 'array for object', 'object for array', 'unknown tag']),
    );
    expect(new Set(corruptions.map((c) => c.type))).toEqual(new Set(AGENT_EVENT_TYPES));
    for (const { type, event, mutation } of corruptions) {
      const changed = applied(event, mutation);
      const label = `${type} event, ${mutation.path} ${mutation.what}: ${JSON.stringify(changed)}`;
      const light = throwsWith(() => decodeAgentEvent(changed));
      expect(light, label).toBeInstanceOf(ProtocolError);
      expect((light as Error).message, label).toMatch(new RegExp(`^Invalid ${type} event: ${mutation.path.replace(/[.[\]]/g, '\\$&')} must be `));
      expect(throwsWith(() => parseAgentEvent(changed)), label).toBeDefined();
    }
  });
});

describe('decodeResponse and the answer schemas agree', () => {
  it.each(RESPONSE_NAMES)('on a %s answer with every optional field, and with unknown fields', (name) => {
    const schema = RESPONSE_SCHEMAS[name];
    const sample = SAMPLE_RESPONSES[name];
    expect(decodeResponse(name, sample)).toEqual(schema.parse(sample));
    const newer = { ...(sample as object), addedLater: true };
    expect(decodeResponse(name, newer)).toEqual(schema.parse(newer));
  });

  it.each(RESPONSE_NAMES)('on every corruption of a %s answer', (name) => {
    const schema = RESPONSE_SCHEMAS[name];
    const sample = SAMPLE_RESPONSES[name];
    const found = [...mutations(RESPONSE_SHAPES[name], sample)];
    expect(found.length).toBeGreaterThan(0);
    for (const mutation of found) {
      const changed = applied(sample, mutation);
      const label = `${name}, ${mutation.path} ${mutation.what}: ${JSON.stringify(changed)}`;
      if (mutation.what === 'default left out') {
        expect(decodeResponse(name, changed), label).toEqual(schema.parse(changed));
        continue;
      }
      const light = throwsWith(() => decodeResponse(name, changed));
      expect(light, label).toBeInstanceOf(ProtocolError);
      expect((light as Error).message, label).toMatch(new RegExp(`^${mutation.path.replace(/[.[\]]/g, '\\$&')} must be `));
      expect(schema.safeParse(changed).success, label).toBe(false);
    }
  });

  it('on answers that are not objects', () => {
    for (const name of RESPONSE_NAMES) {
      for (const value of [null, [], 'ok', 1, undefined]) {
        expect(() => decodeResponse(name, value)).toThrow(/^the value must be an object, got /);
        expect(RESPONSE_SCHEMAS[name].safeParse(value).success).toBe(false);
      }
    }
  });
});

describe('what only the strict schemas check', () => {
  it('the light decoder accepts enum members, integers and ranges it does not know; parseAgentEvent rejects them', () => {
    for (const event of [
      { type: 'usage', scope: 'month', usage, cumulative: usage },
      { type: 'ready', protocolVersion: '1.0', sessionId: 's', lastEventId: 1.5 },
      { type: 'approval_required', turnId: 't', messageId: 'm', tools: [] },
    ]) {
      expect(decodeAgentEvent(event)).toEqual(event);
      expect(() => parseAgentEvent(event)).toThrow();
    }
  });
});
