/**
 * Shared machinery of the `SuperRes*` classes: a super block expands into L inner residual blocks
 * (inner 0 takes the block's in/out/stride, inners ≥ 1 are out→out at stride 1) and sums them.
 */
import type { Block, BlockClass, Shape2d } from '../block';
import { defaultPadding } from './conv';
import type { BlockKind, DeepmadAlpha } from './kind';

/** One inner residual block, as the super block's constructor creates it. */
export interface Inner {
  cin: number;
  cout: number;
  s: number;
  btn: number;
  k: number;
  p: number;
  g: number;
  /** 1×1 projection on the shortcut even when cin == cout (inner 0 of K1KXK1) */
  forceProj: boolean;
}

/** The maths of one inner class (ResK1KXK1, ResKXKX, ...). */
export interface InnerKind {
  readonly name: string;
  readonly layers: number;
  /** inner 0 of a super block always gets a projection (only ResK1KXK1) */
  readonly forceProjFirst: boolean;
  params(i: Inner): number;
  phi(i: Inner): number;
  madnasTerm(i: Inner): number;
  deepmadTerm: ((i: Inner, alpha: DeepmadAlpha) => number) | undefined;
  widthTerm: ((i: Inner) => number) | undefined;
  paperFlops(i: Inner, input: Shape2d): { flops: number; output: Shape2d };
}

export function innerBlocks(b: Block, forceProjFirst: boolean): Inner[] {
  const L = b.L ?? 1;
  const btn = b.btn ?? b.out;
  const p = b.p ?? defaultPadding(b.k);
  const g = b.g ?? 1;
  const inners: Inner[] = [];
  for (let j = 0; j < L; j++) {
    inners.push(
      j === 0
        ? { cin: b.in, cout: b.out, s: b.s, btn, k: b.k, p, g, forceProj: forceProjFirst }
        : { cin: b.out, cout: b.out, s: 1, btn, k: b.k, p, g, forceProj: false },
    );
  }
  return inners;
}

export function makeSuperKind(className: BlockClass, aliases: readonly string[], inner: InnerKind): BlockKind {
  const expand = (b: Block) => innerBlocks(b, inner.forceProjFirst);
  const deepmad = inner.deepmadTerm;
  const width = inner.widthTerm;
  return {
    className,
    aliases,
    isSuper: true,
    innerClass: inner.name,
    layersPerInner: inner.layers,
    params(b) {
      let total = 0.0;
      for (const i of expand(b)) total = total + inner.params(i);
      return total;
    },
    flopsCoefficient(b) {
      // inner 0 sees the block's input side; the others see it divided by the stride
      let f = 0.0;
      let c = 1.0;
      for (const i of expand(b)) {
        f = f + inner.phi(i) * c * c;
        c = c / i.s;
      }
      return f;
    },
    layers: (b) => inner.layers * (b.L ?? 1),
    blockNum: (b) => b.L ?? 1,
    madnasTerms: (b) => expand(b).map((i) => inner.madnasTerm(i)),
    deepmadTerms: deepmad && ((b, alpha) => expand(b).map((i) => deepmad(i, alpha))),
    widthTerms: width && ((b) => expand(b).map((i) => width(i))),
    paperFlops(b, input) {
      let flops = 0;
      let shape = input;
      for (const i of expand(b)) {
        const r = inner.paperFlops(i, shape);
        flops += r.flops;
        shape = r.output;
      }
      return { flops, output: shape };
    },
  };
}

/** Sum FLOPs of consecutive conv stages in the paper convention, threading the shape. */
export function chainPaperFlops(input: Shape2d, stages: ((shape: Shape2d) => { flops: number; output: Shape2d })[]): { flops: number; output: Shape2d } {
  let flops = 0;
  let shape = input;
  for (const stage of stages) {
    const r = stage(shape);
    flops += r.flops;
    shape = r.output;
  }
  return { flops, output: shape };
}
