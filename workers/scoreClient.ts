/**
 * The page's handle on the scoring worker (onnxruntime-web), started on first use. onnxruntime-web
 * fixes its thread count at its first session, so another count gets a fresh worker.
 */
import * as Comlink from 'comlink';
import { watchedWorker } from './liveness';
import type { ScoreWorkerApi } from './scoreApi';

let current: { threads: number; worker: Worker; api: Comlink.Remote<ScoreWorkerApi>; died: Promise<never> } | undefined;

function started(threads: number) {
  if (current?.threads !== threads) {
    current?.worker.terminate();
    const { worker, died } = watchedWorker('scoring', (name) => new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module', name }));
    const handle = { threads, worker, api: Comlink.wrap<ScoreWorkerApi>(worker), died };
    // the next call starts a fresh worker
    died.catch(() => current === handle && (current = undefined));
    current = handle;
  }
  return current;
}

/** a call to the scoring worker that fails, instead of waiting forever, when the worker dies */
export function scoreWorkerCall<T>(threads: number, call: (api: Comlink.Remote<ScoreWorkerApi>) => Promise<T>): Promise<T> {
  const { api, died } = started(threads);
  return Promise.race([call(api), died]);
}

/** the worker in use (to cancel its measurement), if one was started */
export function currentScoreWorker(): Comlink.Remote<ScoreWorkerApi> | undefined {
  return current?.api;
}
