import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file a new demo sandbox starts with, so that the demo's file tools have something to show. */
export const DEMO_SANDBOX_SEED = {
  name: 'README.md',
  content:
    '# Demo sandbox\n\n' +
    'The demo agent can list, read and (with your approval) write files in this folder,\n' +
    'and nowhere else. Put your own files here, then ask: "Summarise the files here".\n',
} as const;

/**
 * Makes sure the demo's sandbox folder exists: creates it (and its parents)
 * with {@link DEMO_SANDBOX_SEED} in it when it is missing, and leaves an
 * existing folder as it is. A relative `dir` is resolved against the current
 * working directory.
 *
 * @returns The absolute path of the folder.
 * @throws {Error} (the `fs` error, e.g. `EACCES`, `ENOTDIR`) when the folder cannot be created.
 */
export function ensureDemoSandbox(dir: string): string {
  const absolute = path.resolve(dir);
  // `recursive` answers the first folder it created, or undefined when the folder was there already.
  const created = mkdirSync(absolute, { recursive: true });
  if (created !== undefined) writeFileSync(path.join(absolute, DEMO_SANDBOX_SEED.name), DEMO_SANDBOX_SEED.content, { flag: 'wx' });
  return absolute;
}
