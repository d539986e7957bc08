/**
 * Keeps the public API honest (`npm run lint:api`), over the built packages
 * (run `npm run build` first):
 *
 * 1. API Extractor on every typed entry point of every package's `exports`
 *    map, checked against its committed report, packages/<pkg>/etc/<entry>.api.md.
 *    A report that differs fails: review the change, then `--update`.
 * 2. docs/exports.md, the list of every export of every entry point
 *    (scripts/list-exports.mjs), must match the build.
 * 3. Each package packed as npm would publish it, then publint (--strict) and
 *    @arethetypeswrong/cli with the esm-only profile: the packages are ESM only
 *    (`"type": "module"`, no `require` condition), so the rules about resolving
 *    them from CommonJS do not apply; everything else must pass.
 *
 *   node scripts/lint-api.mjs             check (exit 1 on any problem)
 *   node scripts/lint-api.mjs --update    rewrite the reports and docs/exports.md, then check the tarballs
 *   node scripts/lint-api.mjs server      only these packages (folder names), without docs/exports.md
 *   --no-pack                             skip step 3
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { entryPoints, listExports, publishablePackages, toMarkdown } from './list-exports.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../', import.meta.url));
const update = process.argv.includes('--update');
/** Package folder names to limit the run to (`node scripts/lint-api.mjs server`); all by default. */
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const selected = () => publishablePackages().filter((pkg) => only.length === 0 || only.includes(basename(pkg.dir)));
const bin = (name) => join(repo, 'node_modules', '.bin', name);
const problems = [];
const timings = [];

async function timed(label, work) {
  const started = performance.now();
  await work();
  timings.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** `@agent-chat/server/node` -> `server-node`; the root entry -> `server`. */
function reportName(manifest, key) {
  const unscoped = manifest.name.replace(/^@[^/]+\//, '');
  return key === '.' ? unscoped : `${unscoped}-${key.slice(2).replaceAll('/', '-')}`;
}

function apiExtractor() {
  for (const pkg of selected()) {
    const typed = entryPoints(pkg).filter((entry) => entry.types);
    const missing = typed.filter((entry) => !existsSync(entry.types));
    if (missing.length) {
      problems.push(`${pkg.manifest.name}: no ${missing.map((e) => relative(repo, e.types)).join(', ')}; run npm run build`);
      continue;
    }
    if (update) mkdirSync(join(pkg.dir, 'etc'), { recursive: true });
    const configFile = join(pkg.dir, 'api-extractor.json');
    const base = ExtractorConfig.loadFile(configFile);
    const prepare = (entry) =>
      ExtractorConfig.prepare({
        configObject: {
          ...base,
          mainEntryPointFilePath: entry.types,
          apiReport: { ...base.apiReport, reportFileName: reportName(pkg.manifest, entry.key) },
        },
        configObjectFullPath: configFile,
        packageJsonFullPath: join(pkg.dir, 'package.json'),
      });
    // A report whose entry point is gone goes with it.
    const reports = new Set(typed.map((entry) => `${reportName(pkg.manifest, entry.key)}.api.md`));
    const etc = join(pkg.dir, 'etc');
    for (const file of existsSync(etc) ? readdirSync(etc).filter((f) => f.endsWith('.api.md') && !reports.has(f)) : []) {
      if (update) rmSync(join(etc, file));
      else problems.push(`${relative(repo, join(etc, file))} reports an entry point the exports map no longer has; run: npm run lint:api -- --update`);
    }
    // One TypeScript program per package, shared by its entry points.
    const compilerState = CompilerState.create(prepare(typed[0]), { additionalEntryPoints: typed.map((e) => e.types) });
    for (const entry of typed) {
      const config = prepare(entry);
      const messages = [];
      const result = Extractor.invoke(config, {
        localBuild: update,
        compilerState,
        messageCallback(message) {
          message.handled = true;
          // Whether a report changed is judged below, from the result.
          if (message.messageId.startsWith('console-api-report')) return;
          if (message.logLevel === 'error' || message.logLevel === 'warning') messages.push(message.formatMessageWithLocation(repo));
        },
      });
      const report = relative(repo, config.reportFilePath);
      if (messages.length) problems.push(`API Extractor, ${entry.specifier}:\n  ${messages.join('\n  ')}`);
      if (!result.succeeded && !messages.length) {
        problems.push(
          `${report} is not what ${entry.specifier} exports now (the new one: ${relative(repo, config.reportTempFilePath)}).\n` +
            `  Review the difference; if it is intended, run: npm run lint:api -- --update`,
        );
      } else if (update && result.succeeded && result.apiReportChanged) {
        console.log(`updated ${report}`);
      }
    }
  }
}

async function exportsDoc() {
  if (only.length) return; // the page lists every package
  const path = join(repo, 'docs/exports.md');
  const header = readFileSync(path, 'utf8').split('<!-- generated -->')[0];
  const expected = `${header}<!-- generated -->\n\n${toMarkdown(await listExports())}`;
  if (update) {
    writeFileSync(path, expected);
  } else if (readFileSync(path, 'utf8') !== expected) {
    problems.push('docs/exports.md does not list what the packages export now; run: npm run lint:api -- --update');
  }
}

async function tarballs() {
  const destination = mkdtempSync(join(tmpdir(), 'agent-chat-lint-api-'));
  try {
    const packages = selected();
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination, ...packages.map((p) => `--workspace=${relative(repo, p.dir)}`)], {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
    });
    const packed = JSON.parse(stdout);
    await Promise.all(
      packages.map(async (pkg) => {
        const info = packed.find((p) => p.name === pkg.manifest.name);
        const tarball = join(destination, basename(info.filename));
        await run(bin('publint'), ['run', tarball, '--strict']).catch((error) =>
          problems.push(`publint ${pkg.manifest.name}:\n${error.stdout}${error.stderr}`),
        );
        // Entry points mapped to a bare file have no types on purpose (the widget's <script> bundle).
        const untyped = entryPoints(pkg).filter((e) => !e.types).map((e) => e.key);
        const exclude = untyped.length ? ['--exclude-entrypoints', ...untyped] : [];
        await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color', ...exclude]).catch((error) =>
          problems.push(`attw ${pkg.manifest.name}:\n${error.stdout}${error.stderr}`),
        );
      }),
    );
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

await timed('API Extractor', apiExtractor);
// The packing waits on npm and child processes more than on this one: both at once.
await Promise.all([
  timed('docs/exports.md', exportsDoc),
  process.argv.includes('--no-pack') ? undefined : timed('npm pack + publint + attw', tarballs),
]);

console.log(`lint:api: ${timings.join('; ')}`);
if (problems.length) {
  console.error(`\n${problems.join('\n\n')}`);
  process.exit(1);
}
