/**
 * What a search space is: which super-block class it mutates, with which constants, and the
 * per-block mutators (§5). The child generation loop shared by all spaces is in `mutate.ts`.
 */
import type { Block, BlockClass, Structure } from '../block';
import type { Rng } from '../rng';

export type SpaceName = 'k1kxk1' | 'kxkx' | 'k1kx' | 'k1dwk1' | 'macro';

export interface MutationContext {
  rng: Rng;
  /** only 'out' and 'btn' mutate (stage depths and kernels frozen) */
  minor: boolean;
  /** the layers budget, which caps L; undefined when no layers budget is set */
  budgetLayers: number | undefined;
}

export interface SearchSpace {
  readonly name: SpaceName;
  /** the block classes this space searches (its seed's blocks besides ConvKXBNRELU ones) */
  readonly blockClasses: readonly BlockClass[];
  /**
   * shrink kernels to fit each block's input side after a mutation (TinyNAS's spaces); a
   * benchmark's space keeps its fixed choices
   */
  readonly fitsKernels: boolean;
  readonly description: string;
  /**
   * Mutate block `index` of `list` and return the new block (the caller puts it into a copy).
   * A mutator may also write into `list` itself, as space_kxkx's does for the next block's btn.
   */
  mutateBlock(index: number, list: Structure, ctx: MutationContext): Block;
}
