import { sendKeys } from '@web/test-runner-commands';
import { ChatClient, type Attachment, type ChatMessage } from '@agent-chat/core';
import { uploadAttachment } from '@agent-chat/core/attachments';
import '../../define.js';
import { assert, assertEqual, assertMatch, waitFor } from '../../test-support/assert.js';
import { axeViolations } from '../../test-support/axe.js';
import { cleanup, mount } from '../../test-support/mount.js';
import type { AttachmentHost } from '../../client.js';
import type { AgentChatMessages } from '../message-list/message-list.component.js';

/*
 * A sent message's files in <agent-chat-messages>, read from the test server's
 * attachment routes (test-support/attachments-test-api.mjs) with the client's
 * bearer header: thumbnails, the lightbox by keyboard, download links.
 */

async function png(width: number, height: number): Promise<File> {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#2563eb';
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], 'chart.png', { type: 'image/png' });
}

async function sentMessage(): Promise<{ host: AttachmentHost; message: ChatMessage; image: Attachment }> {
  const client = new ChatClient({ endpoint: '/attach-api', headers: { authorization: 'Bearer test' } });
  const sessionId = `s-${crypto.randomUUID()}`;
  const image = await uploadAttachment(client, sessionId, await png(120, 80));
  const pdf = await uploadAttachment(client, sessionId, new File(['%PDF-1.4 report'], 'report.pdf', { type: 'application/pdf' }));
  const message: ChatMessage = {
    id: 'u1',
    role: 'user',
    parts: [{ type: 'text', text: 'Here are the numbers', state: 'done' }],
    attachments: [image, pdf],
  };
  return { host: { client, session: { sessionId, signal: new AbortController().signal } }, message, image };
}

const root = (el: AgentChatMessages) => el.shadowRoot!;

describe('attachments of sent messages', () => {
  afterEach(cleanup);

  it('shows an image’s thumbnail loaded through the client, and a download link for other files', async () => {
    const { host, message, image } = await sentMessage();
    assertEqual(`${image.width}x${image.height}`, '120x80', 'the server measured the image');
    const el = await mount('agent-chat-messages', { messages: [message], attachmentHost: host, ready: true });
    const list = await waitFor(() => root(el).querySelector('[part~="user-message"] agent-chat-attachments [part~="message-attachments"]'), 'the files');
    assertEqual(list.getAttribute('aria-label'), 'Attached files', 'labelled');
    const thumb = await waitFor(() => list.querySelector<HTMLImageElement>('[part~="attachment-image"] img'), 'thumbnail');
    assertMatch(thumb.src, /^blob:/, 'bytes read with the bearer header, shown from a blob URL');
    await waitFor(() => thumb.complete && thumb.naturalWidth === 120, 'the image drawn');
    assertEqual(thumb.closest('button')!.getAttribute('aria-label'), 'Open image chart.png', 'the button names the image');
    const link = list.querySelector<HTMLAnchorElement>('[part~="attachment-file"]')!;
    assertEqual(link.getAttribute('download'), 'report.pdf', 'downloads under its name');
    assertMatch(link.href, new RegExp(`/attach-api/session/${host.session.sessionId}/attachments/att_\\d+$`), 'the attachment’s URL');
    assertEqual(link.textContent!.replace(/\s+/g, ' ').trim(), 'Download pdf report.pdf 15 B', 'what it does, name and size');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe');
  });

  it('opens the image in a lightbox with Enter; focus stays inside; Escape closes it and gives focus back', async () => {
    const { host, message } = await sentMessage();
    const el = await mount('agent-chat-messages', { messages: [message], attachmentHost: host, ready: true });
    const button = await waitFor(() => root(el).querySelector<HTMLButtonElement>('[part~="attachment-image"]:not([disabled])'), 'thumbnail ready');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await waitFor(() => root(el).querySelector<HTMLDialogElement>('dialog[part~="lightbox"][open]'), 'lightbox open');
    assert(dialog.matches(':modal'), 'modal: the rest of the page is inert');
    assertEqual(dialog.getAttribute('aria-label'), 'chart.png', 'named');
    const image = dialog.querySelector<HTMLImageElement>('[part~="lightbox-image"]')!;
    assertEqual(image.alt, 'chart.png', 'alt text');
    await waitFor(() => image.complete && image.naturalWidth === 120, 'full image');
    const close = dialog.querySelector<HTMLButtonElement>('[part~="lightbox-close"]')!;
    assertEqual(root(el).activeElement, close, 'focus in the lightbox');
    await sendKeys({ press: 'Tab' });
    assert(dialog.contains(root(el).activeElement) || root(el).activeElement === null, 'Tab stays in the lightbox');
    assertEqual((await axeViolations(el)).join('\n'), '', 'axe with the lightbox open');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !root(el).querySelector('dialog[open]'), 'closed');
    await waitFor(() => root(el).activeElement === root(el).querySelector('[part~="attachment-image"]'), 'focus back on the thumbnail');
    // The Close button and a click do the same.
    (root(el).activeElement as HTMLButtonElement).click();
    const again = await waitFor(() => root(el).querySelector<HTMLDialogElement>('dialog[open]'), 'open by click');
    again.querySelector<HTMLButtonElement>('[part~="lightbox-close"]')!.click();
    await waitFor(() => !root(el).querySelector('dialog[open]'), 'closed by Close');
    await waitFor(() => root(el).activeElement === root(el).querySelector('[part~="attachment-image"]'), 'focus back again');
  });

  it('an image the server does not give (another user’s, or gone) says so in place of the thumbnail', async () => {
    const { message } = await sentMessage();
    // Without the bearer header the test server answers 404, as the real one does for another user.
    const host: AttachmentHost = {
      client: new ChatClient({ endpoint: '/attach-api' }),
      session: { sessionId: 'someone-else', signal: new AbortController().signal },
    };
    const el = await mount('agent-chat-messages', { messages: [message], attachmentHost: host, ready: true });
    const failed = () => {
      const button = root(el).querySelector<HTMLButtonElement>('[part~="attachment-image"]');
      return button?.textContent?.includes('could not be loaded') ? button : undefined;
    };
    const button = await waitFor(failed, 'the failure shown');
    assert(button.disabled, 'nothing to open');
    assertEqual(button.textContent!.trim(), 'chart.png could not be loaded', 'said so');
  });
});
