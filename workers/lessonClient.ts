/**
 * The page's handle on the lesson worker: one per page, started when a lesson widget first needs
 * it. Another host (the Node tests) can connect the same API over its own endpoint first.
 */
import * as Comlink from 'comlink';
import type { LessonWorkerApi } from './lessonApi';

let worker: Comlink.Remote<LessonWorkerApi> | undefined;

export function lessonWorker(): Comlink.Remote<LessonWorkerApi> {
  worker ??= Comlink.wrap<LessonWorkerApi>(new Worker(new URL('./lesson.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

/** use this endpoint (e.g. one side of a MessageChannel) instead of starting a Web Worker */
export function connectLessonWorker(endpoint: Comlink.Endpoint): void {
  worker = Comlink.wrap<LessonWorkerApi>(endpoint);
}
