/**
 * Child generation (§5.4, TinyNAS `CnnBaseSpace.mutate`): mutate `blocksPerChild` random blocks;
 * each gets up to n attempts, and the last attempt is kept even if it is invalid (the budget check
 * then rejects the child), as in the reference.
 */
import type { Structure } from '../block';
import { copyBlock } from '../block';
import { blockKind } from '../blocks/registry';
import type { Rng } from '../rng';
import type { SearchSpace } from './space';

/**
 * Which blocks a child may mutate. `inclusive` (the maedet branch; recommended) draws any block;
 * `main` reproduces the main branch's `numpy.random.randint(0, n-1)`, which never draws the last.
 */
export type BlockDraw = 'inclusive' | 'main';

export interface MutateOptions {
  space: SearchSpace;
  /** the search resolution: kernels are shrunk to fit each block's input side */
  imageSize: number;
  budgetLayers: number | undefined;
  draw: BlockDraw;
  /** blocks mutated per child (TinyNAS `block_num`, 2) */
  blocksPerChild: number;
  excludeStem: boolean;
  minor: boolean;
}

function drawIndex(n: number, rng: Rng, draw: BlockDraw, excludeStem: boolean): number {
  const range = draw === 'main' ? Math.max(1, n - 1) : n;
  let index = rng.int(range);
  // with a single drawable index there is nothing but the stem; the reference would loop forever
  if (excludeStem && range > 1) while (index === 0) index = rng.int(range);
  return index;
}

/**
 * `adjust_structures_inplace`: chain each block's `in` to the previous `out`, and shrink kernels
 * to at most 1/1.5 of the block's input side (no effect for k ≤ 5 at 224 or 480) unless the
 * space keeps its kernels.
 */
export function adjustStructure(list: Structure, imageSize: number, fitsKernels = true): void {
  for (let i = 1; i < list.length; i++) list[i].in = list[i - 1].out;
  if (!fitsKernels) return;
  let r = imageSize;
  for (const b of list) {
    let k = b.k;
    while (k * 1.5 > r && k > 1) k -= 2;
    b.k = k;
    r = r / b.s;
  }
}

/** Conv layers as the space's validity check counts them (2 per inner for KXKX/K1KX, else 3). */
function countLayersForSpace(list: Structure): number {
  let n = 0;
  for (const b of list) n += b.L === undefined ? 1 : blockKind(b.class).layersPerInner * b.L;
  return n;
}

function isValidChild(list: Structure, budgetLayers: number | undefined): boolean {
  if (list.length < 1) return false;
  return budgetLayers === undefined || countLayersForSpace(list) <= budgetLayers;
}

function copyBlocks(list: Structure): Structure {
  const out: Structure = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = copyBlock(list[i]);
  return out;
}

export function mutate(parent: Structure, rng: Rng, options: MutateOptions): Structure {
  if (options.blocksPerChild < 1 || parent.length === 0) return copyBlocks(parent);
  const ctx = { rng, minor: options.minor, budgetLayers: options.budgetLayers };
  // a new list over the parent's blocks, not copies of them: a mutator returns a new block and may
  // put another in the list (space_kxkx narrows the next block's btn) but changes none in place,
  // and every candidate below is a copy of each block. A child is allocated once per attempt.
  let list = parent.slice();
  for (let m = 0; m < options.blocksPerChild; m++) {
    let candidate = list;
    for (let attempt = 0; attempt < list.length; attempt++) {
      const index = drawIndex(list.length, rng, options.draw, options.excludeStem);
      const mutated = options.space.mutateBlock(index, list, ctx);
      candidate = list.map((b, i) => copyBlock(i === index ? mutated : b));
      adjustStructure(candidate, options.imageSize, options.space.fitsKernels);
      if (isValidChild(candidate, options.budgetLayers)) break;
    }
    list = candidate;
  }
  return list;
}
