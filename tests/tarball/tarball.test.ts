/**
 * The packages as users get them: `npm pack` every publishable workspace, install
 * the tarballs (not workspace links) into a fresh app in a temp folder, and use
 * them there. Catches missing `files`, wrong `exports`, undeclared dependencies
 * and broken type declarations; also runs publint and @arethetypeswrong/cli on
 * every tarball, and runs the React bindings with React 19 and with React 18.
 *
 * Needs the packages built (`npm run build`) and the npm registry (for express,
 * react and the other third-party dependencies; the npm cache makes it quick).
 * Run: `npm run test:tarball`. Set KEEP_TARBALL_APP=1 to keep the temp folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./__fixtures__/app/', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, string | { types?: string; default?: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Packed {
  dir: string;
  manifest: Manifest;
  tarball: string;
}

/** Third-party packages the fresh app installs itself: what a user's app would add. */
const APP_DEPENDENCIES = ['express', 'react', 'react-dom'];
// The compiler comes from this repository (it resolves types from the app's node_modules); the types from the app.
// @types/json-schema: the AI SDK's declarations (for @agent-chat/server/ai-sdk) import `json-schema` types
// without depending on them, so an app that type-checks libraries needs them (docs/agents.md says so).
const APP_DEV_DEPENDENCIES = ['@types/node', '@types/express', '@types/react', '@types/react-dom', '@types/json-schema'];

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** The version the monorepo has installed, so the fresh app resolves the same one (from the npm cache). */
async function installedVersion(name: string): Promise<string> {
  return (await readJson<Manifest>(join(repo, 'node_modules', name, 'package.json'))).version;
}

