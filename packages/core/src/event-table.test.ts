import { describe, expect, expectTypeOf, it } from 'vitest';
import { AGENT_EVENT_TYPES, EVENT_TRAITS, TERMINAL_EVENT_TYPES, eventTypesWith, type EventTypeWith } from './event-table.js';
import { agentEventSchema, type AgentEventType } from './schemas/index.js';

/*
 * The event table is the one list of event types: it must name exactly the
 * zod union's types (checked by tsc through expectTypeOf, and at runtime in
 * protocol order), and its traits must agree with what the schemas say.
 */

interface Def {
  [key: string]: any;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const options = defOf(agentEventSchema).options as unknown[];
const typeOf = (option: unknown): string => defOf(defOf(option).shape.type).values[0];

describe('EVENT_TRAITS', () => {
  it('has a row for exactly the event types of the zod union (types)', () => {
    expectTypeOf<keyof typeof EVENT_TRAITS>().toEqualTypeOf<AgentEventType>();
    expectTypeOf<EventTypeWith<'chunk'>>().toEqualTypeOf<'assistant_chunk' | 'thinking_chunk'>();
  });

  it('lists the zod union\'s types in its order', () => {
    expect(AGENT_EVENT_TYPES).toEqual(options.map(typeOf));
    expect(new Set(AGENT_EVENT_TYPES).size).toBe(AGENT_EVENT_TYPES.length);
  });

  it('says messageId exactly for the events whose schema requires a string messageId', () => {
    const withMessageId = options
      .filter((option) => {
        const field = defOf(option).shape.messageId;
        return field !== undefined && defOf(field).type === 'string';
      })
      .map(typeOf);
    expect(eventTypesWith('messageId')).toEqual(withMessageId);
  });

  it('says chunk only of events with a messageId and a string delta', () => {
    for (const type of eventTypesWith('chunk')) {
      const shape = defOf(options.find((option) => typeOf(option) === type)).shape;
      expect(defOf(shape.delta).type, type).toBe('string');
      expect(EVENT_TRAITS[type].messageId, type).toBe(true);
    }
    expect(eventTypesWith('chunk')).toEqual(['assistant_chunk', 'thinking_chunk']);
  });

  it('ends a chat stream on the protocol\'s five terminal events, each of which settles the session but shutdown', () => {
    expect([...TERMINAL_EVENT_TYPES].sort()).toEqual(['approval_required', 'error', 'interrupted', 'shutdown', 'turn_complete']);
    expect(eventTypesWith('settling').filter((type) => !TERMINAL_EVENT_TYPES.has(type))).toEqual(['title', 'compacted', 'snapshot']);
    expect(eventTypesWith('endsTurn')).toEqual(['turn_complete', 'error', 'interrupted']);
    expect(eventTypesWith('endsTurn').every((type) => TERMINAL_EVENT_TYPES.has(type) && EVENT_TRAITS[type].settling)).toBe(true);
  });

  it('leaves an agent the events of its own output and keeps the turn\'s frame for the server', () => {
    const agentMay = AGENT_EVENT_TYPES.filter((type) => !eventTypesWith('serverOnly').includes(type as never));
    expect(agentMay).toEqual([
      'assistant_chunk',
      'assistant_stream_end',
      'thinking_chunk',
      'thinking_end',
      'tool_call',
      'tool_output',
      'tool_state_change',
      'tool_log',
      'usage',
      'title',
      'turn_complete',
    ]);
  });
});
