/**
 * Does a score rank trained networks? For a benchmark and each proxy: Kendall τ-b and Spearman ρ
 * against accuracy with bootstrap 95% intervals, the accuracy of the proxy's top network, and the
 * regret of its pick within a ladder of FLOPs budgets. The proxies are a registry: adding one is
 * adding its entry.
 */
import { type EntropySettings, type OnnxRuntime } from '../entropy';
import { entropyScorer } from '../evolution/entropyScorer';
import { deepmad } from '../scores/deepmad';
import { madnas } from '../scores/madnas';
import { Rng } from '../rng';
import { bootstrapSteps, kendallTau, runToEnd, spearman } from '../stats';
import type { Benchmark } from './benchmark';

interface ProxyKind {
  /** for people */
  readonly label: string;
  /** what it is, said in the view and the lesson */
  readonly note: string;
  /** the proxy of every network, in order; undefined for a measured proxy (a forward pass each) */
  readonly values: ((benchmark: Benchmark) => number[]) | undefined;
}

const PROXIES = {
  madnas: {
    label: 'madnas',
    note: "MAE-DET's analytic entropy score, with the benchmark's stage weights",
    values: (b) => b.networks.map((n) => madnas(n.structure, b.ratio).total),
  },
  deepmad: {
    label: 'deepmad',
    note: "DeepMAD's score (α₁ = α₂ = 1) with the benchmark's stage weights and image size",
    values: (b) => b.networks.map((n) => deepmad(n.structure, { ratio: b.ratio, imageSize: b.imageSize }).total),
  },
  entropy: {
    label: 'entropy',
    note: "MAE-DET's measured entropy: a forward pass of Gaussian weights and image at the benchmark's image size",
    values: undefined,
  },
  flops: { label: 'FLOPs', note: 'the baseline: more compute ranks higher', values: (b) => b.networks.map((n) => n.flops) },
  params: { label: 'params', note: 'the naive baseline of ZiCo (ICLR 2023): more parameters rank higher', values: (b) => b.networks.map((n) => n.params) },
} as const satisfies Record<string, ProxyKind>;

export type ProxyName = keyof typeof PROXIES;
export const PROXY_NAMES = Object.keys(PROXIES) as ProxyName[];
/** the proxies that need no forward pass, in the table's order */
export const ANALYTIC_PROXIES = PROXY_NAMES.filter((p) => PROXIES[p].values !== undefined);

export const proxyLabel = (name: ProxyName): string => PROXIES[name].label;
export const proxyNote = (name: ProxyName): string => PROXIES[name].note;

/** the analytic proxy `name` of every network */
export function proxyValues(benchmark: Benchmark, name: ProxyName): number[] {
  const values: ProxyKind['values'] = PROXIES[name].values;
  if (!values) throw new Error(`${name} is measured by a forward pass per network; it has no analytic values`);
  return values(benchmark);
}

/** the bootstrap's settings: every figure is reproducible from them */
export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 0 };

export interface Interval {
  low: number;
  high: number;
}

/** The networks a proxy ranks first (all of them when tied), and what they reached. */
export interface Pick {
  /** the first of the tied networks, by benchmark order */
  id: string;
  /** networks tied at the top value */
  ties: number;
  /** their mean accuracy: what a pick at random among the ties reaches on average */
  accuracy: number;
  /** percent of the considered networks at or below that accuracy */
  percentile: number;
}

export interface ProxyStats {
  kendall: number | null;
  spearman: number | null;
  kendallInterval: Interval | null;
  spearmanInterval: Interval | null;
  top: Pick;
}

/** the proxy's pick among the networks `among` (indices): the highest value, ties averaged */
function pickOf(accuracy: readonly number[], values: readonly number[], ids: readonly string[], among: readonly number[]): Pick {
  let best = -Infinity;
  for (const i of among) if (values[i] > best) best = values[i];
  const tied = among.filter((i) => values[i] === best);
  let sum = 0;
  for (const i of tied) sum += accuracy[i];
  const mean = sum / tied.length;
  const atOrBelow = among.filter((i) => accuracy[i] <= mean).length;
  return { id: ids[tied[0]], ties: tied.length, accuracy: mean, percentile: (100 * atOrBelow) / among.length };
}

const indicesOf = (n: number) => Array.from({ length: n }, (_, i) => i);

/** τ-b and ρ of a proxy against accuracy, and its top pick: the statistics without the bootstrap */
export function rankStats(benchmark: Benchmark, values: readonly number[]): Omit<ProxyStats, 'kendallInterval' | 'spearmanInterval'> {
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  return {
    kendall: kendallTau(values, accuracy),
    spearman: spearman(values, accuracy),
    top: pickOf(accuracy, values, benchmark.networks.map((x) => x.id), indicesOf(accuracy.length)),
  };
}

/** τ-b, ρ, their bootstrap intervals (the same resamples for both) and the top pick */
export function proxyStats(benchmark: Benchmark, values: readonly number[], options: BootstrapOptions = DEFAULT_BOOTSTRAP): ProxyStats {
  return runToEnd(proxyStatsSteps(benchmark, values, options));
}

