/**
 * The original MAE-DET score measured by a forward pass (spec §4): Gaussian weights, a Gaussian
 * image, and the log std of every main-path conv output, summed into stage scores like the
 * analytic madnas (§3.2). The ONNX graphs come from `onnx/entropyGraph.ts`; the runtime that
 * executes them is abstract (onnxruntime-node in the CLI, onnxruntime-web in the page), so this
 * file stays pure TypeScript. Feeds come from `NormalStream`, which gives the same bits on every
 * engine: a seed feeds the same numbers in Node and in a browser.
 */
import type { Structure } from './block';
import { blockKind } from './blocks/registry';
import { ConfigError, describeValue, integerSetting } from './errors';
import { log } from './math';
import { stageInfo } from './cost';
import { NormalPrefix, NormalStream } from './normal';
import { MAX_SEED } from './rng';
import { mean, sampleStd } from './stats';
import { entropyChunkGraphs, entropyConvs, entropyGraph, sigmaName, weightName, type EntropyConv } from './onnx/entropyGraph';
import { checkStageCount, ratioScore } from './scores/madnas';
import { CONFIG_FIELDS, DETECTION_STAGE_WEIGHTS, fieldProblem, type FieldPath } from './configFields';

/** A float32 tensor handed to a runtime. */
export interface TensorFeed {
  data: Float32Array;
  dims: number[];
}

