/**
 * The one search driver of every host: `startSearch` picks the kind of run from the config (a
 * single search, islands, or the measured-entropy search) or from a snapshot, and returns it
 * behind one interface with one pause/stop/snapshot point (a `RunGate`). Hosts only supply what
 * differs between them: where islands run (Node threads, Web Workers, this thread), how children
 * are measured (onnxruntime in Node or in a scoring worker), and how the thread lets its messages
 * through between slices. The CLI, the studio's search worker and the lesson worker all run
 * their searches through it, so a config and seed give the same run on every host.
 */
import type { Structure } from '../block';
import { validateConfig, type RunConfig } from '../config';
import { ConfigError, describeValue } from '../errors';
import { upgrade } from '../migrate';
import { isMeasured } from '../scores';
import { MeasuredSearch, runMeasuredSearch } from './measuredSearch';
import { RunGate } from './gate';
import { IslandSearch, IslandWorker, ISLANDS_SNAPSHOT_VERSIONS, type IslandHosts, type IslandResult, type IslandsSnapshot, type IslandsSnapshotV1, type IslandTask } from './islands';
import type { MemberRecord } from './population';
import type { ProgressSource } from './progress';
import { Search, SNAPSHOT_VERSIONS, type HistoryPoint, type SearchSnapshot } from './search';

export type RunEnd = 'done' | 'stopped';

/** what a live run is saved as: one search, or islands (of any snapshot version) */
export type RunSnapshot = SearchSnapshot | IslandsSnapshot | IslandsSnapshotV1;

/**
 * Called between pieces of work (slices, rounds, scoring calls). When it returns a promise, a
 * single or island search waits for it before its next piece (the page drawing a report); the
 * measured search does not, as a forward pass per child leaves the page time enough.
 */
export type Tick = () => Promise<void> | undefined;

/** an island of a multi-worker search running elsewhere (a thread, a Web Worker) */
export interface IslandHost {
  run(task: IslandTask): Promise<IslandResult>;
  snapshot(): Promise<SearchSnapshot>;
  dispose(): void;
}

/** where a measured-entropy search's children are measured */
export interface ScorerHost {
  /** scores in order (−9999 for a structure that cannot run); `call` is the search's index of the scoring call */
  score(structures: Structure[], call: number): Promise<number[]>;
  /** the runtime measuring, for people ("onnxruntime-web 1.30, wasm, 1 thread") */
  readonly provider: string;
  /** calls may overlap: the host measures them at once (a queue's workers), so the next call is sent as soon as it is proposed */
  readonly concurrent?: boolean;
  dispose(): void;
}

export interface SearchHosts {
  /** let the thread's queued messages (Pause, Stop, a page's call) run, then go on */
  yield(): Promise<void>;
  /** a monotonic clock in ms (`performance.now`), to size a single search's slices */
  now(): number;
  /** start island `index` (1…) of a multi-worker search, restored from `from` when resuming */
  startIsland?(config: RunConfig, index: number, from?: SearchSnapshot): Promise<IslandHost>;
  /** the scorer of a measured-entropy search */
  startScorer?(config: RunConfig): Promise<ScorerHost>;
}

/** A search in progress, whatever its kind and host. */
export interface SearchRun {
  readonly config: RunConfig;
  readonly source: ProgressSource;
  /** a measured-entropy search: children measured so far and the runtime measuring them */
  readonly scoring?: { scored: number; provider: string };
  /** run until done or stopped; `tick` between pieces of work */
  run(tick?: Tick): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** the state to resume from (at the next cut), or null for a run that cannot be resumed (the measured one) */
  snapshot(): Promise<RunSnapshot | null>;
  /** release the run's islands or scorer */
  dispose(): void;
}

/** what a finished (or stopped) run leaves: the ranked population and the history */
export interface SearchOutcome {
  evaluated: number;
  population: MemberRecord[];
  history: HistoryPoint[];
}

export function outcomeOf(run: SearchRun): SearchOutcome {
  const s = run.source;
  return { evaluated: s.evaluated, population: s.population.ranking(), history: [...s.history] };
}

/** a slice of a single search lasts about this long, so calls from the host get through */
const SLICE_MS = 12;

/** Pause, Resume and Stop of every kind of run: its gate. */
abstract class GatedRun {
  constructor(protected readonly gate: RunGate) {}

  pause() {
    this.gate.pause();
  }

  resume() {
    this.gate.resume();
  }

  stop() {
    this.gate.stop();
  }
}

/** One search in this thread, in slices of about SLICE_MS. */
class SingleRun extends GatedRun implements SearchRun {
  constructor(
    private readonly search: Search,
    private readonly hosts: SearchHosts,
  ) {
    super(new RunGate());
  }

  get config() {
    return this.search.config;
  }

  get source() {
    return this.search;
  }

  async run(tick?: Tick): Promise<RunEnd> {
    let slice = 256;
    while (!this.search.done && (await this.gate.pass())) {
      const start = this.hosts.now();
      this.search.advance(slice);
      const spent = this.hosts.now() - start;
      // keep each slice near SLICE_MS whatever the speed of this machine
      slice = Math.max(16, Math.min(100_000, Math.round((slice * SLICE_MS) / Math.max(spent, 0.1))));
      await (tick?.() ?? this.hosts.yield());
    }
    return this.search.done ? 'done' : 'stopped';
  }

