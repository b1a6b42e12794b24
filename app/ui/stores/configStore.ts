/** The constraint form's state: the draft, and named actions that edit it. */
import { create } from 'zustand';
import { draftFromHash, presetDraft, type BudgetField, type ConfigDraft } from '../configForm';
import { readPreference, writePreference } from '../preference';

interface ConfigState {
  draft: ConfigDraft;
  /** a preset's whole set-up; the active device profile stays (it belongs to the device, not the set-up) */
  choosePreset(name: string): void;
  setField<K extends keyof ConfigDraft>(key: K, value: ConfigDraft[K]): void;
  setBudget(key: BudgetField, patch: Partial<{ on: boolean; text: string }>): void;
  setRatio(index: number, text: string): void;
  loadDraft(draft: ConfigDraft): void;
  /** make a stored device profile the active one ('' for none), remembered for the next visit */
  chooseProfile(name: string): void;
}

/** the active device profile's name, remembered across visits */
const ACTIVE_PROFILE = 'maedet-studio/latency-profile';

function initialDraft(): ConfigDraft {
  const draft = (typeof location !== 'undefined' && draftFromHash(location.hash)) || presetDraft('detection-r50');
  // a link that names no profile opens with the one this device used last
  return draft.latencyProfile === '' ? { ...draft, latencyProfile: readPreference(ACTIVE_PROFILE) ?? '' } : draft;
}

export const useConfigStore = create<ConfigState>((set) => ({
  draft: initialDraft(),
  choosePreset: (name) => set((s) => ({ draft: { ...presetDraft(name), latencyProfile: s.draft.latencyProfile } })),
  setField: (key, value) => set((s) => ({ draft: { ...s.draft, [key]: value } })),
  setBudget: (key, patch) => set((s) => ({ draft: { ...s.draft, budgets: { ...s.draft.budgets, [key]: { ...s.draft.budgets[key], ...patch } } } })),
  setRatio: (index, text) => set((s) => ({ draft: { ...s.draft, ratio: s.draft.ratio.map((r, i) => (i === index ? text : r)) } })),
  loadDraft: (draft) => set({ draft }),
  chooseProfile(name) {
    writePreference(ACTIVE_PROFILE, name || null);
    set((s) => ({ draft: { ...s.draft, latencyProfile: name } }));
  },
}));
