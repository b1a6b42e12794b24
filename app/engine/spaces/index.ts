/** The search spaces by name. */
import type { Block } from '../block';
import { k1dwk1Space } from './k1dwk1';
import { k1kxk1Space } from './k1kxk1';
import { k1kxSpace, kxkxSpace } from './kxkx';
import { macroSpace } from './macro';
import type { SearchSpace, SpaceName } from './space';

export const SPACES: Readonly<Record<SpaceName, SearchSpace>> = {
  k1kxk1: k1kxk1Space,
  kxkx: kxkxSpace,
  k1kx: k1kxSpace,
  k1dwk1: k1dwk1Space,
  macro: macroSpace,
};

export const SPACE_NAMES = Object.keys(SPACES) as SpaceName[];

export type { SearchSpace, SpaceName, MutationContext } from './space';

/**
 * The space whose block classes the blocks besides ConvKXBNRELU ones have, or why there is none.
 */
export function spaceOf(structure: readonly Block[]): { space: SpaceName } | { reason: string } {
  const classes = [...new Set(structure.filter((b) => b.class !== 'ConvKXBNRELU').map((b) => b.class))];
  if (classes.length === 0) return { reason: 'the network has no searchable blocks' };
  const space = SPACE_NAMES.find((n) => classes.every((c) => SPACES[n].blockClasses.includes(c)));
  if (space) return { space };
  return { reason: classes.length > 1 ? `its blocks mix ${classes.join(' and ')}, which no search space mutates together` : `no search space mutates ${classes[0]} blocks` };
}