/** One loaded graph. */
interface OnnxSession {
  /** run the graph; every output as float32 data (the shapes are known to the caller) */
  run(feeds: Record<string, TensorFeed>): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

/** What the entropy measurement needs from an ONNX runtime (see `onnx/ortRuntime.ts`). */
export interface OnnxRuntime {
  /** a readable description, e.g. "onnxruntime-node 1.30.0, cpu" */
  readonly provider: string;
  create(model: Uint8Array): Promise<OnnxSession>;
}

/**
 * What a Node host measures on: onnxruntime-node's CPU provider (native, the fastest) or
 * onnxruntime-web's wasm backend (the studio's runtime: the same bits on every machine)
 */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export interface EntropySettings {
  /** images per repeat (the reference's `score_batch_size`) */
  batch: number;
  /** input side R of the R×R image */
  resolution: number;
  /** independent draws of weights and image; the score is their mean */
  repeats: number;
  /** BatchNorm in training mode after each conv (the reference skips it: `score_skip_bn`) */
  bn: boolean;
  /** ReLU after each conv (the reference skips it: `score_skip_relu`) */
  relu: boolean;
  /** seed of the Gaussian feeds, 0 … 2^31 − 1 */
  seed: number;
  /** `multi_block_ratio`, one weight per stage; default [0, 0, 1, 1, 6] */
  ratio?: number[];
  /** std of the weights and of the image (`score_init_std`); default 1 */
  initStd?: number;
  /**
   * Images per runtime call. Below `batch`, the measurement runs layer-major over sub-batches
   * (`entropyChunkGraphs`), with the batch statistics still over the whole batch: the runtime
   * holds one sub-batch of one layer at a time, and the layer's activations wait in JS arrays
   * (in a browser, outside the wasm heap and its 4 GB limit). Slower: one run per conv and
   * sub-batch, each copying its output out. Default: the whole batch in one graph.
   */
  subBatch?: number;
}

export type ResolvedEntropySettings = EntropySettings & Required<Pick<EntropySettings, 'ratio' | 'initStd'>>;

/**
 * The detection script's settings (§4.1) except the batch: 4 instead of 32. A repeat's spread
 * comes from the random weights, not the images (§4.3; B = 4 agrees with B = 32 within 0.75 in
 * §9), while B = 32 costs MAE-DET-S 18 s and 1.5 GB per repeat on onnxruntime-node with 2 cores
 * (B = 4: 1.3 s, 0.4 GB).
 */
export const DEFAULT_ENTROPY_SETTINGS: Readonly<ResolvedEntropySettings> = {
  batch: 4,
  resolution: 480,
  repeats: 4,
  bn: false,
  relu: false,
  seed: 0,
  ratio: [...DETECTION_STAGE_WEIGHTS],
  initStd: 1,
};


/** a setting checked against its field in the config table (the search's limits are the measurement's) */
function tableSetting<T>(value: unknown, name: string, path: FieldPath): T {
  const problem = fieldProblem(CONFIG_FIELDS[path], value);
  if (problem) throw new ConfigError(name, problem);
  return value as T;
}

/**
 * The settings with defaults filled in and checked by value (they may come from JSON, a form or
 * a queue's job): every error names the setting and what was expected (a ConfigError).
 */
export function checkEntropySettings(input: EntropySettings): ResolvedEntropySettings {
  const { ratio = DEFAULT_ENTROPY_SETTINGS.ratio, initStd = DEFAULT_ENTROPY_SETTINGS.initStd } = input;
  if (!Array.isArray(ratio) || ratio.length === 0 || ratio.some((r) => typeof r !== 'number' || !Number.isFinite(r) || r < 0)) {
    throw new ConfigError('ratio', `found ${describeValue(ratio)}, expected a list of non-negative numbers such as [0, 0, 1, 1, 6]`);
  }
  if (typeof initStd !== 'number' || !Number.isFinite(initStd) || initStd <= 0) throw new ConfigError('initStd', `found ${describeValue(initStd)}, expected a positive number`);
  const settings: ResolvedEntropySettings = {
    batch: tableSetting(input.batch, 'batch', 'score.entropy.batch'),
    resolution: tableSetting(input.resolution, 'resolution', 'score.entropy.resolution'),
    repeats: tableSetting(input.repeats, 'repeats', 'score.entropy.repeats'),
    bn: tableSetting(input.bn, 'bn', 'score.entropy.bn'),
    relu: tableSetting(input.relu, 'relu', 'score.entropy.relu'),
    seed: integerSetting(input.seed, 'seed', 0, MAX_SEED),
    ratio: [...ratio],
    initStd,
    ...(input.subBatch !== undefined && { subBatch: integerSetting(input.subBatch, 'subBatch', 1) }),
  };
  return settings;
}

/**
 * The settings checked by value and against the structure: as `checkEntropySettings`, or the
 * block that cannot run (a StructureError).
 */
function resolveEntropySettings(structure: Structure, input: EntropySettings): ResolvedEntropySettings {
  const settings = checkEntropySettings(input);
  checkStageCount(stageInfo(structure), settings.ratio);
  for (const c of entropyConvs(structure, settings.resolution)) {
    // BN of a channel with one value gives 0, so σ = 0 and every later layer NaN
    if (settings.bn && settings.batch * c.outSide * c.outSide < 2) {
      throw new ConfigError('batch', `with bn, block ${c.blockIndex} (${structure[c.blockIndex].class}) outputs 1×1 per image at resolution ${settings.resolution}, so its batch statistics need a batch ≥ 2 (found ${settings.batch})`);
    }
  }
  return settings;
}

/** The score of one repeat from its σ list, as §4.2 sums it. */
export interface SigmaScore {
  total: number;
  /** weighted stage contributions (0 where the ratio is 0) */
  perStage: number[];
  /** per score entry (stem, then inner blocks): Σ ln σ of its convs */
  perBlock: number[];
}

/**
 * §4.2's score from the σ of every main-path conv, in network order: ln σ summed per score entry
 * (the stem; each inner block), then the madnas stage sums with `ln(stage channels)`.
 */
export function sigmaScore(structure: Structure, sigmas: readonly number[], ratio: readonly number[]): SigmaScore {
  const perBlock: number[] = [];
  let next = 0;
  for (const b of structure) {
    for (const group of blockKind(b.class).mainConvs(b)) {
      let sum = 0.0;
      for (let j = 0; j < group.length; j++) sum += log(sigmas[next + j]);
      next += group.length;
      perBlock.push(sum);
    }
  }
  if (next !== sigmas.length) throw new RangeError(`found ${sigmas.length} σ values, but the structure has ${next} main-path convs`);
  const info = stageInfo(structure);
  const { total, perStage } = ratioScore(perBlock, info, ratio, (i, sum) => sum + log(info.channels[i]));
  return { total, perStage, perBlock };
}

/** The error a cancelled measurement rejects with (`name` is 'AbortError', as for fetch). */
export class EntropyAbortError extends Error {
  constructor(done: number, repeats: number) {
    super(`entropy measurement cancelled after ${done} of ${repeats} repeats`);
    this.name = 'AbortError';
  }
}

interface EntropyRepeat {
  /** 0-based */
  index: number;
  repeats: number;
  score: number;
  perStage: number[];
  /** σ of every main-path conv */
  sigmas: number[];
  ms: number;
}

export interface EntropyResult {
  /** the score: mean over repeats */
  mean: number;
  /** sample std over repeats (n − 1; 0 for one repeat) */
  std: number;
  perRepeat: number[];
  /** mean over repeats of each stage's weighted contribution */
  perStage: number[];
  provider: string;
  /** wall time per repeat: drawing the feeds, running, scoring */
  msPerRepeat: number;
  /** of which drawing the Gaussian feeds */
  sampleMsPerRepeat: number;
  /** building the ONNX graph(s) */
  buildMs: number;
  /** creating the runtime session(s) */
  sessionMs: number;
}

export interface MeasureEntropyOptions {
  onRepeat?: (repeat: EntropyRepeat) => void;
  /** an AbortSignal (only `aborted` is read, so the engine needs no DOM types); checked between
   * repeats, and between layers in the layer-major mode */
  signal?: { readonly aborted: boolean };
  /**
   * let the host's queued messages run between repeats (a worker's Cancel): a forward pass on
   * wasm resolves without returning to the event loop, so a measurement would otherwise hold it
   */
  yield?: () => Promise<void>;
  /**
   * the repeats' streams kept across measurements with the same seed (a measured search's
   * children), by repeat seed: the feeds become views of them, drawn once instead of per child
   */
  draws?: Map<number, NormalPrefix>;
}

/** runs the main path on one repeat's feeds and returns σ per conv */
interface SigmaRunner {
  sigmas(image: Float32Array, weights: readonly Float32Array[], abortCheck: () => void): Promise<number[]>;
  release(): Promise<void>;
}

/**
 * The seed of repeat r's normal stream: murmur3's finaliser of the seed, xor r — distinct for the
 * repeats of a seed, and unrelated across seeds. Depending on (seed, r) only, a repeat can be
 * reproduced alone.
 */
function repeatSeed(seed: number, repeat: number): number {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16) ^ repeat) | 0;
}

