/**
 * The page's handle on the lesson worker: one per page, started when a lesson widget first needs
 * it. Another host (the Node tests) can connect the same API over its own endpoint first.
 */
import type { LessonWorkerApi } from './lessonApi';
import { workerHandle } from './workerHandle';

const handle = workerHandle<LessonWorkerApi>('lesson', (name) => new Worker(new URL('./lesson.worker.ts', import.meta.url), { type: 'module', name }));

export const lessonWorker = handle.get;

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export const connectLessonWorker = handle.connect;
