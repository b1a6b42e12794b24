/**
 * The lead search service behind the search worker (comlink): runs one search, or the master and
 * island 0 of a multi-worker search with the other islands in their own workers; streams batched
 * progress to the page and autosaves to IndexedDB.
 */
import * as Comlink from 'comlink';
import { presetConfig, type RunConfig } from '../app/engine/config';
import { encodeMembers, transferablesOf, type MemberColumns } from '../app/engine/evolution/codec';
import { appendHistory, NO_HISTORY, seriesPoints } from '../app/engine/evolution/historySeries';
import { startSearch, type IslandHost, type RunEnd, type ScorerHost, type SearchHosts, type SearchRun, type Tick } from '../app/engine/evolution/driver';
import { progressOf, type RunProgress } from '../app/engine/evolution/progress';
import { Search, type SearchSnapshot } from '../app/engine/evolution/search';
import { makeRunFile, readRunFile, type RunFile } from '../app/engine/runFile';
import { forgetRun, loadSavedRun, saveRun, savedRecordText, UnreadableSave, AUTOSAVE_VERSION, type SavedRun } from './autosave';
import type { IslandSpawner } from './islandService';
import { DEFAULT_THREADS, type ScoreWorkerApi } from './scoreApi';
import { entropySettingsOf } from '../app/engine/evolution/entropyScorer';
import type { OnProgress, RunOptions, SearchWorkerApi } from './searchApi';
import { yieldToMessages } from './yieldToMessages';

/**
 * Counts and history go to the page every 250 ms, the population at most every 500 ms: each report
 * costs the page a frame (style, paint, a compositor commit), and on a fresh page with few cores
 * every frame is a chance for the browser's own threads to stretch one past 50 ms.
 */
const REPORT_INTERVAL_MS = 250;
const POPULATION_INTERVAL_MS = 500;
const AUTOSAVE_MS = 2000;

/**
 * How long a search waits, at most, for the page to draw a report and finish its work before going
 * on. Meanwhile the worker leaves the CPU to the page: on a machine with few cores the page's
 * thread otherwise shares a core with the browser's own processes and its compiler and GC
 * threads, and its few milliseconds of work per frame stretch past 50 ms. A warm page answers
 * within a frame or two; one that cannot draw (a hidden tab) answers at once; a stuck one costs at
 * most this per report.
 */
const DRAW_WAIT_MS = 250;
/** the same for a run's first report, which fills the page's panels from empty */
const FIRST_DRAW_WAIT_MS = 1000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** an island in a worker of its own (a Web Worker; a MessageChannel in Node tests), whose calls fail instead of hanging when its host dies */
async function remoteIsland(spawn: IslandSpawner, config: RunConfig, index: number, from?: SearchSnapshot): Promise<IslandHost> {
  const island = spawn(index);
  island.failed.catch(() => {});
  const guard = <T>(p: Promise<T>) => Promise.race([p, island.failed]);
  try {
    await guard(island.api.start(config, index, from));
  } catch (e) {
    island.terminate();
    throw e;
  }
  return {
    run: (task) => guard(island.api.run(Comlink.transfer(task, transferablesOf(task.population)))),
    snapshot: () => guard(island.api.snapshot()),
    dispose: () => island.terminate(),
  };
}

/**
 * How the lead reaches a scoring worker (onnxruntime-web); the page's host spawns a Web Worker.
 * `failed` rejects when the worker dies, so calls to it fail instead of hanging.
 */
export type ScorerSpawner = () => { api: Comlink.Remote<ScoreWorkerApi>; failed: Promise<never>; terminate(): void };

/**
 * The measured entropy in a scoring worker, on wasm: WebGPU's kernels round differently, and a
 * search must give the same run in the studio as in the CLI (which measures on wasm too).
 */
async function remoteScorer(spawn: ScorerSpawner, config: RunConfig): Promise<ScorerHost> {
  const scorer = spawn();
  scorer.failed.catch(() => {});
  const options = { ...entropySettingsOf(config), provider: 'wasm' as const, threads: DEFAULT_THREADS };
  let provider = '';
  return {
    async score(structures) {
      const reply = await Promise.race([scorer.api.scoreBatch(structures, options), scorer.failed]);
      provider = reply.provider;
      return reply.scores;
    },
    get provider() {
      return provider;
    },
    dispose: () => scorer.terminate(),
  };
}

/**
 * Active seconds: the time the search has run, continuing a resumed run's count. It starts once the
 * page has drawn the run's first report (the run's set-up, as the CLI's clock starts at its first
 * child) and stands still while the user pauses.
 */
