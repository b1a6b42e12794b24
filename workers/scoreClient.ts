/** The page's handle on the scoring worker (onnxruntime-web), started on first use. */
import * as Comlink from 'comlink';
import type { ScoreWorkerApi } from './scoreApi';

let worker: Comlink.Remote<ScoreWorkerApi> | undefined;

export function scoreWorker(): Comlink.Remote<ScoreWorkerApi> {
  worker ??= Comlink.wrap<ScoreWorkerApi>(new Worker(new URL('./score.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}
