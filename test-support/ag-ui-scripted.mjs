// @ts-check
// A small scripted AG-UI 1.0 agent for tests: it answers `POST` with a
// `RunAgentInput` by streaming AG-UI events encoded by the official
// `@ag-ui/encoder` (`EventEncoder`, SSE `data:` frames), typed with
// `@ag-ui/core`'s event types. What it does is picked by the last user
// message's text (see SCRIPTS); a run with `resume[]` continues an interrupt.
// Every input it receives is kept, and listed by `GET {base}/requests?threadId=`.
import { EventType } from '@ag-ui/core';
import { EventEncoder } from '@ag-ui/encoder';

/** @typedef {import('@ag-ui/core').AGUIEvent} AGUIEvent */
/** @typedef {import('@ag-ui/core').RunAgentInput} RunAgentInput */
/** @typedef {{ input: RunAgentInput; authorization?: string; aborted: boolean; finished: boolean }} ReceivedRun */

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scripted agent as a Node request listener for URLs under `base`
 * (`POST {base}` runs, `GET {base}/requests?threadId=` lists what came).
 * Returns false for any other URL, so it can sit in front of another server.
 * @param {{ base?: string; chunkDelayMs?: number }} [options]
 */
export function createScriptedAgUiAgent(options = {}) {
  const base = options.base ?? '/ag-ui-scripted';
  const delay = options.chunkDelayMs ?? 5;
  /** @type {ReceivedRun[]} */
  const runs = [];

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @returns {boolean} whether the request was for this agent
   */
  function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return false;
    if (req.method === 'GET' && url.pathname === `${base}/requests`) {
      const threadId = url.searchParams.get('threadId');
      const list = runs.filter((r) => !threadId || r.input.threadId === threadId);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
      return true;
    }
    if (req.method !== 'POST' || url.pathname !== base) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return true;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      /** @type {RunAgentInput} */
      let input;
      try {
        input = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_json', message: 'Body is not JSON.' } }));
        return;
      }
      /** @type {ReceivedRun} */
      const run = { input, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), aborted: false, finished: false };
      runs.push(run);
      const encoder = new EventEncoder({ accept: String(req.headers.accept ?? 'text/event-stream') });
      res.writeHead(200, { 'content-type': encoder.getContentType(), 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      res.on('close', () => {
        if (!run.finished) run.aborted = true;
      });
      /** @param {AGUIEvent} event */
      const send = async (event) => {
        if (run.aborted) throw new Error('aborted');
        res.write(encoder.encode(event));
        await sleep(delay);
      };
      play(input, send)
        .then(() => {
          run.finished = true;
          res.end();
        })
        .catch(() => res.end());
    });
    return true;
  }

  return { handle, runs };
}

/**
 * @param {RunAgentInput} input
 * @param {(event: AGUIEvent) => Promise<void>} send
 */
