/**
 * A short search derived from a run config, as the lesson runs them: the config's space, seed
 * structure, resolution and other budgets, with its own stage weights, FLOPs budget, child count
 * and random seed, on one worker, scored by the analytic madnas.
 */
import { validateConfig, type RunConfig } from '../config';

export interface ShortSearchOptions {
  children: number;
  seed: number;
  /** stage weights of the score (the config's if left out) */
  ratio?: readonly number[];
  /** FLOPs budget at the config's resolution: null turns it off, left out keeps the config's */
  flopsBudget?: number | null;
}

/** The validated config of the short search; a bad option throws a ConfigError naming it. */
export function shortSearchConfig(base: RunConfig, options: ShortSearchOptions): RunConfig {
  return validateConfig({
    ...base,
    budgets: options.flopsBudget === undefined ? base.budgets : { ...base.budgets, flops: options.flopsBudget },
    score: { ...base.score, type: 'madnas', multiBlockRatio: [...(options.ratio ?? base.score.multiBlockRatio)] },
    search: { ...base.search, numRandomNets: options.children, seed: options.seed, workers: 1 },
  });
}
