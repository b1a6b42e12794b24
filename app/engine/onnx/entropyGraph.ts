/**
 * The measured MAE-DET entropy (§4.2) as ONNX graphs (§4.3). Weights are graph inputs, not
 * initializers, so every repeat feeds fresh Gaussian weights to the same session.
 *
 * Two shapes of graph share the per-conv pieces below:
 * - `entropyGraph`: the whole main path in one graph (input `x`, one weight input per conv, one σ
 *   output per conv);
 * - `entropyChunkGraphs`: one conv over a sub-batch, returning its output and the partial moments
 *   the caller combines over the whole batch (the layer-major mode for batches that do not fit).
 */
import { convOutputSide } from '../blocks/conv';
import type { Structure } from '../block';
import type { ConvSpec } from '../blocks/kind';
import { blockKind } from '../blocks/registry';
import { StructureError } from '../errors';
import { GraphBuilder, type Dim } from './graph';

/** BatchNorm's ε (PyTorch's default, which the reference keeps) */
const BN_EPSILON = 1e-5;

export interface EntropyGraphOptions {
  batch: number;
  resolution: number;
  /** BatchNorm in training mode (batch statistics) after each conv */
  bn: boolean;
  /** ReLU after each conv (after BN) */
  relu: boolean;
}

/** One main-path conv as the entropy graphs run it. */
export interface EntropyConv extends ConvSpec {
  /** the block it belongs to */
  blockIndex: number;
  /** `[cout, cin/g, k, k]` */
  weightDims: number[];
  /** input and output side of the (square) feature map */
  inSide: number;
  outSide: number;
}

/**
 * Every main-path conv in forward order, from the block kinds' `mainConvs`, with the feature-map
 * sides the convs really produce (`⌊(R + 2p − k)/s⌋ + 1`, which is what the runtime computes).
 * Throws a StructureError when a conv's output would be empty at this resolution.
 */
export function entropyConvs(structure: Structure, resolution: number): EntropyConv[] {
  const convs: EntropyConv[] = [];
  if (structure.length === 0) throw new StructureError('the structure has no blocks');
  let side = resolution;
  structure.forEach((b, blockIndex) => {
    for (const c of blockKind(b.class).mainConvs(b).flat()) {
      const outSide = convOutputSide(side, c.k, c.s, c.p);
      if (outSide < 1) {
        throw new StructureError(`block ${blockIndex} (${b.class}): its ${c.k}×${c.k} conv gets a ${side}×${side} input at resolution ${resolution} and would output nothing; use a larger resolution`, { blockIndex });
      }
      convs.push({ ...c, blockIndex, weightDims: [c.cout, c.cin / c.g, c.k, c.k], inSide: side, outSide });
      side = outSide;
    }
  });
  return convs;
}

function convNode(g: GraphBuilder, x: string, weight: string, c: ConvSpec, out = g.fresh('conv')): string {
  return g.node('Conv', [x, weight], out, { kernel_shape: [c.k, c.k], strides: [c.s, c.s], pads: [c.p, c.p, c.p, c.p], group: c.g });
}

type Reduction = 'ReduceSum' | 'ReduceMean';

function reduceNode(g: GraphBuilder, op: Reduction, x: string, axes: number[] | undefined, out = g.fresh(op === 'ReduceSum' ? 'partial_sum' : 'partial_mean')): string {
  const keepdims = axes ? 1 : 0;
  if (!axes) return g.node(op, [x], out, { keepdims });
  // opset 17: ReduceMean takes its axes as an attribute, ReduceSum as an input
  return op === 'ReduceMean' ? g.node(op, [x], out, { axes, keepdims }) : g.node(op, [x, g.int64(g.fresh('axes'), axes)], out, { keepdims });
}

/**
 * Sum or mean of an NCHW tensor per channel (`[1, C, 1, 1]`) or of all elements (a scalar), in
 * stages: along W, then H, then the rest. onnxruntime-web's wasm kernels reduce into one float32
 * running sum; over a stem output's 10⁶ elements that drops the small terms of Σ(y − mean)² and
 * moves σ by ~5e-4 (onnxruntime-node's blocked kernels stay at ~1e-5). Partial sums of one row
 * keep both runtimes at float32 rounding. Means of equal-sized groups average to the mean.
 */
function reduceStaged(g: GraphBuilder, op: Reduction, x: string, perChannel: boolean, out?: string): string {
  const rows = reduceNode(g, op, reduceNode(g, op, x, [3]), [2]);
  return reduceNode(g, op, rows, perChannel ? [0] : undefined, out);
}

interface MomentTensors {
  mean: string;
  /** `y − mean` */
  deviation: string;
  /** `Σ (y − mean)²` */
  m2: string;
}

/** The mean and the sum of squared deviations, per channel or of all elements (see `reduceStaged`). */
function moments(g: GraphBuilder, y: string, perChannel: boolean, names = { mean: g.fresh('mean'), m2: g.fresh('m2') }): MomentTensors {
  const mean = reduceStaged(g, 'ReduceMean', y, perChannel, names.mean);
  const deviation = g.node('Sub', [y, mean], g.fresh('deviation'));
  const m2 = reduceStaged(g, 'ReduceSum', g.node('Mul', [deviation, deviation], g.fresh('square')), perChannel, names.m2);
  return { mean, deviation, m2 };
}

