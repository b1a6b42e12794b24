/**
 * The running search as the UI sees it: status, the latest counts, the population as columns, the
 * history thinned to a bounded series, the selected candidates. Actions drive the search worker,
 * which keeps each run whole; what a report costs the page does not grow with the population's
 * size or the run's length.
 */
import { create } from 'zustand';
import * as Comlink from 'comlink';
import type { RunConfig } from '../../engine/config';
import { NO_MEMBERS, type MemberColumns } from '../../engine/evolution/codec';
import { appendHistory, NO_HISTORY, type HistorySeries } from '../../engine/evolution/historySeries';
import type { RunProgress } from '../../engine/evolution/progress';
import type { MemberRecord } from '../../engine/evolution/population';
import type { RunFile } from '../../engine/runFile';
import { structureKey } from '../../engine/structure';
import type { RunEnd } from '../../engine/evolution/driver';
import type { FinishedRunView, OnProgress, SavedRunInfo } from '../../../workers/searchApi';
import { WorkerGone } from '../../../workers/liveness';
import { searchWorker, searchWorkerDied } from '../../../workers/searchClient';

interface Selection {
  key: string;
  member: MemberRecord;
}

type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

/** a report's counts: what the run controls show */
type RunCounts = Omit<RunProgress, 'population' | 'newHistory' | 'historyFrom'>;

