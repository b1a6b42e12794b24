/**
 * space_k1dwk1 (MobileNetV2-like; §5.5): 1×1 → depthwise k×k → 1×1 blocks, channels up to 1280,
 * the bottleneck expressed as a ratio of `out`. The last block is never mutated.
 */
import type { Block } from '../block';
import { smartRound } from '../rounding';
import { drawDifferent, mutateChannel, superBlockMutator } from './mutators';
import type { SearchSpace } from './space';

const SCALES: readonly number[] = [2.0, 1.5, 1.25, 0.8, 0.6, 0.5];
const MAX_CHANNEL = 1280;
const BTN_RATIOS: readonly number[] = [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0];

/** the current btn/out ratio snapped to the nearest listed ratio (first on ties) */
function btnRatio(block: Block): number {
  const ratio = block.btn! / block.out;
  if (BTN_RATIOS.includes(ratio)) return ratio;
  let best = BTN_RATIOS[0];
  for (const r of BTN_RATIOS) if (Math.abs(r - ratio) < Math.abs(best - ratio)) best = r;
  return best;
}

export const k1dwk1Space: SearchSpace = {
  name: 'k1dwk1',
  blockClasses: ['SuperResK1DWK1'],
  fitsKernels: true,
  description: 'MobileNetV2-like: 1×1 → depthwise k×k → 1×1; kernel 3/5, channels up to 1280, btn = out × [1.5 … 6]',
  mutateBlock: superBlockMutator({
    scales: SCALES,
    maxChannel: MAX_CHANNEL,
    methods: ['out', 'k', 'btn', 'L'],
    lastBlockFrozen: true,
    out(block, next, _index, _list, ctx) {
      const ratio = btnRatio(block);
      let o = mutateChannel(block.out, SCALES, MAX_CHANNEL, ctx.rng);
      o = Math.max(block.in, o);
      // the last block is frozen, so a mutated block always has a next one
      o = Math.min(next!.out, o);
      block.out = o;
      block.btn = smartRound(o * ratio);
    },
    btn(block, ctx) {
      block.btn = smartRound(block.out * drawDifferent(btnRatio(block), BTN_RATIOS, ctx.rng));
    },
    // the seed ends with a 1×1 ConvKXBNRELU, hence three blocks outside the depth share
    depthCap: { first: 3, layersPerInner: 3, fixedBlocks: 3 },
  }),
};
