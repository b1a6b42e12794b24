/**
 * Multi-worker search with population exchange, after TinyNAS's master/worker sync (§6.5), made
 * deterministic: rounds are synchronous. Each round every worker absorbs the master's population,
 * runs up to one sync interval of children with its own random stream, and returns its ranked
 * population; the master merges the results in worker order. The result depends only on the
 * config, the seed and the worker count — not on which worker finishes first, nor on the host
 * (Node worker_threads, Web Workers, or all in one thread).
 */
import { syncInterval, validateConfig, type RunConfig } from '../config';
import { Rng } from '../rng';
import { decodeMembers, encodeMembers } from './codec';
import { Population } from './population';
import { Search, Evaluator, type HistoryPoint } from './search';

/** One worker's task for a round; populations travel packed (see codec.ts), transferable. */
export interface IslandTask {
  /**
   * The master's members this worker has not been sent and has not returned. Members it already
   * holds, or has dropped because it holds 256 better ones, could not change its population.
   */
  population: Float64Array<ArrayBuffer>;
  evaluated: number;
  children: number;
}

export interface IslandResult {
  /**
   * Only the members that joined the worker's population this round: everything else it holds
   * came from the master, and merging it again could not change the master's population.
   */
  population: Float64Array<ArrayBuffer>;
  children: number;
}

/** The worker side: a `Search` with its own random stream, stepping one sync interval per round. */
export class IslandWorker {
  readonly search: Search;

  constructor(config: RunConfig, index: number) {
    this.search = Search.create(config, { rng: Rng.forWorker(config.search.seed, index), stepSize: syncInterval(config), total: 0 });
  }

  run(task: IslandTask): IslandResult {
    const population = this.search.population;
    this.search.absorb(decodeMembers(task.population, (key) => population.has(key)), task.evaluated, task.children);
    const before = new Set(population.members.map((m) => m.key));
    const children = this.search.advance(task.children);
    return { population: encodeMembers(population.members.filter((m) => !before.has(m.key))), children };
  }
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
  readonly history: HistoryPoint[] = [];
  private evaluatedCount = 0;
  private plannedCount = 0;
  /** per worker: keys of master members it was sent or returned (pruned to the master's members) */
  private readonly known: Set<string>[];

  constructor(config: RunConfig) {
    this.config = validateConfig(config);
    this.population = new Population(this.config.search.popuSize);
    this.known = Array.from({ length: this.config.search.workers }, () => new Set<string>());
    const seed = new Evaluator(this.config).evaluate(this.config.model.structure);
    if (seed) this.population.merge([seed]);
    this.record();
  }

  get evaluated(): number {
    return this.evaluatedCount;
  }

  get done(): boolean {
    return this.evaluatedCount >= this.config.search.numRandomNets;
  }

  get workers(): number {
    return this.config.search.workers;
  }

  /**
   * Tasks for the next round (one sync interval per worker, the last round split evenly) from
   * the population merged so far, or null when every child is already planned.
   */
  planRound(): IslandTask[] | null {
    const remaining = this.config.search.numRandomNets - this.plannedCount;
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

  private record(): void {
    const best = this.population.best();
    if (!best) return;
    this.history.push({ evaluated: this.evaluatedCount, best: best.score, median: this.population.median()!.score });
  }
}

/**
 * Drive a coordinator with any host: `dispatch` hands a round's tasks to the workers and returns
 * their results (in worker order) when done. Two rounds are kept in flight, as planRound intends.
 */
export async function runIslands(coordinator: IslandCoordinator, dispatch: (tasks: IslandTask[]) => Promise<IslandResult[]>, onRound?: () => void): Promise<void> {
  const inFlight: Promise<IslandResult[]>[] = [];
  for (let i = 0; i < 2; i++) {
    const tasks = coordinator.planRound();
    if (tasks) inFlight.push(dispatch(tasks));
  }
  while (inFlight.length > 0) {
    coordinator.mergeRound(await inFlight.shift()!);
    const tasks = coordinator.planRound();
    if (tasks) inFlight.push(dispatch(tasks));
    onRound?.();
  }
}

/** Run an island search with every worker in this thread (tests, and hosts without threads). */
export async function runIslandsInProcess(config: RunConfig, onRound?: (c: IslandCoordinator) => void): Promise<IslandCoordinator> {
  const coordinator = new IslandCoordinator(config);
  const workers = Array.from({ length: coordinator.workers }, (_, i) => new IslandWorker(coordinator.config, i));
  // each worker runs its tasks in dispatch order, exactly as a thread works through its queue
  await runIslands(coordinator, async (tasks) => tasks.map((t, i) => workers[i].run(t)), () => onRound?.(coordinator));
  return coordinator;
}
