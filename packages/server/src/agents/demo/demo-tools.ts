import { z } from 'zod';
import { evaluateArithmetic } from './calculator.js';
import { listSandboxFolder, readSandboxFile, writeSandboxFile, type SandboxEntry } from '../sandbox-path.js';
import { sleep } from '@agent-chat/core/util';
import { defineTool, type Tool, type ToolContext } from '../tool.js';
import { SubAgentProgress } from '../sub-agent-progress.js';

/** Largest file `read_file` returns whole, in bytes; longer files are cut. */
const MAX_READ_BYTES = 64 * 1024;

/** Options of {@link demoTools}. */
export interface DemoToolsOptions {
  /** The folder the file tools are confined to. */
  sandboxDir: string;
  /** Pause before each step of a `research` sub-agent, in ms, so progress can be watched. Default 0. */
  researchStepDelayMs?: number;
}

/** One entry of a `list_files` result. */
export type FileEntry = SandboxEntry;

/**
 * Real local tools for demos, confined to `sandboxDir`: `list_files`,
 * `read_file`, `calculate`, `write_file` (which needs approval) and `research`
 * (offline sub-agents scanning the sandbox in parallel, reporting progress
 * through {@link ToolContext.log}), ready to give to any agent. Paths
 * are relative to the sandbox; absolute paths, escapes, links (symbolic or
 * hard) and anything else the tools refuse are tool errors whose message names
 * the path relative to the sandbox, never a folder of the server.
 */
export function demoTools(options: DemoToolsOptions): Tool<any, any>[] {
  return Object.values(demoToolSet(options));
}

/** The tools of {@link demoTools}, by name, with their input and output types. */
export function demoToolSet(options: DemoToolsOptions) {
  const root = options.sandboxDir;

  const listFiles = defineTool({
    name: 'list_files',
    description: 'Lists the files and folders (not links) in a folder of the sandbox.',
    input: z.object({ path: z.string().max(500).default('.').describe('Folder relative to the sandbox root') }),
    async execute({ path: folder }): Promise<{ path: string; entries: FileEntry[] }> {
      return { path: folder, entries: await listSandboxFolder(root, folder) };
    },
  });

  const readFileTool = defineTool({
    name: 'read_file',
    description: 'Reads a UTF-8 text file of the sandbox.',
    input: z.object({ path: z.string().min(1).max(500).describe('File relative to the sandbox root') }),
    async execute({ path: file }): Promise<string> {
      const { bytes, size } = await readSandboxFile(root, file, MAX_READ_BYTES);
      if (size <= MAX_READ_BYTES) return bytes.toString('utf8');
      return `${bytes.toString('utf8')}\n[... cut at ${MAX_READ_BYTES} of ${size} bytes]`;
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
      return { path: file, bytesWritten: await writeSandboxFile(root, file, content) };
    },
  });

  const research = defineTool({
    name: 'research',
    description:
      'Sends three offline research sub-agents through the sandbox at once: one counts words, one collects ' +
      'markdown headings, one adds up the numbers. Returns their findings.',
    input: z.object({ question: z.string().max(500).default('What is in the sandbox?').describe('What to find out') }),
    async execute({ question }, ctx: ToolContext): Promise<string> {
      const files = await sandboxTextFiles(root);
      const delayMs = options.researchStepDelayMs ?? 0;
      const findings = await Promise.all(
        SANDBOX_RESEARCHERS.map(async (researcher, index) => {
          const progress = new SubAgentProgress(`${ctx.toolCallId}:${index + 1}`, researcher.label, ctx);
          progress.step('Starting');
          const state = researcher.start();
          for (const file of files) {
            await sleep(delayMs, ctx.signal);
            ctx.signal.throwIfAborted();
            // Read like read_file does: a file swapped for a link meanwhile is skipped.
            const text = await readSandboxFile(root, file, MAX_READ_BYTES).then(({ bytes }) => bytes.toString('utf8'), () => '');
            researcher.scan(state, file, text);
            progress.step(`${researcher.verb} ${file}`, { tools: 1, tokens: Math.ceil(text.length / 4) });
          }
          await sleep(delayMs, ctx.signal);
          ctx.signal.throwIfAborted();
          progress.done(`Done: ${files.length} file${files.length === 1 ? '' : 's'}`);
          return `## ${researcher.label}\n\n${researcher.report(state)}`;
        }),
      );
      return `Research on "${question}" over ${files.length} sandbox file${files.length === 1 ? '' : 's'}.\n\n${findings.join('\n\n')}`;
    },
  });

  return { listFiles, readFile: readFileTool, calculate, writeFile: writeFileTool, research };
}

/**
 * Text files of the sandbox (relative paths, sorted), without links (symbolic or hard), at most 50 of
 * up to 64 KiB each. Walked with {@link listSandboxFolder}, so its errors name sandbox paths only.
 */
async function sandboxTextFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(relative: string): Promise<void> {
    for (const entry of await listSandboxFolder(root, relative || '.')) {
      if (files.length >= 50) return;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.type === 'directory') await walk(child);
      else if (/\.(md|txt|csv|json)$/i.test(entry.name) && (entry.size ?? Infinity) <= MAX_READ_BYTES) files.push(child);
    }
  }
  await walk('');
  return files;
}

/** One offline research sub-agent: what it keeps, how it reads a file, what it reports. */
interface SandboxResearcher<S> {
  label: string;
  verb: string;
  start(): S;
  scan(state: S, file: string, text: string): void;
  report(state: S): string;
}

function researcher<S>(r: SandboxResearcher<S>): SandboxResearcher<any> {
  return r;
}

const SANDBOX_RESEARCHERS: SandboxResearcher<any>[] = [
  researcher({
    label: 'Word counter',
    verb: 'Counting words in',
    start: () => new Map<string, number>(),
    scan: (counts, file, text) => void counts.set(file, text.split(/\s+/).filter(Boolean).length),
    report: (counts) => {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const lines = [...counts].map(([file, words]) => `- ${file}: ${words} words`);
      return `${total} words in all.\n\n${lines.join('\n')}`;
    },
  }),
  researcher({
    label: 'Heading finder',
    verb: 'Looking for headings in',
    start: () => [] as string[],
    scan: (headings, file, text) => {
      if (!/\.md$/i.test(file)) return;
      for (const match of text.matchAll(/^(#{1,6})\s+(.+)$/gm)) headings.push(`- ${file}: ${match[2]!.trim()}`);
    },
    report: (headings) => (headings.length ? `${headings.length} headings:\n\n${headings.join('\n')}` : 'No headings found.'),
  }),
  researcher({
    label: 'Number finder',
    verb: 'Adding up numbers in',
    start: () => ({ count: 0, sum: 0 }),
    scan: (state, _file, text) => {
      for (const match of text.matchAll(/-?\b\d+(?:\.\d+)?\b/g)) {
        state.count++;
        state.sum += Number(match[0]);
      }
    },
    report: ({ count, sum }) => `${count} numbers, adding up to ${Number(sum.toFixed(6))}.`,
  }),
];
