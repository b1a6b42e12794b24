/**
 * The page's handle on the validation worker: one per page, started when the validation view
 * first needs it. Another host (the Node tests) can connect the same API over its own endpoint first.
 */
import type { ValidationWorkerApi } from './validationApi';
import { workerHandle } from './workerHandle';

const handle = workerHandle<ValidationWorkerApi>('validation', (name) => new Worker(new URL('./validation.worker.ts', import.meta.url), { type: 'module', name }));

export const validationWorker = handle.get;

/** rejects when the worker in use dies */
export const validationWorkerDied = handle.died;

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export const connectValidationWorker = handle.connect;