/**
 * Measure the entropy score of `structure` (§4.2). Repeat r draws from
 * `NormalStream(repeatSeed(seed, r))` the image, then each conv's weights in network order.
 * Rejects with a ConfigError or StructureError for bad settings before creating any session, and
 * with an EntropyAbortError when `signal` aborts.
 */
export async function measureEntropy(structure: Structure, input: EntropySettings, runtime: OnnxRuntime, options: MeasureEntropyOptions = {}): Promise<EntropyResult> {
  const settings = resolveEntropySettings(structure, input);
  const { repeats } = settings;
  const perRepeat: number[] = [];
  const abortCheck = () => {
    if (options.signal?.aborted) throw new EntropyAbortError(perRepeat.length, repeats);
  };
  abortCheck();
  const timing = { buildMs: 0, sessionMs: 0 };
  const chunked = settings.subBatch !== undefined && settings.subBatch < settings.batch;
  const { convs, runner } = chunked ? await openChunked(structure, settings, runtime, timing) : await openWhole(structure, settings, runtime, timing);
  try {
    const sizes = [settings.batch * convs[0].cin * settings.resolution ** 2, ...convs.map((c) => c.weightDims.reduce((a, b) => a * b, 1))];
    const drawn = sizes.reduce((a, b) => a + b, 0);
    // the stream is cut in network order: the image, then each conv's weights
    const cut = (numbers: Float32Array) => {
      let at = 0;
      return sizes.map((n) => numbers.subarray(at, (at += n)));
    };
    // kept streams hold N(0, 1) numbers, so they serve the default std only
    const kept = settings.initStd === 1 ? options.draws : undefined;
    const own = kept ? null : new Float32Array(drawn);
    const stageSums = settings.ratio.map(() => 0);
    let totalMs = 0;
    let sampleMs = 0;
    for (let index = 0; index < repeats; index++) {
      abortCheck();
      const start = Date.now();
      const seed = repeatSeed(settings.seed, index);
      if (kept && !kept.has(seed)) kept.set(seed, new NormalPrefix(seed));
      const [image, ...weights] = cut(kept ? kept.get(seed)!.first(drawn) : new NormalStream(seed).fill(own!, settings.initStd));
      sampleMs += Date.now() - start;
      const sigmas = await runner.sigmas(image, weights, abortCheck);
      const { total, perStage } = sigmaScore(structure, sigmas, settings.ratio);
      const ms = Date.now() - start;
      totalMs += ms;
      perRepeat.push(total);
      perStage.forEach((s, i) => (stageSums[i] += s));
      options.onRepeat?.({ index, repeats, score: total, perStage, sigmas, ms });
      await options.yield?.();
    }
    return {
      mean: mean(perRepeat),
      std: sampleStd(perRepeat),
      perRepeat,
      perStage: stageSums.map((s) => s / repeats),
      provider: runtime.provider,
      msPerRepeat: totalMs / repeats,
      sampleMsPerRepeat: sampleMs / repeats,
      ...timing,
    };
  } finally {
    await runner.release();
  }
}

