/**
 * Debian's redis-server for the queue tests: on 127.0.0.1 at a free port, no persistence (no
 * RDB, no AOF), stopped afterwards. `.ci/run` installs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  /** stop it, and start a new one (empty: no persistence) on the same port */
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** a redis-server on `port`, once it answers PING; `args` are more of its options (--requirepass …) */
async function launch(port: number, args: string[], password?: string): Promise<ChildProcess> {
  const server: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, password });
    // refused connections are expected until the server listens
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return server;
    } catch (e) {
      client.disconnect();
      if (attempt > 100) throw new Error(`redis-server did not answer on ${url}: ${(e as Error).message}`, { cause: e });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const args = options.password === undefined ? [] : ['--requirepass', options.password];
  let server = await launch(port, args, options.password);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  return {
    url: `redis://${options.password === undefined ? '' : `:${options.password}@`}127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop();
      server = await launch(port, args, options.password);
    },
  };
}