async function play(input, send) {
  const { threadId, runId } = input;
  await send({ type: EventType.RUN_STARTED, threadId, runId });
  const resume = input.resume ?? [];
  // Answers to the interrupt continue it; interrupts only cancelled (the user stopped instead) leave the new message to answer.
  if (resume.some((entry) => entry.status === 'resolved')) return continueAfterInterrupt(input, send);
  const last = [...input.messages].reverse().find((m) => m.role === 'user');
  const text = typeof last?.content === 'string' ? last.content : '';
  const said = async (words, id = `${runId}:text`) => {
    await send({ type: EventType.TEXT_MESSAGE_START, messageId: id, role: 'assistant' });
    for (const word of words.split(/(?<= )/)) await send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: id, delta: word });
    await send({ type: EventType.TEXT_MESSAGE_END, messageId: id });
  };

  if (/reason/i.test(text)) {
    const id = `${runId}:reasoning`;
    await send({ type: EventType.REASONING_START, messageId: id });
    await send({ type: EventType.REASONING_MESSAGE_START, messageId: id, role: 'reasoning' });
    for (const word of 'Weighing the question carefully.'.split(/(?<= )/)) await send({ type: EventType.REASONING_MESSAGE_CONTENT, messageId: id, delta: word });
    await send({ type: EventType.REASONING_MESSAGE_END, messageId: id });
    await send({ type: EventType.REASONING_END, messageId: id });
    await said('After some thought: 42.');
  } else if (/tool/i.test(text)) {
    const toolCallId = `${runId}:add`;
    await send({ type: EventType.TOOL_CALL_START, toolCallId, toolCallName: 'add', parentMessageId: `${runId}:text` });
    await send({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta: '{"a": 2,' });
    await send({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta: ' "b": 3}' });
    await send({ type: EventType.TOOL_CALL_END, toolCallId });
    await send({ type: EventType.TOOL_CALL_RESULT, messageId: `${runId}:result`, toolCallId, content: '5', role: 'tool' });
    await said('2 + 3 = 5.', `${runId}:after`);
  } else if (/research/i.test(text)) {
    const toolCallId = `${runId}:research`;
    await send({ type: EventType.TOOL_CALL_START, toolCallId, toolCallName: 'research' });
    await send({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta: '{"topic":"tides"}' });
    await send({ type: EventType.TOOL_CALL_END, toolCallId });
    for (const [n, name] of [[1, 'Moon'], [2, 'Sun']]) {
      await send({ type: EventType.SUBAGENT_STARTED, subagentRunId: `${runId}:sub${n}`, name: `${name} researcher`, description: `Reading about the ${name}`, parentToolCallId: toolCallId });
    }
    await sleep(300);
    await send({ type: EventType.SUBAGENT_FINISHED, subagentRunId: `${runId}:sub1` });
    await send({ type: EventType.SUBAGENT_ERROR, subagentRunId: `${runId}:sub2`, message: 'The Sun source was down' });
    await send({ type: EventType.TOOL_CALL_RESULT, messageId: `${runId}:result`, toolCallId, content: 'Tides follow the Moon.', role: 'tool' });
    await said('Tides follow the Moon.', `${runId}:after`);
  } else if (/write|approv|interrupt/i.test(text)) {
    await said('I will write the file once you agree.');
    const toolCallId = `${runId}:write`;
    await send({ type: EventType.TOOL_CALL_START, toolCallId, toolCallName: 'write_file', parentMessageId: `${runId}:text` });
    await send({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta: JSON.stringify({ path: 'notes.txt', content: 'hello' }) });
    await send({ type: EventType.TOOL_CALL_END, toolCallId });
    await send({
      type: EventType.RUN_FINISHED,
      threadId,
      runId,
      outcome: { type: 'interrupt', interrupts: [{ id: `${runId}:approve`, reason: 'tool_approval', toolCallId, message: 'Write notes.txt?' }] },
    });
    return;
  } else if (/fail|error/i.test(text)) {
    await said('Starting, then failing.');
    await send({ type: EventType.RUN_ERROR, message: 'The scripted agent failed on purpose.', code: 'scripted_failure' });
    return;
  } else if (/slow|long/i.test(text)) {
    const id = `${runId}:text`;
    await send({ type: EventType.TEXT_MESSAGE_START, messageId: id, role: 'assistant' });
    for (let i = 0; i < 600; i++) {
      await send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: id, delta: `word${i} ` });
      await sleep(50);
    }
    await send({ type: EventType.TEXT_MESSAGE_END, messageId: id });
  } else {
    await said(`You said: ${text}`);
  }
  await send({ type: EventType.RUN_FINISHED, threadId, runId, outcome: { type: 'success' }, usage: [{ inputTokens: 12, outputTokens: 7 }] });
}

/**
 * The run after an interrupt: the tool runs with the payload's input when
 * approved (`{approved: true, input?}`), or is reported rejected.
 * @param {RunAgentInput} input
 * @param {(event: AGUIEvent) => Promise<void>} send
 */
async function continueAfterInterrupt(input, send) {
  const { threadId, runId } = input;
  const entry = /** @type {import('@ag-ui/core').ResumeEntry} */ (input.resume?.[0]);
  const payload = /** @type {{ approved?: boolean; input?: { path?: string; content?: string }; feedback?: string }} */ (entry.payload ?? {});
  const toolCallId = entry.interruptId.replace(/:approve$/, ':write');
  const id = `${runId}:text`;
  if (entry.status === 'resolved' && payload.approved !== false) {
    const args = payload.input ?? { path: 'notes.txt', content: 'hello' };
    await send({ type: EventType.TOOL_CALL_RESULT, messageId: `${runId}:result`, toolCallId, content: `Wrote ${args.content?.length ?? 0} bytes to ${args.path}`, role: 'tool' });
    await send({ type: EventType.TEXT_MESSAGE_START, messageId: id, role: 'assistant' });
    await send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: id, delta: `Done: ${args.path} written.` });
  } else {
    await send({ type: EventType.TEXT_MESSAGE_START, messageId: id, role: 'assistant' });
    await send({ type: EventType.TEXT_MESSAGE_CONTENT, messageId: id, delta: `Not written${payload.feedback ? `: ${payload.feedback}` : ''}.` });
  }
  await send({ type: EventType.TEXT_MESSAGE_END, messageId: id });
  await send({ type: EventType.RUN_FINISHED, threadId, runId, outcome: { type: 'success' } });
}

/**
 * The scripted agent as a web-test-runner (Koa) middleware under `base` on
 * the test page's origin (web-test-runner.config.mjs).
 * @param {string} [base]
 */
export function scriptedAgUiMiddleware(base = '/ag-ui-scripted') {
  const agent = createScriptedAgUiAgent({ base });
  /** @param {any} ctx @param {() => Promise<unknown>} next */
  return function scriptedAgUi(ctx, next) {
    if (ctx.path !== base && !ctx.path.startsWith(`${base}/`)) return next();
    // The agent answers on the raw response (as agentChatApiMiddleware does).
    ctx.status = 200;
    ctx.respond = false;
    agent.handle(ctx.req, ctx.res);
  };
}
