import { ChatError } from '../chat-error.js';

/** What the bytes of an upload turned out to be. */
export interface InspectedFile {
  /** The type detected from the bytes (never the client's claim alone). */
  mediaType: string;
  /** Bytes. */
  size: number;
  /** Pixels, for raster images whose header says so. */
  width?: number;
  height?: number;
}

/**
 * Text types, told apart by the client's claim or the file name's extension
 * once the bytes are known to be text (UTF-8 without NUL): their bytes alone
 * cannot say which they are.
 */
const TEXT_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  svg: 'image/svg+xml',
  xml: 'application/xml',
};
const TEXT_MEDIA_TYPES = new Set(Object.values(TEXT_TYPES));

/** Bytes kept from the start of a file: enough for `file-type` and for image headers (a JPEG's EXIF may come first). */
const HEAD_BYTES = 256 * 1024;

/**
 * Watches an upload's bytes as they stream past, without keeping them: counts
 * them, keeps the first {@link HEAD_BYTES}, and checks whether they are UTF-8
 * text without NUL. `result()` then says what the file is.
 */
export class UploadInspector {
  readonly #maxBytes: number;
  #size = 0;
  #head: Uint8Array[] = [];
  #headSize = 0;
  #text = true;
  readonly #decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /**
   * The bytes of `source`, passed on as they come.
   * @throws {ChatError} `attachment_too_large` past the limit (nothing after it is read).
   */
  async *watch(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      this.#size += chunk.byteLength;
      if (this.#size > this.#maxBytes) throw attachmentTooLarge(this.#maxBytes);
      if (this.#headSize < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - this.#headSize);
        this.#head.push(part.slice());
        this.#headSize += part.byteLength;
      }
      if (this.#text) this.#checkText(chunk, true);
      yield chunk;
    }
    if (this.#text) this.#checkText(new Uint8Array(0), false);
  }

  #checkText(chunk: Uint8Array, more: boolean): void {
    if (chunk.includes(0)) {
      this.#text = false;
      return;
    }
    try {
      this.#decoder.decode(chunk, { stream: more });
    } catch {
      this.#text = false;
    }
  }

  /**
   * What the file is: the type `file-type` finds in its bytes; for text, the
   * claimed (or named) text type when allowed, else `text/plain`. A claim that
   * disagrees with the bytes is corrected.
   * @param claimed The client's `Content-Type` for the file part.
   * @param name The file name as sent.
   * @param allowed Media types accepted.
   * @throws {ChatError} `unsupported_media_type` when what the bytes are is not allowed.
   */
  async result(claimed: string, name: string, allowed: ReadonlySet<string>): Promise<InspectedFile> {
    const head = concat(this.#head, this.#headSize);
    // Loaded on the first upload: a server that never gets one never loads them (nor their dependencies).
    const { fileTypeFromBuffer } = await import('file-type');
    const detected = this.#size === 0 ? undefined : await fileTypeFromBuffer(head);
    let mediaType: string;
    if (detected && !(this.#text && detected.mime === 'application/xml')) {
      mediaType = detected.mime;
    } else if (this.#text) {
      mediaType = textType(claimed, name, allowed);
    } else {
      mediaType = 'application/octet-stream';
    }
    if (!allowed.has(mediaType)) {
      throw new ChatError(
        'unsupported_media_type',
        `This file is ${mediaType === 'application/octet-stream' ? 'of a type the server does not recognise' : mediaType}, which is not accepted. Accepted: ${[...allowed].join(', ')}.`,
      );
    }
    const file: InspectedFile = { mediaType, size: this.#size };
    if (mediaType.startsWith('image/') && mediaType !== 'image/svg+xml') {
      const { imageSize } = await import('image-size');
      try {
        const { width, height } = imageSize(head);
        if (width > 0 && height > 0) Object.assign(file, { width, height });
      } catch {
        // A header past the kept bytes, or a format image-size does not read: no dimensions, still the image.
      }
    }
    return file;
  }
}

/** The text type of a text file: the claim if it is a text type, else the extension's, else plain text (when allowed). */
function textType(claimed: string, name: string, allowed: ReadonlySet<string>): string {
  const claim = claimed.split(';')[0]!.trim().toLowerCase();
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const candidate = TEXT_MEDIA_TYPES.has(claim) ? claim : extension !== undefined ? TEXT_TYPES[extension] : undefined;
  if (candidate && allowed.has(candidate)) return candidate;
  return 'text/plain';
}

/** Whether a media type is text the model can read inline. */
export function isTextMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') || TEXT_MEDIA_TYPES.has(mediaType);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** 413 `attachment_too_large`. */
export function attachmentTooLarge(maxBytes: number): ChatError {
  return new ChatError('attachment_too_large', `The file is larger than ${maxBytes} bytes, the most this server accepts.`);
}
