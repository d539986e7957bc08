import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** Thrown when a tool's path would leave its sandbox folder. */
export class SandboxPathError extends Error {
  readonly code = 'sandbox_path';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxPathError';
  }
}

/**
 * Resolves a path relative to `root`, refusing absolute paths, `..` escapes
 * and symlinks that lead outside `root` (for a path that does not exist yet,
 * its nearest existing ancestor is checked).
 *
 * @returns The absolute path inside the sandbox.
 * @throws {SandboxPathError} when the path is absolute, contains NUL, or escapes `root`.
 */
export async function resolveSandboxPath(root: string, relative: string): Promise<string> {
  if (relative.includes('\0')) throw new SandboxPathError('The path contains a NUL character');
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    throw new SandboxPathError(`"${relative}" is absolute; use a path relative to the sandbox folder`);
  }
  const realRoot = await realpath(root);
  const target = path.resolve(realRoot, relative);
  if (!isInside(realRoot, target)) {
    throw new SandboxPathError(`"${relative}" points outside the sandbox folder`);
  }
  let existing = target;
  for (;;) {
    try {
      const real = await realpath(existing);
      if (!isInside(realRoot, real)) throw new SandboxPathError(`"${relative}" leads outside the sandbox folder`);
      return target;
    } catch (error) {
      if (error instanceof SandboxPathError) throw error;
      const parent = path.dirname(existing);
      if (parent === existing) return target;
      existing = parent;
    }
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
