/**
 * The architecture editor's state: the network being edited, the one it started from, undo and
 * redo, and the reason the last edit was refused (the network stays as it was) with the field that
 * made it. Also what the editor's fields and keys mean, kept here so they can be tested without a page.
 */
import { create } from 'zustand';
import type { Structure } from '../../engine/block';
import { applyEdit, type EditableKey, type StructureEdit } from '../../engine/edit';
import { LIMITS } from '../../engine/structure';

/** one field of the block table: a block's number or select, or its class */
interface EditorField {
  block: number;
  key: EditableKey | 'class';
}

interface EditorState {
  /** the network as opened (for "the change against the network you started from") */
  original: Structure;
  structure: Structure;
  past: Structure[];
  future: Structure[];
  /** why the last edit was refused, or null */
  error: string | null;
  /** the field whose edit was refused, to show the reason beside it; null for an insert or a removal */
  errorAt: EditorField | null;
  /**
   * the stage weights the network came with (a benchmark's, a catalogue entry's), or null: the
   * studio's set-up then scores it
   */
  ratio: readonly number[] | null;
  open(structure: Structure, ratio?: readonly number[] | null): void;
  edit(edit: StructureEdit): void;
  undo(): void;
  redo(): void;
  /** forget the refusal: its field was reverted or retyped */
  dismissError(): void;
}

function fieldOf(edit: StructureEdit): EditorField | null {
  if (edit.type === 'set') return { block: edit.block, key: edit.key };
  if (edit.type === 'class') return { block: edit.block, key: 'class' };
  return null;
}

export const useEditorStore = create<EditorState>((set, get) => ({
  original: [],
  structure: [],
  past: [],
  future: [],
  error: null,
  errorAt: null,
  ratio: null,
  open: (structure, ratio = null) => set({ original: structure, structure, past: [], future: [], error: null, errorAt: null, ratio }),
  edit(edit) {
    const result = applyEdit(get().structure, edit);
    if (!result.ok) {
      set({ error: result.reason, errorAt: fieldOf(edit) });
      return;
    }
    set((s) => ({ structure: result.structure, past: [...s.past, s.structure], future: [], error: null, errorAt: null }));
  },
  undo() {
    const { past, structure, future } = get();
    if (past.length === 0) return;
    set({ structure: past[past.length - 1], past: past.slice(0, -1), future: [structure, ...future], error: null, errorAt: null });
  },
  redo() {
    const { past, structure, future } = get();
    if (future.length === 0) return;
    set({ structure: future[0], past: [...past, structure], future: future.slice(1), error: null, errorAt: null });
  },
  dismissError: () => set({ error: null, errorAt: null }),
}));

export type NumberKey = 'out' | 'btn' | 'L';

/** the engine's range for each number field (what `readStructure` checks) */
const RANGES: Record<NumberKey, readonly [number, number]> = { out: [1, LIMITS.channels], btn: [1, LIMITS.channels], L: [1, LIMITS.depth] };

/**
 * The number a block's field holds, or null when its text is not a whole number ("", "abc", "2.5",
 * "-3", "1e3"). Only the form is checked: a whole number out of range still goes to the engine,
 * whose refusal names the block's class and the value found.
 */
export function readWholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** what a block's number field expects, for the message beside it, e.g. "block 3 L: a whole number from 1 to 512" */
export function expectedNumber(block: number, key: NumberKey): string {
  const [min, max] = RANGES[key];
  return `block ${block} ${key}: a whole number from ${min} to ${max}`;
}

type ShortcutKeys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * The history a key press asks for: Ctrl+Z (Cmd+Z on macOS) undoes; Ctrl+Y, Ctrl+Shift+Z and
 * Cmd+Shift+Z redo. The letter is the one the layout gives, in either case (Caps Lock, Shift); the
 * key's position (`code`) counts only when the layout gives no Latin letter (e.g. Cyrillic), since
 * on a QWERTZ keyboard the key at KeyY's position is Z. Ctrl+Alt is AltGr on Windows: not a shortcut.
 */
export function historyShortcut(e: ShortcutKeys): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  const letter = /^[a-z]$/.test(key) ? key : e.code === 'KeyZ' ? 'z' : e.code === 'KeyY' ? 'y' : null;
  if (letter === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (letter === 'y') return 'redo';
  return null;
}
