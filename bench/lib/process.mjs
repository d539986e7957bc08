// Starts bench servers in their own processes, so that their CPU time and memory
// are theirs alone, never the load generator's.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `node <args>` under `bash -c` with the soft fd limit raised to the hard
 * limit (10,000 streams need more descriptors than the usual 1,024).
 */
export function spawnNode(args, { env = {}, stdio = ['ignore', 'pipe', 'inherit'] } = {}) {
  const quoted = args.map((a) => `'${String(a).replaceAll("'", "'\\''")}'`).join(' ');
  return spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)"; exec '${process.execPath}' ${quoted}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio,
  });
}

/**
 * Starts a bench server script (bench/servers/*.mjs) and waits for the first
 * line it prints: `{"port": N}`. The server stops when `stop()` is called or
 * when this process exits.
 */
export async function startServer(script, env = {}) {
  // stdin is a pipe the server watches: if this process dies, however, the server exits too.
  const child = spawnNode(['--expose-gc', script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, nl)).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening`));
    });
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    /** The server process's counters (see bench/servers/stats.mjs); `reset` restarts the stall monitor. */
    async stats({ gc = false, reset = false } = {}) {
      const res = await fetch(`${base}/__bench/stats?gc=${gc ? 1 : 0}&reset=${reset ? 1 : 0}`);
      return res.json();
    },
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
