import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A Redis proxy for tests: its URL, and `close()` to cut every connection. */
export interface RedisProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy to the Redis at 127.0.0.1:6379 that holds traffic back, in ms:
 * `requests` delays what clients send (a writer whose writes trail its own
 * clients), `replies` what Redis answers (Redis on another machine, or a busy one).
 */
export async function delayedRedisProxy({ requests = 0, replies = 0 }: { requests?: number; replies?: number }): Promise<RedisProxy> {
  const sockets = new Set<Socket>();
  const forward = (to: Socket, delayMs: number) => (data: Buffer) => {
    if (delayMs === 0) to.writable && to.write(data);
    else setTimeout(() => to.writable && to.write(data), delayMs);
  };
  const server: Server = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => (socket === client ? upstream : client).destroy());
    }
    client.on('data', forward(upstream, requests));
    upstream.on('data', forward(client, replies));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
