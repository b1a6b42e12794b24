import type { Block, BlockClass, Shape2d } from '../block';

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

/** DeepMAD exponents (α1 on channels, α2 on kernel size). */
export interface DeepmadAlpha {
  alpha1: number;
  alpha2: number;
}

/**
 * Everything the engine needs to know about one block class. Adding a block type is adding one
 * file that implements this and registering it in `registry.ts`.
 */
export interface BlockKind {
  readonly className: BlockClass;
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
}