/**
 * `proxyStats` with a pause every few resamples (a worker lets a Cancel in): `pause(done, total)`
 * gets the resamples done of both bootstraps and resolves false to stop, which resolves null.
 */
export async function proxyStatsPaused(benchmark: Benchmark, values: readonly number[], options: BootstrapOptions, pause: (done: number, total: number) => Promise<boolean>): Promise<ProxyStats | null> {
  const steps = proxyStatsSteps(benchmark, values, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (!(await pause(step.value, 2 * options.resamples))) return null;
  }
}

/** steps that count on from `before` resamples already done */
function* countedAfter<T>(before: number, steps: Generator<number, T>): Generator<number, T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    yield before + step.value;
  }
}

/** the statistics as steps: each yields the resamples done so far (τ's, then ρ's) */
function* proxyStatsSteps(benchmark: Benchmark, values: readonly number[], options: BootstrapOptions): Generator<number, ProxyStats> {
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  const n = accuracy.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const resampled = (stat: (x: Float64Array, y: Float64Array) => number | null) => (indices: Int32Array) => {
    for (let j = 0; j < n; j++) {
      xs[j] = values[indices[j]];
      ys[j] = accuracy[indices[j]];
    }
    return stat(xs, ys);
  };
  const interval = (stat: (x: Float64Array, y: Float64Array) => number | null) =>
    bootstrapSteps(n, resampled(stat), { resamples: options.resamples, rng: Rng.fromSeed(options.seed) });
  const kendallInterval = yield* interval(kendallTau);
  // ρ's resamples are counted after τ's
  const spearmanInterval = yield* countedAfter(options.resamples, interval(spearman));
  return { ...rankStats(benchmark, values), kendallInterval, spearmanInterval };
}

export interface RegretPoint {
  /** the FLOPs budget (the benchmark's FLOPs) */
  budget: number;
  /** networks within it */
  networks: number;
  /** the most accurate network within the budget */
  best: { id: string; accuracy: number };
  pick: Pick;
  /** best accuracy − the pick's accuracy (0: the proxy found the best) */
  regret: number;
}

/** the proxy's regret within a FLOPs budget; null when no network fits */
export function regretAt(benchmark: Benchmark, values: readonly number[], budget: number): RegretPoint | null {
  const among = benchmark.networks.flatMap((n, i) => (n.flops <= budget ? [i] : []));
  if (among.length === 0) return null;
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  let best = among[0];
  for (const i of among) if (accuracy[i] > accuracy[best]) best = i;
  const pick = pickOf(accuracy, values, benchmark.networks.map((n) => n.id), among);
  return { budget, networks: among.length, best: { id: benchmark.networks[best].id, accuracy: accuracy[best] }, pick, regret: accuracy[best] - pick.accuracy };
}

/**
 * The ladder of FLOPs budgets: the FLOPs of the networks at 10 %, 20 %, … 100 % of the
 * benchmark's FLOPs order (the budget `steps` networks apart), so every rung admits networks.
 */
export function budgetLadder(benchmark: Benchmark, steps = 10): number[] {
  const flops = benchmark.networks.map((n) => n.flops).sort((a, b) => a - b);
  const ladder: number[] = [];
  for (let s = 1; s <= steps; s++) {
    const budget = flops[Math.ceil((s / steps) * flops.length) - 1];
    if (ladder[ladder.length - 1] !== budget) ladder.push(budget);
  }
  return ladder;
}

/**
 * The measured entropy's settings on a benchmark: a Gaussian image of the benchmark's size, batch
 * 4, one repeat, seed 0 for every network (common random numbers, as the measured search), BN and
 * ReLU skipped as the reference does, the benchmark's stage weights.
 */
function benchmarkEntropySettings(benchmark: Benchmark): EntropySettings {
  return { batch: 4, resolution: benchmark.imageSize, repeats: 1, bn: false, relu: false, seed: 0, ratio: [...benchmark.ratio] };
}

export interface MeasureAllOptions {
  /** networks done so far, after each batch */
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
  /** networks per scoring call (progress and cancellation are checked between calls) */
  batch?: number;
  /**
   * let the host's queued messages run between calls (a worker's Cancel): a forward pass on wasm
   * resolves without returning to the event loop
   */
  yield?: () => Promise<void>;
}

/** The measured entropy of every network on `runtime`, in order. */
export async function measuredEntropyValues(benchmark: Benchmark, runtime: OnnxRuntime, options: MeasureAllOptions = {}): Promise<number[]> {
  const score = entropyScorer(benchmarkEntropySettings(benchmark), runtime);
  const step = options.batch ?? 32;
  const values: number[] = [];
  const structures = benchmark.networks.map((n) => n.structure);
  for (let i = 0; i < structures.length; i += step) {
    // named as every cancellation of the engine ('AbortError'), so hosts treat it alike
    if (options.signal?.aborted) throw Object.assign(new Error(`measurement cancelled after ${i} of ${structures.length} networks`), { name: 'AbortError' });
    values.push(...(await score(structures.slice(i, i + step))));
    options.onProgress?.(values.length, structures.length);
    await options.yield?.();
  }
  return values;
}