export interface RunState {
  status: RunStatus;
  error: string | null;
  config: RunConfig | null;
  progress: RunCounts | null;
  /** the latest population sent, ranked (reports omit it when unchanged) */
  population: MemberColumns;
  history: HistorySeries;
  /**
   * the selected candidates (up to two, for comparison), kept as picked: a candidate stays on view
   * when the running search drops it from the population
   */
  selected: Selection[];
  /** ms from Start to the first progress report */
  firstUpdateMs: number | null;
  /**
   * why the autosave could not be read or resumed, while the record is kept: the page offers it
   * as a download before the user discards it
   */
  unreadableSave: string | null;
  /** the search worker died during the run: its last progress stays on screen, and the autosave can take the run on */
  workerDied: boolean;
  start(config: RunConfig): Promise<void>;
  /** on page load: resume the autosaved run where it was, or show it if it had finished */
  restoreSaved(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  reset(): void;
  /** show a candidate; with `compare`, beside the one already shown */
  select(member: MemberRecord, compare: boolean): void;
  /** show a saved run (read and checked by the engine in the worker); a bad file becomes `error`, nothing else changes */
  loadRun(text: string): Promise<void>;
  /** the finished run as a versioned run.json, or null when there is none */
  runFile(): Promise<RunFile | null>;
  /** the kept autosave that could not be read, as JSON text (null when there is none) */
  unreadableSaveText(): Promise<string | null>;
  /** drop the autosave that could not be read */
  discardUnreadableSave(): Promise<void>;
  /** after the search worker died: a new worker resumes the run from its last autosave */
  resumeAfterCrash(): Promise<void>;
  /**
   * who keeps the autosave: this tab, another tab of the studio (which opened first), or another
   * tab that took it over from this one. Only one tab's runs are autosaved, so two tabs never
   * overwrite each other's run.
   */
  autosave: 'this-tab' | 'other-tab' | 'taken-over';
  /** on page load: keep the autosave if no other tab does, and restore it */
  openAutosave(): Promise<void>;
  /** keep the autosave here, from now on (the other tab is told), and restore it */
  takeOverAutosave(): Promise<void>;
}

const CLEARED = { error: null, workerDied: false, config: null, progress: null, population: NO_MEMBERS, history: NO_HISTORY, selected: [], firstUpdateMs: null } satisfies Partial<RunState>;

/** a finished run shown from a file or the autosave */
function finishedRun({ config, view: { population, newHistory, historyFrom, ...counts } }: FinishedRunView, status: 'done' | 'stopped'): Partial<RunState> {
  return { ...CLEARED, status, config, progress: counts, population: population ?? NO_MEMBERS, history: appendHistory(NO_HISTORY, newHistory, historyFrom) };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Settles once the page has drawn the frame that shows a report and finished the work it brought
 * (React's deferred renders, the canvases): the search worker waits for it (a while at most)
 * before its next slice, so the page has the CPU to itself while it catches up. A page that draws
 * nothing (hidden, or a test host without frames) answers at once.
 */
/** whether this host draws frames (not so in the Node tests, whose store has no page) */
const drawsFrames = typeof requestAnimationFrame !== 'undefined';

function drawn(): Promise<void> | void {
  if (!drawsFrames || document.visibilityState === 'hidden') return;
  // a frame for the report, idle time for the renders it deferred, then the frame that shows those
  // renders and a task after it: the answer goes once that frame is laid out and painted
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const idle = () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 250 }));
  return frame()
    .then(idle)
    .then(frame)
    .then(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}

/**
 * Let the page's thread breathe between the parts of a report: each part (counts, population,
 * history) is applied in a task of its own, so none holds the thread long even the first time its
 * code runs on a fresh page. Tests without a page (Node) need not wait.
 */
const betweenParts = (): Promise<void> | void => (drawsFrames ? new Promise((resolve) => setTimeout(resolve, 0)) : undefined);

/** the Web Lock a tab holds while it keeps the autosave */
const AUTOSAVE_LOCK = 'maedet-studio/autosave-owner';
/** how long a new page waits for the autosave lock before it concludes another tab keeps it */
const OTHER_TAB_WAIT_MS = 1000;

export const useRunStore = create<RunState>((set, get) => {
  /**
   * Hold the autosave lock for as long as this page lives (`steal`: take it from the tab that
   * holds it); false when another tab keeps holding it. A page that reloads releases it as it
   * goes, so its next page waits a moment for it. A tab the lock is stolen from is told so.
   */
  function claimAutosave(steal: boolean): Promise<boolean> {
    // without Web Locks, every tab saves (as the studio did before)
    if (typeof navigator === 'undefined' || !navigator.locks) return Promise.resolve(true);
    return new Promise((claimed) => {
      let held = false;
      const options = steal ? { steal: true } : { signal: AbortSignal.timeout(OTHER_TAB_WAIT_MS) };
      navigator.locks
        .request(AUTOSAVE_LOCK, options, () => {
          held = true;
          claimed(true);
          return new Promise<never>(() => {});
        })
        .catch(() => {
          if (!held) return claimed(false);
          set({ autosave: 'taken-over' });
          void searchWorker().setAutosave(false);
        });
    });
  }

  /** the run the store follows; reports and ends of earlier runs are ignored */
  let following = 0;
  /** follow a run in the worker: apply its reports, then its end, unless another run took over */
  async function follow(config: RunConfig, status: 'running' | 'paused', run: (onProgress: OnProgress) => Promise<RunEnd>) {
    const started = performance.now();
    const id = ++following;
    /**
     * reports are applied one after another, in arrival order, whatever their parts wait for; the
     * run itself is shown from a task of its own, so the click that started it stays short
     */
    let applying = Promise.resolve(betweenParts()).then(() => {
      if (id === following) set({ ...CLEARED, status, config });
    });
    const apply = async ({ population, newHistory, historyFrom, ...counts }: RunProgress) => {
      if (id !== following) return;
      set((s) => ({ progress: counts, firstUpdateMs: s.firstUpdateMs ?? performance.now() - started }));
      if (population) {
        await betweenParts();
        if (id === following) set({ population });
      }
      await betweenParts();
      if (id === following) set((s) => ({ history: appendHistory(s.history, newHistory, historyFrom) }));
    };
    const onProgress = (p: RunProgress) => {
      applying = applying.then(() => apply(p));
      return applying.then(drawn);
    };
    let running: Promise<RunEnd> | undefined;
    try {
      running = run(Comlink.proxy(onProgress));
      // a worker that dies answers nothing: its death ends the run instead
      const end = await Promise.race([running, searchWorkerDied()]);
      await applying;
      if (id === following) set({ status: end });
    } catch (e) {
      running?.catch(() => {});
      if (id !== following) return;
      // the last progress stays on screen
      if (e instanceof WorkerGone) set({ status: 'error', workerDied: true, error: `The search stopped: ${message(e)}. The last progress is kept; the run can go on from its last autosave.` });
      else set({ status: 'error', error: message(e) });
    }
  }

  return {
    status: 'idle',
    ...CLEARED,
    unreadableSave: null,
    start(config) {
      set({ unreadableSave: null });
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
      if (saved.status === 'unreadable') set({ unreadableSave: `The autosaved run cannot be read by this version: ${saved.reason}` });
      else if ('view' in saved) set(finishedRun(saved, saved.status));
      else {
        await follow(saved.config, saved.status, (onProgress) => searchWorker().resumeSaved(onProgress));
        // a run that could not be resumed keeps its record until the user has seen it
        const { status, error, progress } = get();
        if (status === 'error' && error && progress === null) set({ status: 'idle', ...CLEARED, unreadableSave: error });
      }
    },
    unreadableSaveText() {
      return searchWorker().savedRecord();
    },
    autosave: 'this-tab',
    async openAutosave() {
      if (await claimAutosave(false)) await get().restoreSaved();
      else {
        set({ autosave: 'other-tab' });
        await searchWorker().setAutosave(false);
      }
    },
    async takeOverAutosave() {
      await claimAutosave(true);
      set({ autosave: 'this-tab' });
      await searchWorker().setAutosave(true);
      if (get().status === 'idle') await get().restoreSaved();
    },
    async resumeAfterCrash() {
      following++;
      set({ status: 'idle', ...CLEARED });
      await get().restoreSaved();
    },
    async discardUnreadableSave() {
      set({ unreadableSave: null });
      await searchWorker().forget();
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
    async loadRun(text) {
      let run: FinishedRunView;
      try {
        run = await searchWorker().load(text);
      } catch (e) {
        set({ error: `This run file cannot be loaded: ${message(e)}` });
        return;
      }
      following++;
      set(finishedRun(run, 'done'));
    },
    runFile() {
      return searchWorker().runFile();
    },
    select(member, compare) {
      const picked = { key: structureKey(member.structure), member };
      set((s) => ({ selected: compare && s.selected.length > 0 && s.selected[0].key !== picked.key ? [s.selected[0], picked] : [picked] }));
    },
  };
});
