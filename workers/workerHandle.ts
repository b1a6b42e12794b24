/**
 * One comlink handle per page on a worker, started on first use; another host (the Node tests)
 * can connect the same API over its own endpoint first. `start` must be written out at the call
 * site as `new Worker(new URL('./x.worker.ts', import.meta.url), …)` so Vite bundles the worker.
 */
import * as Comlink from 'comlink';

export function workerHandle<Api>(start: () => Worker): { get(): Comlink.Remote<Api>; connect(endpoint: Comlink.Endpoint): void } {
  let remote: Comlink.Remote<Api> | undefined;
  return {
    get: () => (remote ??= Comlink.wrap<Api>(start())),
    connect(endpoint) {
      remote = Comlink.wrap<Api>(endpoint);
    },
  };
}
