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
import { Population, type MemberRecord } from './population';
import { Search, Evaluator, type HistoryPoint, type SearchSnapshot } from './search';

/** One worker's task for a round; populations travel packed (see codec.ts), transferable. */
export interface IslandTask {
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

  constructor(config: RunConfig, index: number, snapshot?: SearchSnapshot) {
    this.search = snapshot ? Search.restore(snapshot) : Search.create(config, { rng: Rng.forWorker(config.search.seed, index), stepSize: syncInterval(config), total: 0 });
  }

  run(task: IslandTask): IslandResult {
    const population = this.search.population;
    this.search.absorb(decodeMembers(task.population, (key) => population.has(key)), task.evaluated, task.children);
    const before = new Set(population.members.map((m) => m.key));
    const children = this.search.advance(task.children);
    return { population: encodeMembers(population.members.filter((m) => !before.has(m.key))), children };
  }
}

export interface IslandsSnapshot {
  evaluated: number;
  population: MemberRecord[];
  history: HistoryPoint[];
  workers: SearchSnapshot[];
}

/** The master side: plans rounds and merges results. */
export class IslandCoordinator {
  readonly config: RunConfig;
  readonly population: Population;
  readonly history: HistoryPoint[] = [];
  private evaluatedCount = 0;

  constructor(config: RunConfig, restore?: Omit<IslandsSnapshot, 'workers'>) {
    this.config = validateConfig(config);
    this.population = new Population(this.config.search.popuSize);
    if (restore) {
      this.evaluatedCount = restore.evaluated;
      for (const r of restore.population) this.population.insert({ ...r });
      this.history.push(...restore.history);
    } else {
      const seed = new Evaluator(this.config).evaluate(this.config.model.structure);
      if (seed) this.population.merge([seed]);
      this.record();
    }
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

  /** Tasks for the next round: one sync interval each, the last round split evenly. */
  planRound(): IslandTask[] {
    const remaining = this.config.search.numRandomNets - this.evaluatedCount;
    const interval = syncInterval(this.config);
    const w = this.workers;
    
    const population = encodeMembers(this.population.members);
    const perWorker = remaining >= w * interval ? Array<number>(w).fill(interval) : Array.from({ length: w }, (_, i) => Math.floor(remaining / w) + (i < remaining % w ? 1 : 0));
    // each task gets its own copy: a transferred buffer is gone from the sender
    return perWorker.map((children, i) => ({ population: i === 0 ? population : population.slice(), evaluated: this.evaluatedCount, children }));
  }

  /** Merge the round's results in worker order. */
  mergeRound(results: readonly IslandResult[]): void {
    for (const r of results) {
      this.population.merge(decodeMembers(r.population, (key) => this.population.has(key)));
      this.evaluatedCount += r.children;
    }
    this.record();
  }

  private record(): void {
    const best = this.population.best();
    if (!best) return;
    this.history.push({ evaluated: this.evaluatedCount, best: best.score, median: this.population.median()!.score });
  }

  snapshot(workers: SearchSnapshot[]): IslandsSnapshot {
    return { evaluated: this.evaluatedCount, population: this.population.records(), history: this.history.map((h) => ({ ...h })), workers };
  }
}

/** Run an island search with every worker in this thread (tests, and hosts without threads). */
export function runIslandsInProcess(config: RunConfig, onRound?: (c: IslandCoordinator) => void): IslandCoordinator {
  const coordinator = new IslandCoordinator(config);
  const workers = Array.from({ length: coordinator.workers }, (_, i) => new IslandWorker(coordinator.config, i));
  while (!coordinator.done) {
    const tasks = coordinator.planRound();
    coordinator.mergeRound(tasks.map((t, i) => workers[i].run(t)));
    onRound?.(coordinator);
  }
  return coordinator;
}
