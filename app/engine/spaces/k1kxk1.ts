/** space_k1kxk1 — the MAE-DET space (§5.1, §5.3): SuperResK1KXK1 blocks after a ConvKXBNRELU stem. */
import { smartRound } from '../rounding';
import { mutateChannel, superBlockMutator } from './mutators';
import type { SearchSpace } from './space';

const SCALES: readonly number[] = [1.5, 1.25, 0.8, 0.6, 0.5];
const MAX_CHANNEL = 2048;

export const k1kxk1Space: SearchSpace = {
  name: 'k1kxk1',
  blockClasses: ['SuperResK1KXK1'],
  fitsKernels: true,
  description: 'MAE-DET: 1×1 → k×k → 1×1 bottleneck blocks; kernel 3/5, channels ×[1.5,1.25,0.8,0.6,0.5] up to 2048',
  mutateBlock: superBlockMutator({
    scales: SCALES,
    maxChannel: MAX_CHANNEL,
    methods: ['out', 'k', 'btn', 'L'],
    out(block, next, _index, _list, ctx) {
      let o = mutateChannel(block.out, SCALES, MAX_CHANNEL, ctx.rng);
      o = Math.min(4 * block.in, o);
      o = Math.max(block.in, o);
      if (next) o = Math.min(next.out, o);
      // the next block's input must stay above a quarter of its output
      block.out = next && o < smartRound(next.out / 4) ? smartRound(next.out / 4) : o;
    },
    depthCap: { first: 3, layersPerInner: 3, fixedBlocks: 2 },
    minimumBtnRatio: 10,
  }),
};
