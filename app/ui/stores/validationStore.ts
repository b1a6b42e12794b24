/**
 * The validation view's state: the benchmark in use (its columns for the scatter), every proxy's
 * statistics as the validation worker computes them, the loads, bootstrap, entropy measurement
 * and searches in progress, and what the user chose (the scatter's proxy, the network shown, the
 * FLOPs budget, the search's objective). Each long computation has its progress and its Cancel;
 * a result that arrives for a benchmark no longer shown is dropped.
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { PROXY_NAMES, type ProxyName, type ProxyStats } from '../../engine/benchmark/validation';
import { WorkerGone } from '../../../workers/liveness';
import type { BenchmarkRequest, LoadedBenchmark, NetworkDetail, PointStats, ProxyColumn, SearchObjective, SearchOutcome, ValidationProgress, ValidationWorkerApi } from '../../../workers/validationApi';
import { validationWorker, validationWorkerDied } from '../../../workers/validationClient';

/** the benchmark as the view draws it: everything the worker sent but the proxies */
export type BenchmarkView = Omit<LoadedBenchmark, 'proxies'>;

/** a proxy's column; `stats` gains its bootstrap intervals when they are computed */
export interface ProxyEntry extends Omit<ProxyColumn, 'stats'> {
  stats: PointStats | ProxyStats;
}

/** the bootstrap intervals of a proxy, once computed */
export const intervalsOf = (entry: ProxyEntry): ProxyStats | null => ('kendallInterval' in entry.stats ? entry.stats : null);

interface Job {
  progress: ValidationProgress | null;
}

interface ValidationState {
  /** bumped by every load that replaces the benchmark: answers about an older one are dropped */
  generation: number;
  benchmark: BenchmarkView | null;
  /** by proxy; entropy once measured */
  proxies: Partial<Record<ProxyName, ProxyEntry>>;
  /** a load in progress, and what it loads ("NAS-Bench-Macro", a file's name) */
  loading: (Job & { what: string }) | null;
  /** why the last load failed (the reader's message, which names the network and field) */
  loadError: string | null;
  /** the bootstrap in progress: the proxy being resampled, and how many are done of those asked */
  bootstrap: { proxy: ProxyName; done: number; total: number } | null;
  /** the measurement in progress, and the time it will take yet at its rate so far (null before its first networks) */
  entropy: (Job & { remainingMs: number | null }) | null;
  entropyError: string | null;
  /** the scatter's x axis */
  xProxy: ProxyName;
  /** the network shown: its index, and its structure once the worker sent it */
  selected: { index: number; detail: NetworkDetail | null } | null;
  /** the FLOPs budget: an index into the benchmark's ladder */
  budgetIndex: number;
  objective: SearchObjective;
  search: { running: boolean; outcome: SearchOutcome | null; error: string | null };
  loadMacro(): Promise<void>;
  /** read a user's benchmark file (its text) in the worker */
  loadFile(name: string, text: string): Promise<void>;
  cancelLoad(): void;
  /** the bootstrap's intervals of every proxy that has none yet, one proxy after another */
  computeIntervals(): Promise<void>;
  /** stop after the proxy being resampled */
  cancelIntervals(): void;
  measureEntropy(): Promise<void>;
  cancelEntropy(): void;
  setXProxy(name: ProxyName): void;
  /** show a network of the benchmark (by index) */
  select(index: number): Promise<void>;
  setBudgetIndex(index: number): void;
  setObjective(objective: SearchObjective): void;
  /** the benchmark search within the budget chosen, one search per seed */
  runSearch(): Promise<void>;
  /** the benchmark as a studio benchmark file */
  benchmarkFile(): Promise<string>;
}

/** a call to the validation worker that fails, instead of waiting forever, when the worker dies */
const call = <T>(ask: (api: Comlink.Remote<ValidationWorkerApi>) => Promise<T>): Promise<T> => Promise.race([ask(validationWorker()), validationWorkerDied()]);

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** the budget first shown: the middle of the ladder */
const middle = (ladder: readonly number[]) => Math.floor((ladder.length - 1) / 2);

/** the load whose answer counts; a Cancel or a newer load starts another */
let loadRun = 0;
/** the bootstrap run whose answers count; a Cancel or a new load starts another */
let bootstrapRun = 0;
/** the worker's bootstrap call in progress: a new run waits for it rather than ask for the same proxy again */
let resampling: Promise<unknown> = Promise.resolve();

