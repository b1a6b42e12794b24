/**
 * The running search as the UI sees it: status, the latest progress report, the accumulated
 * history, the selected candidates. Actions drive the search worker.
 */
import { create } from 'zustand';
import * as Comlink from 'comlink';
import type { RunConfig } from '../../engine/config';
import type { RunProgress } from '../../engine/evolution/progress';
import type { MemberRecord } from '../../engine/evolution/population';
import type { HistoryPoint } from '../../engine/evolution/search';
import { searchWorker } from '../../../workers/searchClient';

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

interface RunState {
  status: RunStatus;
  error: string | null;
  config: RunConfig | null;
  progress: RunProgress | null;
  /** the latest population sent (reports omit it when unchanged) */
  population: MemberRecord[];
  history: HistoryPoint[];
  /** structure keys of the selected candidates (up to two, for comparison) */
  selected: string[];
  /** ms from Start to the first progress report */
  firstUpdateMs: number | null;
  start(config: RunConfig): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  reset(): void;
  select(key: string, compare: boolean): void;
}

export const useRunStore = create<RunState>((set, get) => ({
  status: 'idle',
  error: null,
  config: null,
  progress: null,
  population: [],
  history: [],
  selected: [],
  firstUpdateMs: null,
  async start(config) {
    const started = performance.now();
    set({ status: 'running', error: null, config, progress: null, population: [], history: [], selected: [], firstUpdateMs: null });
    const onProgress = (p: RunProgress) => {
      set((s) => ({
        progress: p,
        population: p.population ?? s.population,
        history: [...s.history.slice(0, p.historyFrom), ...p.newHistory],
        firstUpdateMs: s.firstUpdateMs ?? performance.now() - started,
      }));
    };
    try {
      const end = await searchWorker().run(config, Comlink.proxy(onProgress));
      if (get().config === config) set({ status: end });
    } catch (e) {
      set({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  },
  pause() {
    void searchWorker().pause();
    set({ status: 'paused' });
  },
  resume() {
    void searchWorker().resume();
    set({ status: 'running' });
  },
  stop() {
    void searchWorker().stop();
  },
  reset() {
    void searchWorker().stop();
    set({ status: 'idle', error: null, config: null, progress: null, population: [], history: [], selected: [], firstUpdateMs: null });
  },
  select(key, compare) {
    set((s) => ({ selected: compare && s.selected.length > 0 && s.selected[0] !== key ? [s.selected[0], key] : [key] }));
  },
}));
