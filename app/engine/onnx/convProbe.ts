/**
 * The lesson's conv probe: one convolution with N(0, 1) weights on an N(0, 1) input, run on an
 * ONNX runtime, to show that a conv multiplies the std by √fan-in (the fact behind §3.2's
 * ℓ = log √fan-in terms and §4's measured entropy). The graph is the entropy measurement's own
 * one-conv graph (`entropyChunkGraphs`), so the probe measures σ exactly as §4.3 does.
 *
 * The conv has no padding: every output then sums a full k×k×C_in patch, so the prediction holds
 * without §4.3's zero-padding border effect.
 */
import type { OnnxRuntime } from '../entropy';
import { sampleStd } from '../stats';
import { ConfigError, describeValue, integerSetting } from '../errors';
import { NormalStream } from '../normal';
import { MAX_SEED } from '../rng';
import { entropyChunkGraphs, type EntropyConv } from './entropyGraph';

export const PROBE_KERNELS = [1, 3, 5, 7] as const;
export const MAX_PROBE_CIN = 512;
const MAX_PROBE_COUT = 64;
/** the largest input side: the probe answers a control in milliseconds */
const MAX_PROBE_SIZE = 128;
const MAX_PROBE_BATCH = 16;

export interface ConvProbeOptions {
  /** kernel side k: 1, 3, 5 or 7 */
  k: number;
  /** input channels, 1 … 512 */
  cin: number;
  /** output channels, 1 … 64 (default 16) */
  cout?: number;
  /** side of the square input, k + 1 … 128 (default 32) */
  size?: number;
  /** images, 1 … 16 (default 1) */
  batch?: number;
  /** seed of the input and weights, 0 … 2^31 − 1 (default 0) */
  seed?: number;
}

export type ResolvedConvProbeOptions = Required<ConvProbeOptions>;

/**
 * 16 output channels of a 32×32 input: at k = 7, C_in = 512 (the largest conv) that is 26 M
 * multiply-adds, about 30 ms in one wasm thread, over 16·26² = 10 816 outputs (a spread of 0.7 %).
 */
export const DEFAULT_PROBE_OPTIONS = { cout: 16, size: 32, batch: 1, seed: 0 } as const;

export interface ConvProbeResult extends ResolvedConvProbeOptions {
  /** k²·C_in: the weights each output sums over */
  fanIn: number;
  /** sample std (n − 1) of the drawn input, in float64 */
  inputStd: number;
  /** sample std (n − 1) of every conv output, as the runtime computed it (§4.3) */
  outputStd: number;
  /** `inputStd · √fanIn` */
  predictedStd: number;
  /** the std of `outputStd / predictedStd` expected from sampling alone (`probeSpread`) */
  spread: number;
  /** output elements the std is measured over: batch · C_out · (size − k + 1)² */
  outputs: number;
  /** wall time of the forward pass */
  ms: number;
  /** wall time of the whole probe: drawing the numbers, building the graph, loading it, the pass */
  totalMs: number;
}

/**
 * The std of a conv's output with N(0, 1) weights, no bias and no padding, for an input of std
 * `inputStd`: each output sums k²·C_in independent products w·x, so its variance is
 * k²·C_in·Var(w)·Var(x) and the std grows by √(k²·C_in).
 */
export function predictedConvStd(k: number, cin: number, inputStd = 1): number {
  return inputStd * Math.sqrt(k * k * cin);
}

/**
 * The relative std of the measured output std expected from sampling alone, so a measurement
 * within a few of these of the prediction agrees with it. A sample variance of m independent
 * values has a relative std of √(2/m), its square root half that, and the two sources add:
 * - the weights: the outputs' variance is Var(x) times the mean of the C_out·k²·C_in squared
 *   weights, not their expectation 1;
 * - the outputs: batch·C_out·(size − k + 1)² of them, but as they are sums of the
 *   batch·C_in·size² input numbers they are no more independent samples than those.
 * Checked over 100 seeds at 13 shapes (k = 1 … 7, C_in = 1 … 512, C_out = 4 … 64): the observed
 * std is 0.74 to 1.07 times this.
 */
