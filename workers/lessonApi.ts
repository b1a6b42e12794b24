/**
 * The lesson worker's API as the page sees it through comlink: the computations behind the
 * lesson's widgets. Only plain data crosses. One computation runs at a time: a new request, or
 * `cancel()`, ends the one in progress, which then resolves to null.
 */
import type { BenchmarkSearchRun } from '../app/engine/benchmark/benchmarkSearch';
import type { Pick as ProxyPick, ProxyName } from '../app/engine/benchmark/validation';
import type { BudgetViolation } from '../app/engine/budgets';
import type { RunConfig } from '../app/engine/config';
import type { StructureReport } from '../app/engine/evaluate';
import type { MemberRecord } from '../app/engine/evolution/population';
import type { StageShape } from '../app/engine/stageShape';

export interface LessonProgress {
  /** what is being done, for people: "generating networks", "searching ≤ 12.3 G" */
  phase: string;
  done: number;
  total: number;
}

export type OnLessonProgress = (progress: LessonProgress) => void;

/** Step 1: score many distinct networks of the detection space and time it. */
interface ZeroShotRequest {
  /** networks to score, 1 to ZERO_SHOT_MAX_COUNT */
  count: number;
  seed: number;
}

export interface ZeroShotResult {
  /** networks scored (distinct, mutated from the R50 detection seed) */
  count: number;
  /** time to measure one network's costs (params, FLOPs, layers) and madnas score, in µs */
  microsecondsPerNetwork: number;
  /** time to score all of them, in ms */
  scoringMs: number;
  /** resolution of the FLOPs */
  imageSize: number;
  /** the best network: its score, FLOPs at imageSize, and FLOPs at 1280×800 as the paper counts them */
  best: { score: number; flops: number; paperFlops1280x800: number };
}

export const ZERO_SHOT_MAX_COUNT = 100_000;

/** Step 4: the same short search under different stage weights. */
export interface RatioSearchRequest {
  /** the studio's set-up: space, seed structure, resolution and budgets are kept */
  config: RunConfig;
  /** one search per list of stage weights, all with the same random seed */
  ratios: number[][];
  /** children per search */
  children: number;
  seed: number;
}

export interface RatioSearchRun {
  ratio: number[];
  evaluated: number;
  best: MemberRecord;
  /** the best network's report, its score under `ratio` */
  report: StructureReport;
  stages: StageShape[];
}

export interface RatioSearchResult {
  runs: RatioSearchRun[];
}

export const RATIO_SEARCH_MAX_CHILDREN = 200_000;
export const RATIO_SEARCH_MAX_RUNS = 4;

/** Step 5: FLOPs against score, the networks of the space and the best reachable. */
export interface FrontierRequest {
  /** the studio's set-up: its FLOPs budget is varied, its other budgets are kept */
  config: RunConfig;
  /** networks sampled by random mutation walks from the seed */
  samples: number;
  /** short searches at FLOPs budgets spaced evenly on a log scale, from the seed's FLOPs up */
  rungs: number;
  childrenPerRung: number;
  seed: number;
}

interface CostPoint {
  flops: number;
  score: number;
}

export interface ReferenceMark extends CostPoint {
  name: string;
  /** short, for the chart */
  label: string;
  /** what the network is, for the table: where it comes from, and what it is not */
  note: string;
  params: number;
  layers: number;
  /** FLOPs at 1280×800 as the paper counts them (mmcv's counter) */
  paperFlops1280x800: number;
  /** the budgets it breaks, other than FLOPs; empty when it fits them */
  overBudget: BudgetViolation[];
}

export interface FrontierResult {
  imageSize: number;
  /** the studio's FLOPs budget, or null when it is off */
  flopsBudget: number | null;
  /** the FLOPs the samples and searches span: the seed's FLOPs … the top budget */
  flopsRange: [number, number];
  /** the sampled networks (what random members of the space score) */
  samples: CostPoint[];
  /** the best found within each rung's budget */
  rungs: { budget: number; best: MemberRecord }[];
  /** the Pareto front of everything seen: samples, the searches' populations and the seed */
  front: MemberRecord[];
  references: ReferenceMark[];
  /** children the searches evaluated in total */
  evaluated: number;
}

export const FRONTIER_MAX_SAMPLES = 20_000;
export const FRONTIER_MAX_RUNGS = 24;
export const FRONTIER_MAX_CHILDREN_PER_RUNG = 100_000;

/** Step 8: the proxies compared on NAS-Bench-Macro: the score and the two baselines that cost nothing */
export type MacroProxy = Extract<ProxyName, 'madnas' | 'flops' | 'params'>;

export interface MacroRanking {
  proxy: MacroProxy;
  label: string;
  /** what it is, for the table */
  note: string;
  /** Kendall τ-b and Spearman ρ against mean accuracy over all networks (null: undefined) */
  kendall: number | null;
  spearman: number | null;
}

/** one FLOPs budget of the ladder: the best network within it, and each proxy's pick there */
export interface MacroRung {
  /** in the benchmark's FLOPs (conv and classifier multiply–accumulates at 32×32) */
  budget: number;
  networks: number;
  best: { id: string; accuracy: number };
  /** in the order of `rankings`; regret = best accuracy − the pick's */
  picks: { proxy: MacroProxy; pick: ProxyPick; regret: number }[];
}

export interface MacroCheckResult {
  name: string;
  imageSize: number;
  /** the score's stage weights: stem and three stages */
  ratio: number[];
  source: { citation: string; license: string; url: string };
  /** per network, in the file's order: its code, mean accuracy (%) and madnas score (the scatter) */
  ids: string[];
  accuracy: number[];
  madnas: number[];
  rankings: MacroRanking[];
  /** budgets admitting 10 %, 20 %, … 100 % of the networks (the engine's `budgetLadder`) */
  ladder: MacroRung[];
  /** the training noise: runs per network, the median of their std (points), the τ-b between runs (lowest, highest pair) */
  noise: { runs: number; medianStd: number; runAgreement: [number, number] };
}

/** Step 8: the studio's search in NAS-Bench-Macro's space, madnas its objective, one run per seed */
interface MacroSearchRequest {
  /** in the benchmark's FLOPs */
  flopsBudget: number;
}

export interface MacroSearchResult {
  flopsBudget: number;
  runs: BenchmarkSearchRun[];
  medianRegret: number;
  population: number;
  children: number;
  /** madnas's own pick among all networks within the budget, for comparison */
  pick: ProxyPick;
  pickRegret: number;
  /** runs that ended on a network madnas ranks first within the budget */
  reachedTop: number;
}

export interface LessonWorkerApi {
  /** Step 1; null if cancelled. */
  zeroShot(request: ZeroShotRequest, onProgress?: OnLessonProgress): Promise<ZeroShotResult | null>;
  /** Step 4; null if cancelled. */
  ratioSearch(request: RatioSearchRequest, onProgress?: OnLessonProgress): Promise<RatioSearchResult | null>;
  /** Step 5; null if cancelled. */
  frontier(request: FrontierRequest, onProgress?: OnLessonProgress): Promise<FrontierResult | null>;
  /** Step 8; null if cancelled. */
  macroCheck(onProgress?: OnLessonProgress): Promise<MacroCheckResult | null>;
  /** Step 8; null if cancelled. */
  macroSearch(request: MacroSearchRequest, onProgress?: OnLessonProgress): Promise<MacroSearchResult | null>;
  /** end the computation in progress (it resolves to null) */
  cancel(): void;
}
