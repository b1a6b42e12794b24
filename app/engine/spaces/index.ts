/** The search spaces by name. */
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
