/**
 * Multi-worker search with population exchange, after TinyNAS's master/worker sync (§6.5), made
 * deterministic: rounds are synchronous. Each round every worker absorbs the master's population,
 * runs up to one sync interval of children with its own random stream, and returns its ranked
 * population; the master merges the results in worker order. The result depends only on the
 * config, the seed and the worker count — not on which worker finishes first, nor on the host
 * (Node worker_threads, Web Workers, or all in one thread). A run can be paused and snapshotted
 * without changing that: `IslandSearch` takes snapshots at consistent cuts and resumes exactly.
 */
import { syncInterval, validateConfig, type RunConfig } from '../config';
import { upgrade, type FormatVersions } from '../migrate';
import { Rng } from '../rng';
import { RunGate } from './gate';
import { decodeMembers, encodeMembers, readPackedRows, type MemberColumns } from './codec';
import { Population, type MemberRecord } from './population';
import { Search, Evaluator, type HistoryPoint, type SearchSnapshot } from './search';

/** One worker's task for a round; populations travel as columns (see codec.ts), transferable. */
export interface IslandTask {
  /**
   * The master's members this worker has not been sent and has not returned. Members it already
   * holds, or has dropped because it holds 256 better ones, could not change its population.
   */
  population: MemberColumns;
  evaluated: number;
  children: number;
}

export interface IslandResult {
  /**
   * Only the members that joined the worker's population this round: everything else it holds
   * came from the master, and merging it again could not change the master's population.
   */
  population: MemberColumns;
  children: number;
}

/** The worker side: a `Search` with its own random stream, stepping one sync interval per round. */
export class IslandWorker {
  readonly search: Search;

  /** island `index` of a new search, or an island restored from its snapshot */
  constructor(config: RunConfig, index: number, from?: SearchSnapshot) {
    this.search = from ? Search.restore(from) : Search.create(config, { rng: Rng.forWorker(config.search.seed, index), stepSize: syncInterval(config), total: 0 });
  }

  run(task: IslandTask): IslandResult {
    const population = this.search.population;
    this.search.absorb(decodeMembers(task.population, (key) => population.has(key)), task.evaluated, task.children);
    const before = new Set(population.members.map((m) => m.key));
    const children = this.search.advance(task.children);
    return { population: encodeMembers(population.members.filter((m) => !before.has(m.key))), children };
  }
}

/** The master's state between rounds, as plain data. */
export interface CoordinatorState {
  population: MemberRecord[];
  history: HistoryPoint[];
  evaluated: number;
  planned: number;
  /** per worker: indices into `population` of the members that worker already holds */
  known: number[][];
}

/**
 * The master side: plans rounds and merges results. Rounds are pipelined one deep: the tasks of
 * round r+1 are planned from the population merged through round r−1, so every worker has its
 * next task queued while the master merges — nobody waits at a barrier, and the exchange is
 * still a fixed function of (config, seed, workers). TinyNAS's MPI workers likewise search from
 * a master population that is a little behind.
 */
export class IslandCoordinator {
  readonly config: RunConfig;
  readonly population: Population;
  readonly history: HistoryPoint[];
  private evaluatedCount: number;
  private plannedCount: number;
  /** per worker: keys of master members it was sent or returned (pruned to the master's members) */
  private readonly known: Set<string>[];

  /** a new coordinator, or one restored from `state()` */
  constructor(config: RunConfig, from?: CoordinatorState) {
    this.config = validateConfig(config);
    this.population = new Population(this.config.search.popuSize);
    if (from) {
      this.population.merge(from.population.map((r) => ({ ...r })));
      this.history = from.history.map((h) => ({ ...h }));
      this.evaluatedCount = from.evaluated;
      this.plannedCount = from.planned;
      const members = this.population.members;
      this.known = from.known.map((indices) => new Set(indices.map((i) => members[i].key!)));
      return;
    }
    this.history = [];
    this.evaluatedCount = 0;
    this.plannedCount = 0;
    this.known = Array.from({ length: this.config.search.workers }, () => new Set<string>());
    const seed = new Evaluator(this.config).evaluate(this.config.model.structure);
    if (seed) this.population.merge([seed]);
    this.record();
  }

  get evaluated(): number {
    return this.evaluatedCount;
  }

  get total(): number {
    return this.config.search.numRandomNets;
  }