/** BatchNorm (γ = 1, β = 0) of the deviation from the channel mean, given the biased variance. */
function batchNormScale(g: GraphBuilder, deviation: string, variance: string, out = g.fresh('bn')): string {
  const plusEps = g.node('Add', [variance, g.scalar(g.fresh('eps'), BN_EPSILON)], g.fresh('var_eps'));
  return g.node('Div', [deviation, g.node('Sqrt', [plusEps], g.fresh('bn_std'))], out);
}

const relu = (g: GraphBuilder, y: string, out = g.fresh('relu')) => g.node('Relu', [y], out);

/** The graph input name of conv i's weights and the output name of its σ. */
export const weightName = (i: number) => `w${i}`;
export const sigmaName = (i: number) => `sigma${i}`;

export interface EntropyGraph {
  bytes: Uint8Array;
  convs: EntropyConv[];
  /** the image input `x`, `[B, 3, R, R]` */
  inputDims: number[];
}

/**
 * The whole main path in one graph (§4.3): inputs `x` and `w0…w(n−1)`, outputs `sigma0…` (scalars).
 * Per conv: `y = Conv(x, w)`; optional BN with batch statistics; optional ReLU;
 * `σ = √(Σ(y − mean(y))² / (N_el − 1))` over all elements; the next conv gets `y / σ`.
 */
export function entropyGraph(structure: Structure, options: EntropyGraphOptions): EntropyGraph {
  const { batch, resolution } = options;
  const convs = entropyConvs(structure, resolution);
  const g = new GraphBuilder('maedet_entropy');
  const inputDims = [batch, convs[0].cin, resolution, resolution];
  let x = g.input('x', inputDims);
  convs.forEach((c, i) => {
    let y = convNode(g, x, g.input(weightName(i), c.weightDims), c);
    const perChannel = batch * c.outSide * c.outSide;
    if (options.bn) {
      const channel = moments(g, y, true);
      y = batchNormScale(g, channel.deviation, g.node('Div', [channel.m2, g.scalar(g.fresh('n_c'), perChannel)], g.fresh('var')));
    }
    if (options.relu) y = relu(g, y);
    const { m2 } = moments(g, y, false);
    // N_el − 1 as a float32 constant: rounded above 2^24, by a relative 6e-8 at most
    const unbiased = g.node('Div', [m2, g.scalar(g.fresh('n_el_1'), perChannel * c.cout - 1)], g.fresh('variance'));
    const sigma = g.node('Sqrt', [unbiased], sigmaName(i));
    g.output(sigma, []);
    if (i < convs.length - 1) x = g.node('Div', [y, sigma], g.fresh('normalised'));
  });
  return { bytes: g.toBytes({ purpose: 'MAE-DET measured entropy (spec §4.3)' }), convs, inputDims };
}

/** The graphs of one conv in the layer-major mode; `key` identifies their shape, for sharing sessions. */
export interface ChunkGraphs {
  key: string;
  conv: Uint8Array;
  bn: Uint8Array | undefined;
}

/**
 * The graphs of one conv in the layer-major (chunked) mode. The batch dimension is dynamic, so one
 * session serves every sub-batch, and convs of the same shape share graphs.
 * - `conv`: inputs `x` (the previous layer's activations), `scale` (the previous σ; 1 for the
 *   image), `w`; computes `y = Conv(x / scale, w)`, then ReLU unless BN comes next. Outputs `y` and
 *   the sub-batch's moments `mean`, `m2` (see `moments`): per channel (`[1, C, 1, 1]`) with BN,
 *   else of all elements (scalars).
 * - `bn` (only with BN): inputs `y` and the whole batch's `channel_mean` and biased `channel_var`
 *   (`[1, C, 1, 1]`); outputs `z` = BN(y), then ReLU if on, and its moments `mean`, `m2` (scalars).
 */
export function entropyChunkGraphs(c: EntropyConv, options: Pick<EntropyGraphOptions, 'bn' | 'relu'>): ChunkGraphs {
  const outDims: Dim[] = ['batch', c.cout, c.outSide, c.outSide];
  const channelDims = [1, c.cout, 1, 1];
  // the public tensor names are literals; internal ones come from `fresh` with other bases
  const outputNames = { mean: 'mean', m2: 'm2' };

  const g = new GraphBuilder('maedet_entropy_conv');
  const x = g.node('Div', [g.input('x', ['batch', c.cin, c.inSide, c.inSide]), g.input('scale', [])], g.fresh('scaled'));
  const activate = options.relu && !options.bn;
  let y = convNode(g, x, g.input('w', c.weightDims), c, activate ? undefined : 'y');
  if (activate) y = relu(g, y, 'y');
  moments(g, y, options.bn, outputNames);
  const momentDims = options.bn ? channelDims : [];
  g.output(y, outDims);
  g.output('mean', momentDims);
  g.output('m2', momentDims);

  let bn: Uint8Array | undefined;
  if (options.bn) {
    const h = new GraphBuilder('maedet_entropy_bn');
    const deviation = h.node('Sub', [h.input('y', outDims), h.input('channel_mean', channelDims)], h.fresh('deviation'));
    const variance = h.input('channel_var', channelDims);
    const z = options.relu ? relu(h, batchNormScale(h, deviation, variance), 'z') : batchNormScale(h, deviation, variance, 'z');
    moments(h, z, false, outputNames);
    h.output(z, outDims);
    h.output('mean', []);
    h.output('m2', []);
    bn = h.toBytes();
  }
  const key = JSON.stringify([c.cin, c.cout, c.k, c.s, c.p, c.g, c.inSide, options.bn, options.relu]);
  return { key, conv: g.toBytes(), bn };
}
