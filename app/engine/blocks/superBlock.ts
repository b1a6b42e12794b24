/**
 * Shared machinery of the `SuperRes*` classes: a super block expands into L inner residual blocks
 * (inner 0 takes the block's in/out/stride, inners ≥ 1 are out→out at stride 1) and sums them.
 */
import type { Activation, Block, Shape2d } from '../block';
import { defaultPadding, paperConvBn, strideOutputSide } from './conv';
import type { BlockKind, ConvSpec, DeepmadAlpha, DeployEmitter } from './kind';

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
  /** main-path convolutions in forward order (the shortcut is not part of the entropy score) */
  mainConvs(i: Inner): ConvSpec[];
  /**
   * Write this inner block's inference graph (module `module`, e.g. `block_list.1.block_list.0`)
   * on top of `input`, with the super block's activation; returns the output tensor.
   */
  emit(g: DeployEmitter, i: Inner, act: Activation | undefined, module: string, input: string): string;
  /** its PyTorch class (a `ResidualBlock`), for the PyTorch export */
  readonly pytorch: string;
}

/**
 * The two distinct inner blocks of a super block: inner 0 (the block's in/out/stride) and the
 * inner used L−1 more times (out→out, stride 1). Sums below loop over L in the reference's order.
 */
function innerPair(b: Block, forceProjFirst: boolean): { first: Inner; rest: Inner } {
  const btn = b.btn ?? b.out;
  const p = b.p ?? defaultPadding(b.k);
  const g = b.g ?? 1;
  return {
    first: { cin: b.in, cout: b.out, s: b.s, btn, k: b.k, p, g, forceProj: forceProjFirst },
    rest: { cin: b.out, cout: b.out, s: 1, btn, k: b.k, p, g, forceProj: false },
  };
}

/** The L inner blocks in order. */
function innerBlocks(b: Block, forceProjFirst: boolean): Inner[] {
  const { first, rest } = innerPair(b, forceProjFirst);
  return Array.from({ length: b.L ?? 1 }, (_, j) => (j === 0 ? first : rest));
}

/** the PyTorch class of a super block: L inner blocks of its inner class */
function superClassSource(className: string, inner: InnerKind): string {
  const lines = [`class ${className}(SuperBlock):`, `    inner_class = ${inner.name}`];
  if (inner.forceProjFirst) lines.push('    # TinyNAS gives inner 0 of this class a 1x1 projection even when in == out.', '    force_first_resproj = True');
  return lines.join('\n');
}

export function makeSuperKind(className: string, aliases: readonly string[], inner: InnerKind): BlockKind {
  const pair = (b: Block) => innerPair(b, inner.forceProjFirst);
  /** one value per inner block: f(first), then f(rest) L−1 times */
  const perInner = (b: Block, f: (i: Inner) => number): number[] => {
    const { first, rest } = pair(b);
    const terms = [f(first)];
    const value = f(rest);
    for (let j = 1; j < (b.L ?? 1); j++) terms.push(value);
    return terms;
  };
  const deepmad = inner.deepmadTerm;
  const width = inner.widthTerm;
  return {
    className,
    aliases,
    isSuper: true,
    innerClass: inner.name,
    layersPerInner: inner.layers,
    params(b) {
      const { first, rest } = pair(b);
      let total = 0.0 + inner.params(first);
      const value = inner.params(rest);
      for (let j = 1; j < (b.L ?? 1); j++) total = total + value;
      return total;
    },
    flopsCoefficient(b) {
      // inner 0 sees the block's input side; the others see it divided by the stride
      const { first, rest } = pair(b);
      let f = 0.0 + inner.phi(first);
      const c = 1.0 / first.s;
      const value = inner.phi(rest) * c * c;
      for (let j = 1; j < (b.L ?? 1); j++) f = f + value;
      return f;
    },
    layers: (b) => inner.layers * (b.L ?? 1),
    // inner 0 carries the stride, the others keep the side
    outputSide: strideOutputSide,
    blockNum: (b) => b.L ?? 1,
    madnasTerms: (b) => perInner(b, inner.madnasTerm),
    deepmadTerms: deepmad && ((b, alpha) => perInner(b, (i) => deepmad(i, alpha))),
    widthTerms: width && ((b) => perInner(b, width)),
    paperFlops(b, input) {
      let flops = 0;
      let shape = input;
      for (const i of innerBlocks(b, inner.forceProjFirst)) {
        const r = inner.paperFlops(i, shape);
        flops += r.flops;
        shape = r.output;
      }
      return { flops, output: shape };
    },
    mainConvs: (b) => innerBlocks(b, inner.forceProjFirst).map((i) => inner.mainConvs(i)),
    emitDeploy(g, b, module, input) {
      let x = input;
      innerBlocks(b, inner.forceProjFirst).forEach((i, j) => (x = inner.emit(g, i, b.act, `${module}.block_list.${j}`, x)));
      return x;
    },
    pytorch: { bases: ['ResidualBlock', 'SuperBlock'], source: `${inner.pytorch}\n\n\n${superClassSource(className, inner)}` },
  };
}

/**
 * An inner block's main path in the graph: its convs (modules `conv1`, `conv2`, … as the
 * reference names them), each with its BN, the activation between them but not after the last —
 * the residual sum comes first.
 */
export function emitMainPath(g: DeployEmitter, convs: readonly ConvSpec[], act: Activation | undefined, module: string, input: string): string {
  let x = input;
  convs.forEach((c, j) => {
    if (j > 0) x = g.activation(act, module, x);
    x = g.convBn(`${module}.conv${j + 1}`, c, x);
  });
  return x;
}

/** Paper-convention FLOPs of consecutive convs (each with its BN), threading the shape. */
export function chainPaperFlops(input: Shape2d, convs: readonly ConvSpec[]): { flops: number; output: Shape2d } {
  let flops = 0;
  let shape = input;
  for (const c of convs) {
    const r = paperConvBn(c.cin, c.cout, c.k, c.s, c.p, c.g, shape);
    flops += r.flops;
    shape = r.output;
  }
  return { flops, output: shape };
}
