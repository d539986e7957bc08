import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { evaluateArithmetic } from './calculator.js';
import { resolveSandboxPath } from './sandbox-path.js';
import { defineTool, type Tool } from './tool.js';

/** Largest file `read_file` returns whole, in bytes; longer files are cut. */
const MAX_READ_BYTES = 64 * 1024;

/** Options of {@link demoTools}. */
export interface DemoToolsOptions {
  /** The folder the file tools are confined to. */
  sandboxDir: string;
}

/** One entry of a `list_files` result. */
export interface FileEntry {
  name: string;
  type: 'file' | 'directory';
  /** Size in bytes (files only). */
  size?: number;
}

/**
 * Real local tools for demos, confined to `sandboxDir`: `list_files`,
 * `read_file`, `calculate` and `write_file` (which needs approval), ready to give
 * to any agent. Paths are relative to the sandbox; absolute paths and escapes are tool errors.
 */
export function demoTools(options: DemoToolsOptions): Tool<any, any>[] {
  return Object.values(demoToolSet(options));
}

/** The tools of {@link demoTools}, by name, with their input and output types. */
export function demoToolSet(options: DemoToolsOptions) {
  const root = options.sandboxDir;

  const listFiles = defineTool({
    name: 'list_files',
    description: 'Lists the files and folders (not symlinks) in a folder of the sandbox.',
    input: z.object({ path: z.string().max(500).default('.').describe('Folder relative to the sandbox root') }),
    async execute({ path: folder }): Promise<{ path: string; entries: FileEntry[] }> {
      const dir = await resolveSandboxPath(root, folder);
      const dirents = await readdir(dir, { withFileTypes: true });
      const entries: FileEntry[] = [];
      for (const dirent of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
        if (dirent.isDirectory()) entries.push({ name: dirent.name, type: 'directory' });
        else if (dirent.isFile()) entries.push({ name: dirent.name, type: 'file', size: (await stat(path.join(dir, dirent.name))).size });
      }
      return { path: folder, entries };
    },
  });

  const readFileTool = defineTool({
    name: 'read_file',
    description: 'Reads a UTF-8 text file of the sandbox.',
    input: z.object({ path: z.string().min(1).max(500).describe('File relative to the sandbox root') }),
    async execute({ path: file }): Promise<string> {
      const resolved = await resolveSandboxPath(root, file);
      const bytes = await readFile(resolved);
      if (bytes.byteLength <= MAX_READ_BYTES) return bytes.toString('utf8');
      return `${bytes.subarray(0, MAX_READ_BYTES).toString('utf8')}\n[... cut at ${MAX_READ_BYTES} of ${bytes.byteLength} bytes]`;
    },
  });

  const calculate = defineTool({
    name: 'calculate',
    description: 'Evaluates an arithmetic expression: + - * / % ^, parentheses, decimals.',
    input: z.object({ expression: z.string().min(1).max(1000).describe('For example (17 + 25) * 2') }),
    execute({ expression }): { expression: string; result: number } {
      return { expression, result: evaluateArithmetic(expression) };
    },
  });

  const writeFileTool = defineTool({
    name: 'write_file',
    description: 'Writes a UTF-8 text file in the sandbox, creating folders as needed. Needs the user\'s approval.',
    input: z.object({
      path: z.string().min(1).max(500).describe('File relative to the sandbox root'),
      content: z.string().max(1024 * 1024),
    }),
    needsApproval: true,
    async execute({ path: file, content }): Promise<{ path: string; bytesWritten: number }> {
      const resolved = await resolveSandboxPath(root, file);
      await mkdir(path.dirname(resolved), { recursive: true });
      await writeFile(resolved, content, 'utf8');
      return { path: file, bytesWritten: Buffer.byteLength(content) };
    },
  });

  return { listFiles, readFile: readFileTool, calculate, writeFile: writeFileTool };
}
