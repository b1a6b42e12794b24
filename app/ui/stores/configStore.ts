/** The constraint form's state: the draft, and named actions that edit it. */
import { create } from 'zustand';
import { draftFromHash, presetDraft, type BudgetField, type ConfigDraft } from '../configForm';

interface ConfigState {
  draft: ConfigDraft;
  choosePreset(name: string): void;
  setField<K extends keyof ConfigDraft>(key: K, value: ConfigDraft[K]): void;
  setBudget(key: BudgetField, patch: Partial<{ on: boolean; text: string }>): void;
  setRatio(index: number, text: string): void;
  loadDraft(draft: ConfigDraft): void;
}

const initial = (typeof location !== 'undefined' && draftFromHash(location.hash)) || presetDraft('detection-r50');

export const useConfigStore = create<ConfigState>((set) => ({
  draft: initial,
  choosePreset: (name) => set({ draft: presetDraft(name) }),
  setField: (key, value) => set((s) => ({ draft: { ...s.draft, [key]: value } })),
  setBudget: (key, patch) => set((s) => ({ draft: { ...s.draft, budgets: { ...s.draft.budgets, [key]: { ...s.draft.budgets[key], ...patch } } } })),
  setRatio: (index, text) => set((s) => ({ draft: { ...s.draft, ratio: s.draft.ratio.map((r, i) => (i === index ? text : r)) } })),
  loadDraft: (draft) => set({ draft }),
}));
