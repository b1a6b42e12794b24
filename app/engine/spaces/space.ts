/**
 * What a search space is: which super-block class it mutates, with which constants, and the
 * per-block mutators (§5). The child generation loop shared by all spaces is in `mutate.ts`.
 */
import type { Block, BlockClass, Structure } from '../block';
import type { Rng } from '../rng';

export type SpaceName = 'k1kxk1' | 'kxkx' | 'k1kx' | 'k1dwk1';

export interface MutationContext {
  rng: Rng;
  /** only 'out' and 'btn' mutate (stage depths and kernels frozen) */
  minor: boolean;
  /** the layers budget, which caps L; undefined when no layers budget is set */
  budgetLayers: number | undefined;
}

export interface SearchSpace {
  readonly name: SpaceName;
  /** the super-block class this space searches (its seed's blocks after the stem) */
  readonly blockClass: BlockClass;
  readonly description: string;
  /**
   * Mutate block `index` of `list` and return the new block (the caller puts it into a copy).
   * A mutator may also write into `list` itself, as space_kxkx's does for the next block's btn.
   */
  mutateBlock(index: number, list: Structure, ctx: MutationContext): Block;
}
