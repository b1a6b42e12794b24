/**
 * The page's handle on the search worker: one per page, started on first use. Another host (the
 * Node tests) can connect the same API over its own endpoint first.
 */
import type { SearchWorkerApi } from './searchApi';
import { workerHandle } from './workerHandle';

const handle = workerHandle<SearchWorkerApi>(() => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));

export const searchWorker = handle.get;

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export const connectSearchWorker = handle.connect;
