/**
 * The structure vocabulary: a backbone is a list of blocks, each a plain record with the TinyNAS
 * keys. Kept as data (no methods) so it crosses worker boundaries and files unchanged.
 */
import type { BlockClass } from './blocks/registry';

export type { BlockClass };

export const ACTIVATIONS = ['relu', 'sigmoid', 'relu6', 'swish', 'learkyrelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface Block {
  class: BlockClass;
  in: number;
  out: number;
  s: 1 | 2;
  k: number;
  /** bottleneck channels (super blocks) */
  btn?: number;
  /** number of inner residual blocks (super blocks) */
  L?: number;
  /** padding of the k×k conv(s); default (k-1)//2 */
  p?: number;
  /** groups of the non-depthwise convs; default 1 */
  g?: number;
  act?: Activation;
}

export type Structure = Block[];

/** A feature map's spatial size. */
export interface Shape2d {
  h: number;
  w: number;
}

/**
 * A copy with every key in one fixed order, so all blocks share one object shape (the search
 * copies blocks millions of times; mixed shapes make that several times slower). Absent
 * optional keys stay absent.
 */
export function copyBlock(b: Block): Block {
  const c: Block = { class: b.class, in: b.in, out: b.out, s: b.s, k: b.k };
  if (b.btn !== undefined) c.btn = b.btn;
  if (b.L !== undefined) c.L = b.L;
  if (b.p !== undefined) c.p = b.p;
  if (b.g !== undefined) c.g = b.g;
  if (b.act !== undefined) c.act = b.act;
  return c;
}
