/**
 * Edits of a structure as the architecture editor makes them. Each returns a new structure that
 * passes every check the structure reader applies, or the reason it cannot — the structure given
 * is never changed, so an invalid edit cannot corrupt it.
 */
import { copyBlock, type BlockClass, type Structure } from './block';
import { findBlockKind } from './blocks/registry';
import { StructureError } from './errors';
import { toPyValue } from './pyliteral';
import { LIMITS, readStructure } from './structure';
import { budgetViolations, measureCosts, type Budgets, type BudgetViolation } from './budgets';
import { evaluateStructure, type StructureReport } from './evaluate';
import { spaceOf } from './spaces';

export type EditableKey = 'out' | 'k' | 'btn' | 'L' | 's';

export type StructureEdit =
  | { type: 'set'; block: number; key: EditableKey; value: number }
  /** a copy of block `after` inserted after it, at stride 1 and out → out channels */
  | { type: 'insert'; after: number }
  | { type: 'remove'; block: number }
  | { type: 'class'; block: number; className: BlockClass };

export type EditResult = { ok: true; structure: Structure } | { ok: false; reason: string };

function edited(structure: Structure, edit: StructureEdit): Structure {
  const next = structure.map(copyBlock);
  const at = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= next.length) throw new StructureError(`there is no block ${i}; the structure has blocks 0 to ${next.length - 1}`);
    return next[i];
  };
  switch (edit.type) {
    case 'set': {
      const b = at(edit.block);
      if ((edit.key === 'btn' || edit.key === 'L') && !findBlockKind(b.class)!.isSuper) throw new StructureError(`block ${edit.block} (${b.class}) has no '${edit.key}'`, { blockIndex: edit.block, key: edit.key });
      (b as unknown as Record<EditableKey, number>)[edit.key] = edit.value;
      break;
    }
    case 'insert': {
      const b = at(edit.after);
      if (edit.after === 0) throw new StructureError('a block cannot be inserted inside the stem; insert after block 1 or later', { blockIndex: 0 });
      if (next.length >= LIMITS.blocks) throw new StructureError(`the structure has ${next.length} blocks; at most ${LIMITS.blocks} are supported`);
      next.splice(edit.after + 1, 0, { ...copyBlock(b), in: b.out, s: 1 });
      break;
    }
    case 'remove': {
      at(edit.block);
      if (edit.block === 0) throw new StructureError('the stem cannot be removed', { blockIndex: 0 });
      if (next.length <= 2) throw new StructureError('a backbone needs a stem and at least one more block');
      next.splice(edit.block, 1);
      break;
    }
    case 'class': {
      const b = at(edit.block);
      const kind = findBlockKind(edit.className);
      if (!kind) throw new StructureError(`block ${edit.block}: unknown class ${edit.className}`, { blockIndex: edit.block, key: 'class' });
      b.class = kind.className;
      if (kind.isSuper) {
        b.btn ??= b.out;
        b.L ??= 1;
      } else {
        delete b.btn;
        delete b.L;
      }
      break;
    }
  }
  // the channel chain: each block's input is the output of the one before
  for (let i = 1; i < next.length; i++) next[i].in = next[i - 1].out;
  return readStructure(toPyValue(next));
}

export function applyEdit(structure: Structure, edit: StructureEdit): EditResult {
  try {
    return { ok: true, structure: edited(structure, edit) };
  } catch (e) {
    if (e instanceof StructureError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** What the editor shows of a network after each edit. */
export interface EditedView {
  /** the full report, or why there is none (e.g. a stride edit changed the stage count) */
  report: StructureReport | string;
  violations: BudgetViolation[];
  /** the search space the network belongs to, or why it belongs to none */
  space: ReturnType<typeof spaceOf>;
}

/** the report, or why there is none */
export function reportOrReason(structure: Structure, resolution: number, ratio: readonly number[]): StructureReport | string {
  try {
    return evaluateStructure(structure, resolution, ratio);
  } catch (e) {
    if (!(e instanceof StructureError)) throw e;
    return e.message;
  }
}

export function viewEdited(structure: Structure, resolution: number, ratio: readonly number[], budgets: Budgets): EditedView {
  return { report: reportOrReason(structure, resolution, ratio), violations: budgetViolations(measureCosts(structure, resolution, budgets), budgets), space: spaceOf(structure) };
}
