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
import { makeRunFile, readRunFile, type RunFile } from '../../engine/runFile';
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
  /** show a saved run (read and checked by the engine); a bad file becomes `error`, nothing else changes */
  loadRun(text: string): void;
  /** the run as a versioned run.json, or null when there is nothing to save */
  runFile(): RunFile | null;
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
  loadRun(text) {
    let file: RunFile;
    try {
      file = readRunFile(text);
    } catch (e) {
      set({ error: `This run file cannot be loaded: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    void searchWorker().stop();
    set({
      status: 'done',
      error: null,
      config: file.config,
      population: file.population,
      history: file.history,
      selected: [],
      firstUpdateMs: null,
      progress: { evaluated: file.evaluated, total: file.config.search.numRandomNets, seconds: file.seconds, childrenPerSecond: file.seconds > 0 ? file.evaluated / file.seconds : 0, population: null, newHistory: [], historyFrom: 0 },
    });
  },
  runFile() {
    const { config, progress, population, history } = get();
    if (!config || !progress) return null;
    return makeRunFile(config, { evaluated: progress.evaluated, seconds: progress.seconds, population, history });
  },
  select(key, compare) {
    set((s) => ({ selected: compare && s.selected.length > 0 && s.selected[0] !== key ? [s.selected[0], key] : [key] }));
  },
}));
