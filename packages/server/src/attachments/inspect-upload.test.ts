import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat-error.js';
import { DEFAULT_ATTACHMENT_MEDIA_TYPES } from './attachment-options.js';
import { safeName } from './attachment-service.js';
import { UploadInspector } from './inspect-upload.js';
import { JPEG, PNG } from './__fixtures__/sample-files.js';

const allowed = new Set(DEFAULT_ATTACHMENT_MEDIA_TYPES);

/** Streams `bytes` through an inspector in chunks of `size`, as a network would. */
async function inspect(bytes: Uint8Array, claimed: string, name: string, { size = 7, max = 1_000_000, types = allowed } = {}) {
  const inspector = new UploadInspector(max);
  async function* chunks() {
    for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
  }
  let passed = 0;
  for await (const chunk of inspector.watch(chunks())) passed += chunk.byteLength;
  expect(passed).toBe(bytes.byteLength);
  return inspector.result(claimed, name, types);
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('UploadInspector', () => {
  it('reads the type and the size of images from the bytes, whatever the chunking', async () => {
    expect(await inspect(PNG, 'application/octet-stream', 'x', { size: 1 })).toEqual({ mediaType: 'image/png', size: 73, width: 3, height: 2 });
    expect(await inspect(JPEG, 'image/png', 'photo.png', { size: 3 })).toEqual({ mediaType: 'image/jpeg', size: 134, width: 7, height: 9 });
  });

  it('tells text apart only as UTF-8 without NUL, split across chunks too; a character cut at a chunk boundary is still text', async () => {
    const text = utf8('héllo wörld ✓ 😀\n');
    expect((await inspect(text, 'text/plain', 'a.txt', { size: 1 })).mediaType).toBe('text/plain');
    await expect(inspect(utf8('a\u0000b'), 'text/plain', 'a.txt')).rejects.toMatchObject({ code: 'unsupported_media_type' });
    await expect(inspect(new Uint8Array([0x68, 0xc3, 0x28]), 'text/plain', 'a.txt')).rejects.toMatchObject({ code: 'unsupported_media_type' });
    // A truncated multi-byte character at the very end is not UTF-8.
    await expect(inspect(utf8('ok ✓').subarray(0, 5), 'text/plain', 'a.txt')).rejects.toBeInstanceOf(ChatError);
  });

  it('names a text type by the claim, else the extension, else plain text', async () => {
    expect((await inspect(utf8('# T'), 'text/markdown', 'x')).mediaType).toBe('text/markdown');
    expect((await inspect(utf8('a,b'), 'application/vnd.ms-excel', 'x.CSV')).mediaType).toBe('text/csv');
    expect((await inspect(utf8('{}'), '', 'x.json')).mediaType).toBe('application/json');
    expect((await inspect(utf8('<svg/>'), 'image/svg+xml', 'x.svg')).mediaType).toBe('text/plain');
    expect((await inspect(utf8('<?xml version="1.0"?><svg/>'), 'image/svg+xml', 'x.svg', { types: new Set(['image/svg+xml']) })).mediaType).toBe(
      'image/svg+xml',
    );
  });

  it('stops at the limit: the bytes past it are never passed on', async () => {
    const inspector = new UploadInspector(10);
    const seen: number[] = [];
    async function* chunks() {
      for (let i = 0; i < 5; i++) yield new Uint8Array(4).fill(97);
    }
    await expect(
      (async () => {
        for await (const chunk of inspector.watch(chunks())) seen.push(chunk.byteLength);
      })(),
    ).rejects.toMatchObject({ code: 'attachment_too_large' });
    expect(seen).toEqual([4, 4]);
  });

  it('takes an empty file for empty text, never for the image it claims to be', async () => {
    expect(await inspect(new Uint8Array(0), 'image/png', 'x.png')).toEqual({ mediaType: 'text/plain', size: 0 });
    await expect(inspect(new Uint8Array(0), 'image/png', 'x.png', { types: new Set(['image/png']) })).rejects.toMatchObject({ code: 'unsupported_media_type' });
  });
});

describe('safeName', () => {
  it('keeps the last path segment, without control characters, at most 200 characters', () => {
    expect(safeName('../../etc/passwd')).toBe('passwd');
    expect(safeName('C:\\Users\\me\\cat.png')).toBe('cat.png');
    expect(safeName('a\u0000b\r\nc.txt')).toBe('abc.txt');
    expect(safeName('..')).toBe('file');
    expect(safeName('')).toBe('file');
    expect(safeName('x'.repeat(300))).toHaveLength(200);
    expect(safeName('résumé 😀.pdf')).toBe('résumé 😀.pdf');
  });
});
