/**
 * The page's handle on the scoring worker (onnxruntime-web), started on first use. onnxruntime-web
 * fixes its thread count at its first session, so another count gets a fresh worker.
 */
import * as Comlink from 'comlink';
import type { ScoreWorkerApi } from './scoreApi';

let current: { threads: number; worker: Worker; api: Comlink.Remote<ScoreWorkerApi> } | undefined;

export function scoreWorker(threads: number): Comlink.Remote<ScoreWorkerApi> {
  if (current?.threads !== threads) {
    current?.worker.terminate();
    const worker = new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module' });
    current = { threads, worker, api: Comlink.wrap<ScoreWorkerApi>(worker) };
  }
  return current.api;
}

/** the worker in use (to cancel its measurement), if one was started */
export function currentScoreWorker(): Comlink.Remote<ScoreWorkerApi> | undefined {
  return current?.api;
}
