/**
 * Every public entry point of every package (the `exports` map), with each
 * name it exports and that name's kind, read from the built type declarations
 * in packages/<pkg>/dist (run `npm run build` first).
 *
 *   node scripts/list-exports.mjs            print the list as Markdown
 *   node scripts/list-exports.mjs --json     the same as JSON
 *
 * scripts/lint-api.mjs uses `listExports()` to write and check docs/exports.md.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('../', import.meta.url));

/** Publishable packages under packages/, in name order. */
export function publishablePackages() {
  return readdirSync(join(repo, 'packages'))
    .sort()
    .map((name) => join(repo, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private);
}

/** Entry points of one package: the import specifier and, for typed ones, the declaration file. */
export function entryPoints({ dir, manifest }) {
  return Object.entries(manifest.exports ?? {})
    .filter(([key]) => !key.endsWith('.json') && !key.includes('*'))
    .map(([key, target]) => ({
      key,
      specifier: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`,
      types: typeof target === 'object' && target.types ? join(dir, target.types) : undefined,
      js: join(dir, typeof target === 'object' ? target.default ?? target.import : target),
    }));
}

function kindOf(checker, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const f = target.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Variable) {
    const declaration = target.valueDeclaration;
    const type = declaration && checker.getTypeOfSymbolAtLocation(target, declaration);
    return type && type.getCallSignatures().length > 0 && type.getProperties().length === 0 ? 'function' : 'const';
  }
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) return 'namespace';
  return 'unknown';
}

/**
 * `[{ package, entries: [{ specifier, exports: [{ name, kind }] }] }]`. Names
 * come from the declarations; a runtime-only name (a value exported by the
 * JavaScript without a declaration) would show as kind `untyped`.
 */
export async function listExports({ runtime = false } = {}) {
  const packages = publishablePackages();
  const files = packages.flatMap((pkg) => entryPoints(pkg).flatMap((e) => (e.types ? [e.types] : [])));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    jsx: ts.JsxEmit.ReactJSX,
  });
  const checker = program.getTypeChecker();
  const result = [];
  for (const pkg of packages) {
    const entries = [];
    for (const entry of entryPoints(pkg)) {
      const names = new Map();
      if (entry.types) {
        const source = program.getSourceFile(entry.types);
        const moduleSymbol = source && checker.getSymbolAtLocation(source);
        for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
          names.set(symbol.getName(), kindOf(checker, symbol));
        }
      }
      if (runtime && entry.types) {
        try {
          const module = await import(pathToFileURL(entry.js).href);
          for (const name of Object.keys(module)) if (!names.has(name)) names.set(name, 'untyped');
        } catch (error) {
          names.set(`(import failed: ${String(error).split('\n')[0]})`, 'error');
        }
      }
      entries.push({
        specifier: entry.specifier,
        typed: Boolean(entry.types),
        exports: [...names].map(([name, kind]) => ({ name, kind })).sort((a, b) => a.name.localeCompare(b.name)),
      });
    }
    result.push({ package: pkg.manifest.name, entries });
  }
  return result;
}

/** The list as Markdown: a section per entry point, one line per kind. */
export function toMarkdown(list) {
  const lines = [];
  for (const { package: name, entries } of list) {
    lines.push(`## ${name}`, '');
    for (const entry of entries) {
      if (!entry.typed) {
        lines.push(`### \`${entry.specifier}\``, '', 'A file, not a module with exports (see the package README).', '');
        continue;
      }
      lines.push(`### \`${entry.specifier}\` (${entry.exports.length})`, '');
      const byKind = new Map();
      for (const { name, kind } of entry.exports) byKind.set(kind, [...(byKind.get(kind) ?? []), name]);
      for (const kind of ['function', 'class', 'const', 'enum', 'namespace', 'interface', 'type', 'untyped', 'unknown', 'error']) {
        const names = byKind.get(kind);
        if (names) lines.push(`- ${kind}: ${names.map((n) => `\`${n}\``).join(', ')}`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const list = await listExports({ runtime: process.argv.includes('--runtime') });
  console.log(process.argv.includes('--json') ? JSON.stringify(list, null, 2) : toMarkdown(list));
}
