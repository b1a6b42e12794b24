/**
 * What the service worker asks of the person: a reload that makes the page cross-origin isolated
 * (the first time on a host without COOP/COEP), or one that brings in a new version of the site.
 */
import { create } from 'zustand';

type ReloadReason = 'isolation' | 'update';

interface PwaState {
  /** the reload on offer and what it does; null when there is none */
  reload: { reason: ReloadReason; apply: () => void } | null;
  offerReload(reason: ReloadReason, apply: () => void): void;
  dismiss(): void;
}

export const usePwaStore = create<PwaState>((set) => ({
  reload: null,
  offerReload: (reason, apply) => set({ reload: { reason, apply } }),
  dismiss: () => set({ reload: null }),
}));
