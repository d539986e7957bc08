// What a bench server reports about itself at GET /__bench/stats: CPU time
// (process.cpuUsage, µs), memory (bytes) and the longest event-loop stall since
// the last reset (monitorEventLoopDelay, 1 ms resolution).
import { monitorEventLoopDelay } from 'node:perf_hooks';

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

/** Answers `/__bench/stats?gc=1&reset=1`; returns false for any other path. */
export function handleStats(req, res) {
  if (!req.url.startsWith('/__bench/stats')) return false;
  const url = new URL(req.url, 'http://x');
  if (url.searchParams.get('gc') === '1' && globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const body = {
    cpuUs: cpu.user + cpu.system,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external,
    // The histogram's max includes the resolution interval; subtract it for the stall itself.
    loopMaxMs: Math.max(0, loop.max / 1e6 - 1),
  };
  if (url.searchParams.get('reset') === '1') loop.reset();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
}

/** Prints the port for the parent (bench/lib/process.mjs); stops cleanly on SIGTERM, and when the parent is gone (stdin closes). */
export function announce(server, onStop = async () => {}) {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
  process.once('SIGTERM', async () => {
    await onStop();
    process.exit(0);
  });
}