class Stopwatch {
  private since: number | null = null;
  private started = false;
  private paused = false;

  constructor(private before: number) {}

  get seconds(): number {
    return this.before + (this.since === null ? 0 : (performance.now() - this.since) / 1000);
  }

  start() {
    this.started = true;
    this.follow();
  }

  pause() {
    this.paused = true;
    this.follow();
  }

  resume() {
    this.paused = false;
    this.follow();
  }

  private follow() {
    if (this.started && !this.paused) this.since ??= performance.now();
    else {
      this.before = this.seconds;
      this.since = null;
    }
  }
}

/** a finished run as the page shows it: one report with the whole population and the history, thinned */
function finishedView(run: RunFile): RunProgress {
  const { evaluated, seconds, population, history } = run;
  return {
    evaluated,
    total: run.config.search.numRandomNets,
    seconds,
    childrenPerSecond: seconds > 0 ? evaluated / seconds : 0,
    population: encodeMembers(population),
    newHistory: [...seriesPoints(appendHistory(NO_HISTORY, history))],
    historyFrom: 0,
  };
}

/** a value as it crosses to the page: the buffer of the population it carries moves instead of being copied */
const sendable = <T>(value: T, population: MemberColumns | null) => Comlink.transfer(value, population ? transferablesOf(population) : []);

/**
 * Children of the warm-up: a throwaway search of the default set-up, run when the worker starts
 * (while the page loads and its user reads the set-up), long enough for V8 to optimise the search
 * loop. The user's first search then starts at full speed, and the browser's compiler threads
 * are not busy with the search's code while the page draws its first reports.
 */
const WARM_UP_CHILDREN = 20_000;

