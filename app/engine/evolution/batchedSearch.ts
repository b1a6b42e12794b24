/**
 * The search with a score that is computed elsewhere, a batch at a time — MAE-DET's measured
 * entropy, a forward pass per child on an ONNX runtime (§4). Children are proposed from the
 * population as it stands and budget-checked here; their scores arrive later and are merged.
 * `runBatchedSearch` keeps one batch being scored while it proposes the next, so the scorer never
 * waits; the parents of batch n+1 are therefore drawn before batch n's scores are in, as
 * TinyNAS's parallel workers also search a population that is a little behind. With a
 * deterministic scorer the run is a fixed function of the config and seed.
 */
import type { Structure } from '../block';
import type { Costs } from '../budgets';
import { validateConfig, type RunConfig } from '../config';
import { ConfigError } from '../errors';
import { Rng } from '../rng';
import { FAILED_SCORE } from '../scores';
import { mutate, type MutateOptions } from '../spaces/mutate';
import { Population } from './population';
import { Evaluator, mutateOptionsOf, type HistoryPoint } from './search';

/** Scores for structures, in order (a structure that cannot be scored gets FAILED_SCORE). */
export type BatchScorer = (structures: Structure[]) => Promise<number[]>;

/** A batch of children: those within the budgets, and how many children it took to find them. */
export interface ProposedBatch {
  members: { structure: Structure; costs: Costs }[];
  children: number;
}

export class BatchedSearch {
  readonly config: RunConfig;
  readonly population: Population;
  readonly history: HistoryPoint[] = [];
  private readonly evaluator: Evaluator;
  private readonly rng: Rng;
  private readonly mutateOptions: MutateOptions;
  private readonly seed: Structure;
  private proposedCount = 0;
  private evaluatedCount = 0;
  private scoredCount = 0;

  private constructor(config: RunConfig) {
    this.config = config;
    this.evaluator = new Evaluator(config);
    this.rng = Rng.fromSeed(config.search.seed);
    this.mutateOptions = mutateOptionsOf(config);
    this.population = new Population(config.search.popuSize);
    this.seed = config.model.structure;
  }

  /** A new search: the seed is scored first and fills the population, as in the reference. */
  static async start(config: RunConfig, score: BatchScorer): Promise<BatchedSearch> {
    const search = new BatchedSearch(validateConfig(config));
    const costs = search.evaluator.costs(search.seed);
    if (!costs) throw new ConfigError('model.structure', 'the seed structure breaks a budget; the seed must satisfy every budget');
    const [seedScore] = await score([search.seed]);
    search.scoredCount++;
    for (let i = 0; i < search.config.search.popuSize; i++) search.population.insert({ structure: search.seed, score: seedScore, ...costs });
    search.population.rank();
    search.record();
    return search;
  }

  get evaluated(): number {
    return this.evaluatedCount;
  }

  get total(): number {
    return this.config.search.numRandomNets;
  }

  /** children that went through the scorer (the seed included) */
  get scored(): number {
    return this.scoredCount;
  }

  get done(): boolean {
    return this.evaluatedCount >= this.total;
  }

  /** Up to `n` more children from the population as it stands, budget-checked. */
  propose(n: number): ProposedBatch {
    const batch: ProposedBatch = { members: [], children: 0 };
    while (batch.children < n && this.proposedCount < this.total) {
      this.proposedCount++;
      batch.children++;
      const child = mutate(this.population.pick(this.rng).structure, this.rng, this.mutateOptions);
      const costs = this.evaluator.costs(child);
      if (costs) batch.members.push({ structure: child, costs });
    }
    return batch;
  }

  /** Merge a proposed batch with its scores (batches in the order proposed). */
  accept(batch: ProposedBatch, scores: readonly number[]): void {
    if (scores.length !== batch.members.length) throw new Error(`the scorer returned ${scores.length} scores for ${batch.members.length} structures`);
    batch.members.forEach(({ structure, costs }, i) => {
      // an unscorable child keeps the reference's −9999 and falls out at the next ranking
      const score = Number.isFinite(scores[i]) ? scores[i] : FAILED_SCORE;
      this.population.insert({ structure, score, ...costs });
    });
    this.population.rank();
    this.evaluatedCount += batch.children;
    this.scoredCount += batch.members.length;
    this.record();
  }

  private record(): void {
    const best = this.population.best()!;
    this.history.push({ evaluated: this.evaluatedCount, best: best.score, median: this.population.median()!.score });
  }
}

/**
 * Run to the end (or until `signal` aborts): one batch scoring while the next is proposed.
 * `onBatch` after each merge.
 */
export async function runBatchedSearch(search: BatchedSearch, score: BatchScorer, options: { batch: number; onBatch?: () => void; signal?: { readonly aborted: boolean } }): Promise<'done' | 'stopped'> {
  let next = search.propose(options.batch);
  while (next.children > 0 && !options.signal?.aborted) {
    const current = next;
    const scoring = score(current.members.map((m) => m.structure));
    next = search.propose(options.batch);
    search.accept(current, await scoring);
    options.onBatch?.();
  }
  return search.done ? 'done' : 'stopped';
}
