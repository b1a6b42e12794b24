/** Mutation helpers shared by the search spaces (TinyNAS `basic_mutators.py`, §5.2). */
import type { Block, Structure } from '../block';
import type { MutationContext, SearchSpace } from './space';
import { floorDiv, smartRound } from '../rounding';
import type { Rng } from '../rng';

const KERNEL_CHOICES: readonly number[] = [3, 5];
const LAYER_DELTAS: readonly number[] = [-2, -1, 1, 2];
const STEM_MAX_CHANNEL = 32;

/** `min(maxChannel, smart_round(scale · c))` with a uniformly drawn scale. */
export function mutateChannel(c: number, scales: readonly number[], maxChannel: number, rng: Rng): number {
  return Math.min(maxChannel, smartRound(rng.choice(scales) * c));
}

/** Up to `choices.length` draws; the first that differs from `current`, else the last draw. */
export function drawDifferent<T>(current: T, choices: readonly T[], rng: Rng): T {
  let draw = current;
  for (let i = 0; i < choices.length; i++) {
    draw = rng.choice(choices);
    if (draw !== current) break;
  }
  return draw;
}

function mutateKernel(k: number, kernels: readonly number[], rng: Rng): number {
  return drawDifferent(k, kernels, rng);
}

/** Up to 4 draws of a depth delta; `max(1, L + delta)`, the first that differs from L. */
function mutateLayer(L: number, rng: Rng): number {
  let n = L;
  for (let i = 0; i < LAYER_DELTAS.length; i++) {
    n = Math.max(1, L + rng.choice(LAYER_DELTAS));
    if (n !== L) break;
  }
  return n;
}

/**
 * The L cap of a super block: block 1 at most `firstCap`; others at most
 * `budget_layers // layersPerInner // (n - fixedBlocks)` when a layers budget is set.
 */
function capDepth(L: number, index: number, list: Structure, ctx: MutationContext, firstCap: number, layersPerInner: number, fixedBlocks: number): number {
  if (index === 1) return Math.min(firstCap, L);
  if (ctx.budgetLayers) {
    // the reference divides by zero for lists this short; no cap is the useful reading
    const share = list.length - fixedBlocks;
    if (share > 0) return Math.min(floorDiv(floorDiv(ctx.budgetLayers, layersPerInner), share), L);
  }
  return L;
}

/** ConvKXBNRELU (stem) mutator: only 'out', capped at 32 and at the next block's out. */
function mutateStem(index: number, list: Structure, scales: readonly number[], maxChannel: number, rng: Rng): Block {
  const block = list[index];
  if (index === list.length - 1) return block;
  const next = list[index + 1];
  let o = mutateChannel(block.out, scales, maxChannel, rng);
  o = Math.min(STEM_MAX_CHANNEL, o);
  o = Math.min(next.out, o);
  return { ...block, out: o };
}

/** The 'btn ≥ out / 10' rule of the K1KXK1, KXKX and K1KX spaces. */
function enforceMinimumBtn(block: Block, ratio: number): void {
  if (block.btn !== undefined && block.btn < block.out / ratio) block.btn = smartRound(block.out / ratio);
}

type MutationMethod = 'out' | 'k' | 'btn' | 'L';
const MINOR_METHODS: readonly MutationMethod[] = ['out', 'btn'];

/** The parts in which the super-block mutators of the spaces differ. */
export interface SuperBlockRules {
  scales: readonly number[];
  maxChannel: number;
  methods: readonly MutationMethod[];
  /** the new 'out' of `block` (which may also adjust its btn, or the list as space_kxkx does) */
  out(block: Block, next: Block | undefined, index: number, list: Structure, ctx: MutationContext): void;
  /** the new btn; by default `min(out, mutated btn)` */
  btn?(block: Block, ctx: MutationContext): void;
  /** L caps: block 1 at most `firstCap`, others `budget_layers // layersPerInner // (n − fixedBlocks)` */
  depthCap: { first: number; layersPerInner: number; fixedBlocks: number };
  /** restore btn ≥ out / ratio after every mutation (K1KXK1, KXKX, K1KX) */
  minimumBtnRatio?: number;
  /** the last block is never mutated (space_k1dwk1) */
  lastBlockFrozen?: boolean;
}

/**
 * A space's `mutateBlock` (TinyNAS's per-class mutators): stems get the stem mutator; a super
 * block gets one method drawn from the space's list ('out' and 'btn' only in minor mutation).
 */
export function superBlockMutator(rules: SuperBlockRules): SearchSpace['mutateBlock'] {
  return (index, list, ctx) => {
    const current = list[index];
    if (rules.lastBlockFrozen && index === list.length - 1) return current;
    if (current.class === 'ConvKXBNRELU') return mutateStem(index, list, rules.scales, rules.maxChannel, ctx.rng);
    const next: Block | undefined = list[index + 1];
    const block = { ...current };
    const method = ctx.rng.choice(ctx.minor ? MINOR_METHODS : rules.methods);
    if (method === 'out') rules.out(block, next, index, list, ctx);
    else if (method === 'k') block.k = mutateKernel(block.k, KERNEL_CHOICES, ctx.rng);
    else if (method === 'btn') {
      if (rules.btn) rules.btn(block, ctx);
      else block.btn = Math.min(block.out, mutateChannel(block.btn!, rules.scales, rules.maxChannel, ctx.rng));
    } else {
      const { first, layersPerInner, fixedBlocks } = rules.depthCap;
      block.L = capDepth(mutateLayer(block.L!, ctx.rng), index, list, ctx, first, layersPerInner, fixedBlocks);
    }
    if (rules.minimumBtnRatio !== undefined) enforceMinimumBtn(block, rules.minimumBtnRatio);
    return block;
  };
}
