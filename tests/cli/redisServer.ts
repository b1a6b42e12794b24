/**
 * Debian's redis-server for the queue tests: on 127.0.0.1 at a free port, no persistence (no
 * RDB, no AOF), stopped afterwards; with a password, or TLS only (a self-signed certificate made
 * by openssl, for rediss://). `.ci/run` installs both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServer {
  url: string;
  /** with TLS: the certificate clients must trust (for NODE_EXTRA_CA_CERTS) */
  caFile?: string;
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
async function launch(port: number, args: string[], password?: string, caFile?: string): Promise<ChildProcess> {
  const listen = caFile ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const server: ChildProcess = spawn('redis-server', ['--bind', '127.0.0.1', ...listen, '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  const url = `${caFile ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, password, ...(caFile && { tls: { ca: readFileSync(caFile) } }) });
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

/** a self-signed certificate for 127.0.0.1, and its key */
function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'maedet-redis-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make a certificate: ${r.stderr}`);
  return { cert, key };
}

export async function startRedis(options: { password?: string; tls?: boolean } = {}): Promise<RedisServer> {
  const port = await freePort();
  const tls = options.tls ? selfSigned() : undefined;
  const args = [
    ...(options.password === undefined ? [] : ['--requirepass', options.password]),
    ...(tls ? ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert, '--tls-auth-clients', 'no'] : []),
  ];
  let server = await launch(port, args, options.password, tls?.cert);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  return {
    url: `${tls ? 'rediss' : 'redis'}://${options.password === undefined ? '' : `:${options.password}@`}127.0.0.1:${port}`,
    caFile: tls?.cert,
    stop,
    async restart() {
      await stop();
      server = await launch(port, args, options.password, tls?.cert);
    },
  };
}
