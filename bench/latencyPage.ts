/**
 * The latency bench's page (bench/latencyPage.html, built and served by bench/latency.ts): the
 * studio's own scoring worker — the same onnxruntime-web build, provider choice and timing as the
 * studio — with its API on `window.latencyBench` for playwright to call.
 */
import * as Comlink from 'comlink';
import type { ScoreWorkerApi } from '../workers/scoreApi';

const worker = new Worker(new URL('../workers/score.worker.ts', import.meta.url), { type: 'module', name: 'scoring' });
(window as unknown as { latencyBench: Comlink.Remote<ScoreWorkerApi> }).latencyBench = Comlink.wrap<ScoreWorkerApi>(worker);
