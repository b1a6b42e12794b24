/**
 * The evolutionary search (§6.4–6.5) as an incremental object: `advance(n)` runs n children,
 * `snapshot()` captures everything (config, RNG state, population, history) as plain JSON, and
 * `Search.restore` resumes exactly — advancing 100 children at once or 1 at a time gives the same run.
 */
import type { Structure } from '../block';
import { measureCosts, satisfiesBudgets, type Budgets, type Costs } from '../budgets';
import { budgetsOf, syncInterval, validateConfig, type RunConfig } from '../config';
import { ConfigError } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { Rng, type RngState } from '../rng';
import { scoreFunction } from '../scores';
import { SPACES } from '../spaces';
import { mutate, type MutateOptions } from '../spaces/mutate';
import { Population, type Member, type MemberRecord } from './population';
import { LatencyPredictor } from '../latency/predictor';

const SNAPSHOT_VERSION = 1;

/** a search snapshot's versions: 1 is the first (its config is migrated by the config's chain) */
export const SNAPSHOT_VERSIONS: FormatVersions = { name: 'search snapshot', current: SNAPSHOT_VERSION, steps: {} };

export interface HistoryPoint {
  evaluated: number;
  best: number;
  median: number;
}

export interface SearchSnapshot {
  version: typeof SNAPSHOT_VERSION;
  config: RunConfig;
  /** children generated so far (rejected ones included) */
  evaluated: number;
  /** children this search instance must generate in total */
  total: number;
  /** ranks happen every `stepSize` children (25 single-process, the sync interval in a worker) */
  stepSize: number;
  /** children done in the current step, and the minor-mutation flag fixed at its start */
  stepProgress: number;
  minor: boolean;
  rng: RngState;
  population: MemberRecord[];
  history: HistoryPoint[];
}

/** One turn of the loop: a parent drawn from the population, the child mutated from it, and its member if it fits the budgets. */
export interface ChildOutcome {
  parent: Structure;
  child: Structure;
  member: Member | null;
}

export interface SearchOptions {
  rng?: Rng;
  stepSize?: number;
  /** children to generate (defaults to the config's `numRandomNets`) */
  total?: number;
}

/** How the config's space mutates a parent (minor mutation off until the search turns it on). */
export function mutateOptionsOf(config: RunConfig): MutateOptions {
  return {
    space: SPACES[config.space.type],
    imageSize: config.imageSize,
    budgetLayers: config.budgets.layers ?? undefined,
    draw: config.space.draw,
    blocksPerChild: config.space.blockNum,
    excludeStem: config.space.excludeStem,
    minor: false,
  };
}

/** Evaluate a structure against the config: costs always; score only when it satisfies the budgets. */
export class Evaluator {
  readonly budgets: Budgets;
  private score: ((s: Structure) => number) | undefined;
  /** the latency predictor of the config's profile (a latency budget reads it) */
  readonly latency: LatencyPredictor | undefined;

  constructor(readonly config: RunConfig) {
    this.budgets = budgetsOf(config);
    this.latency = config.latencyProfile ? new LatencyPredictor(config.latencyProfile) : undefined;
  }

  /** the structure's costs, or null if it breaks a budget */
  costs(structure: Structure): Costs | null {
    const costs = measureCosts(structure, this.config.imageSize, this.budgets, this.latency);
    return satisfiesBudgets(costs, this.budgets) ? costs : null;
  }

  /** the member for a structure with the analytic score, or null if it breaks a budget */
  evaluate(structure: Structure): Member | null {
    const costs = this.costs(structure);
    if (!costs) return null;
    this.score ??= scoreFunction(this.config.score);
    return { structure, score: this.score(structure), ...costs };
  }
}

export class Search {
  readonly config: RunConfig;
  readonly population: Population;
  readonly history: HistoryPoint[];
  private readonly evaluator: Evaluator;
  private readonly rng: Rng;
  private readonly mutateOptions: MutateOptions;
  private readonly seedMember: Member;
  private readonly historyEvery: number;
  private evaluatedCount: number;
  private totalCount: number;
  readonly stepSize: number;
  private stepProgress: number;
  private minor: boolean;
  private latest: ChildOutcome | null = null;