export function probeSpread({ k, cin, cout, size, batch }: ResolvedConvProbeOptions): number {
  const weights = cout * k * k * cin;
  const samples = batch * Math.min(cout * (size - k + 1) ** 2, cin * size * size);
  return Math.sqrt(1 / (2 * weights) + 1 / (2 * samples));
}

/** The options with defaults filled in, checked by value: a ConfigError names the option and what was expected. */
export function resolveConvProbeOptions(input: ConvProbeOptions): ResolvedConvProbeOptions {
  if (!(PROBE_KERNELS as readonly unknown[]).includes(input.k)) throw new ConfigError('k', `found ${describeValue(input.k)}, expected a kernel size of ${PROBE_KERNELS.join(', ')}`);
  const k = input.k;
  const { cout = DEFAULT_PROBE_OPTIONS.cout, size = DEFAULT_PROBE_OPTIONS.size, batch = DEFAULT_PROBE_OPTIONS.batch, seed = DEFAULT_PROBE_OPTIONS.seed } = input;
  return {
    k,
    cin: integerSetting(input.cin, 'cin', 1, MAX_PROBE_CIN),
    cout: integerSetting(cout, 'cout', 1, MAX_PROBE_COUT),
    // an unpadded conv needs a larger input than its kernel, or it outputs a single position per image
    size: integerSetting(size, 'size', k + 1, MAX_PROBE_SIZE),
    batch: integerSetting(batch, 'batch', 1, MAX_PROBE_BATCH),
    seed: integerSetting(seed, 'seed', 0, MAX_SEED),
  };
}

/**
 * Run the probe: from `NormalStream(seed)` draw the input `[batch, C_in, size, size]`, then the
 * weights `[C_out, C_in, k, k]`, run the conv on `runtime`, and compare the output's std with
 * `predictedConvStd`. The same options give the same numbers on every runtime, up to float32
 * rounding. Rejects with a ConfigError for bad options before creating a session.
 */
export async function probeConvStd(input: ConvProbeOptions, runtime: OnnxRuntime): Promise<ConvProbeResult> {
  const options = resolveConvProbeOptions(input);
  const { k, cin, cout, size, batch, seed } = options;
  const start = Date.now();
  const outSide = size - k + 1;
  // a lone conv, as the entropy graphs describe one: block 0, stride 1, no padding, one group
  const conv: EntropyConv = { cin, cout, k, s: 1, p: 0, g: 1, blockIndex: 0, weightDims: [cout, cin, k, k], inSide: size, outSide };
  const stream = new NormalStream(seed);
  const image = stream.fill(new Float32Array(batch * cin * size * size));
  const weights = stream.fill(new Float32Array(cout * cin * k * k));
  const inputStd = sampleStd(image);
  const session = await runtime.create(entropyChunkGraphs(conv, { bn: false, relu: false }).conv);
  try {
    const runStart = Date.now();
    const out = await session.run({
      x: { data: image, dims: [batch, cin, size, size] },
      // the chunk graph divides its input by the previous layer's σ; the image is used as drawn
      scale: { data: Float32Array.of(1), dims: [] },
      w: { data: weights, dims: conv.weightDims },
    });
    const ms = Date.now() - runStart;
    const outputs = batch * cout * outSide * outSide;
    const fanIn = k * k * cin;
    return {
      ...options,
      fanIn,
      inputStd,
      outputStd: Math.sqrt(out.m2[0] / (outputs - 1)),
      predictedStd: predictedConvStd(k, cin, inputStd),
      spread: probeSpread(options),
      outputs,
      ms,
      totalMs: Date.now() - start,
    };
  } finally {
    await session.release();
  }
}
