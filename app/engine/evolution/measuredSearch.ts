/**
 * The search with a score that is computed elsewhere, a call at a time — MAE-DET's measured
 * entropy, a forward pass per child on an ONNX runtime (§4). Children are proposed from the
 * population as it stands and budget-checked here; their scores arrive later and are merged.
 * `runMeasuredSearch` keeps one call's children being scored while it proposes the next call's, so
 * the scorer never waits; the parents of call n+1 are therefore drawn before call n's scores are in, as
 * TinyNAS's parallel workers also search a population that is a little behind. With a
 * deterministic scorer the run is a fixed function of the config and seed.
 */
import type { Structure } from '../block';
import type { Costs } from '../budgets';
import { validateConfig, type RunConfig } from '../config';
import { ConfigError } from '../errors';
import { Rng } from '../rng';
import type { RunGate } from './gate';
import { FAILED_SCORE } from '../scores';
import { mutate, type MutateOptions } from '../spaces/mutate';
import { Population } from './population';
import { Evaluator, mutateOptionsOf, type HistoryPoint } from './search';

/**
 * Scores for structures, in order (a structure that cannot be scored gets FAILED_SCORE); `call`
 * is the search's index of the scoring call (0: the seed's), for scorers that name their work.
 */
export type StructureScorer = (structures: Structure[], call: number) => Promise<number[]>;

/** One scoring call's children: those within the budgets, how many children it took to find them, and the call's index. */
export interface ProposedChildren {
  members: { structure: Structure; costs: Costs }[];
  children: number;
  call: number;
}

export class MeasuredSearch {
  readonly config: RunConfig;
  readonly population: Population;
  readonly history: HistoryPoint[] = [];
  private readonly evaluator: Evaluator;
  private readonly rng: Rng;
  private readonly mutateOptions: MutateOptions;
  private readonly seed: Structure;
  private proposedCount = 0;
  private callCount = 0;
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
  static async start(config: RunConfig, score: StructureScorer): Promise<MeasuredSearch> {
    const search = new MeasuredSearch(validateConfig(config));
    const costs = search.evaluator.costs(search.seed);
    if (!costs) throw new ConfigError('model.structure', 'the seed structure breaks a budget; the seed must satisfy every budget');
    const [seedScore] = await score([search.seed], search.callCount++);
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
  propose(n: number): ProposedChildren {
    const proposed: ProposedChildren = { members: [], children: 0, call: this.callCount };
    while (proposed.children < n && this.proposedCount < this.total) {
      this.proposedCount++;
      proposed.children++;
      const child = mutate(this.population.pick(this.rng).structure, this.rng, this.mutateOptions);
      const costs = this.evaluator.costs(child);
      if (costs) proposed.members.push({ structure: child, costs });
    }
    if (proposed.children > 0) this.callCount++;
    return proposed;
  }

  /** Merge proposed children with their scores (in the order proposed). */
  accept(proposed: ProposedChildren, scores: readonly number[]): void {
    if (scores.length !== proposed.members.length) throw new Error(`the scorer returned ${scores.length} scores for ${proposed.members.length} structures`);
    proposed.members.forEach(({ structure, costs }, i) => {
      // an unscorable child keeps the reference's −9999 and falls out at the next ranking
      const score = Number.isFinite(scores[i]) ? scores[i] : FAILED_SCORE;
      this.population.insert({ structure, score, ...costs });
    });
    this.population.rank();
    this.evaluatedCount += proposed.children;
    this.scoredCount += proposed.members.length;
    this.record();
  }

  private record(): void {
    const best = this.population.best()!;
    this.history.push({ evaluated: this.evaluatedCount, best: best.score, median: this.population.median()!.score });
  }
}

/**
 * Run to the end (or until `gate` stops it): one call of the config's `childrenPerCall` children
 * scoring while the next is proposed; `onCall` after each merge. A pause waits at the gate,
 * between a merge and the next scoring call, so it cannot change the run.
 *
 * With `overlap` (a scorer that measures calls at once, as the queue's workers do), a call's
 * children go to the scorer as soon as they are proposed, so two calls are measured at once.
 * The children proposed are the same either way — call n + 1 is drawn before call n's scores
 * are in, in both — so the run is too.
 */
export async function runMeasuredSearch(search: MeasuredSearch, score: StructureScorer, options: { gate?: RunGate; onCall?: () => void; overlap?: boolean } = {}): Promise<'done' | 'stopped'> {
  const perCall = search.config.score.entropy.childrenPerCall;
  const start = (proposed: ProposedChildren) => {
    const scoring = score(proposed.members.map((m) => m.structure), proposed.call);
    // a call measured ahead that fails while another is awaited (or after a stop) is not unhandled
    scoring.catch(() => {});
    return scoring;
  };
  let next = search.propose(perCall);
  let nextScoring = options.overlap && next.children > 0 ? start(next) : undefined;
  while (next.children > 0 && (await (options.gate?.pass() ?? true))) {
    const current = next;
    const scoring = nextScoring ?? start(current);
    next = search.propose(perCall);
    nextScoring = options.overlap && next.children > 0 ? start(next) : undefined;
    search.accept(current, await scoring);
    options.onCall?.();
  }
  return search.done ? 'done' : 'stopped';
}
