/**
 * The page's handle on the search worker: one per page, started on first use. Another host (the
 * Node tests) can connect the same API over its own endpoint first.
 */
import * as Comlink from 'comlink';
import type { SearchWorkerApi } from './searchApi';

let worker: Comlink.Remote<SearchWorkerApi> | undefined;

export function searchWorker(): Comlink.Remote<SearchWorkerApi> {
  worker ??= Comlink.wrap<SearchWorkerApi>(new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export function connectSearchWorker(endpoint: Comlink.Endpoint): void {
  worker = Comlink.wrap<SearchWorkerApi>(endpoint);
}
