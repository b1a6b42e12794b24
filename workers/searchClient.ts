/**
 * The page's handle on the search worker: one per page, started on first use. Another host (the
 * Node tests) can connect the same API over its own endpoint first.
 */
import type { SearchWorkerApi } from './searchApi';
import { workerHandle } from './workerHandle';

const handle = workerHandle<SearchWorkerApi>('search', (name) => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name }));

export const searchWorker = handle.get;

/** rejects when the search worker in use dies; the next `searchWorker()` starts a new one */
export const searchWorkerDied = handle.died;

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export const connectSearchWorker = handle.connect;
