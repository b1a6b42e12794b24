/**
 * space_kxkx and space_k1kx (DAMO-YOLO's spaces; §5.5): two-conv residual blocks, fixed kernel 3,
 * per-block channel ranges, and an 'out' mutation that lowers the next block's btn in place.
 */
import type { BlockClass } from '../block';
import { mutateChannel, superBlockMutator } from './mutators';
import type { SearchSpace, SpaceName } from './space';

const SCALES: readonly number[] = [2.0, 1.5, 1.25, 0.8, 0.6, 0.5];
const MAX_CHANNEL = 2048;
/** clamp range of `out` by block index (indices past the list's end have none) */
const CHANNEL_RANGE: readonly (readonly [number, number] | null)[] = [null, null, [64, 128], null, [128, 256], [256, 512]];

function makeSpace(name: SpaceName, blockClass: BlockClass, description: string): SearchSpace {
  return {
    name,
    blockClasses: [blockClass],
    fitsKernels: true,
    description,
    mutateBlock: superBlockMutator({
      scales: SCALES,
      maxChannel: MAX_CHANNEL,
      methods: ['out', 'btn', 'L'],
      out(block, next, index, list, ctx) {
        let o = mutateChannel(block.out, SCALES, MAX_CHANNEL, ctx.rng);
        const range = CHANNEL_RANGE[index];
        if (range) o = Math.max(range[0], Math.min(range[1], o));
        o = Math.max(block.in, o);
        if (next) o = Math.min(next.out, o);
        block.out = o;
        // the reference writes this into the list being mutated, so it persists in the child
        if (next && next.btn !== undefined) list[index + 1] = { ...next, btn: Math.min(o, next.btn) };
      },
      depthCap: { first: 2, layersPerInner: 2, fixedBlocks: 2 },
      minimumBtnRatio: 10,
    }),
  };
}

export const kxkxSpace = makeSpace('kxkx', 'SuperResKXKX', 'DAMO-YOLO medium: k×k → k×k blocks; kernel 3, channels ×[2,1.5,1.25,0.8,0.6,0.5], per-block ranges');
export const k1kxSpace = makeSpace('k1kx', 'SuperResK1KX', 'DAMO-YOLO small/tiny: 1×1 → k×k blocks; kernel 3, channels ×[2,1.5,1.25,0.8,0.6,0.5], per-block ranges');
