import { sendKeys } from '@web/test-runner-commands';
import { ChatClient } from '@agent-chat/core';
import '../../define.js';
import { assert, assertEqual, assertMatch, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AttachmentHost } from '../../client.js';
import type { AgentChatComposer } from '../composer/composer.component.js';
import type { AgentChatSendEvent } from '../../events/send-event.js';

/*
 * The composer's files against the test server's attachment routes
 * (test-support/attachments-test-api.mjs, the contract of docs/api.md): picked,
 * pasted and dropped files upload through XMLHttpRequest with the client's
 * bearer header, show progress, refusals and thumbnails, and are sent or removed.
 */

const limits = { maxFileBytes: 8 * 1024 * 1024, maxFilesPerMessage: 5, maxBytesPerUser: 64 * 1024 * 1024, mediaTypes: ['image/png', 'text/plain', 'application/pdf', 'application/octet-stream'] };

function host(sessionId: string, extra: Partial<AttachmentHost> = {}): AttachmentHost {
  const client = new ChatClient({ endpoint: '/attach-api', headers: { authorization: 'Bearer test' } });
  return { client, session: { sessionId, signal: new AbortController().signal }, limits, ...extra };
}

async function png(): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 40, height: 30 });
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#b8532f';
  context.fillRect(0, 0, 40, 30);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], 'screenshot.png', { type: 'image/png' });
}

