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
import { structureKey } from '../../engine/structure';
import type { RunEnd, SavedRunInfo } from '../../../workers/searchApi';
import { searchWorker } from '../../../workers/searchClient';

export interface Selection {
  key: string;
  member: MemberRecord;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

interface RunState {
  status: RunStatus;
  error: string | null;
  config: RunConfig | null;
  progress: RunProgress | null;
  /** the latest population sent (reports omit it when unchanged) */
  population: MemberRecord[];
  history: HistoryPoint[];
  /**
   * the selected candidates (up to two, for comparison), kept as picked: a candidate stays on view
   * when the running search drops it from the population
   */
  selected: Selection[];
  /** ms from Start to the first progress report */
  firstUpdateMs: number | null;
  start(config: RunConfig): Promise<void>;
  /** on page load: resume the autosaved run where it was, or show it if it had finished */
  restoreSaved(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  reset(): void;
  /** show a candidate; with `compare`, beside the one already shown */
  select(member: MemberRecord, compare: boolean): void;
  /** show a saved run (read and checked by the engine); a bad file becomes `error`, nothing else changes */
  loadRun(text: string): void;
  /** the run as a versioned run.json, or null when there is nothing to save */
  runFile(): RunFile | null;
}

const CLEARED = { error: null, config: null, progress: null, population: [], history: [], selected: [], firstUpdateMs: null } satisfies Partial<RunState>;

/** a finished run shown from a file or the autosave */
function finishedRun(file: RunFile, status: 'done' | 'stopped'): Partial<RunState> {
  const { config, evaluated, seconds, population, history } = file;
  return {
    ...CLEARED,
    status,
    config,
    population,
    history,
    progress: { evaluated, total: config.search.numRandomNets, seconds, childrenPerSecond: seconds > 0 ? evaluated / seconds : 0, population: null, newHistory: [], historyFrom: 0 },
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useRunStore = create<RunState>((set, get) => {
  /** the run the store follows; reports and ends of earlier runs are ignored */
  let following = 0;
  /** follow a run in the worker: apply its reports, then its end, unless another run took over */
  async function follow(config: RunConfig, status: 'running' | 'paused', run: (onProgress: (p: RunProgress) => void) => Promise<RunEnd>) {
    const started = performance.now();
    const id = ++following;
    set({ ...CLEARED, status, config });
    const onProgress = (p: RunProgress) => {
      if (id !== following) return;
      set((s) => ({
        progress: p,
        population: p.population ?? s.population,
        history: [...s.history.slice(0, p.historyFrom), ...p.newHistory],
        firstUpdateMs: s.firstUpdateMs ?? performance.now() - started,
      }));
    };
    try {
      const end = await run(Comlink.proxy(onProgress));
      if (id === following) set({ status: end });
    } catch (e) {
      if (id === following) set({ status: 'error', error: message(e) });
    }
  }

  return {
    status: 'idle',
    ...CLEARED,
    start(config) {
      return follow(config, 'running', (onProgress) => searchWorker().run(config, onProgress));
    },
    async restoreSaved() {
      let saved: SavedRunInfo | null;
      try {
        saved = await searchWorker().saved();
      } catch (e) {
        set({ error: `The autosaved run could not be restored: ${message(e)}` });
        return;
      }
      if (!saved || get().status !== 'idle') return;
      if ('run' in saved) set(finishedRun(saved.run, saved.status));
      else await follow(saved.config, saved.status, (onProgress) => searchWorker().resumeSaved(onProgress));
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
      following++;
      void searchWorker().forget();
      set({ status: 'idle', ...CLEARED });
    },
    loadRun(text) {
      let file: RunFile;
      try {
        file = readRunFile(text);
      } catch (e) {
        set({ error: `This run file cannot be loaded: ${message(e)}` });
        return;
      }
      following++;
      void searchWorker().keep(file);
      set(finishedRun(file, 'done'));
    },
    runFile() {
      const { config, progress, population, history } = get();
      if (!config || !progress) return null;
      return makeRunFile(config, { evaluated: progress.evaluated, seconds: progress.seconds, population, history });
    },
    select(member, compare) {
      const picked = { key: structureKey(member.structure), member };
      set((s) => ({ selected: compare && s.selected.length > 0 && s.selected[0].key !== picked.key ? [s.selected[0], picked] : [picked] }));
    },
  };
});
