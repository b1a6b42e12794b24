/** The search spaces by name. */
import type { Block } from '../block';
import { k1dwk1Space } from './k1dwk1';
import { k1kxk1Space } from './k1kxk1';
import { k1kxSpace, kxkxSpace } from './kxkx';
import type { SearchSpace, SpaceName } from './space';

export const SPACES: Readonly<Record<SpaceName, SearchSpace>> = {
  k1kxk1: k1kxk1Space,
  kxkx: kxkxSpace,
  k1kx: k1kxSpace,
  k1dwk1: k1dwk1Space,
};

export const SPACE_NAMES = Object.keys(SPACES) as SpaceName[];

export type { SearchSpace, SpaceName, MutationContext } from './space';

/**
 * The space whose block class every block after the stem has (ConvKXBNRELU blocks allowed, as in
 * the search), or why there is none.
 */
export function spaceOf(structure: readonly Block[]): { space: SpaceName } | { reason: string } {
  const classes = [...new Set(structure.filter((b) => b.class !== 'ConvKXBNRELU').map((b) => b.class))];
  if (classes.length !== 1) return { reason: classes.length === 0 ? 'the network has no searchable blocks' : `its blocks mix ${classes.join(' and ')}; a search space mutates one block class` };
  const space = SPACE_NAMES.find((n) => SPACES[n].blockClass === classes[0]);
  return space ? { space } : { reason: `no search space mutates ${classes[0]} blocks` };
}
