/** All block kinds by class name (and by their maedet-branch aliases). */
import type { BlockClass } from '../block';
import { convKXBNRELU } from './convKXBNRELU';
import type { BlockKind } from './kind';
import { superResK1DWK1 } from './superResK1DWK1';
import { superResK1KX } from './superResK1KX';
import { superResK1KXK1 } from './superResK1KXK1';
import { superResKXKX } from './superResKXKX';

export const BLOCK_KINDS: Readonly<Record<BlockClass, BlockKind>> = {
  ConvKXBNRELU: convKXBNRELU,
  SuperResK1KXK1: superResK1KXK1,
  SuperResKXKX: superResKXKX,
  SuperResK1KX: superResK1KX,
  SuperResK1DWK1: superResK1DWK1,
};

const BY_NAME = new Map<string, BlockKind>();
for (const kind of Object.values(BLOCK_KINDS)) {
  BY_NAME.set(kind.className, kind);
  for (const alias of kind.aliases) BY_NAME.set(alias, kind);
}

/** The kind for a class name or alias, or undefined if the name is not a top-level block class. */
export function findBlockKind(name: string): BlockKind | undefined {
  return BY_NAME.get(name);
}

export function blockKind(cls: BlockClass): BlockKind {
  return BLOCK_KINDS[cls];
}
