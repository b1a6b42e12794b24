/**
 * Timing a model on an ONNX runtime, with the hygiene the profile and "Measure latency" share:
 * one execution provider per session (the runtime adapter never falls back), warm-up runs
 * discarded, each sample long enough (≥ 2 ms of back-to-back runs) for the clock's resolution,
 * the median of the samples, and the same input tensors for every run. The runtime is abstract
 * (onnxruntime-node in the CLI, onnxruntime-web in the scoring worker), so this stays pure.
 */
import type { TensorFeed } from '../entropy';
import { NormalStream } from '../normal';
import { quantile } from '../stats';

/** one loaded model bound to its input tensors (created once) */
interface TimedSession {
  run(): Promise<void>;
  release(): Promise<void>;
}

/** What timing needs from a runtime (see `onnx/ortRuntime.ts`, `ortLatencyRuntime`). */
export interface LatencyRuntime {
  /** what the times were measured on */
  readonly device: DeviceInfo;
  load(model: Uint8Array, feeds: Record<string, TensorFeed>): Promise<TimedSession>;
  /** a monotonic clock in milliseconds */
  now(): number;
}

/** What a time was measured on, as a profile records it. */
export interface DeviceInfo {
  /** 'wasm' | 'webgpu' (onnxruntime-web) or 'cpu' (onnxruntime-node) */
  backend: string;
  /** "onnxruntime-web 1.30.0" */
  runtime: string;
  /** the WebGPU adapter's vendor / architecture, or the CPU model in Node */
  adapter: string;
  threads: number;
  crossOriginIsolated: boolean;
  /** the browser or Node, and the platform */
  agent: string;
}

export interface Hygiene {
  warmupRuns: number;
  /** a sample is at least this long: runs are repeated back to back until it is */
  minSampleMs: number;
  samples: number;
}

export const HYGIENE: Readonly<Hygiene> = { warmupRuns: 2, minSampleMs: 2, samples: 7 };

/**
 * A whole network is timed over more samples than a unit: it is timed once per calibration
 * network or per "Measure latency", and its median is what a prediction is judged by (two threads
 * on two cores vary by ±10% from one pass to the next while anything else runs). More warm-up
 * runs too: its model was just built, and the memory that took settles meanwhile.
 */
export const NETWORK_HYGIENE: Readonly<Hygiene> = { warmupRuns: 5, minSampleMs: 2, samples: 15 };

export interface Timing {
  /** per run, ms */
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** runs per sample (back to back, so that a sample lasts ≥ minSampleMs) */
  runsPerSample: number;
  samples: number;
}

/** Cancellation as every long engine loop takes it. */
export interface Signal {
  aborted: boolean;
}

/** The error a cancelled timing rejects with (`name` is 'AbortError', as for fetch). */
export class LatencyAbortError extends Error {
  constructor(what = 'latency measurement') {
    super(`${what} cancelled`);
    this.name = 'AbortError';
  }
}

/** Time an already loaded session. */
async function timeSession(session: TimedSession, clock: () => number, hygiene: Hygiene = HYGIENE, signal?: Signal): Promise<Timing> {
  let single = Infinity;
  for (let i = 0; i < hygiene.warmupRuns; i++) {
    const t = clock();
    await session.run();
    single = clock() - t;
  }
  if (signal?.aborted) throw new LatencyAbortError();
  // the last warm-up run says how many runs make a sample of minSampleMs
  const runsPerSample = Math.max(1, Math.ceil(hygiene.minSampleMs / Math.max(single, 1e-3)));
  const perRun: number[] = [];
  for (let s = 0; s < hygiene.samples; s++) {
    const t = clock();
    for (let r = 0; r < runsPerSample; r++) await session.run();
    perRun.push((clock() - t) / runsPerSample);
    if (signal?.aborted) throw new LatencyAbortError();
  }
  return { medianMs: quantile(perRun, 0.5), p10Ms: quantile(perRun, 0.1), p90Ms: quantile(perRun, 0.9), runsPerSample, samples: hygiene.samples };
}

/** Gaussian data for a shape, the same every time (seed 0). */
export function feedOf(dims: number[]): TensorFeed {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  new NormalStream(0).fill(data, 1);
  return { data, dims };
}

/** Load a model with its feeds, time it, release it. */
export async function timeModel(runtime: LatencyRuntime, model: Uint8Array, feeds: Record<string, TensorFeed>, hygiene: Hygiene = HYGIENE, signal?: Signal): Promise<Timing> {
  const session = await runtime.load(model, feeds);
  try {
    return await timeSession(session, () => runtime.now(), hygiene, signal);
  } finally {
    await session.release();
  }
}
