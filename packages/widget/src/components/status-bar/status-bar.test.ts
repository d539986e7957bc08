import '../../define.js';
import { stateOf, toolError, tourResearching, tourStreaming, tourTurn, tourComplete, until } from '../../__fixtures__/scenarios.js';
import { assertEqual, assertMatch } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';

describe('<agent-chat-status>', () => {
  afterEach(cleanup);

  const activity = (el: HTMLElement) => el.shadowRoot!.querySelector('[part~="status-bar"]')!.getAttribute('data-activity');
  const label = (el: HTMLElement) => el.shadowRoot!.querySelector('[part~="activity"] .label')!.textContent!;

  it('shows thinking, then responding, while the answer streams', async () => {
    const thinking = await mount('agent-chat-status', { conversation: stateOf(until(tourTurn, (e) => e.type === 'thinking_end')) });
    assertEqual(activity(thinking), 'thinking');
    assertEqual(label(thinking), 'Thinking…');
    const responding = await mount('agent-chat-status', { conversation: stateOf(tourStreaming) });
    assertEqual(activity(responding), 'responding');
  });

  it('names the running tool, and says when approval is needed', async () => {
    const el = await mount('agent-chat-status', { conversation: stateOf(tourResearching) });
    assertEqual(activity(el), 'tool');
    assertEqual(label(el), 'Running research…');
    el.conversation = stateOf(tourTurn);
    await el.updateComplete;
    assertEqual(label(el), 'Waiting for your approval');
  });

  it('shows tokens and cost for the turn and the session once usage arrives', async () => {
    const el = await mount('agent-chat-status', { conversation: stateOf(toolError) });
    assertEqual(activity(el), 'idle');
    const turn = el.shadowRoot!.querySelector('[data-turn-usage]')!.textContent!;
    const session = el.shadowRoot!.querySelector('[data-session-usage]')!.textContent!;
    assertMatch(turn, /^Turn [\d.]+k? tokens · \$0\.0069$/, 'turn usage');
    assertMatch(session, /^Session [\d.]+k? tokens · \$0\.021$/, 'session usage');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('shows no cost when none is known (an agent without prices, such as the offline demo, reports 0)', async () => {
    const el = await mount('agent-chat-status', { conversation: stateOf(tourComplete) });
    const usage = el.shadowRoot!.querySelector('[part~="usage"]')!.textContent!.replace(/\s+/g, ' ').trim();
    assertMatch(usage, /^Turn [\d.]+k? tokens Session [\d.]+k? tokens$/, 'tokens only');
    assertEqual(usage.includes('$'), false, 'no "$0.00"');
  });

  it('says "Connecting…" and "Not connected" instead of "Ready" while there is no open session', async () => {
    const el = await mount('agent-chat-status', { conversation: stateOf([]), connection: 'connecting' });
    assertEqual(activity(el), 'connecting');
    assertEqual(label(el), 'Connecting…');
    el.connection = 'failed';
    await el.updateComplete;
    assertEqual(activity(el), 'offline');
    assertEqual(label(el), 'Not connected');
    // Whatever the last state known: a session that was left waiting is not waiting on anyone now.
    el.conversation = stateOf(tourTurn);
    await el.updateComplete;
    assertEqual(label(el), 'Not connected', 'not "Waiting for your approval"');
    el.strings = { statusNotConnected: 'Hors ligne' };
    await el.updateComplete;
    assertEqual(label(el), 'Hors ligne', 'replaceable');
    el.connection = 'open';
    await el.updateComplete;
    assertEqual(label(el), 'Waiting for your approval');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });
});