type Timing = { buildMs: number; sessionMs: number };

/** The whole batch through one graph (§4.3). */
async function openWhole(structure: Structure, settings: ResolvedEntropySettings, runtime: OnnxRuntime, timing: Timing): Promise<{ convs: EntropyConv[]; runner: SigmaRunner }> {
  const start = Date.now();
  const graph = entropyGraph(structure, settings);
  timing.buildMs = Date.now() - start;
  const session = await runtime.create(graph.bytes);
  timing.sessionMs = Date.now() - start - timing.buildMs;
  const { convs } = graph;
  return {
    convs,
    runner: {
      async sigmas(image, weights) {
        const feeds: Record<string, TensorFeed> = { x: { data: image, dims: graph.inputDims } };
        convs.forEach((c, i) => (feeds[weightName(i)] = { data: weights[i], dims: c.weightDims }));
        const out = await session.run(feeds);
        return convs.map((_, i) => out[sigmaName(i)][0]);
      },
      release: () => session.release(),
    },
  };
}

/** Per-element moments of a set of values: count, mean and Σ(y − mean)², per channel or of all. */
export interface Moments {
  count: number;
  mean: ArrayLike<number>;
  m2: ArrayLike<number>;
}

/**
 * The moments of a union from its parts' (Chan, Golub and LeVeque's parallel update, in float64):
 * `mean = Σ nₖ·meanₖ / N`, `M2 = Σ (M2ₖ + nₖ·(meanₖ − mean)²)`. Unlike Σy² − (Σy)²/N this does
 * not cancel when the mean is large next to the std (ReLU outputs).
 */
export function combineMoments(parts: readonly Moments[]): { count: number; mean: Float64Array; m2: Float64Array } {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const width = parts[0].mean.length;
  const mean = new Float64Array(width);
  const m2 = new Float64Array(width);
  for (const p of parts) for (let c = 0; c < width; c++) mean[c] += (p.count * p.mean[c]) / count;
  for (const p of parts) {
    for (let c = 0; c < width; c++) {
      const d = p.mean[c] - mean[c];
      m2[c] += p.m2[c] + p.count * d * d;
    }
  }
  return { count, mean, m2 };
}

