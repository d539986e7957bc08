import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, realpath, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Thrown when a tool's path would leave its sandbox folder, or cannot be used
 * there. Its message names the path as the caller gave it (relative to the
 * sandbox), never a folder of the server.
 */
export class SandboxPathError extends Error {
  readonly code = 'sandbox_path';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxPathError';
  }
}

// Not defined on Windows: there the component walk and the check after opening still hold.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO planted in the sandbox must not hang a read.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;

/** One entry of {@link listSandboxFolder}. */
export interface SandboxEntry {
  name: string;
  type: 'file' | 'directory';
  /** Size in bytes (files only). */
  size?: number;
}

/**
 * Resolves a path relative to `root` without following any link: absolute
 * paths, `..` escapes and a symbolic link in any component (dangling or not,
 * pointing inside or out) are refused; components that do not exist yet are
 * fine (a file about to be written).
 *
 * @returns The absolute path inside the sandbox (below `realpath(root)`).
 * @throws {SandboxPathError} when the path is absolute, contains NUL, escapes
 *   `root`, goes through a symbolic link or through a file.
 */
export async function resolveSandboxPath(root: string, relative: string): Promise<string> {
  return (await walk(root, relative, 'resolve')).target;
}

/**
 * Reads a regular file of the sandbox, at most `maxBytes` of it. The file is
 * opened with `O_NOFOLLOW` after every folder on the way was checked not to be
 * a link, then checked again through its descriptor: it must be a regular file
 * with no other hard link (a hard link may be a file outside the sandbox) and
 * still be where the path says.
 *
 * @returns Its first `maxBytes` bytes and its whole size, in bytes.
 * @throws {SandboxPathError} for an escape, a link, a folder, a missing file, a hard-linked file.
 */
