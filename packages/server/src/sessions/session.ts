import {
  createConversationState,
  reduce,
  type AgentEvent,
  type ChatMessage,
  type ConversationState,
  type EventOf,
  type SequencedEvent,
  type SessionInfo,
  type SessionMessages,
} from '@agent-chat/core';
import type { Agent } from '../agents/agent.js';
import type { EventLog } from './event-log.js';
import type { SessionRecord } from './session-record.js';
import { SessionRunner, type CompactionOptions } from './session-runner.js';

/** An SSE response open on a session (the HTTP layer's `SseStream`): closed when the session unloads. */
export interface OpenStream {
  /** Sends an event outside the log (no id), e.g. `shutdown`. */
  send(event: AgentEvent): void;
  close(): void;
}

/** Options of {@link Session}. */
export interface SessionOptions {
  id: string;
  userId: string;
  title?: string;
  model?: string;
  log: EventLog;
  agent: Agent;
  logger: Pick<Console, 'warn' | 'error'>;
  /** The server's default model, for turns of a session that chose none. */
  defaultModel?: () => string | undefined;
  /** Automatic compaction before each turn. */
  compaction?: CompactionOptions;
  /** The conversation as of a checkpoint (a session loaded from a store); its `lastEventId` is where the log is read from. */
  state?: ConversationState;
  /** Times of a session loaded from a store, ms since the Unix epoch. Default now. */
  createdAt?: number;
  updatedAt?: number;
  lastActiveAt?: number;
  /** Told about each event after the state has applied it (persistence, coordination). Must not throw. */
  onEvent?: (session: Session, event: SequencedEvent) => void;
}

/**
 * One conversation: its event log, the state `reduce()` builds from every
 * event of that log (the history the API and the agent see), its runner and
 * the SSE streams open on it.
 */
export class Session {
  readonly id: string;
  readonly userId: string;
  /** Milliseconds since the Unix epoch. */
  readonly createdAt: number;
  /** When the conversation last changed (an event was appended), ms since the Unix epoch. */
  updatedAt: number;
  /** When anything last happened on the session (an event, or a request of its user), ms since the Unix epoch. */
  lastActiveAt: number;
  #model: string | undefined;
  readonly log: EventLog;
  readonly runner: SessionRunner;
  readonly #initialTitle: string | undefined;
  #state: ConversationState;
  readonly #streams = new Set<OpenStream>();

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.userId = options.userId;
    this.#model = options.model;
    this.#initialTitle = options.title;
    this.createdAt = options.createdAt ?? Date.now();
    this.updatedAt = options.updatedAt ?? this.createdAt;
    this.lastActiveAt = options.lastActiveAt ?? this.updatedAt;
    this.log = options.log;
    this.#state = options.state ?? createConversationState(options.id);
    // Before subscribing: a session loaded mid-turn replays the events past its checkpoint at once,
    // and `onEvent` looks at the runner (had it thrown, the log would have dropped the state's subscriber).
    this.runner = new SessionRunner(this, {
      agent: options.agent,
      logger: options.logger,
      ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
      ...(options.compaction ? { compaction: options.compaction } : {}),
    });
    const onEvent = options.onEvent;
    // First subscriber: the state is up to date before any stream sees an event.
    this.log.subscribe(this.#state.lastEventId, (sequenced) => {
      this.#state = reduce(this.#state, sequenced.event, sequenced.id);
      this.updatedAt = Date.now();
      this.lastActiveAt = this.updatedAt;
      onEvent?.(this, sequenced);
    });
  }

  /** The model this session chose (`POST /session/:id/model`); `undefined` follows the server's default. */
  get model(): string | undefined {
    return this.#model;
  }

  /** Sets the model of the session's next turns; a running turn keeps its own. */
  setModel(model: string): void {
    this.#model = model;
    this.lastActiveAt = Date.now();
  }

  /** Marks the session as used now, which postpones its idle expiry. */
  touch(): void {
    this.lastActiveAt = Date.now();
  }

  /**
   * Replaces the conversation (undo, truncate) by appending a `snapshot` event
   * with the new messages: every subscriber's reducer, and this session's
   * state, converge on it. Only while no turn runs.
   */
  replaceHistory(messages: ChatMessage[]): SequencedEvent {
    const state = this.#state;
    return this.append({
      type: 'snapshot',
      messages,
      pendingApprovals: [],
      processing: false,
      ...(this.title !== undefined ? { title: this.title } : {}),
      ...(state.usage.session ? { usage: state.usage.session } : {}),
    });
  }

  /** The conversation as of `log.lastId`. */
  get state(): ConversationState {
    return this.#state;
  }

  get title(): string | undefined {
    return this.#state.title ?? this.#initialTitle;
  }

  append(event: AgentEvent): SequencedEvent {
    return this.log.append(event);
  }

  info(): SessionInfo {
    const state = this.#state;
    return {
      id: this.id,
      ...(this.title !== undefined ? { title: this.title } : {}),
      ...(this.model !== undefined ? { model: this.model } : {}),
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      // From the state, not the runner: in a cluster another process may run the turn.
      processing: this.runner.running || state.status !== 'idle',
      awaitingApproval: state.pendingApprovals.length > 0,
      messageCount: state.messages.length,
      lastEventId: this.log.lastId,
    };
  }

  /** What a store keeps about this session besides its conversation. */
  record(): SessionRecord {
    const title = this.title;
    return {
      id: this.id,
      userId: this.userId,
      ...(title !== undefined ? { title } : {}),
      ...(this.#model !== undefined ? { model: this.#model } : {}),
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      lastActiveAt: this.lastActiveAt,
      messageCount: this.#state.messages.length,
      lastEventId: this.#state.lastEventId,
    };
  }

  /** The conversation and the id it is current at, read atomically. */
  messages(): SessionMessages {
    const state = this.#state;
    return {
      messages: state.messages,
      pendingApprovals: state.pendingApprovals,
      processing: state.status !== 'idle',
      ...(state.turnId !== undefined ? { turnId: state.turnId } : {}),
      ...(this.title !== undefined ? { title: this.title } : {}),
      ...(state.usage.session ? { usage: state.usage.session } : {}),
      lastEventId: state.lastEventId,
    };
  }

  /** The whole conversation as a `snapshot` event, current at `lastEventId`. */
  snapshot(): { event: EventOf<'snapshot'>; id: number } {
    const { lastEventId, ...body } = this.messages();
    return { event: { type: 'snapshot', ...body }, id: lastEventId };
  }

  /** How many SSE streams are open on this session. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Registers an open stream so that deletion and shutdown can end it. */
  track(stream: OpenStream): () => void {
    this.#streams.add(stream);
    return () => this.#streams.delete(stream);
  }

  /** Ends every open stream without a word: their clients reconnect with `Last-Event-ID`. */
  dropStreams(): void {
    for (const stream of [...this.#streams]) stream.close();
    this.#streams.clear();
  }

  /** Sends `shutdown` (no id: it is not part of the log) to every open stream and closes them. */
  shutdownStreams(reason: string): void {
    for (const stream of [...this.#streams]) {
      stream.send({ type: 'shutdown', reason });
      stream.close();
    }
    this.#streams.clear();
  }
}
