/**
 * The architecture editor's state: the network being edited, the one it started from, undo and
 * redo, and the reason the last edit was refused (the network stays as it was).
 */
import { create } from 'zustand';
import type { Structure } from '../../engine/block';
import { applyEdit, type StructureEdit } from '../../engine/edit';

interface EditorState {
  /** the network as opened (for "the change against the network you started from") */
  original: Structure;
  structure: Structure;
  past: Structure[];
  future: Structure[];
  /** why the last edit was refused, or null */
  error: string | null;
  open(structure: Structure): void;
  edit(edit: StructureEdit): void;
  undo(): void;
  redo(): void;
}

export const useEditorStore = create<EditorState>((set, get) => ({
  original: [],
  structure: [],
  past: [],
  future: [],
  error: null,
  open: (structure) => set({ original: structure, structure, past: [], future: [], error: null }),
  edit(edit) {
    const result = applyEdit(get().structure, edit);
    if (!result.ok) {
      set({ error: result.reason });
      return;
    }
    set((s) => ({ structure: result.structure, past: [...s.past, s.structure], future: [], error: null }));
  },
  undo() {
    const { past, structure, future } = get();
    if (past.length === 0) return;
    set({ structure: past[past.length - 1], past: past.slice(0, -1), future: [structure, ...future], error: null });
  },
  redo() {
    const { past, structure, future } = get();
    if (future.length === 0) return;
    set({ structure: future[0], past: [...past, structure], future: future.slice(1), error: null });
  },
}));