  get done(): boolean {
    return this.evaluatedCount >= this.total;
  }

  get workers(): number {
    return this.config.search.workers;
  }

  /**
   * Tasks for the next round (one sync interval per worker, the last round split evenly) from
   * the population merged so far, or null when every child is already planned.
   */
  planRound(): IslandTask[] | null {
    const remaining = this.total - this.plannedCount;
    if (remaining <= 0) return null;
    const interval = syncInterval(this.config);
    const w = this.workers;
    const perWorker = remaining >= w * interval ? Array<number>(w).fill(interval) : Array.from({ length: w }, (_, i) => Math.floor(remaining / w) + (i < remaining % w ? 1 : 0));
    const evaluated = this.plannedCount;
    this.plannedCount += remaining >= w * interval ? w * interval : remaining;
    return perWorker.map((children, w) => {
      const known = this.known[w];
      const fresh = this.population.members.filter((m) => !known.has(m.key!));
      for (const m of fresh) known.add(m.key!);
      return { population: encodeMembers(fresh), evaluated, children };
    });
  }

  /** Merge a round's results (rounds in order, workers in order). */
  mergeRound(results: readonly IslandResult[]): void {
    results.forEach((r, w) => {
      const known = this.known[w];
      const isKnown = (key: string) => {
        known.add(key);
        return this.population.has(key);
      };
      this.population.merge(decodeMembers(r.population, isKnown));
      this.evaluatedCount += r.children;
    });
    for (const known of this.known) for (const key of known) if (!this.population.has(key)) known.delete(key);
    this.record();
  }

  state(): CoordinatorState {
    const index = new Map(this.population.members.map((m, i) => [m.key!, i]));
    return {
      population: this.population.records(),
      history: this.history.map((h) => ({ ...h })),
      evaluated: this.evaluatedCount,
      planned: this.plannedCount,
      known: this.known.map((keys) => [...keys].map((k) => index.get(k)!)),
    };
  }

  private record(): void {
    const best = this.population.best();
    if (!best) return;
    this.history.push({ evaluated: this.evaluatedCount, best: best.score, median: this.population.median()!.score });
  }
}

/** 2: the unmerged rounds' populations are columns; version 1 held them as packed rows */
const ISLANDS_SNAPSHOT_VERSION = 2;

/**
 * A multi-worker search at a cut between rounds: the master's state, the rounds it had planned
 * and the workers had finished but it had not merged yet, and every island's state after them.
 */
export interface IslandsSnapshot {
  version: typeof ISLANDS_SNAPSHOT_VERSION;
  kind: 'islands';
  config: RunConfig;
  coordinator: CoordinatorState;
  unmerged: IslandResult[][];
  islands: SearchSnapshot[];
}

/** an islands snapshot as version 1 saved it (an autosave may hold one) */
export type IslandsSnapshotV1 = Omit<IslandsSnapshot, 'version' | 'unmerged'> & { version: 1; unmerged: { population: Float64Array; children: number }[][] };

/** the islands snapshot's versions: 2 holds the unmerged rounds' populations as columns, 1 as packed rows */
export const ISLANDS_SNAPSHOT_VERSIONS: FormatVersions = {
  name: 'islands snapshot',
  current: ISLANDS_SNAPSHOT_VERSION,
  steps: {
    1: (v1) => ({
      ...v1,
      unmerged: (v1 as unknown as IslandsSnapshotV1).unmerged.map((round) => round.map((r) => ({ population: encodeMembers(readPackedRows(r.population)), children: r.children }))),
    }),
  },
};

/** How an island search reaches its workers, whatever the host. */
export interface IslandHosts {
  /** hand a round's tasks to the workers (one each, queued in order); results in worker order */
  dispatch(tasks: IslandTask[]): Promise<IslandResult[]>;
  /**
   * every island's state once it has finished all dispatched tasks, in worker order (hosts that
   * never snapshot, like the CLI's, leave it out)
   */
  snapshots?(): Promise<SearchSnapshot[]>;
}

/**
 * Drives a coordinator through its rounds with two rounds in flight, as planRound intends.
 * Pausing, stopping and snapshots all act at the one point between merging a round and planning
 * the next, so none of them changes the run: a paused, snapshotted or resumed search gives the
 * same result as one that ran straight through.
 */
