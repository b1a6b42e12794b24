/**
 * One comlink handle per page on a worker, started on first use and started again after it died;
 * another host (the Node tests) can connect the same API over its own endpoint first. `start`
 * must be written out at the call site as `new Worker(new URL('./x.worker.ts', import.meta.url),
 * { type: 'module', name })` so Vite bundles the worker.
 */
import * as Comlink from 'comlink';
import { watchedWorker } from './liveness';

export function workerHandle<Api>(
  what: string,
  start: (name: string) => Worker,
): { get(): Comlink.Remote<Api>; died(): Promise<never>; connect(endpoint: Comlink.Endpoint): void } {
  let current: { remote: Comlink.Remote<Api>; died: Promise<never> } | undefined;
  const started = () => {
    if (!current) {
      const { worker, died } = watchedWorker(what, start);
      const handle = { remote: Comlink.wrap<Api>(worker), died };
      // the next call starts a fresh worker
      died.catch(() => current === handle && (current = undefined));
      current = handle;
    }
    return current;
  };
  return {
    get: () => started().remote,
    /** rejects when the worker in use dies (never for a connected endpoint) */
    died: () => started().died,
    connect(endpoint) {
      current = { remote: Comlink.wrap<Api>(endpoint), died: new Promise<never>(() => {}) };
    },
  };
}