/** The search worker's API; `spawnIsland` starts the islands of a multi-worker search. */
export function createSearchService(spawnIsland: IslandSpawner, spawnScorer: ScorerSpawner): SearchWorkerApi {
  /**
   * the run in progress; a run that is no longer current never writes the autosave. `report`
   * resolves when the page has drawn it (or after DRAW_WAIT_MS), undefined when it sent nothing.
   */
  let current: { runner: SearchRun; clock: Stopwatch; report(final?: boolean): Promise<void> | undefined; save(status: 'running' | 'paused'): Promise<void> } | null = null;
  let savedLive: Extract<SavedRun, { status: 'running' | 'paused' }> | null = null;
  /** the finished run on show (ended here, loaded, or restored): what Save run writes */
  let shown: RunFile | null = null;
  /** whether runs write the autosave: off while another tab of the studio keeps it */
  let autosaving = true;
  /** cleared by any call: the warm-up gives way at once */
  let warmingUp = false;
  const called = () => void (warmingUp = false);

  async function drive(runner: SearchRun, clock: Stopwatch, onProgress: OnProgress, options: RunOptions = {}, startPaused = false): Promise<RunEnd> {
    current?.runner.stop();
    shown = null;
    const interval = options.intervalMs ?? REPORT_INTERVAL_MS;
    const sent = { history: 0, populationVersion: -1 };
    let lastReport = -Infinity;
    let lastPopulation = -Infinity;
    let lastSave = -Infinity;
    /** the report the page has not finished taking: the next one waits for it, so none queue up */
    let unanswered = false;
    let writes = Promise.resolve();
    let finished = false;
    const write = (record: () => SavedRun | null) => {
      writes = writes.then(async () => {
        const r = record();
        if (r && me === current && autosaving) await saveRun(r);
      });
    };
    const me: NonNullable<typeof current> = {
      runner,
      clock,
      report(final = false) {
        if (unanswered && !final) return undefined;
        const now = performance.now();
        const withPopulation = final || now - lastPopulation >= POPULATION_INTERVAL_MS;
        const scoring = runner.scoring;
        const report = { ...progressOf(runner.source, clock.seconds, sent, withPopulation), ...(scoring && { scoring }) };
        unanswered = true;
        const answered = Promise.resolve(onProgress(sendable(report, report.population))).finally(() => (unanswered = false));
        sent.history = runner.source.history.length;
        if (withPopulation) {
          sent.populationVersion = runner.source.population.version;
          lastPopulation = now;
        }
        const first = lastReport === -Infinity;
        lastReport = now;
        // counts and the history's new points cost the page a text write and a curve: the search
        // goes on; a population (rows, dots, maybe axes) and the first report are waited for
        if (!first && !report.population) return undefined;
        return Promise.race([answered, delay(first ? FIRST_DRAW_WAIT_MS : DRAW_WAIT_MS)]);
      },
      async save(status) {
        lastSave = performance.now();
        const seconds = clock.seconds;
        const snapshot = await runner.snapshot();
        if (snapshot) write(() => (finished ? null : { version: AUTOSAVE_VERSION, savedAt: Date.now(), seconds, status, snapshot }));
      },
    };
    current = me;
    if (startPaused) {
      runner.pause();
      clock.pause();
    }
    // the first report (a resumed run's whole population, a new run's first panels) is the page's
    // heaviest: the search waits until it is drawn
    await me.report();
    clock.start();
    const tick: Tick = () => {
      const now = performance.now();
      if (now - lastSave >= AUTOSAVE_MS) void me.save('running');
      return now - lastReport >= interval ? me.report() : undefined;
    };
    try {
      const end = await runner.run(tick);
      void me.report(true);
      finished = true;
      const s = runner.source;
      const scoring = runner.scoring && { ...runner.scoring, replayed: 0 };
      const run = makeRunFile(runner.config, { evaluated: s.evaluated, seconds: clock.seconds, population: s.population.ranking(), history: [...s.history], scoring });
      if (me === current) shown = run;
      write(() => ({ version: AUTOSAVE_VERSION, savedAt: Date.now(), status: end, run }));
      await writes;
      return end;
    } finally {
      runner.dispose();
      if (current === me) current = null;
    }
  }

  const hosts: SearchHosts = {
    yield: yieldToMessages,
    now: () => performance.now(),
    startIsland: (config, index, from) => remoteIsland(spawnIsland, config, index, from),
    startScorer: (config) => remoteScorer(spawnScorer, config),
  };

  /** stop whatever runs and show a finished run, which becomes the autosave */
  async function show(run: RunFile) {
    current?.runner.stop();
    current = null;
    shown = run;
    if (autosaving) await saveRun({ version: AUTOSAVE_VERSION, savedAt: Date.now(), status: 'done', run });
  }

  return {
    async warmUp() {
      warmingUp = true;
      const search = Search.create(presetConfig('detection-r50'), { total: WARM_UP_CHILDREN });
      while (warmingUp && !search.done) {
        search.advance(200);
        await yieldToMessages();
      }
      warmingUp = false;
    },
    async run(config, onProgress, options) {
      called();
      savedLive = null;
      return drive(await startSearch(config, hosts), new Stopwatch(0), onProgress, options);
    },
    async saved() {
      called();
      savedLive = null;
      let record: SavedRun | null;
      try {
        record = await loadSavedRun();
      } catch (e) {
        if (e instanceof UnreadableSave) return { status: 'unreadable', reason: e.message };
        throw e;
      }
      if (!record) return null;
      if ('run' in record) {
        shown = record.run;
        const view = finishedView(record.run);
        return sendable({ status: record.status, config: record.run.config, view }, view.population);
      }
      savedLive = record;
      const { snapshot } = record;
      return { status: record.status, config: snapshot.config, evaluated: 'kind' in snapshot ? snapshot.coordinator.evaluated : snapshot.evaluated };
    },
    async resumeSaved(onProgress, options) {
      called();
      const record = savedLive;
      if (!record) throw new Error('there is no saved run to resume');
      savedLive = null;
      let runner: SearchRun;
      try {
        runner = await startSearch(record.snapshot.config, hosts, record.snapshot);
      } catch (e) {
        // the record stays: the page offers it as a download before the user discards it
        throw new Error(`The autosaved run could not be resumed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      return drive(runner, new Stopwatch(record.seconds), onProgress, options, record.status === 'paused');
    },
    async load(text) {
      called();
      // read here, off the page's thread; a bad file rejects with the reader's reason and changes nothing
      const run = readRunFile(text);
      await show(run);
      const view = finishedView(run);
      return sendable({ config: run.config, view }, view.population);
    },
    async runFile() {
      called();
      return shown;
    },
    async savedRecord() {
      called();
      return savedRecordText();
    },
    async forget() {
      called();
      current?.runner.stop();
      current = null;
      shown = null;
      // another tab's autosave is not this page's to drop
      if (autosaving) await forgetRun();
    },
    setAutosave(on) {
      autosaving = on;
    },
    pause() {
      called();
      if (!current) return;
      const paused = current;
      paused.runner.pause();
      paused.clock.pause();
      // the snapshot is taken where the search actually stopped (islands finish their round first),
      // so the report after it shows the count the saved run resumes from
      void paused.save('paused').then(() => void paused.report(true));
    },
    resume() {
      called();
      current?.runner.resume();
      current?.clock.resume();
    },
    stop() {
      called();
      current?.runner.stop();
      current?.clock.resume();
    },
  };
}
