/**
 * All block kinds by class name (and by their maedet-branch aliases). Their order is the order
 * the PyTorch export defines their classes in.
 */
import { convKXBNRELU } from './convKXBNRELU';
import { identity } from './identity';
import type { BlockKind } from './kind';
import { superInvertedResidual } from './superInvertedResidual';
import { superResK1DWK1 } from './superResK1DWK1';
import { superResK1KX } from './superResK1KX';
import { superResK1KXK1 } from './superResK1KXK1';
import { superResKXKX } from './superResKXKX';

export const BLOCK_KINDS = {
  ConvKXBNRELU: convKXBNRELU,
  SuperResK1KXK1: superResK1KXK1,
  SuperResKXKX: superResKXKX,
  SuperResK1KX: superResK1KX,
  SuperResK1DWK1: superResK1DWK1,
  SuperInvertedResidual: superInvertedResidual,
  Identity: identity,
} as const satisfies Record<string, BlockKind>;

/** a block class name: one of the registry's */
export type BlockClass = keyof typeof BLOCK_KINDS;

/** a kind whose class name is a registry key (every registered kind: checked below) */
type RegisteredKind = BlockKind & { readonly className: BlockClass };

const BY_NAME = new Map<string, RegisteredKind>();
for (const [key, kind] of Object.entries(BLOCK_KINDS)) {
  if (kind.className !== key) throw new Error(`block registry: ${key} holds the kind of ${kind.className}`);
  const registered = kind as RegisteredKind;
  BY_NAME.set(key, registered);
  for (const alias of kind.aliases) BY_NAME.set(alias, registered);
}

/** The kind for a class name or alias, or undefined if the name is not a top-level block class. */
export function findBlockKind(name: string): RegisteredKind | undefined {
  return BY_NAME.get(name);
}

export function blockKind(cls: BlockClass): BlockKind {
  return BLOCK_KINDS[cls];
}

/** every block kind, in the registry's order */
export const ALL_BLOCK_KINDS: readonly BlockKind[] = Object.values(BLOCK_KINDS);
