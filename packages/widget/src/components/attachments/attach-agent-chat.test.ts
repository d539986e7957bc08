import { sendKeys } from '@web/test-runner-commands';
import type { AgentChat } from '../../index.js';
import type { AgentChatComposer } from '../composer/composer.component.js';
import { assert, assertEqual, assertMatch, deepQuery, deepQueryAll, waitFor } from '../../test-support/assert.js';

/*
 * The whole path on the REAL server (the demo agent under /api, served by
 * test-support/wtr.mjs from the built @agent-chat/server): <agent-chat> in an
 * iframe loading the prebuilt bundle's entry (test-support/reload-page.html),
 * so the attachment parts load on first need; files pasted, picked and dropped,
 * one refused by the server, the message sent, its thumbnail, a real reload,
 * and the lightbox by keyboard.
 */

const q = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQuery<E>(el.shadowRoot!, selector);
const qa = <E extends Element = HTMLElement>(el: AgentChat, selector: string) => deepQueryAll<E>(el.shadowRoot!, selector);

let frame: HTMLIFrameElement | undefined;

async function load(reload = false): Promise<AgentChat> {
  if (!frame) {
    frame = document.createElement('iframe');
    frame.style.cssText = 'width: 800px; height: 640px; border: 0';
    document.body.append(frame);
  }
  const loaded = new Promise((resolve) => frame!.addEventListener('load', resolve, { once: true }));
  if (reload) frame.contentWindow!.location.reload();
  else frame.src = '/packages/widget/src/test-support/reload-page.html';
  await loaded;
  const el = await waitFor(() => frame!.contentDocument?.querySelector('agent-chat') as AgentChat | null, 'the element');
  await waitFor(() => el.conversation?.sessionId && q<HTMLTextAreaElement>(el, '[part~="input"]')?.disabled === false, 'the session');
  return el;
}

async function png(name: string, width: number, height: number): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#1b7a44';
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

const transfer = (...files: File[]) => {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
};

const chip = (el: AgentChat, name: string) =>
  qa(el, 'agent-chat-uploads [part~="attachment"]').find((c) => c.querySelector('.att-name')?.textContent === name);

describe('<agent-chat> attachments on the real server', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    frame?.remove();
    frame = undefined;
  });

  it('pastes, picks and drops files, shows a refusal, sends; the message keeps its thumbnail across a reload; the lightbox works by keyboard', async () => {
    let el = await load();
    const input = await waitFor(() => q<HTMLInputElement>(el, '[part~="attach-button"] input[type="file"]'), 'the attach button (features.attachments)');
    const textarea = q<HTMLTextAreaElement>(el, '[part~="input"]')!;

    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer(await png('chart.png', 64, 48)), bubbles: true, cancelable: true }));
    input.files = transfer(new File(['first line\nsecond line\n'], 'notes.txt', { type: 'text/plain' })).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    // An executable that claims to be a PNG: the server reads the bytes and refuses it (415).
    const exe = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0, ...new Array(200).fill(0)])], 'tool.png', { type: 'image/png' });
    q(el, '[part~="composer"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer(exe), bubbles: true, cancelable: true }));

    await waitFor(() => chip(el, 'chart.png')?.dataset.state === 'done' && chip(el, 'notes.txt')?.dataset.state === 'done', 'two uploads');
    await waitFor(() => chip(el, 'tool.png')?.dataset.state === 'failed', 'the refusal');
    assertEqual(chip(el, 'tool.png')!.querySelector('[part~="attachment-error"]')!.textContent, 'This type of file is not accepted', 'on its chip');

    const composer = q<AgentChatComposer>(el, 'agent-chat-composer')!;
    composer.value = 'What is in these files?';
    await composer.updateComplete;
    assert(composer.submit(), 'sent');
    await waitFor(() => el.conversation.status === 'idle' && el.conversation.messages.length === 2, 'the answer');
    const user = el.conversation.messages[0]!;
    assertEqual(user.attachments?.map((a) => `${a.name} ${a.mediaType} ${a.width ?? ''}`).join(', '), 'chart.png image/png 64, notes.txt text/plain ', 'the user message lists them');
    const answer = el.conversation.messages[1]!.parts.map((p) => ('text' in p ? p.text : '')).join('');
    assertMatch(answer, /chart\.png/, 'the demo agent describes what it received');
    assertEqual(qa(el, 'agent-chat-uploads [part~="attachment"]').length, 0, 'the draft is cleared, its refused file too');

    const thumbnail = async (chat: AgentChat) => {
      const img = await waitFor(() => q<HTMLImageElement>(chat, '[part~="user-message"] [part~="attachment-image"] img'), 'the thumbnail');
      await waitFor(() => img.complete && img.naturalWidth === 64, 'the thumbnail drawn');
      assertMatch(img.src, /^blob:/, 'loaded through the client');
      const link = q<HTMLAnchorElement>(chat, '[part~="user-message"] [part~="attachment-file"]')!;
      assertMatch(link.href, /\/api\/session\/[^/]+\/attachments\/[^/]+$/, 'the file’s download link');
      assertEqual(link.getAttribute('download'), 'notes.txt', 'its name');
    };
    await thumbnail(el);

    el = await load(true);
    await thumbnail(el);

    const open = q<HTMLButtonElement>(el, '[part~="attachment-image"]')!;
    open.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await waitFor(() => q<HTMLDialogElement>(el, 'dialog[part~="lightbox"][open]'), 'the lightbox');
    await waitFor(() => q<HTMLImageElement>(el, '[part~="lightbox-image"]')?.naturalWidth === 64, 'the image');
    const root = el.shadowRoot!;
    assertEqual(root.activeElement, dialog.querySelector('[part~="lightbox-close"]'), 'focus inside');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !q(el, 'dialog[open]'), 'closed by Escape');
    await waitFor(() => root.activeElement === open, 'focus back on the thumbnail');
  });
});
