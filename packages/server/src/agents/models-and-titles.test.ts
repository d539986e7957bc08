import {
  healthSchema,
  modelConfigSchema,
  sessionInfoSchema,
  sessionMessagesSchema,
  titleResultSchema,
} from '@agent-chat/core/schemas';
import { describe, expect, it } from 'vitest';
import { nodeFactory } from '../__fixtures__/adapter-factories.js';
import { expectError, useServers } from '../__fixtures__/conformance-suite.js';
import { readEvents, waitFor } from '../__fixtures__/harness.js';

const start = useServers(nodeFactory);

describe('models', () => {
  it('the session model wins over the global default, which wins over the agent’s own', async () => {
    const s = await start();
    const id = await s.createSession();
    await readEvents(await s.post(`/chat/${id}`, { text: 'a' }));
    await s.post('/config/model', { model: 'large' });
    await readEvents(await s.post(`/chat/${id}`, { text: 'b' }));
    await s.post(`/session/${id}/model`, { model: 'small' });
    await readEvents(await s.post(`/chat/${id}`, { text: 'c' }));
    expect(s.agent.turnModels).toEqual([undefined, 'large', 'small']);
    expect(sessionInfoSchema.parse(await (await s.call(`/session/${id}`)).json()).model).toBe('small');
  });

  it('an agent without models: the list is the configured default alone, and any model is accepted', async () => {
    const bare = await start({ agentOptions: { bare: true } });
    expect(modelConfigSchema.parse(await (await bare.call('/config/model')).json())).toEqual({ model: null, models: [] });
    expect(healthSchema.parse(await (await bare.call('/health')).json()).features.models).toBe(false);
    const withDefault = await start({ agentOptions: { bare: true }, defaultModel: 'house-model' });
    expect(modelConfigSchema.parse(await (await withDefault.call('/config/model')).json())).toEqual({
      model: 'house-model',
      models: [{ id: 'house-model', label: 'house-model' }],
    });
    const id = await withDefault.createSession();
    expect((await withDefault.post(`/session/${id}/model`, { model: 'anything' })).status).toBe(200);
  });

  it('canSetDefaultModel can refuse: 403 forbidden, nothing changed', async () => {
    const s = await start({ canSetDefaultModel: (user) => user.id === 'admin' });
    await expectError(await s.post('/config/model', { model: 'large' }), 403, 'forbidden');
    expect(modelConfigSchema.parse(await (await s.call('/config/model')).json()).model).toBe('small');
    expect((await s.post('/config/model', { model: 'large' }, { user: 'admin' })).status).toBe(200);
    await expectError(await s.post('/config/model', { model: 'huge' }, { user: 'admin' }), 422, 'unknown_model');
    await expectError(await s.post('/session', { model: 'huge' }), 422, 'unknown_model');
  });
});

describe('titles', () => {
  it('sets the session title and sends a title event to its subscribers', async () => {
    const s = await start();
    const id = await s.createSession();
    const stream = s.call(`/events/${id}`).then((r) => readEvents(r, (e) => e.event.type === 'title'));
    await waitFor(() => s.chat.sessions.get(id, 'ann')!.openStreams === 1);
    const { title } = titleResultSchema.parse(await (await s.post('/title', { text: 'Plan my Lisbon trip in May', sessionId: id })).json());
    expect(title).toBe('Chat about Plan my Lisbon trip');
    expect((await stream).at(-1)!.event).toEqual({ type: 'title', title });
    expect(sessionInfoSchema.parse(await (await s.call(`/session/${id}`)).json()).title).toBe(title);
    expect(sessionMessagesSchema.parse(await (await s.call(`/session/${id}/messages`)).json()).title).toBe(title);
  });

  it('falls back to the first six words without agent.title, or when it fails or hangs', async () => {
    const bare = await start({ agentOptions: { bare: true } });
    const heuristic = titleResultSchema.parse(await (await bare.post('/title', { text: 'how do I **rotate** keys in prod safely?' })).json());
    expect(heuristic.title).toBe('how do I rotate keys in');

    const failing = await start({ titleTimeoutMs: 50 });
    (failing.agent as { title?: unknown }).title = async () => {
      throw new Error('model down');
    };
    expect((await (await failing.post('/title', { text: 'one two three' })).json()).title).toBe('one two three');
    (failing.agent as { title?: unknown }).title = () => new Promise(() => {});
    expect((await (await failing.post('/title', { text: 'never answers at all' })).json()).title).toBe('never answers at all');
    expect(failing.logger.lines.filter((l) => l.level === 'warn').length).toBeGreaterThanOrEqual(2);
  });
});
