/** The page's handle on the search worker (one per page, started on first use). */
import * as Comlink from 'comlink';
import type { SearchWorkerApi } from './searchApi';

let worker: Comlink.Remote<SearchWorkerApi> | undefined;

export function searchWorker(): Comlink.Remote<SearchWorkerApi> {
  worker ??= Comlink.wrap<SearchWorkerApi>(new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}
