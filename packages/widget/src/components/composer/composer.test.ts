import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import { assert, assertEqual, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AgentChatSendEvent } from '../../events/send-event.js';
import type { AgentChatModelChangeEvent } from '../../events/model-change-event.js';
import type { AgentChatAttachEvent } from '../../events/attach-event.js';

describe('<agent-chat-composer>', () => {
  afterEach(cleanup);

  const input = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="input"]')!;

  it('Enter sends and clears, Shift+Enter breaks the line, a cancelled send keeps the text', async () => {
    const el = await mount('agent-chat-composer');
    const sent: string[] = [];
    el.addEventListener('agent-chat-send', (e: AgentChatSendEvent) => sent.push(e.detail.text));
    input(el).focus();
    await sendKeys({ type: 'one' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'two' });
    assertEqual(sent.length, 0, 'Shift+Enter did not send');
    await sendKeys({ press: 'Enter' });
    assertEqual(sent.join('|'), 'one\ntwo', 'sent');
    await el.updateComplete;
    assertEqual(input(el).value, '', 'cleared');
    el.addEventListener('agent-chat-send', (e) => e.preventDefault(), { once: true });
    await sendKeys({ type: 'vetoed' });
    await sendKeys({ press: 'Enter' });
    assertEqual(input(el).value, 'vetoed', 'kept');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('while running: Stop replaces Send, Enter does not send, Escape stops', async () => {
    const el = await mount('agent-chat-composer', { running: true, value: 'next question' });
    assert(!el.shadowRoot!.querySelector('[part~="send-button"]'), 'no send');
    let stops = 0;
    let sends = 0;
    el.addEventListener('agent-chat-stop', () => stops++);
    el.addEventListener('agent-chat-send', () => sends++);
    input(el).focus();
    await sendKeys({ press: 'Enter' });
    assertEqual(sends, 0, 'no send while running');
    await sendKeys({ press: 'Escape' });
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="stop-button"]')!.click();
    assertEqual(stops, 2, 'Escape and the button stop');
  });

  it('is disabled until connected', async () => {
    const el = await mount('agent-chat-composer', { disabled: true, value: 'text' });
    assert(input(el).disabled, 'textarea disabled');
    assert(el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!.disabled, 'send disabled');
    assertEqual(el.submit(), false, 'submit refused');
  });

  it('offers the server’s models and reports a change', async () => {
    const el = await mount('agent-chat-composer', {
      models: [
        { id: 'opus', label: 'Claude Opus', recommended: true },
        { id: 'haiku', label: 'Claude Haiku' },
      ],
      model: 'opus',
    });
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('[part~="model-select"]')!;
    assertEqual(select.getAttribute('aria-label'), 'Model', 'labelled');
    assertEqual(select.value, 'opus', 'selected');
    const changed = new Promise<AgentChatModelChangeEvent>((r) => el.addEventListener('agent-chat-model-change', r, { once: true }));
    select.value = 'haiku';
    select.dispatchEvent(new Event('change'));
    assertEqual((await changed).detail.model, 'haiku', 'event');
    assertEqual(el.model, 'haiku', 'kept');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('hides attachments unless the server accepts them; then takes pasted files (agent-chat-attach) into <agent-chat-uploads>', async () => {
    const el = await mount('agent-chat-composer');
    assert(!el.shadowRoot!.querySelector('[part~="attach-button"]'), 'hidden by default');
    el.attachments = true;
    await el.updateComplete;
    assert(el.shadowRoot!.querySelector('[part~="attach-button"] input[type="file"]'), 'attach button');
    const attached = new Promise<AgentChatAttachEvent>((resolve) => el.addEventListener('agent-chat-attach', resolve, { once: true }));
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'notes.txt', { type: 'text/plain' }));
    input(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    assertEqual((await attached).detail.files.map((f) => f.name).join(), 'notes.txt', 'file announced');
    // No attachment host: the chip says the file cannot go anywhere (the uploads are tested in attachments.uploads.test.ts).
    const chip = await waitFor(() => el.shadowRoot!.querySelector<HTMLElement>('agent-chat-uploads [part~="attachment"]'), 'a chip');
    assertEqual(chip.dataset.state, 'failed', 'no host to upload to');
    assertEqual(chip.querySelector('[part~="attachment-remove"]')!.getAttribute('aria-label'), 'Remove notes.txt');
  });
});
