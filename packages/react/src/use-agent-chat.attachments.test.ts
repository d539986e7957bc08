import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { ChatApiError } from '@agent-chat/core';
import { useAgentChat, type UseAgentChatResult } from './index.js';
import { assert, assertEqual, assertMatch, waitFor } from './test-support/assert.js';

/*
 * The hook's attachments against the real server (the demo agent under /api,
 * web-test-runner.react.config.mjs): upload with progress, a refusal, delete,
 * send with files, read the bytes back.
 */

describe('useAgentChat attachments', () => {
  beforeEach(() => localStorage.clear());

  it('uploads with progress, refuses what the server refuses, deletes a draft, sends files and reads them back', async () => {
    let latest: UseAgentChatResult | undefined;
    function Chat() {
      latest = useAgentChat({ endpoint: '/api', storageKey: null });
      return null;
    }
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    flushSync(() => root.render(createElement(Chat)));
    try {
      const chat = () => latest!;
      await expectRejection(() => chat().uploadAttachment(new Blob(['x'])), 'session_not_open', 'before the session is open');
      await waitFor(() => chat().status === 'idle', 'the session');

      const progress: [number, number][] = [];
      const notes = new File(['a'.repeat(200_000)], 'notes.txt', { type: 'text/plain' });
      const uploaded = await chat().uploadAttachment(notes, { onProgress: (loaded, total) => progress.push([loaded, total]) });
      assertEqual(`${uploaded.name} ${uploaded.mediaType} ${uploaded.size}`, 'notes.txt text/plain 200000', 'the attachment');
      // Bytes of the request body: the file and its multipart framing.
      const [loaded, total] = progress.at(-1) ?? [0, 0];
      assert(loaded === total && total > notes.size && total < notes.size + 1000, `progress up to the whole body (${progress.join(' ')})`);

      const draft = await chat().uploadAttachment(new File(['draft'], 'draft.txt', { type: 'text/plain' }));
      await chat().deleteAttachment(draft.id);
      await expectRejection(() => chat().getAttachment(draft.id), 'attachment_not_found', 'a deleted draft is gone');

      const exe = new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, ...new Array(200).fill(0)])], 'x.png', { type: 'image/png' });
      const refused = await chat().uploadAttachment(exe).catch((error: unknown) => error);
      assert(refused instanceof ChatApiError && refused.status === 415, `415 for an executable (${String(refused)})`);

      assertEqual(await chat().send('', { attachments: [uploaded.id] }), true, 'files alone are a message');
      await waitFor(() => chat().status === 'idle' && chat().state.messages.length === 2, 'the answer');
      assertEqual(chat().state.messages[0]!.attachments?.[0]?.id, uploaded.id, 'the user message lists the file');
      assertEqual(await (await chat().getAttachment(uploaded.id)).text(), 'a'.repeat(200_000), 'the bytes read back');
      assertMatch(chat().attachmentUrl(uploaded.id)!, new RegExp(`/api/session/${chat().sessionId}/attachments/${uploaded.id}$`), 'its URL');
    } finally {
      root.unmount();
      host.remove();
    }
  });
});

async function expectRejection(call: () => Promise<unknown>, code: string, message: string): Promise<void> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  assertEqual((error as { code?: string } | undefined)?.code, code, message);
}