const text = (name: string, bytes = 'hello') => new File([bytes], name, { type: 'text/plain' });
const files = (...list: File[]) => {
  const data = new DataTransfer();
  for (const file of list) data.items.add(file);
  return data;
};
const chips = (el: AgentChatComposer) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('agent-chat-uploads [part~="attachment"]')];
const chip = (el: AgentChatComposer, name: string) => chips(el).find((c) => c.querySelector('.att-name')?.textContent === name);
const state = (el: AgentChatComposer, name: string) => chip(el, name)?.dataset.state;
const sendButton = (el: AgentChatComposer) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="send-button"]')!;
const textarea = (el: AgentChatComposer) => el.shadowRoot!.querySelector<HTMLTextAreaElement>('textarea')!;
type Logged = { method: string; path: string; auth: string };
const log = async () => (await (await fetch('/attach-api/log')).json()) as Logged[];
/** Polls the test server's log until `probe` finds something. */
async function waitForLog<T>(probe: (entries: Logged[]) => T, message: string): Promise<NonNullable<T>> {
  const deadline = performance.now() + 8000;
  for (;;) {
    const found = probe(await log());
    if (found) return found as NonNullable<T>;
    assert(performance.now() < deadline, `timed out waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('attachments in <agent-chat-composer>', () => {
  afterEach(cleanup);

  it('picks, pastes and drops files: each uploads with the client’s header and shows as a chip; an image with its thumbnail', async () => {
    const sessionId = `s-${crypto.randomUUID()}`;
    const el = await mount('agent-chat-composer', { attachments: true, attachmentHost: host(sessionId) });
    const picker = el.shadowRoot!.querySelector<HTMLInputElement>('[part~="attach-button"] input[type="file"]')!;
    picker.files = files(text('picked.txt')).files;
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(await png()), bubbles: true, cancelable: true }));
    const form = el.shadowRoot!.querySelector('form')!;
    const drop = files(new File(['%PDF-1.4'], 'dropped.pdf', { type: 'application/pdf' }));
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: drop, bubbles: true, cancelable: true }));
    await el.updateComplete;
    assert(form.classList.contains('dragging'), 'drop target shown while dragging');
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true }));

    await waitFor(() => chips(el).length === 3 && chips(el).every((c) => c.dataset.state === 'done'), 'three uploads done');
    assert(!form.classList.contains('dragging'), 'drop target hidden after the drop');
    assertEqual(chips(el).map((c) => c.querySelector('.att-name')!.textContent).join(), 'picked.txt,screenshot.png,dropped.pdf', 'in the order added');
    const thumb = chip(el, 'screenshot.png')!.querySelector<HTMLImageElement>('[part~="attachment-thumbnail"]')!;
    assertMatch(thumb.src, /^blob:/, 'thumbnail from the file');
    await waitFor(() => thumb.complete && thumb.naturalWidth === 40, 'thumbnail drawn');
    const posts = (await log()).filter((r) => r.method === 'POST' && r.path.includes(sessionId));
    assertEqual(posts.length, 3, 'three uploads');
    assert(posts.every((r) => r.auth === 'Bearer test'), 'with the client’s header');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('shows the progress while a file uploads, and Send waits for it; then sends the files, with or without text', async () => {
    const el = await mount('agent-chat-composer', { attachments: true, attachmentHost: host(`s-${crypto.randomUUID()}`) });
    const sent: AgentChatSendEvent['detail'][] = [];
    el.addEventListener('agent-chat-send', (e: AgentChatSendEvent) => sent.push(e.detail));
    el.value = 'Look at this';
    await el.updateComplete;
    const big = text('slow-notes.txt', 'x'.repeat(3 * 1024 * 1024));
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(big), bubbles: true, cancelable: true }));
    const progress = await waitFor(() => chip(el, 'slow-notes.txt')?.querySelector<HTMLProgressElement>('[part~="attachment-progress"]'), 'progress bar');
    assertEqual(progress.getAttribute('aria-label'), 'Uploading slow-notes.txt', 'labelled');
    assert(sendButton(el).disabled, 'Send waits for the upload');
    textarea(el).focus();
    await sendKeys({ press: 'Enter' });
    assertEqual(sent.length, 0, 'Enter does not send while uploading');
    // The bytes are all out before the server answers (it waits 1.5 s): the bar is full, the chip still uploading.
    await waitFor(() => progress.value === progress.max && progress.max > big.size, 'all bytes sent (the file and its multipart framing)');
    assertEqual(state(el, 'slow-notes.txt'), 'uploading', 'still waiting for the answer');
    await waitFor(() => state(el, 'slow-notes.txt') === 'done', 'uploaded');
    await el.updateComplete;
    assert(!sendButton(el).disabled, 'Send enabled');
    await sendKeys({ press: 'Enter' });
    assertEqual(sent.length, 1, 'sent');
    assertEqual(sent[0]!.text, 'Look at this', 'the text');
    assertEqual(sent[0]!.attachments?.map((a) => `${a.name}:${a.size}:${a.mediaType}`).join(), `slow-notes.txt:${big.size}:text/plain`, 'the uploaded file');
    await el.updateComplete;
    assertEqual(chips(el).length, 0, 'chips cleared');
    assertEqual(textarea(el).value, '', 'text cleared');

    // Files alone are a message too.
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(text('only.txt')), bubbles: true, cancelable: true }));
    await waitFor(() => state(el, 'only.txt') === 'done', 'uploaded');
    await el.updateComplete;
    assert(!sendButton(el).disabled, 'Send enabled with files and no text');
    sendButton(el).click();
    assertEqual(sent[1]?.text, '', 'empty text');
    assertEqual(sent[1]?.attachments?.[0]?.name, 'only.txt', 'with the file');
  });

  it('shows each refusal on its chip (too large, wrong type, quota, limits) and keeps the rest of the draft', async () => {
    const sessionId = `s-${crypto.randomUUID()}`;
    const el = await mount('agent-chat-composer', { attachments: true, attachmentHost: host(sessionId, { limits: { ...limits, maxFilesPerMessage: 5 } }) });
    el.value = 'my draft';
    await el.updateComplete;
    const paste = (...list: File[]) =>
      textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(...list), bubbles: true, cancelable: true }));
    paste(
      text('fine.txt'),
      new File(['x'], 'too-big.bin', { type: 'application/octet-stream' }), // the server answers 413
      new File(['MZ'], 'tool.exe', { type: 'application/octet-stream' }), // 415
      text('quota.txt'), // 429
      new File(['<svg/>'], 'drawing.svg', { type: 'image/svg+xml' }), // not in mediaTypes: refused before uploading
    );
    paste(new File([new Uint8Array(limits.maxFileBytes + 1)], 'huge.bin', { type: 'application/octet-stream' })); // over maxFileBytes
    await waitFor(() => chips(el).every((c) => c.dataset.state !== 'uploading') && chips(el).length === 6, 'all settled');
    const error = (name: string) => chip(el, name)?.querySelector('[part~="attachment-error"]')?.textContent;
    assertEqual(state(el, 'fine.txt'), 'done', 'the good file uploaded');
    assertEqual(error('too-big.bin'), 'Too large (the limit is 8.0 MB)', '413');
    assertEqual(error('tool.exe'), 'This type of file is not accepted', '415');
    assertEqual(error('quota.txt'), 'Upload limit reached; remove files or try again later', '429');
    assertEqual(error('drawing.svg'), 'This type of file is not accepted', 'type checked before uploading');
    assertEqual(error('huge.bin'), 'Too large (the limit is 8.0 MB)', 'size checked before uploading');
    const posted = (await log()).filter((r) => r.method === 'POST' && r.path.includes(sessionId)).length;
    assertEqual(posted, 4, 'the files over a limit were never sent');
    assertEqual(textarea(el).value, 'my draft', 'the text stays');
    assert(!sendButton(el).disabled, 'the rest can still be sent');
    paste(text('sixth.txt'));
    await el.updateComplete;
    // Refused files do not count against the files per message: this is the second kept.
    await waitFor(() => state(el, 'sixth.txt') === 'done', 'a kept file under the count limit');
    await new Promise((resolve) => setTimeout(resolve, 300)); // Send's fade-in (0.12 s) over
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe with errors');
  });

  it('refuses more files than a message may carry', async () => {
    const el = await mount('agent-chat-composer', { attachments: true, attachmentHost: host(`s-${crypto.randomUUID()}`, { limits: { ...limits, maxFilesPerMessage: 2 } }) });
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(text('a.txt'), text('b.txt'), text('c.txt')), bubbles: true, cancelable: true }));
    await waitFor(() => state(el, 'b.txt') === 'done', 'two uploaded');
    assertEqual(chip(el, 'c.txt')?.querySelector('[part~="attachment-error"]')?.textContent, 'Too many files (at most 2 per message)', 'the third refused');
  });

  it('removes a file: an uploaded one is deleted on the server, focus moves on, a refused one just goes', async () => {
    const sessionId = `s-${crypto.randomUUID()}`;
    const el = await mount('agent-chat-composer', { attachments: true, attachmentHost: host(sessionId) });
    textarea(el).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: files(text('keep.txt'), text('drop.txt'), new File(['x'], 'too-big.bin')), bubbles: true, cancelable: true }),
    );
    await waitFor(() => chips(el).every((c) => c.dataset.state !== 'uploading') && chips(el).length === 3, 'settled');
    chip(el, 'drop.txt')!.querySelector<HTMLButtonElement>('[part~="attachment-remove"]')!.click();
    await waitFor(() => chips(el).length === 2, 'removed');
    const deleted = await waitForLog((entries) => entries.find((r) => r.method === 'DELETE' && r.path.includes(sessionId)), 'DELETE sent');
    assertMatch(deleted.path, /\/attachments\/att_\d+$/, 'the uploaded id');
    const focused = el.shadowRoot!.activeElement as HTMLElement | null;
    assertEqual(focused?.getAttribute('aria-label'), 'Remove too-big.bin', 'focus on the next chip');
    focused!.click();
    await waitFor(() => chips(el).length === 1, 'refused file removed');
    await waitFor(() => el.shadowRoot!.activeElement?.getAttribute('aria-label') === 'Remove keep.txt', 'focus on the last chip');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="Remove keep.txt"]')!.click();
    await waitFor(() => el.shadowRoot!.activeElement === textarea(el), 'focus back in the text');
    await waitForLog((entries) => entries.filter((r) => r.method === 'DELETE' && r.path.includes(sessionId)).length === 2, 'the second deletion');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assertEqual((await log()).filter((r) => r.method === 'DELETE' && r.path.includes(sessionId)).length, 2, 'two deletions, none for the refused file');
  });

  it('a cancelled agent-chat-attach refuses the files; without `attachments` nothing is taken', async () => {
    const el = await mount('agent-chat-composer', { attachmentHost: host(`s-${crypto.randomUUID()}`) });
    assert(!el.shadowRoot!.querySelector('[part~="attach-button"]'), 'no attach button');
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(text('a.txt')), bubbles: true, cancelable: true }));
    el.attachments = true;
    await el.updateComplete;
    el.addEventListener('agent-chat-attach', (e) => e.preventDefault(), { once: true });
    textarea(el).dispatchEvent(new ClipboardEvent('paste', { clipboardData: files(text('b.txt')), bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assertEqual(chips(el).length, 0, 'nothing added');
  });
});