  async snapshot() {
    return this.search.snapshot();
  }

  dispose() {}
}

/** Islands: the master and island 0 in this thread (as TinyNAS's master also searches), islands 1… on the host's. */
class IslandRun extends GatedRun implements SearchRun {
  private constructor(
    private readonly search: IslandSearch,
    private readonly hosts: IslandHosts,
    private readonly remotes: IslandHost[],
  ) {
    super(search.gate);
  }

  static async start(startIsland: NonNullable<SearchHosts['startIsland']>, config: RunConfig, from?: IslandsSnapshot | IslandsSnapshotV1): Promise<IslandRun> {
    const search = from ? IslandSearch.restore(from) : IslandSearch.create(config);
    const c = search.coordinator;
    const local = new IslandWorker(c.config, 0, from?.islands[0]);
    const started = await Promise.allSettled(Array.from({ length: c.workers - 1 }, (_, i) => startIsland(c.config, i + 1, from?.islands[i + 1])));
    const remotes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      for (const r of remotes) r.dispose();
      throw failure.reason;
    }
    const hosts: IslandHosts = {
      async dispatch(tasks) {
        const results = remotes.map((r, i) => r.run(tasks[i + 1]));
        return [local.run(tasks[0]), ...(await Promise.all(results))];
      },
      async snapshots() {
        return [local.search.snapshot(), ...(await Promise.all(remotes.map((r) => r.snapshot())))];
      },
    };
    return new IslandRun(search, hosts, remotes);
  }

  get config() {
    return this.search.coordinator.config;
  }

  get source() {
    return this.search.coordinator;
  }

  run(tick?: Tick) {
    return this.search.run(this.hosts, tick);
  }

  snapshot() {
    return this.search.snapshot();
  }

  dispose() {
    for (const r of this.remotes) r.dispose();
  }
}

/**
 * The measured-entropy search: children mutated and budget-checked here, `childrenPerCall` at a
 * time, measured by the host's scorer while the next call's children are mutated. It is not
 * resumable (a forward pass per child would make a snapshot's promise of the same run hard to
 * keep), but its end is saved like any run's.
 */
class MeasuredRun extends GatedRun implements SearchRun {
  private constructor(
    private readonly search: MeasuredSearch,
    private readonly scorer: ScorerHost,
  ) {
    super(new RunGate());
  }

  static async start(startScorer: NonNullable<SearchHosts['startScorer']>, config: RunConfig): Promise<MeasuredRun> {
    const scorer = await startScorer(config);
    try {
      return new MeasuredRun(await MeasuredSearch.start(config, (s, call) => scorer.score(s, call)), scorer);
    } catch (e) {
      scorer.dispose();
      throw e;
    }
  }

  get config() {
    return this.search.config;
  }

  get source() {
    return this.search;
  }

  get scoring() {
    return { scored: this.search.scored, provider: this.scorer.provider };
  }

  run(tick?: Tick): Promise<RunEnd> {
    return runMeasuredSearch(this.search, (s, call) => this.scorer.score(s, call), { gate: this.gate, onCall: () => void tick?.(), overlap: this.scorer.concurrent });
  }

  async snapshot() {
    return null;
  }

  dispose() {
    this.scorer.dispose();
  }
}

/**
 * A saved snapshot (as an autosave holds it; any version this code reads) as the current version,
 * its config migrated and checked: a reader can show its config before resuming it.
 */
export function readRunSnapshot(saved: unknown): RunSnapshot {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) throw new ConfigError('snapshot', `found ${describeValue(saved)}, expected a snapshot object`);
  const record = saved as Record<string, unknown>;
  const snapshot = record.kind === 'islands' ? upgrade(ISLANDS_SNAPSHOT_VERSIONS, record, 'snapshot.version') : upgrade(SNAPSHOT_VERSIONS, record, 'snapshot.version');
  return { ...snapshot, config: validateConfig(snapshot.config) } as unknown as RunSnapshot;
}

/** Start a run of `config` — or resume the one `from` was taken of — on `hosts`. */
export async function startSearch(config: RunConfig, hosts: SearchHosts, from?: RunSnapshot): Promise<SearchRun> {
  const islands = (): NonNullable<SearchHosts['startIsland']> => {
    if (!hosts.startIsland) throw new ConfigError('search.workers', 'this host runs a search in one thread; expected 1 worker');
    return hosts.startIsland;
  };
  if (from && 'kind' in from) return IslandRun.start(islands(), from.config, from);
  if (from) return new SingleRun(Search.restore(from), hosts);
  const valid = validateConfig(config);
  if (isMeasured(valid.score.type)) {
    if (!hosts.startScorer) throw new ConfigError('score.type', 'this host cannot measure the entropy (it has no ONNX runtime); expected madnas or deepmad');
    return MeasuredRun.start(hosts.startScorer, valid);
  }
  return valid.search.workers > 1 ? IslandRun.start(islands(), valid) : new SingleRun(Search.create(valid), hosts);
}
