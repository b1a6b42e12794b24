/**
 * The scoring worker's API as the page sees it through comlink: measured entropy and the lesson's
 * conv probe on onnxruntime-web, and ONNX generation. Only plain data crosses (structures,
 * settings, results; model bytes as a transferable buffer).
 */
import type { Structure } from '../app/engine/block';
import type { EntropyResult, EntropySettings } from '../app/engine/entropy';
import type { ConvProbeOptions, ConvProbeResult } from '../app/engine/onnx/convProbe';
import type { DeploySidecar } from '../app/engine/onnx/deploy';
import type { RunConfig } from '../app/engine/config';
import type { DeviceInfo, Timing } from '../app/engine/latency/measure';
import type { LatencyProfile } from '../app/engine/latency/profile';
import type { ProfileProgress } from '../app/engine/latency/profiler';

/**
 * wasm threads by default: one per core, at most 4. On the plain wasm build (ortWeb.ts) a second
 * thread makes a repeat faster on 2 cores (bench --onnx: MAE-DET-S at 224, batch 2, 411 ms
 * against 475 ms), and the σ of every conv are the same bits with 1 or 2 threads. (On the JSEP
 * build a second thread had made it slower, 760 ms against 590.)
 */
export const DEFAULT_THREADS = Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1));

/** which ONNX Runtime backend to use: auto = WebGPU on a hardware adapter, otherwise wasm */
export type ProviderChoice = 'auto' | 'webgpu' | 'wasm';

export interface MeasureOptions extends EntropySettings {
  provider: ProviderChoice;
  /**
   * wasm threads; onnxruntime-web fixes them at its first session, so a worker serves one count
   * (the client starts another worker for another count)
   */
  threads: number;
}

interface ConvStdOptions extends ConvProbeOptions {
  /** wasm threads, as for `MeasureOptions` */
  threads: number;
}

/** a device profile to make: the sampling plan of `config`'s space at `resolution`, on a backend */
export interface ProfileRequest {
  config: RunConfig;
  resolution: number;
  /** the quick plan (2 × 2 channel grids, 4 calibration networks) */
  quick: boolean;
  provider: ProviderChoice;
  threads: number;
  /** a partial profile of the same plan and backend to continue */
  resume?: LatencyProfile;
}

export interface ScoreWorkerApi {
  /**
   * Time the plan's units and networks and return the profile; `onCheckpoint` gets the partial
   * profile every few seconds and on cancel (what the page stores to resume)
   */
  profileDevice(request: ProfileRequest, onProgress?: (p: ProfileProgress) => void, onCheckpoint?: (partial: LatencyProfile) => void): Promise<LatencyProfile>;
  /** a network's deploy ONNX timed end to end at batch 1 (median, p10–p90), and the device */
  measureLatency(structure: Structure, options: { resolution: number; provider: ProviderChoice; threads: number }): Promise<Timing & { device: DeviceInfo }>;
  /** the measured entropy of one structure; `onRepeat(done, total)` after each repeat */
  measure(structure: Structure, options: MeasureOptions, onRepeat?: (done: number, total: number) => void): Promise<EntropyResult>;
  /** measured-entropy scores of a search's batch (−9999 for a structure that cannot run), and the provider used */
  scoreBatch(structures: Structure[], options: MeasureOptions): Promise<{ scores: number[]; provider: string }>;
  /** stop the measurement or profile in progress (it rejects with a "cancelled" error) */
  cancel(): void;
  /** one conv with N(0, 1) weights on wasm: its output's std against √fan-in (the lesson, step 2) */
  convStd(options: ConvStdOptions): Promise<ConvProbeResult>;
  /** the deploy ONNX model (C2–C5 outputs) and its sidecar */
  deploy(structure: Structure, options: { seed: number; head?: { classes: number } }): Promise<{ bytes: Uint8Array; sidecar: DeploySidecar }>;
}
