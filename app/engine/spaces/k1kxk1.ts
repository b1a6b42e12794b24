/** space_k1kxk1 — the MAE-DET space (§5.1, §5.3): SuperResK1KXK1 blocks after a ConvKXBNRELU stem. */
import type { Block } from '../block';
import { smartRound } from '../rounding';
import { capDepth, enforceMinimumBtn, mutateChannel, mutateKernel, mutateLayer, mutateStem, KERNEL_CHOICES } from './mutators';
import type { SearchSpace } from './space';

const SCALES: readonly number[] = [1.5, 1.25, 0.8, 0.6, 0.5];
const MAX_CHANNEL = 2048;
const METHODS = ['out', 'k', 'btn', 'L'] as const;
const MINOR_METHODS = ['out', 'btn'] as const;

export const k1kxk1Space: SearchSpace = {
  name: 'k1kxk1',
  blockClass: 'SuperResK1KXK1',
  description: 'MAE-DET: 1×1 → k×k → 1×1 bottleneck blocks; kernel 3/5, channels ×[1.5,1.25,0.8,0.6,0.5] up to 2048',
  mutateBlock(index, list, ctx) {
    const current = list[index];
    if (current.class === 'ConvKXBNRELU') return mutateStem(index, list, SCALES, MAX_CHANNEL, ctx.rng);
    const next: Block | undefined = list[index + 1];
    const block = { ...current };
    const method = ctx.rng.choice(ctx.minor ? MINOR_METHODS : METHODS);
    if (method === 'out') {
      let o = mutateChannel(block.out, SCALES, MAX_CHANNEL, ctx.rng);
      o = Math.min(4 * block.in, o);
      o = Math.max(block.in, o);
      if (next) o = Math.min(next.out, o);
      // the next block's input must stay above a quarter of its output
      block.out = next && o < smartRound(next.out / 4) ? smartRound(next.out / 4) : o;
    } else if (method === 'k') {
      block.k = mutateKernel(block.k, KERNEL_CHOICES, ctx.rng);
    } else if (method === 'btn') {
      block.btn = Math.min(block.out, mutateChannel(block.btn!, SCALES, MAX_CHANNEL, ctx.rng));
    } else {
      block.L = capDepth(mutateLayer(block.L!, ctx.rng), index, list, ctx, 3, 3, 2);
    }
    enforceMinimumBtn(block, 10);
    return block;
  },
};