/** Every non-private workspace package under packages/. */
async function publishablePackages(): Promise<{ dir: string; manifest: Manifest }[]> {
  const found = [];
  for (const name of (await readdir(join(repo, 'packages'))).sort()) {
    const dir = join(repo, 'packages', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    const manifest = await readJson<Manifest>(join(dir, 'package.json'));
    if (!manifest.private) found.push({ dir, manifest });
  }
  return found;
}

/** Public entry points (`exports` keys as import specifiers), with whether each has type declarations. */
function entryPoints(manifest: Manifest): { specifier: string; typed: boolean }[] {
  return Object.entries(manifest.exports ?? {})
    .filter(([key]) => !key.endsWith('.json') && !key.includes('*'))
    .map(([key, target]) => ({
      specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`,
      typed: typeof target === 'object' && target.types !== undefined,
    }));
}

/**
 * The environment for npm in the fresh app: without the `npm_*` variables that `npm run` / `npx`
 * set for this process (`npm_config_local_prefix` points at this repository), so that npm sees
 * only the app's own folder.
 */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

/** Runs npm with {@link cleanEnv}. */
function npm(args: string[], options: { cwd: string; timeout?: number }) {
  return run('npm', args, { ...options, env: cleanEnv });
}

function failureOutput(error: unknown): string {
  const { stdout = '', stderr = '', message = String(error) } = error as { stdout?: string; stderr?: string; message?: string };
  return `${message}\n${stdout}\n${stderr}`.slice(0, 8000);
}

describe('packed tarballs installed into a fresh app', () => {
  let work: string;
  let app: string;
  const packed: Packed[] = [];
  let browser: Browser | undefined;
  let server: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'agent-chat-tarball-'));
    app = join(work, 'app');
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs);

    const started = performance.now();
    for (const { dir, manifest } of await publishablePackages()) {
      if (!existsSync(join(dir, 'dist'))) throw new Error(`${manifest.name} is not built: run \`npm run build\` first`);
      const { stdout } = await npm(['pack', '--json', '--pack-destination', tarballs], { cwd: dir });
      const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
      packed.push({ dir, manifest, tarball: join(tarballs, filename) });
    }

    const packedAt = performance.now();
    await cp(fixture, app, { recursive: true });
    const dependencies: Record<string, string> = {};
    const overrides: Record<string, string> = {};
    for (const { manifest, tarball } of packed) {
      dependencies[manifest.name] = `file:${tarball}`;
      // Dependencies between our packages resolve to these tarballs too, never to the registry.
      overrides[manifest.name] = `$${manifest.name}`;
    }
    // Every peer, optional ones too, so that every entry point (e.g. /sqlite, /redis) can be imported and type-checked.
    const peers = new Set(packed.flatMap(({ manifest }) => Object.keys(manifest.peerDependencies ?? {})));
    for (const name of [...APP_DEPENDENCIES, ...peers]) {
      if (!(name in dependencies)) dependencies[name] = await installedVersion(name);
    }
    const devDependencies: Record<string, string> = {};
    const peerTypes = [...peers].map((name) => `@types/${name.replace(/^@(.*)\//, '$1__')}`);
    for (const name of [...APP_DEV_DEPENDENCIES, ...peerTypes]) {
      if (existsSync(join(repo, 'node_modules', name, 'package.json'))) devDependencies[name] = await installedVersion(name);
    }
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify({ name: 'fresh-app', private: true, type: 'module', dependencies, devDependencies, overrides }, null, 2),
    );
    // No install scripts: none of our packages has one, and native optional peers (better-sqlite3)
    // are imported here, never run, so compiling them would only cost time and a toolchain.
    await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
      cwd: app,
      timeout: 150_000,
    }).catch((error: unknown) => {
      throw new Error(`npm install in the fresh app failed:\n${failureOutput(error)}`);
    });
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.info(`npm pack: ${seconds(packedAt - started)}; npm install: ${seconds(performance.now() - packedAt)}`);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (work && !process.env.KEEP_TARBALL_APP) await rm(work, { recursive: true, force: true });
  });

  it('packs every publishable package, with no tests or sources inside', async () => {
    expect(packed.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@agent-chat/core', '@agent-chat/server', '@agent-chat/widget', '@agent-chat/react']),
    );
    for (const { tarball } of packed) {
      const { stdout } = await run('tar', ['-tzf', tarball]);
      const files = stdout.trim().split('\n');
      expect(files).toContain('package/package.json');
      expect(files).toContain('package/README.md');
      expect(files.filter((f) => /\.test\.|\/src\/|__fixtures__/.test(f))).toEqual([]);
    }
  });

  it('installs the tarballs, not links to the workspace', async () => {
    for (const { manifest } of packed) {
      const installed = join(app, 'node_modules', manifest.name);
      expect((await lstat(installed)).isSymbolicLink()).toBe(false);
      expect((await readJson<Manifest>(join(installed, 'package.json'))).version).toBe(manifest.version);
      // One copy only: our packages' dependencies on each other resolved to the top-level tarballs.
      const { stdout } = await npm(['ls', manifest.name, '--all', '--parseable'], { cwd: app });
      const copies = new Set(stdout.trim().split('\n').filter(Boolean).map((path) => resolve(path)));
      expect([...copies]).toEqual([resolve(installed)]);
    }
  });

  it('passes publint (strict) and @arethetypeswrong/cli (esm-only profile)', async () => {
    const problems: string[] = [];
    for (const { manifest, tarball } of packed) {
      await run(bin('publint'), ['run', tarball, '--strict']).catch((error: unknown) =>
        problems.push(`publint ${manifest.name}:\n${failureOutput(error)}`),
      );
      // Entry points mapped to a bare file are untyped on purpose (the widget's <script> bundle).
      const untyped = entryPoints(manifest).filter((e) => !e.typed).map((e) => `.${e.specifier.slice(manifest.name.length)}`);
      const exclude = untyped.length ? ['--exclude-entrypoints', ...untyped] : [];
      await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color', ...exclude]).catch(
        (error: unknown) => problems.push(`attw ${manifest.name}:\n${failureOutput(error)}`),
      );
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('type-checks an app that imports every public entry point and uses the API', async () => {
    const imports = packed.flatMap(({ manifest }) =>
      entryPoints(manifest)
        .filter((entry) => entry.typed)
        .map((entry, index) => `export * as ${manifest.name.replace(/\W/g, '_')}_${index} from '${entry.specifier}';`),
    );
    expect(imports.length).toBeGreaterThanOrEqual(packed.length);
    await writeFile(join(app, 'entries.ts'), `${imports.join('\n')}\n`);
    await run(bin('tsc'), ['-p', app]).catch((error: unknown) => {
      throw new Error(`tsc failed in the fresh app:\n${failureOutput(error)}`);
    });
  }, 120_000);

  it('imports every typed entry point in Node', async () => {
    const specifiers = packed.flatMap(({ manifest }) => entryPoints(manifest).filter((e) => e.typed).map((e) => e.specifier));
    const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); if (Object.keys(m).length === 0 && !s.endsWith('/define')) throw new Error(s + ' exports nothing'); }`;
    await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: app }).catch((error: unknown) => {
      throw new Error(`importing the entry points failed:\n${failureOutput(error)}`);
    });
  });

  it('keeps zod out of browsers: the root of @agent-chat/core and the widget bundle have none, /schemas has it', async () => {
    const bundled = async (code: string) => {
      const result = await build({
        stdin: { contents: code, resolveDir: app, loader: 'js' },
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        metafile: true,
        logLevel: 'error',
      });
      return Object.keys(result.metafile.inputs).filter((input) => /node_modules\/zod\//.test(input));
    };
    expect(await bundled(`export * from '@agent-chat/core';`)).toEqual([]);
    expect((await bundled(`export * from '@agent-chat/core/schemas';`)).length).toBeGreaterThan(0);

    const bundleDir = join(app, 'node_modules', '@agent-chat', 'widget', 'dist', 'bundle');
    const files = (await readdir(bundleDir, { recursive: true })).filter((file) => file.endsWith('.js'));
    expect(files).toContain('agent-chat.bundle.js');
    for (const file of files) expect((await readFile(join(bundleDir, file), 'utf8')).includes('_zod'), file).toBe(false);
  });

  it('mounts the server with Express and renders the React component on the server', async () => {
    server = spawn(process.execPath, ['server.js'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fresh app did not start:\n${output}`)), 20_000);
      server!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the fresh app exited with ${code}:\n${output}`));
      });
    });
    const health = await fetch(new URL('api/health', url));
    expect(health.status).toBe(200);
    // Props become attributes on the server (no element class is registered there); properties once hydrated.
    expect(await (await fetch(new URL('ssr', url))).text()).toMatch(/^<agent-chat( endpoint="\/api")?><\/agent-chat>$/);
  });

  it('renders the widget in Chromium and completes a demo turn', async () => {
    expect(url).not.toBe('');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    const chat = page.locator('agent-chat');
    const input = chat.locator('textarea');
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('Hello from a fresh app');
    await input.press('Enter');
    const approve = chat.locator('button[data-approve]').first();
    await approve.waitFor({ state: 'visible', timeout: 30_000 });
    await approve.click();
    await chat.getByText(/That was the whole tour/).waitFor({ timeout: 30_000 });
    const sessionId = await page.evaluate(() => localStorage.getItem('agent-chat:session:/api'));
    const history = async () =>
      (await (await fetch(new URL(`api/session/${sessionId}/messages`, url))).json()) as {
        processing: boolean;
        messages: { role: string }[];
      };
    await expect.poll(async () => (await history()).processing).toBe(false);
    expect((await history()).messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(errors).toEqual([]);
  });

  it("runs the README's \"Use it in your app\" files as written in a new folder: page, widget bundle, sessions list, a demo turn with working file tools", async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it in your app'), readme.indexOf('\n## ', readme.indexOf('## Use it in your app') + 1));
    const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang: lang!, code: code! }));
    const serverJs = blocks.find((b) => b.lang === 'js' && b.code.startsWith('// server.js'))?.code;
    const pageHtml = blocks.find((b) => b.lang === 'html' && b.code.startsWith('<!-- public/index.html'))?.code;
    expect(serverJs, 'README: a js block starting with // server.js').toBeDefined();
    expect(pageHtml, 'README: an html block starting with <!-- public/index.html').toBeDefined();
    // Inside the fresh app, so that its node_modules (the tarballs) resolve; no sandbox folder exists there.
    const dir = join(app, 'readme-snippet');
    await mkdir(join(dir, 'public'), { recursive: true });
    await writeFile(join(dir, 'server.js'), serverJs!);
    await writeFile(join(dir, 'public', 'index.html'), pageHtml!);
    const port = await new Promise<number>((done) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => done(port));
      });
    });
    const child = spawn(process.execPath, ['server.js'], { cwd: dir, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const origin = `http://localhost:${port}`;
    try {
      await expect.poll(() => output, { timeout: 20_000 }).toContain(`${origin}/`);
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<agent-chat id="chat" endpoint="/api">');
      const bundle = await fetch(`${origin}/agent-chat/agent-chat.bundle.js`);
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/javascript/);

      // A whole demo turn over HTTP: every file tool works although ./sandbox did not exist.
      const created = await fetch(`${origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      const { id } = (await created.json()) as { id: string };
      const turn = await fetch(`${origin}/api/chat/${id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"What is here?"}' });
      const body = await turn.text();
      expect(body).toContain('event: approval_required');
      const outputs = body.split('\n').filter((line) => line.startsWith('data: ') && line.includes('"tool_output"')).map((line) => JSON.parse(line.slice(6)) as { isError: boolean; output: unknown });
      expect(outputs.length).toBeGreaterThan(0);
      expect(outputs.filter((o) => o.isError)).toEqual([]);
      expect(JSON.stringify(outputs[0]!.output)).toContain('README.md');
      expect(existsSync(join(dir, 'sandbox', 'README.md'))).toBe(true);

      // In Chromium: the widget and the sessions list come up from the served bundle folder.
      browser ??= await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      tab.on('response', (response) => {
        // A page without an icon asks for /favicon.ico: the snippet's business is the chat, not the icon.
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
      });
      await tab.goto(`${origin}/`);
      await expect.poll(() => tab.locator('agent-chat textarea').isEnabled(), { timeout: 15_000 }).toBe(true);
      await tab.locator('agent-chat-sessions [part~="new-session"]').waitFor({ state: 'visible', timeout: 15_000 });
      await tab.close();
      expect(errors).toEqual([]);
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });

  /** Bundles react-client.tsx from `appDir` (its node_modules) into the served app and completes a turn through the hook. */
  async function reactTurn(appDir: string, page: string): Promise<string> {
    // esbuild resolves from the entry's folder: that app's node_modules, i.e. the tarballs.
    await build({
      absWorkingDir: appDir,
      entryPoints: ['react-client.tsx'],
      outfile: join(app, 'public', `${page}.js`),
      bundle: true,
      format: 'esm',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
    });
    const html = (await readFile(join(app, 'public', 'react.html'), 'utf8')).replace('/react-client.js', `/${page}.js`);
    await writeFile(join(app, 'public', `${page}.html`), html);

    const tab = await browser!.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(new URL(`${page}.html`, url).href);
    await expect.poll(() => tab.locator('agent-chat textarea').isEnabled(), { timeout: 15_000 }).toBe(true);
    const hook = tab.locator('#hook');
    await expect.poll(() => hook.getAttribute('data-status'), { timeout: 15_000 }).toBe('idle');
    await hook.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => hook.getAttribute('data-status'), { timeout: 30_000 }).toBe('awaiting_approval');
    await hook.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => hook.getAttribute('data-status'), { timeout: 30_000 }).toBe('idle');
    await hook.getByText(/That was the whole tour/).waitFor();
    expect(errors).toEqual([]);
    const version = (await tab.evaluate(() => document.documentElement.dataset.react)) ?? '';
    await tab.close();
    return version;
  }

  it('bundles the React bindings for the browser; the hook completes a demo turn next to the component', async () => {
    expect(url).not.toBe('');
    expect(await reactTurn(app, 'react-client')).toMatch(/^19\./);
  });

  it('works with React 18 too (the peer range): server rendering, and a turn in the browser', async () => {
    expect(url).not.toBe('');
    const app18 = join(work, 'app-react18');
    await mkdir(app18);
    await cp(join(fixture, 'react-client.tsx'), join(app18, 'react-client.tsx'));
    const ours = packed.filter(({ manifest }) => ['@agent-chat/core', '@agent-chat/widget', '@agent-chat/react'].includes(manifest.name));
    await writeFile(
      join(app18, 'package.json'),
      JSON.stringify({
        name: 'fresh-app-react18',
        private: true,
        type: 'module',
        dependencies: {
          ...Object.fromEntries(ours.map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`])),
          react: '^18.3.1',
          'react-dom': '^18.3.1',
        },
        overrides: Object.fromEntries(ours.map(({ manifest }) => [manifest.name, `$${manifest.name}`])),
      }),
    );
    await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
      cwd: app18,
      timeout: 120_000,
    }).catch((error: unknown) => {
      throw new Error(`npm install of the React 18 app failed:\n${failureOutput(error)}`);
    });

    const ssr = `
      import { createElement, version } from 'react';
      import { renderToString } from 'react-dom/server';
      import { AgentChat, useAgentChat } from '@agent-chat/react';
      function Page() {
        const chat = useAgentChat({ endpoint: '/api' });
        return createElement('main', { 'data-status': chat.status }, createElement(AgentChat, { endpoint: '/api' }));
      }
      console.log(JSON.stringify({ version, html: renderToString(createElement(Page)) }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', ssr], { cwd: app18 });
    const rendered = JSON.parse(stdout.trim().split('\n').at(-1)!) as { version: string; html: string };
    expect(rendered.version).toMatch(/^18\./);
    expect(rendered.html).toMatch(/^<main data-status="connecting"><agent-chat( endpoint="\/api")?><\/agent-chat><\/main>$/);

    expect(await reactTurn(app18, 'react18-client')).toMatch(/^18\./);
  }, 180_000);
});
