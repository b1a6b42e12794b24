/**
 * The shortcut of K1KXK1 / KXKX / K1KX inner blocks: avg-pool if stride 2, then a 1×1 projection
 * if the channels change (or inner 0 of K1KXK1 forces one). K1DWK1 has its own rule.
 */
import type { Activation, Shape2d } from '../block';
import { convParams, convPhi, paperAvgPool, paperConvBn } from './conv';
import type { DeployEmitter } from './kind';
import type { Inner } from './superBlock';

export function hasProjection(i: Inner): boolean {
  return i.cin !== i.cout || i.forceProj;
}

export function projectionParams(i: Inner): number {
  return convParams(i.cin, i.cout, 1, 1);
}

/** Add the pool and projection FLOPs terms to a main-path φ, in the reference's order. */
export function withShortcutPhi(f: number, i: Inner): number {
  const s2 = i.s * i.s;
  if (i.s === 2) f = f + i.cin;
  if (hasProjection(i)) {
    const q = 1.0 / i.s;
    f = f + convPhi(i.cin, i.cout, 1, 1, 1) * (q * q) + i.cout / s2;
  }
  return f;
}

/** Paper-convention FLOPs of a shortcut: avg-pool if stride 2, then the 1×1 projection if any. */
export function shortcutPaperFlops(i: Inner, input: Shape2d, projection = hasProjection(i)): number {
  let flops = 0;
  let shape = input;
  if (i.s === 2) {
    const pool = paperAvgPool(i.cin, shape);
    flops += pool.flops;
    shape = pool.output;
  }
  if (projection) flops += paperConvBn(i.cin, i.cout, 1, 1, 0, 1, shape).flops;
  return flops;
}

/**
 * The end of a residual inner block in the graph: shortcut = `residual_downsample` (avg-pool if
 * stride 2) then `residual_proj` (1×1 conv + BN, if `projection`) of the block's input, added to
 * the main path's output, then the activation.
 */
export function emitResidualSum(g: DeployEmitter, i: Inner, act: Activation | undefined, module: string, input: string, main: string, projection = hasProjection(i)): string {
  let shortcut = input;
  if (i.s === 2) shortcut = g.avgPool2(`${module}.residual_downsample`, shortcut);
  if (projection) shortcut = g.convBn(`${module}.residual_proj`, { cin: i.cin, cout: i.cout, k: 1, s: 1, p: 0, g: 1 }, shortcut);
  return g.activation(act, module, g.add(module, main, shortcut));
}
