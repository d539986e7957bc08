import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { demoAttachmentHost, demoImage, messagesWithAttachments } from '../../__fixtures__/attachments.js';
import type { AgentChatMessages } from '../message-list/message-list.component.js';

/**
 * `<agent-chat-attachments>`: a sent message's files in `<agent-chat-messages>`, without a
 * server (the client's fetch answers from memory, src/__fixtures__/attachments.ts).
 */
const meta: Meta = {
  title: 'Parts/agent-chat-attachments',
  component: 'agent-chat-attachments',
  tags: ['autodocs'],
};
export default meta;
type Story = StoryObj;

/** A message of the user with an image and a PDF: the thumbnail opens the lightbox, the PDF is a download link. */
function sentMessage(openLightbox: boolean): HTMLElement {
  const list = document.createElement('agent-chat-messages') as AgentChatMessages;
  list.ready = true;
  list.style.cssText = 'display:block;height:var(--story-height, 100vh)';
  void (async () => {
    const { host, seeded } = await demoAttachmentHost([
      await demoImage('signups-chart.png', 640, 400),
      new File(['%PDF-1.4 quarterly numbers'], 'q3-report.pdf', { type: 'application/pdf' }),
    ]);
    list.attachmentHost = host;
    list.messages = messagesWithAttachments(seeded);
    if (!openLightbox) return;
    const thumb = await new Promise<HTMLButtonElement>((resolve) => {
      const poll = () => {
        const button = list.shadowRoot?.querySelector<HTMLButtonElement>('[part~="attachment-image"]:not([disabled])');
        if (button) resolve(button);
        else requestAnimationFrame(poll);
      };
      poll();
    });
    thumb.click();
  })();
  return list;
}

export const SentMessage: Story = { render: () => sentMessage(false) };

/** The lightbox: Escape or Close closes it, and focus returns to the thumbnail. */
export const Lightbox: Story = { render: () => sentMessage(true) };