export async function readSandboxFile(root: string, relative: string, maxBytes = Infinity): Promise<{ bytes: Buffer; size: number }> {
  return explained(relative, 'read', async () => {
    const { target, realRoot, stats } = await walk(root, relative, 'refuse');
    if (!stats) throw notFound(relative);
    assertPlainFile(relative, stats);
    const handle = await open(target, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    try {
      const opened = await verifyOpened(handle, target, realRoot, relative);
      const length = Math.min(opened.size, maxBytes);
      const bytes = Buffer.alloc(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(bytes, offset, length - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return { bytes: bytes.subarray(0, offset), size: opened.size };
    } finally {
      await handle.close();
    }
  });
}

/**
 * Writes (creates or replaces) a file of the sandbox, creating its folders one
 * by one, following no link: a dangling link, a link to a folder outside or a
 * hard link to a file outside is refused and nothing is written.
 *
 * @returns The number of bytes written.
 * @throws {SandboxPathError} for an escape, a link, a folder in the way, a hard-linked file.
 */
export async function writeSandboxFile(root: string, relative: string, content: string): Promise<number> {
  return explained(relative, 'write', async () => {
    const { target, realRoot, stats } = await walk(root, relative, 'create');
    if (target === realRoot) throw isFolder(relative);
    if (stats) assertPlainFile(relative, stats);
    // No O_TRUNC: nothing changes until the descriptor is known to be the right file. A new file is
    // created exclusively, so that if a folder was swapped for a link meanwhile, the stray file is ours to remove.
    const created = stats === undefined;
    const flags = constants.O_WRONLY | O_NOFOLLOW | O_NONBLOCK | (created ? constants.O_CREAT | constants.O_EXCL : 0);
    const handle = await open(target, flags, 0o644);
    try {
      try {
        await verifyOpened(handle, target, realRoot, relative);
      } catch (error) {
        if (created && error instanceof SandboxPathError) {
          const stray = await openedPath(handle);
          if (stray !== undefined) await unlink(stray).catch(() => {});
        }
        throw error;
      }
      const bytes = Buffer.from(content, 'utf8');
      await handle.truncate(0);
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, offset);
        offset += bytesWritten;
      }
      return bytes.byteLength;
    } finally {
      await handle.close();
    }
  });
}

/**
 * Lists a folder of the sandbox: its regular files and folders, sorted by
 * name; links (symbolic or hard) and other kinds of entry are left out.
 *
 * @throws {SandboxPathError} for an escape, a link on the way, a missing folder or a file.
 */
export async function listSandboxFolder(root: string, relative: string): Promise<SandboxEntry[]> {
  return explained(relative, 'list', async () => {
    const { target, realRoot, stats } = await walk(root, relative, 'refuse');
    if (!stats) throw notFound(relative);
    if (!stats.isDirectory()) throw new SandboxPathError(`"${relative}" is a file, not a folder`);
    const handle = await open(target, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
    try {
      const real = (await openedPath(handle)) ?? (await realpath(target));
      if (!isInside(realRoot, real)) throw leadsOutside(relative);
      // On Linux, read the folder through its descriptor: the one checked, even if the path changed since.
      const folder = process.platform === 'linux' ? `/proc/self/fd/${handle.fd}` : target;
      const dirents = await readdir(folder, { withFileTypes: true });
      const entries: SandboxEntry[] = [];
      for (const dirent of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
        if (dirent.isDirectory()) entries.push({ name: dirent.name, type: 'directory' });
        else if (dirent.isFile()) {
          const entry = await lstat(path.join(folder, dirent.name)).catch(() => undefined);
          if (entry?.isFile() && entry.nlink === 1) entries.push({ name: dirent.name, type: 'file', size: entry.size });
        }
      }
      return entries;
    } finally {
      await handle.close();
    }
  });
}

/**
 * Checks `relative` lexically, then each component from the sandbox root down
 * with `lstat`: none may be a link, every one but the last must be a folder.
 * `missing` says what a missing folder on the way means: the path is fine
 * (`resolve`), does not exist (`refuse`), or is made (`create`), one at a time (each then
 * checked like the others), so `mkdir` never runs through a link.
 */
async function walk(
  root: string,
  relative: string,
  missing: 'resolve' | 'refuse' | 'create',
): Promise<{ target: string; realRoot: string; stats: Stats | undefined }> {
  if (relative.includes('\0')) throw new SandboxPathError('The path contains a NUL character');
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    throw new SandboxPathError(`"${relative}" is absolute; use a path relative to the sandbox folder`);
  }
  const realRoot = await realpath(root);
  const target = path.resolve(realRoot, relative);
  if (!isInside(realRoot, target)) throw new SandboxPathError(`"${relative}" points outside the sandbox folder`);
  const parts = path.relative(realRoot, target).split(path.sep).filter(Boolean);
  let current = realRoot;
  let stats: Stats | undefined = parts.length === 0 ? await lstat(realRoot) : undefined;
  for (let i = 0; i < parts.length; i++) {
    current = path.join(current, parts[i]!);
    const shown = parts.slice(0, i + 1).join('/');
    const last = i === parts.length - 1;
    stats = await lstatOrUndefined(current);
    if (!stats && !last) {
      // Nothing below a missing folder exists, so no link either.
      if (missing === 'resolve') return { target, realRoot, stats: undefined };
      if (missing === 'refuse') throw notFound(shown);
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      stats = await lstat(current);
    }
    if (stats?.isSymbolicLink()) {
      throw new SandboxPathError(`"${shown}" is a symbolic link; the sandbox tools follow no links`);
    }
    if (stats && !last && !stats.isDirectory()) throw new SandboxPathError(`"${shown}" is a file, not a folder`);
  }
  return { target, realRoot, stats };
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function assertPlainFile(relative: string, stats: Stats): void {
  if (stats.isDirectory()) throw isFolder(relative);
  if (!stats.isFile()) throw new SandboxPathError(`"${relative}" is not a regular file`);
  if (stats.nlink > 1) {
    throw new SandboxPathError(`"${relative}" has other hard links (one may be a file outside the sandbox); the sandbox tools use no hard-linked file`);
  }
}

/** The descriptor must be a plain file with one link, and the path must still lead to it from inside the sandbox. */
async function verifyOpened(handle: FileHandle, target: string, realRoot: string, relative: string): Promise<Stats> {
  const opened = await handle.stat();
  assertPlainFile(relative, opened);
  const real = (await openedPath(handle)) ?? (await realpath(target));
  const now = await lstat(real);
  if (!isInside(realRoot, real) || now.ino !== opened.ino || now.dev !== opened.dev) throw leadsOutside(relative);
  return opened;
}

/** Where the descriptor's file really is (Linux: `/proc/self/fd`, exact even if a folder was swapped since); undefined elsewhere. */
async function openedPath(handle: FileHandle): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return undefined;
  }
}

/** Runs `operation`, turning file system errors into messages that name `relative` only (no server path, no errno text). */
async function explained<T>(relative: string, verb: 'read' | 'write' | 'list', operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SandboxPathError) throw error;
    const code = (error as NodeJS.ErrnoException)?.code;
    switch (code) {
      case 'ENOENT':
        throw notFound(relative);
      case 'EISDIR':
        throw isFolder(relative);
      case 'ENOTDIR':
        throw new SandboxPathError(`"${relative}": a part of the path is a file, not a folder`);
      case 'ELOOP':
        throw new SandboxPathError(`"${relative}" is a symbolic link; the sandbox tools follow no links`);
      case 'EACCES':
      case 'EPERM':
        throw new SandboxPathError(`No permission to ${verb} "${relative}"`);
      case 'ENAMETOOLONG':
        throw new SandboxPathError(`"${relative}" is too long a path`);
      case 'ENOSPC':
      case 'EDQUOT':
        throw new SandboxPathError(`No space left to write "${relative}"`);
      default:
        throw new SandboxPathError(`Could not ${verb} "${relative}"${typeof code === 'string' ? ` (${code})` : ''}`);
    }
  }
}

function notFound(relative: string): SandboxPathError {
  return new SandboxPathError(`"${relative}" does not exist in the sandbox`);
}

function isFolder(relative: string): SandboxPathError {
  return new SandboxPathError(`"${relative}" is a folder, not a file`);
}

function leadsOutside(relative: string): SandboxPathError {
  return new SandboxPathError(`"${relative}" leads outside the sandbox folder`);
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
