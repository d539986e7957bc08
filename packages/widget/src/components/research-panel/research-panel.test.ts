import type { ResearchAgent, ToolCallPart } from '@agent-chat/core';
import '../../define.js';
import { stateOf, tourResearching } from '../../__fixtures__/scenarios.js';
import { assert, assertEqual, assertMatch } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';

function agentsOf(): ResearchAgent[] {
  const part = stateOf(tourResearching)
    .messages.flatMap((m) => m.parts)
    .find((p): p is ToolCallPart => p.type === 'tool_call' && p.name === 'research')!;
  return part.agents!;
}

describe('<agent-chat-research>', () => {
  afterEach(cleanup);

  for (const width of [240, 320, 600]) {
    it(`keeps every row inside a ${width} px column, however long the steps`, async () => {
      const long = 'Counting words in notes/a-rather-long-folder-name/with-a-long-file-name-too.md';
      const agents = agentsOf().map((a) => ({ ...a, label: `${a.label} with a long label for a narrow screen`, steps: [...a.steps, long], step: long }));
      const el = await mount('agent-chat-research', { agents }, `width: ${width}px`);
      const column = el.getBoundingClientRect();
      for (const row of el.shadowRoot!.querySelectorAll('[part~="agent"]')) {
        const box = row.getBoundingClientRect();
        assert(box.right <= column.right + 0.5, `a row ends inside the column (${box.right.toFixed(0)} > ${column.right.toFixed(0)})`);
        const badge = row.querySelector('.badge')!.getBoundingClientRect();
        assert(badge.right <= column.right + 0.5, 'its state badge is in view');
      }
    });
  }

  it('shows one row per sub-agent with label, state, step, tool count, tokens and last steps', async () => {
    const agents = agentsOf();
    assertEqual(agents.length, 3, 'three agents recorded');
    const el = await mount('agent-chat-research', { agents });
    const rows = el.shadowRoot!.querySelectorAll('[part~="agent"]');
    assertEqual(rows.length, 3, 'rows');
    const heading = [...rows].find((r) => r.textContent!.includes('Heading finder'))!;
    assertMatch(heading.querySelector('.badge')!.textContent!, /Done/, 'done badge');
    const running = [...rows].find((r) => r.classList.contains('running'))!;
    assert(running.querySelector('.spinner'), 'running indicator');
    assertMatch(running.querySelector('[data-tools]')!.textContent!, /^\d+ tools$/, 'tool count');
    assertMatch(running.querySelector('[data-tokens]')!.textContent!, /^\d+ tokens$/, 'tokens');
    assert(running.querySelectorAll('[part~="agent-steps"] li').length >= 1, 'last steps listed');
    assertEqual(running.querySelector('[part~="agent-steps"] li.current')?.textContent, running.querySelector('[part~="agent-steps"] li:last-child')?.textContent, 'current step last');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('keeps counting the elapsed time of running agents between events', async () => {
    const agents: ResearchAgent[] = [
      { agentId: 'a', label: 'Docs reader', status: 'running', steps: ['Reading docs'], step: 'Reading docs', toolCount: 2, tokens: 12_400, elapsedMs: 18_000 },
      { agentId: 'b', label: 'Finished', status: 'done', steps: [], toolCount: 1, tokens: 100, elapsedMs: 4_000 },
    ];
    const el = await mount('agent-chat-research', { agents });
    const first = el.elapsedOf(agents[0]!);
    assertMatch(el.shadowRoot!.querySelector('[data-agent-id="a"] [data-elapsed]')!.textContent!, /^18s$/, 'elapsed shown');
    assertMatch(el.shadowRoot!.querySelector('[data-agent-id="a"] [data-tokens]')!.textContent!, /12k tokens/, 'compact tokens');
    await new Promise((r) => setTimeout(r, 30));
    assert(el.elapsedOf(agents[0]!) > first, 'a running agent keeps counting');
    assertEqual(el.elapsedOf(agents[1]!), 4_000, 'a finished agent does not');
  });
});
