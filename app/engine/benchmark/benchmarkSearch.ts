/**
 * The studio's evolutionary search in NAS-Bench-Macro's space (the `nas-bench-macro` preset),
 * with an objective, under a FLOPs budget; then the trained accuracy of what it found against
 * the best network within that budget. Ten seeds show how much a pick depends on the run.
 */
import { presetConfig, validateConfig } from '../config';
import { ConfigError } from '../errors';
import { Search } from '../evolution/search';
import { median } from '../stats';
import type { Benchmark } from './benchmark';
import { isNasBenchMacro, macroCode, macroFlops, MACRO_IMAGE_SIZE } from './nasBenchMacro';
import { convMacs } from '../latency/ops';

export interface BenchmarkSearchOptions {
  objective: 'madnas' | 'deepmad';
  /** in the benchmark's FLOPs (conv and classifier multiply–accumulates) */
  flopsBudget: number;
  /** one search per seed (default 0 … 9) */
  seeds?: readonly number[];
}

export interface BenchmarkSearchRun {
  seed: number;
  found: { id: string; accuracy: number; flops: number };
  /** the most accurate network within the budget */
  best: { id: string; accuracy: number };
  regret: number;
}

export interface BenchmarkSearchResult {
  runs: BenchmarkSearchRun[];
  medianRegret: number;
  /** the search's population and children (the preset's) */
  population: number;
  children: number;
}

export const DEFAULT_SEARCH_SEEDS: readonly number[] = Array.from({ length: 10 }, (_, i) => i);

export function benchmarkSearch(benchmark: Benchmark, options: BenchmarkSearchOptions): BenchmarkSearchResult {
  const byId = new Map(benchmark.networks.map((n) => [n.id, n]));
  if (!isNasBenchMacro(benchmark)) {
    throw new ConfigError('benchmark', `${benchmark.name} is not all of NAS-Bench-Macro: a search looks every network it finds up by its code, so it runs on the whole benchmark only`);
  }
  const within = benchmark.networks.filter((n) => n.flops <= options.flopsBudget);
  if (within.length === 0) throw new ConfigError('flopsBudget', `found ${options.flopsBudget}, but no network of ${benchmark.name} fits it; expected at least the smallest network's FLOPs`);
  const best = within.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  const base = presetConfig('nas-bench-macro');
  // the benchmark's FLOPs are the convs' MACs plus the classifier's, the same for every network
  const classifier = macroFlops(base.model.structure) - convMacs(base.model.structure, MACRO_IMAGE_SIZE);
  const runs = (options.seeds ?? DEFAULT_SEARCH_SEEDS).map((seed): BenchmarkSearchRun => {
    const config = validateConfig({
      ...base,
      budgets: { ...base.budgets, macs: options.flopsBudget - classifier },
      score: { ...base.score, type: options.objective },
      search: { ...base.search, seed },
    });
    const search = Search.create(config);
    search.advance(search.total);
    const code = macroCode(search.best().structure)!;
    const found = byId.get(code)!;
    return { seed, found: { id: code, accuracy: found.accuracy, flops: found.flops }, best: { id: best.id, accuracy: best.accuracy }, regret: best.accuracy - found.accuracy };
  });
  return { runs, medianRegret: median(runs.map((r) => r.regret)), population: base.search.popuSize, children: base.search.numRandomNets };
}