export const useValidationStore = create<ValidationState>((set, get) => {
  /** a dead worker took the benchmark with it: say so, and let the view load one again */
  const lost = (e: unknown) => {
    if (!(e instanceof WorkerGone)) return false;
    bootstrapRun++;
    set((s) => ({ generation: s.generation + 1, benchmark: null, proxies: {}, loading: null, bootstrap: null, entropy: null, selected: null, search: { ...s.search, running: false }, loadError: `${e.message}. Load a benchmark again.` }));
    return true;
  };

  const load = async (request: BenchmarkRequest, what: string) => {
    const run = ++loadRun;
    // the worker answers one bootstrap call at a time: ask for no more while the load waits its turn
    const resume = get().bootstrap !== null;
    get().cancelIntervals();
    set({ loading: { what, progress: null }, loadError: null });
    const onProgress = (progress: ValidationProgress) => {
      if (run === loadRun) set({ loading: { what, progress } });
    };
    try {
      const loaded = await call((api) => api.load(request, Comlink.proxy(onProgress)));
      // cancelled (perhaps after the worker had finished), or replaced by a newer load that answers for itself
      if (!loaded || run !== loadRun) return;
      const { proxies, ...benchmark } = loaded;
      bootstrapRun++;
      set((s) => ({
        generation: s.generation + 1,
        benchmark,
        proxies: Object.fromEntries(proxies.map((p) => [p.name, p])),
        loading: null,
        bootstrap: null,
        entropy: null,
        entropyError: null,
        selected: null,
        budgetIndex: middle(benchmark.ladder),
        search: { running: false, outcome: null, error: null },
        xProxy: s.xProxy === 'entropy' ? 'madnas' : s.xProxy,
      }));
      await get().computeIntervals();
    } catch (e) {
      if (lost(e) || run !== loadRun) return;
      set({ loading: null, loadError: messageOf(e) });
      // the benchmark shown stays: its intervals go on
      if (resume) await get().computeIntervals();
    }
  };

  return {
    generation: 0,
    benchmark: null,
    proxies: {},
    loading: null,
    loadError: null,
    bootstrap: null,
    entropy: null,
    entropyError: null,
    xProxy: 'madnas',
    selected: null,
    budgetIndex: 0,
    objective: 'madnas',
    search: { running: false, outcome: null, error: null },

    loadMacro: () => load({ kind: 'nas-bench-macro' }, 'NAS-Bench-Macro'),
    loadFile: (name, text) => load({ kind: 'file', text }, name),
    cancelLoad() {
      if (!get().loading) return;
      loadRun++;
      set({ loading: null });
      void call((api) => api.cancel('load')).catch(() => {});
      // the benchmark shown stays: its intervals go on, if any are missing
      if (get().benchmark) void get().computeIntervals();
    },

    async computeIntervals() {
      const run = ++bootstrapRun;
      await resampling.catch(() => {});
      const pending = () => (Object.values(get().proxies) as ProxyEntry[]).filter((p) => !intervalsOf(p)).map((p) => p.name);
      const total = pending().length;
      for (let done = 0; ; done++) {
        const [proxy] = pending();
        if (proxy === undefined || run !== bootstrapRun) break;
        const generation = get().generation;
        set({ bootstrap: { proxy, done, total: Math.max(total, done + 1) } });
        try {
          const asked = call((api) => api.intervals(proxy));
          resampling = asked;
          const stats = await asked;
          if (stats === null || generation !== get().generation) return;
          set((s) => ({ proxies: { ...s.proxies, [proxy]: { ...s.proxies[proxy]!, stats } } }));
        } catch (e) {
          if (!lost(e)) set({ bootstrap: null, loadError: `The bootstrap of ${proxy} failed: ${messageOf(e)}` });
          return;
        }
      }
      if (run === bootstrapRun) set({ bootstrap: null });
    },
    cancelIntervals() {
      bootstrapRun++;
      set({ bootstrap: null });
      void call((api) => api.cancel('intervals')).catch(() => {});
    },

    async measureEntropy() {
      if (get().entropy || !get().benchmark) return;
      const generation = get().generation;
      set({ entropy: { progress: null, remainingMs: null }, entropyError: null });
      let started = 0;
      const onProgress = (progress: ValidationProgress) => {
        if (!get().entropy || get().generation !== generation) return;
        // timed from the first report, which the worker sends once its runtime is up
        const now = performance.now();
        if (progress.done === 0) started = now;
        set({ entropy: { progress, remainingMs: progress.done > 0 ? ((now - started) / progress.done) * (progress.total - progress.done) : null } });
      };
      try {
        const column = await call((api) => api.measureEntropy(Comlink.proxy(onProgress)));
        if (generation !== get().generation) return;
        set((s) => ({ entropy: null, proxies: column ? { ...s.proxies, entropy: column } : s.proxies }));
        // the other proxies' bootstrap goes on after entropy's, if it was still running
        if (column) await get().computeIntervals();
      } catch (e) {
        if (!lost(e) && generation === get().generation) set({ entropy: null, entropyError: `The measurement failed: ${messageOf(e)}` });
      }
    },
    cancelEntropy() {
      if (!get().entropy) return;
      set({ entropy: null });
      void call((api) => api.cancel('entropy')).catch(() => {});
    },

    setXProxy: (xProxy) => set({ xProxy }),

    async select(index) {
      const generation = get().generation;
      set({ selected: { index, detail: null } });
      try {
        const detail = await call((api) => api.network(index));
        if (generation === get().generation && get().selected?.index === index) set({ selected: { index, detail } });
      } catch (e) {
        if (!lost(e)) set({ loadError: messageOf(e) });
      }
    },

    setBudgetIndex: (budgetIndex) => set({ budgetIndex }),
    setObjective: (objective) => set({ objective }),

    async runSearch() {
      const { benchmark, budgetIndex, objective, generation } = get();
      if (!benchmark || get().search.running) return;
      set({ search: { running: true, outcome: get().search.outcome, error: null } });
      try {
        const outcome = await call((api) => api.search({ objective, flopsBudget: benchmark.ladder[budgetIndex] }));
        if (generation === get().generation) set({ search: { running: false, outcome, error: null } });
      } catch (e) {
        if (!lost(e) && generation === get().generation) set((s) => ({ search: { running: false, outcome: s.search.outcome, error: messageOf(e) } }));
      }
    },

    benchmarkFile: () => call((api) => api.benchmarkFile()),
  };
});

/** the proxies shown, in the registry's order (entropy in its place once measured) */
export const shownProxies = (proxies: Partial<Record<ProxyName, ProxyEntry>>): ProxyEntry[] => PROXY_NAMES.flatMap((name) => proxies[name] ?? []);
