/** The distributed measured search's queue: its name and a connection from a redis:// URL. */
import { Redis } from 'ioredis';
import { UsageError } from './args';

export const QUEUE_NAME = 'maedet-studio-entropy';

/**
 * A Redis connection for BullMQ from `redis://[:password@]HOST:PORT[/db]` or `rediss://…` (TLS).
 * Requests wait for a reconnect instead of failing (BullMQ's workers need that), so a Redis
 * restart is ridden out.
 */
export function queueConnection(url: string): Redis {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue: found ${JSON.stringify(url)}, expected redis://HOST:PORT or rediss://HOST:PORT`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UsageError(`--queue: found ${JSON.stringify(url)}, expected redis://HOST:PORT or rediss://HOST:PORT`);
  return new Redis(url, { maxRetriesPerRequest: null });
}
