import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AttachmentRecord, AttachmentStore } from './attachment-store.js';

/** Options of {@link fileAttachmentStore}. */
export interface FileAttachmentStoreOptions {
  /** The directory that holds the files; created if missing. Several processes may share it (a shared volume). */
  directory: string;
}

/** An id the server made (`crypto.randomUUID()`): the only file name part a store takes from outside. */
const ATTACHMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An {@link AttachmentStore} in a directory: `<directory>/<hash of the session
 * id>/<attachment id>.bin` and `.json` (the record). Writes are atomic: bytes
 * and record go to temporary files first, then are renamed into place, the
 * record last, so a reader never sees half a file and an interrupted upload
 * leaves nothing behind (at worst, after a crash, a temporary file under `.tmp/`,
 * removed by a start a day later).
 * No name or path from a request ever reaches the file system: session folders
 * are SHA-256 hashes, file names are the server's UUIDs, and any other id is
 * simply not found.
 */
export function fileAttachmentStore(options: FileAttachmentStoreOptions): AttachmentStore {
  const root = options.directory;
  const tmp = join(root, '.tmp');
  const ready = (async () => {
    await mkdir(tmp, { recursive: true });
    // Leftovers of uploads cut short by a crash; a day old, so never one that another process sharing the folder is writing.
    const dayAgo = Date.now() - 86_400_000;
    for (const name of await readdir(tmp)) {
      const file = join(tmp, name);
      const info = await stat(file).catch(() => undefined);
      if (info && info.mtimeMs < dayAgo) await rm(file, { force: true });
    }
  })();
  const folder = (sessionId: string) => join(root, createHash('sha256').update(sessionId).digest('hex').slice(0, 40));
  const paths = (sessionId: string, id: string) => {
    if (!ATTACHMENT_ID.test(id)) return undefined;
    const dir = folder(sessionId);
    return { dir, bin: join(dir, `${id}.bin`), json: join(dir, `${id}.json`) };
  };
  const readRecord = async (file: string): Promise<AttachmentRecord | undefined> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as AttachmentRecord;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  const writeRecord = async (file: string, record: AttachmentRecord) => {
    const temp = join(tmp, `${randomUUID()}.json`);
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, file);
  };

  return {
    kind: 'file',
    async put(id, bytes, describe) {
      await ready;
      if (!ATTACHMENT_ID.test(id)) throw new Error(`not an attachment id: ${id.slice(0, 80)}`);
      const temp = join(tmp, `${randomUUID()}.bin`);
      try {
        await pipeline(Readable.from(bytes), createWriteStream(temp, { flags: 'wx' }));
        const record = await describe();
        const target = paths(record.sessionId, id)!;
        await mkdir(target.dir, { recursive: true });
        await rename(temp, target.bin);
        await writeRecord(target.json, record);
        return record;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async get(sessionId, id) {
      const target = paths(sessionId, id);
      return target ? readRecord(target.json) : undefined;
    },
    async open(sessionId, id) {
      const target = paths(sessionId, id);
      if (!target || !(await readRecord(target.json))) return undefined;
      try {
        await stat(target.bin);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      return Readable.toWeb(createReadStream(target.bin)) as ReadableStream<Uint8Array>;
    },
    async update(record) {
      const target = paths(record.sessionId, record.id);
      if (target && (await readRecord(target.json))) await writeRecord(target.json, record);
    },
    async delete(sessionId, id) {
      const target = paths(sessionId, id);
      if (!target) return;
      // The record first: without it the bytes are invisible.
      await rm(target.json, { force: true });
      await rm(target.bin, { force: true });
    },
    async list(sessionId) {
      let names: string[];
      try {
        names = await readdir(folder(sessionId));
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
      const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readRecord(join(folder(sessionId), n))));
      return records.filter((r): r is AttachmentRecord => r !== undefined).sort((a, b) => a.createdAt - b.createdAt);
    },
    async deleteSession(sessionId) {
      await rm(folder(sessionId), { recursive: true, force: true });
    },
  };
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