export class IslandSearch {
  readonly coordinator: IslandCoordinator;
  private readonly unmerged: IslandResult[][];
  /** where it pauses and stops: the cut between merging a round and planning the next */
  readonly gate = new RunGate();
  private readonly snapshotRequests: { resolve: (s: IslandsSnapshot) => void; reject: (e: Error) => void }[] = [];

  private constructor(coordinator: IslandCoordinator, unmerged: IslandResult[][]) {
    this.coordinator = coordinator;
    this.unmerged = unmerged;
  }

  static create(config: RunConfig): IslandSearch {
    return new IslandSearch(new IslandCoordinator(config), []);
  }

  /** the search at a snapshot's cut; its islands must be restored from `snapshot.islands` */
  static restore(saved: IslandsSnapshot | IslandsSnapshotV1): IslandSearch {
    const snapshot = upgrade(ISLANDS_SNAPSHOT_VERSIONS, { ...saved }) as unknown as IslandsSnapshot;
    return new IslandSearch(new IslandCoordinator(snapshot.config, snapshot.coordinator), snapshot.unmerged);
  }

  /** Run until every child is merged or `stop()`; `onRound` after each merge (awaited: a host may hold the next round back). */
  async run(hosts: IslandHosts, onRound?: () => void | Promise<void>): Promise<'done' | 'stopped'> {
    const coordinator = this.coordinator;
    const inFlight = this.unmerged.splice(0).map((r) => Promise.resolve(r));
    const fill = async () => {
      while (inFlight.length < 2) {
        await this.atCut(inFlight, hosts);
        if (this.gate.stopped) return;
        const tasks = coordinator.planRound();
        if (!tasks) return;
        inFlight.push(hosts.dispatch(tasks));
      }
    };
    await fill();
    while (inFlight.length > 0) {
      coordinator.mergeRound(await inFlight.shift()!);
      await onRound?.();
      await fill();
    }
    if (this.snapshotRequests.length > 0) await this.serveSnapshots([], hosts);
    return coordinator.done ? 'done' : 'stopped';
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  stop(): void {
    this.gate.stop();
  }

  /** the search's state at the next cut (at once if paused) */
  snapshot(): Promise<IslandsSnapshot> {
    return new Promise((resolve, reject) => {
      this.snapshotRequests.push({ resolve, reject });
      this.gate.poke();
    });
  }

  /** the cut between a merge and the next plan: serve snapshots, and wait while paused */
  private async atCut(inFlight: Promise<IslandResult[]>[], hosts: IslandHosts): Promise<void> {
    for (;;) {
      if (this.snapshotRequests.length > 0) await this.serveSnapshots(await Promise.all(inFlight), hosts);
      if (this.gate.stopped || !this.gate.paused) return;
      await this.gate.changed();
    }
  }

  private async serveSnapshots(unmerged: IslandResult[][], hosts: IslandHosts): Promise<void> {
    const requests = this.snapshotRequests.splice(0);
    if (!hosts.snapshots) {
      for (const r of requests) r.reject(new Error('these island hosts cannot take snapshots'));
      return;
    }
    const snapshot: IslandsSnapshot = {
      version: ISLANDS_SNAPSHOT_VERSION,
      kind: 'islands',
      config: this.coordinator.config,
      coordinator: this.coordinator.state(),
      unmerged,
      islands: await hosts.snapshots(),
    };
    for (const r of requests) r.resolve(snapshot);
  }
}

/** Island hosts that run every island in this thread (tests, and hosts without threads). */
export function inProcessHosts(islands: IslandWorker[]): IslandHosts {
  // each island runs its tasks in dispatch order, exactly as a thread works through its queue
  return {
    dispatch: async (tasks) => tasks.map((t, i) => islands[i].run(t)),
    snapshots: async () => islands.map((island) => island.search.snapshot()),
  };
}

/** Run an island search with every worker in this thread. */
export async function runIslandsInProcess(config: RunConfig, onRound?: (c: IslandCoordinator) => void): Promise<IslandCoordinator> {
  const search = IslandSearch.create(config);
  const c = search.coordinator;
  const islands = Array.from({ length: c.workers }, (_, i) => new IslandWorker(c.config, i));
  await search.run(inProcessHosts(islands), () => onRound?.(c));
  return c;
}