  private constructor(config: RunConfig, rng: Rng, stepSize: number, total: number, state?: SearchSnapshot) {
    this.config = config;
    this.rng = rng;
    this.stepSize = stepSize;
    this.totalCount = total;
    this.evaluator = new Evaluator(config);
    this.mutateOptions = mutateOptionsOf(config);
    const seed = this.evaluator.evaluate(config.model.structure);
    if (!seed) throw new ConfigError('model.structure', 'the seed structure breaks a budget; the seed must satisfy every budget');
    this.seedMember = seed;
    this.population = new Population(config.search.popuSize);
    this.historyEvery = Math.max(stepSize, Math.ceil(total / 2000));
    if (state) {
      this.evaluatedCount = state.evaluated;
      this.stepProgress = state.stepProgress;
      this.minor = state.minor;
      this.history = state.history.map((h) => ({ ...h }));
      for (const r of state.population) this.population.insert({ ...r });
    } else {
      this.evaluatedCount = 0;
      this.stepProgress = 0;
      this.minor = false;
      this.history = [];
      // the reference fills the population with popu_size copies of the seed
      for (let i = 0; i < config.search.popuSize; i++) this.population.insert(seed);
      this.recordHistory(true);
    }
  }

  /** A new search; the config is validated first. */
  static create(config: RunConfig, options: SearchOptions = {}): Search {
    const valid = validateConfig(config);
    return new Search(valid, options.rng ?? Rng.fromSeed(valid.search.seed), options.stepSize ?? Math.max(1, Math.floor(syncInterval(valid) / 10)), options.total ?? valid.search.numRandomNets);
  }

  /** the search a snapshot (of any version this code reads) was taken of */
  static restore(saved: SearchSnapshot): Search {
    const snapshot = upgrade(SNAPSHOT_VERSIONS, { ...saved }) as unknown as SearchSnapshot;
    return new Search(validateConfig(snapshot.config), Rng.fromState(snapshot.rng), snapshot.stepSize, snapshot.total, snapshot);
  }

  get evaluated(): number {
    return this.evaluatedCount;
  }

  get total(): number {
    return this.totalCount;
  }

  get done(): boolean {
    return this.evaluatedCount >= this.totalCount;
  }

  /** the latest child, its parent, and its member (null if it broke a budget): the loop watched one child at a time */
  get latestChild(): ChildOutcome | null {
    return this.latest;
  }

  best(): Member {
    return this.population.best() ?? this.seedMember;
  }

  /** Run up to `n` more children (fewer if the total is reached); returns how many ran. */
  advance(n: number): number {
    const budgetLimit = Math.min(n, this.totalCount - this.evaluatedCount);
    const popuSize = this.config.search.popuSize;
    const options = this.mutateOptions;
    const population = this.population;
    for (let i = 0; i < budgetLimit; i++) {
      if (this.stepProgress === 0) this.minor = this.config.search.minorMutation && this.evaluatedCount > this.config.search.minorIter;
      options.minor = this.minor;
      if (population.length > popuSize) population.rank();
      const parent = population.length > 0 ? population.pick(this.rng).structure : this.seedMember.structure;
      const child = mutate(parent, this.rng, options);
      this.evaluatedCount++;
      const member = this.evaluator.evaluate(child);
      if (member) population.insert(member);
      this.latest = { parent, child, member };
      if (++this.stepProgress === this.stepSize) this.endStep();
    }
    if (this.done && this.stepProgress > 0) this.endStep();
    return budgetLimit;
  }

  private endStep(): void {
    this.population.rank();
    this.stepProgress = 0;
    this.recordHistory(this.done);
  }

  private recordHistory(force: boolean): void {
    const best = this.best().score;
    const last = this.history[this.history.length - 1];
    if (force || !last || best > last.best || this.evaluatedCount - last.evaluated >= this.historyEvery) {
      this.history.push({ evaluated: this.evaluatedCount, best, median: this.population.median()?.score ?? best });
    }
  }

  /**
   * Island mode: take the master's population and count (as a TinyNAS worker does on receiving it),
   * and run `children` more in one step.
   */
  absorb(members: readonly Member[], evaluated: number, children: number): void {
    this.population.merge(members);
    this.evaluatedCount = evaluated;
    this.totalCount = evaluated + children;
    this.stepProgress = 0;
  }

  snapshot(): SearchSnapshot {
    return {
      version: SNAPSHOT_VERSION,
      config: this.config,
      evaluated: this.evaluatedCount,
      total: this.totalCount,
      stepSize: this.stepSize,
      stepProgress: this.stepProgress,
      minor: this.minor,
      rng: this.rng.state(),
      population: this.population.records(),
      history: this.history.map((h) => ({ ...h })),
    };
  }
}
