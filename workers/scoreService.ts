/**
 * The scoring service behind the scoring worker (comlink): measured entropy and the lesson's conv
 * probe on onnxruntime-web, and ONNX generation, all off the page's thread.
 */
import * as Comlink from 'comlink';
import type { Structure } from '../app/engine/block';
import { measureEntropy, type EntropySettings } from '../app/engine/entropy';
import { probeConvStd } from '../app/engine/onnx/convProbe';
import { entropyConvs } from '../app/engine/onnx/entropyGraph';
import { deployModel } from '../app/engine/onnx/deploy';
import type { OnnxRuntime } from '../app/engine/entropy';
import { yieldToMessages } from './yieldToMessages';
import type { ProviderChoice, ScoreWorkerApi } from './scoreApi';
import { entropyScorer, type EntropyScorer } from '../app/engine/evolution/entropyScorer';

import type { LatencyRuntime } from '../app/engine/latency/measure';
import { latencyPlan } from '../app/engine/latency/plan';
import { measureNetworkLatency, runProfile } from '../app/engine/latency/profiler';

/** floats one runtime call may hold in its largest activation: 128 M (512 MB), far inside wasm's 4 GB */
const MAX_ACTIVATION_FLOATS = 128 * 2 ** 20;

/**
 * The images per runtime call that keep the largest activation within MAX_ACTIVATION_FLOATS: the
 * whole batch when it fits, else the layer-major mode over sub-batches (same result). Throws a
 * sentence with a suggestion when even one image is too large.
 */
export function planSubBatch(structure: Structure, settings: EntropySettings): number | undefined {
  const perImage = Math.max(...entropyConvs(structure, settings.resolution).map((c) => c.cout * c.outSide * c.outSide));
  if (perImage * settings.batch <= MAX_ACTIVATION_FLOATS) return undefined;
  const fit = Math.floor(MAX_ACTIVATION_FLOATS / perImage);
  if (fit < 1) {
    throw new Error(`one image at ${settings.resolution}×${settings.resolution} px needs ${Math.round((perImage * 4) / 2 ** 20)} MB in its largest layer, more than this tab should allocate; try a smaller resolution`);
  }
  return fit;
}

/**
 * The runtime for a provider choice and a thread count: onnxruntime-web in the scoring worker
 * (score.worker.ts); in Node tests onnxruntime-web's wasm backend in Node.
 */
export type RuntimeFor = (choice: ProviderChoice, threads: number) => Promise<OnnxRuntime>;

/** the latency timing's runtime for a provider choice and a thread count (one execution provider, no fallback) */
export type LatencyRuntimeFor = (choice: ProviderChoice, threads: number) => Promise<LatencyRuntime>;

export function createScoreService(runtimeFor: RuntimeFor, latencyRuntimeFor?: LatencyRuntimeFor): ScoreWorkerApi {
  let running: { aborted: boolean } | null = null;
  const latencyRuntime = (choice: ProviderChoice, threads: number) => {
    if (!latencyRuntimeFor) throw new Error('this scoring service cannot time latency');
    return latencyRuntimeFor(choice, threads);
  };
  /** run `task` as the cancellable job in progress */
  const cancellable = async <T>(task: (signal: { aborted: boolean }) => Promise<T>): Promise<T> => {
    const signal = { aborted: false };
    running = signal;
    try {
      return await task(signal);
    } finally {
      if (running === signal) running = null;
    }
  };
  let searchScorer: { key: string; score: EntropyScorer; provider: string } | null = null;
  return {
    async measure(structure, options, onRepeat) {
      const { provider: choice, threads, ...settings } = options;
      const runtime = await runtimeFor(choice, threads);
      const signal = { aborted: false };
      running = signal;
      try {
        return await measureEntropy(structure, { ...settings, subBatch: settings.subBatch ?? planSubBatch(structure, settings) }, runtime, {
          signal,
          yield: yieldToMessages,
          onRepeat: (r) => onRepeat?.(r.index + 1, r.repeats),
        });
      } finally {
        if (running === signal) running = null;
      }
    },
    async scoreBatch(structures, options) {
      // one scorer per search (its settings), so structures seen before are not measured again
      const key = JSON.stringify(options);
      if (searchScorer?.key !== key) {
        const { provider: choice, threads, ...settings } = options;
        const runtime = await runtimeFor(choice, threads);
        searchScorer = { key, score: entropyScorer(settings, runtime), provider: runtime.provider };
      }
      return { scores: await searchScorer.score(structures), provider: searchScorer.provider };
    },
    cancel() {
      if (running) running.aborted = true;
    },
    async profileDevice(request, onProgress, onCheckpoint) {
      const runtime = await latencyRuntime(request.provider, request.threads);
      const plan = latencyPlan(request.config, request.resolution, { quick: request.quick });
      return cancellable((signal) => runProfile(runtime, plan, { resume: request.resume, signal, onProgress, onCheckpoint, yield: yieldToMessages }));
    },
    async measureLatency(structure, options) {
      const runtime = await latencyRuntime(options.provider, options.threads);
      return cancellable(async (signal) => ({ ...(await measureNetworkLatency(runtime, structure, options.resolution, signal)), device: runtime.device }));
    },
    async convStd(options) {
      const { threads, ...probe } = options;
      // wasm, never WebGPU: a conv of a few milliseconds would spend longer uploading to a GPU
      return probeConvStd(probe, await runtimeFor('wasm', threads));
    },
    async deploy(structure, options) {
      const model = deployModel(structure, options);
      return Comlink.transfer(model, [model.bytes.buffer]);
    },
  };
}
