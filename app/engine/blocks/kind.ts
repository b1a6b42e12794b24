import type { Activation, Block, Shape2d } from '../block';

/** One convolution (no bias) as the ONNX graphs build it. */
export interface ConvSpec {
  cin: number;
  cout: number;
  k: number;
  s: number;
  p: number;
  /** groups */
  g: number;
}

/**
 * The operations a block needs to write itself into the deploy model's inference graph (spec §7).
 * `module` arguments are PyTorch module paths of the reference's deploy model (`block_list.1.
 * block_list.0.conv2`): weights are named after them, so the graph's initializers are the
 * reference's state-dict keys. Every method returns the name of the tensor it produced.
 */
export interface DeployEmitter {
  /** a ConvKXBN module: Conv (`{module}.conv1.weight`) → BatchNormalization (`{module}.bn1.*`) */
  convBn(module: string, conv: ConvSpec, input: string): string;
  /** the block's activation (`act`; ReLU when absent), applied inside `module` */
  activation(act: Activation | undefined, module: string, input: string): string;
  /** AvgPool 2×2, stride 2, no padding: the shortcut's `residual_downsample` of a stride-2 block */
  avgPool2(module: string, input: string): string;
  /** the residual sum inside `module` */
  add(module: string, a: string, b: string): string;
}

/** DeepMAD exponents (α1 on channels, α2 on kernel size). */
export interface DeepmadAlpha {
  alpha1: number;
  alpha2: number;
}

/** the PyTorch export's shared base classes a block's own classes build on */
export type PyTorchBase = 'ResidualBlock' | 'SuperBlock';

/**
 * Everything the engine needs to know about one block class. Adding a block type is adding one
 * file that implements this and its entry in `registry.ts` (which also makes its name a
 * `BlockClass`): nothing else lists the block classes.
 */
export interface BlockKind {
  /** the class name in structures (and of its PyTorch module) */
  readonly className: string;
  /** other names accepted on input (the maedet branch's class names) */
  readonly aliases: readonly string[];
  /** super blocks carry `btn` and `L` and expand into L inner blocks */
  readonly isSuper: boolean;
  /** the inner class name the reference writes into saved dicts (`inner_class`) */
  readonly innerClass: string | undefined;
  /** conv layers per inner block, as the search space's layer check counts them */
  readonly layersPerInner: number;
  /** trainable parameters: conv weights + BN γ, β */
  params(b: Block): number;
  /** FLOPs coefficient φ: `flops(R) = φ · R²` for a square input of side R */
  flopsCoefficient(b: Block): number;
  layers(b: Block): number;
  /** output side for an input side, as the reference's resolution bookkeeping computes it (R // s) */
  outputSide(b: Block, side: number): number;
  /** entries this block adds to the per-block score lists (1 for the stem, L for a super block) */
  blockNum(b: Block): number;
  /** one analytic-entropy (madnas) term per inner block, §3.2 */
  madnasTerms(b: Block): number[];
  /** one DeepMAD term per inner block; undefined where the reference defines none */
  deepmadTerms: ((b: Block, alpha: DeepmadAlpha) => number[]) | undefined;
  /** one width term per inner block (efficient score); undefined where the reference defines none */
  widthTerms: ((b: Block) => number[]) | undefined;
  /** FLOPs in the paper's (mmcv counter) convention for an h×w input, and the output shape */
  paperFlops(b: Block, input: Shape2d): { flops: number; output: Shape2d };
  /**
   * The main-path convolutions in forward order, one group per score entry (the stem alone; one
   * group per inner block): what the measured entropy (§4.2) runs.
   */
  mainConvs(b: Block): ConvSpec[][];
  /**
   * Write the block's inference graph (module path `module`, e.g. `block_list.3`) on top of
   * tensor `input`; returns the block's output tensor.
   */
  emitDeploy(g: DeployEmitter, b: Block, module: string, input: string): string;
  /**
   * The PyTorch export's classes for this block, in definition order (a super block's inner
   * class, then its own), and the shared base classes they build on.
   */
  readonly pytorch: { bases: readonly PyTorchBase[]; source: string };
}
