/**
 * The validation worker's API as the page sees it through comlink: a benchmark of trained
 * networks (NAS-Bench-Macro or a user's file) and how well each zero-shot proxy ranks it. Only
 * plain data crosses; the columns the scatter draws cross as transferable Float64Arrays, and a
 * network's structure only when it is asked for. The worker keeps the benchmark loaded last: every
 * other call is about that one.
 */
import type { Structure } from '../app/engine/block';
import type { BenchmarkSearchOptions, BenchmarkSearchResult } from '../app/engine/benchmark/benchmarkSearch';
import type { ProxyName, ProxyStats, RegretPoint } from '../app/engine/benchmark/validation';

export interface ValidationProgress {
  /** what is being done, for people: "reading the file", "measuring entropy" */
  phase: string;
  done: number;
  total: number;
}

export type OnValidationProgress = (progress: ValidationProgress) => void;

/** the benchmark to load: the shipped NAS-Bench-Macro, or the text of a `maedet-studio-benchmark` file */
export type BenchmarkRequest = { kind: 'nas-bench-macro' } | { kind: 'file'; text: string };

/** τ-b, ρ and the top pick, without the bootstrap's intervals (those take seconds: `intervals`) */
export type PointStats = Pick<ProxyStats, 'kendall' | 'spearman' | 'top'>;

/** one proxy over the loaded benchmark */
export interface ProxyColumn {
  name: ProxyName;
  /** the proxy of every network, in the benchmark's order */
  values: Float64Array;
  stats: PointStats;
  /** the proxy's pick and regret at each budget of the ladder (null: no network fits) */
  regret: (RegretPoint | null)[];
}

export interface LoadedBenchmark {
  kind: BenchmarkRequest['kind'];
  name: string;
  imageSize: number;
  /** the score's stage weights */
  ratio: number[];
  /** where the data comes from, its license and how to cite it; null for a user's file */
  source: { citation: string; license: string; url: string } | null;
  /** all of NAS-Bench-Macro, whose space the benchmark search searches */
  searchable: boolean;
  ids: string[];
  accuracy: Float64Array;
  flops: Float64Array;
  params: Float64Array;
  /** FLOPs budgets at 10 %, 20 %, … of the networks (the engine's `budgetLadder`) */
  ladder: number[];
  /** every proxy that needs no forward pass, in the table's order */
  proxies: ProxyColumn[];
}

/** a network of the loaded benchmark, for the view of one network */
export interface NetworkDetail {
  index: number;
  id: string;
  structure: Structure;
}

export type SearchObjective = BenchmarkSearchOptions['objective'];

/** the engine's searches (one per seed), with what they were asked */
export interface SearchOutcome extends BenchmarkSearchResult {
  objective: SearchObjective;
  flopsBudget: number;
}

export interface ValidationWorkerApi {
  /**
   * Load a benchmark (ending the entropy measurement of the previous one) and compute every
   * analytic proxy, its τ-b, ρ, top pick and regret ladder; null if a newer load or `cancel()`
   * came first. A file that cannot be read rejects with the reader's message, which names the
   * network and the field.
   */
  load(request: BenchmarkRequest, onProgress?: OnValidationProgress): Promise<LoadedBenchmark | null>;
  /**
   * The bootstrap's 95 % intervals of one proxy (DEFAULT_BOOTSTRAP, as the CLI): a few seconds,
   * with progress; null if `cancel('intervals')`, a newer request or a load came first.
   */
  intervals(proxy: ProxyName, onProgress?: OnValidationProgress): Promise<ProxyStats | null>;
  /** the measured entropy of every network on onnxruntime-web (wasm); null if cancelled */
  measureEntropy(onProgress?: OnValidationProgress): Promise<ProxyColumn | null>;
  /** end the load, the measurement or the bootstrap in progress (it resolves to null) */
  cancel(what: 'load' | 'entropy' | 'intervals'): void;
  network(index: number): Promise<NetworkDetail>;
  /** searches of NAS-Bench-Macro's space within a FLOPs budget, one per seed, against the best in the budget */
  search(request: { objective: SearchObjective; flopsBudget: number }): Promise<SearchOutcome>;
  /** the loaded benchmark as a `maedet-studio-benchmark` file */
  benchmarkFile(): Promise<string>;
}
