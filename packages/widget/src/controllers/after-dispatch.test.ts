import { assertEqual } from '../test-support/assert.js';
import { afterDispatch } from './after-dispatch.js';

describe('afterDispatch', () => {
  it('acts once every listener has had the event, and only when none cancelled it', async () => {
    const inner = document.createElement('span');
    const outer = document.createElement('div');
    outer.append(inner);
    document.body.append(outer);
    const log: string[] = [];
    // The element hears the event first (on the part); the host's listener, further out, may veto.
    inner.addEventListener('ask', (event) => afterDispatch(event, () => log.push(`acted on ${(event as CustomEvent).detail}`)));
    outer.addEventListener('ask', (event) => {
      log.push('host saw it');
      if ((event as CustomEvent).detail === 'veto') event.preventDefault();
    });

    const allowed = inner.dispatchEvent(new CustomEvent('ask', { detail: 'go', bubbles: true, cancelable: true }));
    assertEqual(allowed, true, 'not cancelled');
    assertEqual(log.join(', '), 'host saw it', 'nothing done during the dispatch');
    await Promise.resolve();
    assertEqual(log.join(', '), 'host saw it, acted on go', 'done once the dispatch is over');

    log.length = 0;
    inner.dispatchEvent(new CustomEvent('ask', { detail: 'veto', bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assertEqual(log.join(', '), 'host saw it', 'a vetoed event is not acted on');
    outer.remove();
  });
});