/**
 * Layer-major over sub-batches (§4.3, last bullet): each conv runs over every sub-batch, the
 * sub-batches' moments are combined into the whole batch's (per channel for BN, then of all
 * elements for σ), and the next conv divides by σ. Equivalent to `openWhole` up to float rounding.
 */
async function openChunked(structure: Structure, settings: ResolvedEntropySettings, runtime: OnnxRuntime, timing: Timing): Promise<{ convs: EntropyConv[]; runner: SigmaRunner }> {
  const start = Date.now();
  const convs = entropyConvs(structure, settings.resolution);
  const graphs = convs.map((c) => entropyChunkGraphs(c, settings));
  timing.buildMs = Date.now() - start;
  // convs of the same shape (the repeated inner blocks) share sessions
  const sessions = new Map<string, { conv: OnnxSession; bn: OnnxSession | undefined }>();
  const release = async () => {
    for (const s of sessions.values()) {
      await s.conv.release();
      await s.bn?.release();
    }
  };
  try {
    for (const g of graphs) {
      if (sessions.has(g.key)) continue;
      const conv = await runtime.create(g.conv);
      sessions.set(g.key, { conv, bn: undefined });
      if (g.bn) sessions.get(g.key)!.bn = await runtime.create(g.bn);
    }
  } catch (e) {
    await release();
    throw e;
  }
  timing.sessionMs = Date.now() - start - timing.buildMs;
  const { batch, subBatch = batch } = settings;
  const chunkSizes = Array.from({ length: Math.ceil(batch / subBatch) }, (_, k) => Math.min(subBatch, batch - k * subBatch));

  /** one run per sub-batch, in turn (one sub-batch in the runtime at a time) */
  const overChunks = async (session: OnnxSession, feeds: (k: number) => Record<string, TensorFeed>) => {
    const outs: Record<string, Float32Array>[] = [];
    for (let k = 0; k < chunkSizes.length; k++) outs.push(await session.run(feeds(k)));
    return outs;
  };

  return {
    convs,
    runner: {
      async sigmas(image, weights, abortCheck) {
        const imageSize = image.length / batch;
        let activations = chunkSizes.map((n, k) => image.subarray(k * subBatch * imageSize, (k * subBatch + n) * imageSize));
        let scale = 1;
        const sigmas: number[] = [];
        for (let i = 0; i < convs.length; i++) {
          abortCheck();
          const c = convs[i];
          const { conv, bn } = sessions.get(graphs[i].key)!;
          const spatial = c.outSide * c.outSide;
          const scaleFeed = { data: Float32Array.of(scale), dims: [] };
          const w = { data: weights[i], dims: c.weightDims };
          const inputs = activations;
          let outs = await overChunks(conv, (k) => ({ x: { data: inputs[k], dims: [chunkSizes[k], c.cin, c.inSide, c.inSide] }, scale: scaleFeed, w }));
          activations = outs.map((o) => o.y);
          if (bn) {
            const channel = combineMoments(outs.map((o, k) => ({ count: chunkSizes[k] * spatial, mean: o.mean, m2: o.m2 })));
            const dims = [1, c.cout, 1, 1];
            const channelMean = { data: Float32Array.from(channel.mean), dims };
            const channelVar = { data: Float32Array.from(channel.m2, (m) => m / channel.count), dims };
            const ys = activations;
            outs = await overChunks(bn, (k) => ({ y: { data: ys[k], dims: [chunkSizes[k], c.cout, c.outSide, c.outSide] }, channel_mean: channelMean, channel_var: channelVar }));
            activations = outs.map((o) => o.z);
          }
          const all = combineMoments(outs.map((o, k) => ({ count: chunkSizes[k] * c.cout * spatial, mean: o.mean, m2: o.m2 })));
          scale = Math.sqrt(all.m2[0] / (all.count - 1));
          sigmas.push(scale);
        }
        return sigmas;
      },
      release,
    },
  };
}
