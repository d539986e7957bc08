import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ensureDefined } from '../../define-element.js';
import { demoAttachmentHost, demoImage } from '../../__fixtures__/attachments.js';
import type { AgentChatComposer } from '../composer/composer.component.js';
import type { AgentChatUploads } from './uploads.component.js';

/**
 * `<agent-chat-uploads>`: the composer's files, without a server, in each state. The
 * client's fetch answers the attachment routes from memory (src/__fixtures__/attachments.ts).
 * The composer renders it (`attachments` set, an `attachmentHost` to upload to).
 */
const meta: Meta = {
  title: 'Parts/agent-chat-uploads',
  component: 'agent-chat-uploads',
  tags: ['autodocs'],
};
export default meta;
type Story = StoryObj;

const pad = (content: unknown) => html`<div style="padding:24px;max-width:720px">${content}</div>`;

/** A composer holding `files` (added as a paste would), on the in-memory host. */
function composerWith(files: () => Promise<File[]>): HTMLElement {
  const composer = document.createElement('agent-chat-composer') as AgentChatComposer;
  composer.attachments = true;
  composer.value = 'Can you compare these?';
  void (async () => {
    const [{ host }, list] = await Promise.all([demoAttachmentHost(), files()]);
    composer.attachmentHost = host;
    await ensureDefined('agent-chat-uploads');
    await composer.updateComplete;
    composer.shadowRoot!.querySelector<AgentChatUploads>('agent-chat-uploads')!.add(list);
  })();
  return composer;
}

const threeStates = async () => [
  new File([new Uint8Array(2_400_000)], 'quarterly-report-slow.pdf', { type: 'application/pdf' }),
  new File([new Uint8Array(1000)], 'screen-recording-too-big.mov', { type: 'video/quicktime' }),
  await demoImage('signups-chart.png'),
];

/** One file uploading (the demo server never answers it), one refused by the server (413), one image uploaded. */
export const Chips: Story = { render: () => pad(composerWith(threeStates)) };

/** Uploading: Send waits until the upload ends. */
export const Uploading: Story = {
  render: () => pad(composerWith(async () => [new File([new Uint8Array(800_000)], 'notes-slow.txt', { type: 'text/plain' })])),
};

/** Refused: the server's reason on the chip; the text of the draft stays. */
export const Refused: Story = {
  render: () =>
    pad(
      composerWith(async () => [
        new File([new Uint8Array(1000)], 'video-too-big.mov', { type: 'video/quicktime' }),
        new File(['MZ'], 'setup.exe', { type: 'application/octet-stream' }),
      ]),
    ),
};

/** Done: thumbnails of images, type and size of other files. */
export const Uploaded: Story = {
  render: () =>
    pad(composerWith(async () => [await demoImage('chart.png'), new File(['%PDF-1.4'], 'report.pdf', { type: 'application/pdf' })])),
};

/** Dark: the same chips on the dark palette. */
export const ChipsDark: Story = {
  render: () => {
    const composer = composerWith(threeStates);
    composer.setAttribute('theme', 'dark');
    return html`<div style="background:#1e1e1f;min-height:100vh">${pad(composer)}</div>`;
  },
};
