// `npm start`: builds what examples/basic needs (core, server, the widget's bundle) as JavaScript
// only (the server beside core, then the widget), then serves the example. A full build (`npm run build`) adds the
// type declarations, which take most of its time and which running the example does not need.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');

/** Runs a command to its end; rejects with its output when it fails. */
function run(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cwd}: tsup exited with ${code}\n${output}`))));
  });
}

const started = performance.now();
try {
  const build = (name) => run([tsup, '--silent'], `${root}packages/${name}`, { AGENT_CHAT_FAST_BUILD: '1' });
  // The server only imports core (external); the widget's bundle has core inside, so it waits for core's dist.
  await Promise.all([build('server'), build('core').then(() => build('widget'))]);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
console.log(`built core, server and widget (JavaScript only) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

// INIT_CWD (npm sets it): relative paths in MCP_SERVERS start where `npm start` ran, not in examples/basic.
const env = { ...process.env, INIT_CWD: process.env.INIT_CWD || process.cwd() };
const server = spawn(process.execPath, ['server.js'], { cwd: `${root}examples/basic`, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
