/**
 * The lesson service behind the lesson worker (comlink): the computations of the lesson's
 * widgets over the engine. Work runs in slices with a yield between them, so `cancel()` and newer
 * requests get through; progress goes out at most every PROGRESS_INTERVAL_MS.
 */
import type { Benchmark } from '../app/engine/benchmark/benchmark';
import { benchmarkSearch, DEFAULT_SEARCH_SEEDS, type BenchmarkSearchRun } from '../app/engine/benchmark/benchmarkSearch';
import { nasBenchMacro } from '../app/engine/benchmark/nasBenchMacro';
import { budgetLadder as macroBudgetLadder, proxyLabel, proxyNote, proxyValues, rankStats, regretAt, type RegretPoint } from '../app/engine/benchmark/validation';
import type { Structure } from '../app/engine/block';
import { budgetViolations, measureCosts } from '../app/engine/budgets';
import { budgetsOf, presetConfig, type RunConfig } from '../app/engine/config';
import { ConfigError, describeValue, integerSetting } from '../app/engine/errors';
import { evaluateStructure } from '../app/engine/evaluate';
import { budgetLadder, paretoFront } from '../app/engine/evolution/frontier';
import { toRecord, type Member, type MemberRecord } from '../app/engine/evolution/population';
import { startSearch, type SearchHosts } from '../app/engine/evolution/driver';
import type { ProgressSource } from '../app/engine/evolution/progress';
import { Evaluator, mutateOptionsOf } from '../app/engine/evolution/search';
import { shortSearchConfig } from '../app/engine/evolution/shortSearch';
import { mutationWalks } from '../app/engine/evolution/walks';
import { flopsAt, paperTableFlops } from '../app/engine/cost';
import { findReferenceNetwork, publishedResult } from '../app/engine/referenceNetworks';
import { MAX_SEED, Rng } from '../app/engine/rng';
import { FAILED_SCORE, scoreFunction } from '../app/engine/scores';
import { stageShapes } from '../app/engine/stageShape';
import { kendallTau, median } from '../app/engine/stats';
import { fetchNasBenchMacro } from './nasBenchMacroFile';
import {
  FRONTIER_MAX_CHILDREN_PER_RUNG,
  FRONTIER_MAX_RUNGS,
  FRONTIER_MAX_SAMPLES,
  RATIO_SEARCH_MAX_CHILDREN,
  RATIO_SEARCH_MAX_RUNS,
  ZERO_SHOT_MAX_COUNT,
  type LessonProgress,
  type LessonWorkerApi,
  type MacroProxy,
  type MacroRanking,
  type OnLessonProgress,
  type RatioSearchRun,
  type ReferenceMark,
} from './lessonApi';
import { yieldToMessages } from './yieldToMessages';

/** long enough that yielding costs little, short enough that a cancel lands at once */
const SLICE_MS = 25;
const PROGRESS_INTERVAL_MS = 100;
/** walk steps before a walk restarts from the seed: long walks drift to small networks */
const WALK_LENGTH = 150;
/** networks pulled from the walks per step inside a slice */
const NETWORKS_PER_STEP = 50;
/** networks scored per step (about 2 ms), timed as one: browsers coarsen the clock to a few µs or more */
const SCORED_PER_STEP = 1000;
/**
 * scoring calls (cycling through the networks) before the clock starts: the first calls compile
 * the scoring code, and the rate a search sees is the compiled one
 */
const WARM_UP_NETWORKS = 3000;
/** the top of the frontier's FLOPs range, above the largest of the seed, the budget and the marked networks */
const TOP_MARGIN = 1.15;

/**
 * The networks marked on the frontier chart, with short labels and what they are. Neither "R50"
 * network is ResNet-50 (which this space cannot express: its stem is a 7×7 conv and a max-pool).
 */
const FRONTIER_MARKS: readonly { name: string; label: string; note: string }[] = [
  { name: 'r50_det_seed', label: 'starting network', note: "TinyNAS's detection seed structure (\"R50\"): one bottleneck per stage, the search's small start — not ResNet-50" },
  { name: 'cls_r50_like', label: 'cls. R50-like', note: "TinyNAS's classification network (\"R50-like\"), searched at 224×224 with weights [0,0,0,0,1] — not ResNet-50, not a detection backbone" },
  ...(['maedet_s', 'maedet_m', 'maedet_l'] as const).map((name) => {
    const published = publishedResult(name);
    return { name, label: published.backbone, note: `published, searched by MAE-DET; trained with GFL: ${published.boxAP} box AP on COCO val` };
  }),
];

/** what the service needs from its host: NAS-Bench-Macro's JSON, parsed (the worker fetches it, the Node tests read it) */
interface LessonHost {
  macroFile(): Promise<unknown>;
}

const WORKER_HOST: LessonHost = { macroFile: fetchNasBenchMacro };

/** step 8's proxies, in its table's order: the score, then the baselines */
const MACRO_PROXIES: readonly MacroProxy[] = ['madnas', 'flops', 'params'];

/** NAS-Bench-Macro as step 8 uses it: the benchmark, every network's madnas, and its training runs */
interface MacroData {
  benchmark: Benchmark;
  madnas: number[];
  /** a network's index by its code (what a search's find is named by) */
  index: Map<string, number>;
  /** per network: the test accuracy of each training run, and their std as the file gives it */
  runs: number[][];
  std: number[];
}

/** the benchmark, and the runs behind each mean accuracy (the engine's reader keeps only the mean) */
function macroData(file: unknown): MacroData {
  const benchmark = nasBenchMacro(file);
  if (benchmark.networks.length === 0) throw new ConfigError('file', "found no networks, expected NAS-Bench-Macro's object keyed by 8-digit codes");
  const entries = file as Record<string, { test_acc?: unknown; std?: unknown }>;
  const runs = benchmark.networks.map(({ id }) => {
    const accuracies = entries[id].test_acc;
    if (!Array.isArray(accuracies) || accuracies.length < 2 || !accuracies.every((a) => typeof a === 'number')) {
      throw new ConfigError(`${id}.test_acc`, `found ${describeValue(accuracies)}, expected the test accuracy of each of two or more training runs`);
    }
    return accuracies as number[];
  });
  // the runs are compared run by run across the networks, so every network needs as many
  const odd = runs.findIndex((r) => r.length !== runs[0].length);
  if (odd >= 0) throw new ConfigError(`${benchmark.networks[odd].id}.test_acc`, `found ${runs[odd].length} runs, expected ${runs[0].length} as the first network has`);
  const std = benchmark.networks.map(({ id }) => {
    const value = entries[id].std;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(`${id}.std`, `found ${describeValue(value)}, expected the std of its runs' accuracies`);
    return value;
  });
  return { benchmark, madnas: proxyValues(benchmark, 'madnas'), index: new Map(benchmark.networks.map((n, i) => [n.id, i])), runs, std };
}

/** the τ-b of every pair of training runs over the networks: how well one training ranks the networks as another does */
function runAgreement(runs: readonly number[][]): [number, number] {
  const taus: number[] = [];
  for (let a = 0; a < runs[0].length; a++) {
    for (let b = a + 1; b < runs[0].length; b++) {
      const tau = kendallTau(runs.map((r) => r[a]), runs.map((r) => r[b]));
      if (tau !== null) taus.push(tau);
    }
  }
  return [Math.min(...taus), Math.max(...taus)];
}

/** the lesson's searches are single searches in this worker */
const LESSON_HOSTS: SearchHosts = { yield: yieldToMessages, now: () => performance.now() };

/** One computation: cancelled by `cancel()` or by the next request; reports progress at a bounded rate. */
class Task {
  cancelled = false;
  private lastReport = -Infinity;

  constructor(private readonly onProgress: OnLessonProgress | undefined) {}

  report(progress: LessonProgress): void {
    const now = performance.now();
    if (!this.onProgress || now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    this.onProgress(progress);
  }

  /**
   * Call `step` (a small piece of work that returns false when there is no more) in slices of
   * about SLICE_MS, yielding between slices; false if the task was cancelled meanwhile.
   */
  async runInSlices(step: () => boolean, progress: () => LessonProgress): Promise<boolean> {
    let more = true;
    while (more) {
      if (this.cancelled) return false;
      const start = performance.now();
      while (more && performance.now() - start < SLICE_MS) more = step();
      this.report(progress());
      await yieldToMessages();
    }
    return !this.cancelled;
  }

  /** a search to its end through the engine's driver, or null if cancelled */
  async runSearch(config: RunConfig, progress: (search: ProgressSource) => LessonProgress): Promise<ProgressSource | null> {
    const run = await startSearch(config, LESSON_HOSTS);
    const end = await run.run(() => {
      if (this.cancelled) run.stop();
      this.report(progress(run.source));
      return undefined;
    });
    return end === 'done' && !this.cancelled ? run.source : null;
  }

  /** pull from `source` into `into` until it holds `count` (or the source ends); false if cancelled */
  collect<T>(source: Iterator<T>, into: T[], count: number, phase: string): Promise<boolean> {
    return this.runInSlices(
      () => {
        for (let i = 0; i < NETWORKS_PER_STEP && into.length < count; i++) {
          const next = source.next();
          if (next.done) return false;
          into.push(next.value);
        }
        return into.length < count;
      },
      () => ({ phase, done: into.length, total: count }),
    );
  }
}

/** The marked networks under a config: FLOPs at its resolution, its score, and the budgets other than FLOPs they break. */
function referenceMarks(config: RunConfig): ReferenceMark[] {
  const score = scoreFunction(config.score);
  const budgets = { ...budgetsOf(config), flops: undefined };
  const marks: ReferenceMark[] = [];
  for (const { name, label, note } of FRONTIER_MARKS) {
    const structure = findReferenceNetwork(name)!.structure;
    const value = score(structure);
    // a network with another stage count than the weights cannot be scored, so it has no place on the chart
    if (value === FAILED_SCORE) continue;
    const costs = measureCosts(structure, config.imageSize, budgets);
    marks.push({
      name,
      label,
      note,
      flops: costs.flops,
      paperFlops1280x800: paperTableFlops(structure),
      score: value,
      params: costs.params,
      layers: costs.layers,
      overBudget: budgetViolations(costs, budgets),
    });
  }
  return marks;
}

export function createLessonService(host: LessonHost = WORKER_HOST): LessonWorkerApi {
  let current: Task | null = null;
  const begin = (onProgress: OnLessonProgress | undefined) => {
    if (current) current.cancelled = true;
    current = new Task(onProgress);
    return current;
  };
  /** NAS-Bench-Macro, read once for step 8's requests; a failed download is tried again by the next one */
  let macro: Promise<MacroData> | null = null;
  const loadMacro = (task: Task) => {
    task.report({ phase: 'loading NAS-Bench-Macro', done: 0, total: 1 });
    if (!macro) {
      const loading = host.macroFile().then(macroData);
      loading.catch(() => {
        if (macro === loading) macro = null;
      });
      macro = loading;
    }
    return macro;
  };

  return {
    async zeroShot(request, onProgress) {
      const count = integerSetting(request.count, 'count', 1, ZERO_SHOT_MAX_COUNT);
      const seed = integerSetting(request.seed, 'seed', 0, MAX_SEED);
      const task = begin(onProgress);
      const config = presetConfig('detection-r50');
      const walks = mutationWalks(config.model.structure, Rng.fromSeed(seed), { mutate: mutateOptionsOf(config), walkLength: WALK_LENGTH, accept: (s) => s });
      const found: { structure: Structure }[] = [];
      if (!(await task.collect(walks, found, count, 'generating networks'))) return null;
      const structures = found.map((f) => f.structure);

      // what the search computes for each child: its costs (params, FLOPs, layers) and its score
      const score = scoreFunction(config.score);
      const scores = new Float64Array(structures.length);
      const flops = new Float64Array(structures.length);
      const measure = (i: number) => {
        flops[i] = measureCosts(structures[i], config.imageSize, {}).flops;
        scores[i] = score(structures[i]);
      };
      for (let i = 0; i < WARM_UP_NETWORKS; i++) measure(i % structures.length);
      let scored = 0;
      let scoringMs = 0;
      const scoring = await task.runInSlices(
        () => {
          const start = performance.now();
          const end = Math.min(scored + SCORED_PER_STEP, structures.length);
          for (; scored < end; scored++) measure(scored);
          scoringMs += performance.now() - start;
          return scored < structures.length;
        },
        () => ({ phase: 'scoring', done: scored, total: structures.length }),
      );
      if (!scoring) return null;
      let best = 0;
      for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
      return {
        count: structures.length,
        microsecondsPerNetwork: (scoringMs * 1000) / structures.length,
        scoringMs,
        imageSize: config.imageSize,
        best: { score: scores[best], flops: flops[best], paperFlops1280x800: paperTableFlops(structures[best]) },
      };
    },

    async ratioSearch(request, onProgress) {
      const children = integerSetting(request.children, 'children', 1, RATIO_SEARCH_MAX_CHILDREN);
      const seed = integerSetting(request.seed, 'seed', 0, MAX_SEED);
      if (!Array.isArray(request.ratios) || request.ratios.length < 1 || request.ratios.length > RATIO_SEARCH_MAX_RUNS) {
        throw new RangeError(`ratios: found ${describeValue(request.ratios)}, expected 1 to ${RATIO_SEARCH_MAX_RUNS} lists of stage weights`);
      }
      // every config is checked before any search starts, so a bad list fails at once
      const configs = request.ratios.map((ratio) => shortSearchConfig(request.config, { ratio, children, seed }));
      const task = begin(onProgress);
      const total = children * configs.length;
      const runs: RatioSearchRun[] = [];
      for (const config of configs) {
        const ratio = config.score.multiBlockRatio;
        const before = runs.length * children;
        const phase = `searching with weights [${ratio.join(', ')}]`;
        const search = await task.runSearch(config, (s) => ({ phase, done: before + s.evaluated, total }));
        if (!search) return null;
        const best = toRecord(search.population.best()!);
        const report = evaluateStructure(best.structure, config.imageSize, ratio);
        runs.push({ ratio, evaluated: search.evaluated, best, report, stages: stageShapes(best.structure, config.imageSize) });
      }
      return { runs };
    },

    async frontier(request, onProgress) {
      const sampleCount = integerSetting(request.samples, 'samples', 0, FRONTIER_MAX_SAMPLES);
      const rungCount = integerSetting(request.rungs, 'rungs', 2, FRONTIER_MAX_RUNGS);
      const childrenPerRung = integerSetting(request.childrenPerRung, 'childrenPerRung', 1, FRONTIER_MAX_CHILDREN_PER_RUNG);
      const seed = integerSetting(request.seed, 'seed', 0, MAX_SEED - FRONTIER_MAX_RUNGS);
      const base = shortSearchConfig(request.config, { children: childrenPerRung, seed });
      const seedFlops = flopsAt(base.model.structure, base.imageSize);
      const references = referenceMarks(base);
      const top = TOP_MARGIN * Math.max(seedFlops, base.budgets.flops ?? 0, ...references.map((r) => r.flops));
      const ladder = budgetLadder(seedFlops, top, rungCount);
      const task = begin(onProgress);
      const total = sampleCount + rungCount * childrenPerRung;

      // the samples keep every budget of the set-up but FLOPs, which only has to stay on the chart
      const sampling = new Evaluator(shortSearchConfig(base, { children: 0, seed, flopsBudget: top }));
      const walks = mutationWalks(base.model.structure, Rng.fromSeed(seed), { mutate: mutateOptionsOf(base), walkLength: WALK_LENGTH, accept: (s) => sampling.evaluate(s) });
      const sampled: { value: Member }[] = [];
      if (!(await task.collect(walks, sampled, sampleCount, 'sampling networks'))) return null;
      const samples = sampled.map((s) => s.value);

      const seen: Member[] = [sampling.evaluate(base.model.structure)!, ...samples];
      const rungs: { budget: number; best: MemberRecord }[] = [];
      let evaluated = 0;
      for (const [i, budget] of ladder.entries()) {
        // another random seed per rung, so the rungs are independent searches
        const phase = `searching within ${(budget / 1e9).toFixed(1)} GFLOPs`;
        const config = shortSearchConfig(base, { children: childrenPerRung, seed: seed + 1 + i, flopsBudget: budget });
        const search = await task.runSearch(config, (s) => ({ phase, done: sampleCount + evaluated + s.evaluated, total }));
        if (!search) return null;
        evaluated += search.evaluated;
        rungs.push({ budget, best: toRecord(search.population.best()!) });
        seen.push(...search.population.members);
      }
      return {
        imageSize: base.imageSize,
        flopsBudget: base.budgets.flops,
        flopsRange: [seedFlops, top],
        samples: samples.map((m) => ({ flops: m.flops, score: m.score })),
        rungs,
        front: paretoFront(seen, (m) => m.flops).map(toRecord),
        references,
        evaluated,
      };
    },

    async macroCheck(onProgress) {
      const task = begin(onProgress);
      const data = await loadMacro(task);
      if (task.cancelled) return null;
      const { benchmark } = data;
      const accuracy = benchmark.networks.map((n) => n.accuracy);
      const budgets = macroBudgetLadder(benchmark);
      const rankings: MacroRanking[] = [];
      const regrets: RegretPoint[][] = [];
      let noise: [number, number] = [NaN, NaN];
      // a step each: a proxy's values, τ-b, ρ and regret ladder, then the runs' agreement (tens of ms each)
      const steps = [
        ...MACRO_PROXIES.map((proxy) => () => {
          const values = proxy === 'madnas' ? data.madnas : proxyValues(benchmark, proxy);
          const { kendall, spearman } = rankStats(benchmark, values);
          rankings.push({ proxy, label: proxyLabel(proxy), note: proxyNote(proxy), kendall, spearman });
          // every rung of the ladder admits networks, so none is null
          regrets.push(budgets.map((budget) => regretAt(benchmark, values, budget)!));
        }),
        () => (noise = runAgreement(data.runs)),
      ];
      let done = 0;
      const finished = await task.runInSlices(
        () => {
          steps[done++]();
          return done < steps.length;
        },
        () => ({ phase: 'ranking the networks', done, total: steps.length }),
      );
      if (!finished) return null;
      return {
        name: benchmark.name,
        imageSize: benchmark.imageSize,
        ratio: benchmark.ratio,
        source: benchmark.source!,
        ids: benchmark.networks.map((n) => n.id),
        accuracy,
        madnas: data.madnas,
        rankings,
        ladder: budgets.map((budget, i) => {
          const { networks, best } = regrets[0][i];
          return { budget, networks, best, picks: MACRO_PROXIES.map((proxy, p) => ({ proxy, pick: regrets[p][i].pick, regret: regrets[p][i].regret })) };
        }),
        noise: { runs: data.runs[0].length, medianStd: median(data.std), runAgreement: noise },
      };
    },

    async macroSearch(request, onProgress) {
      const { flopsBudget } = request;
      if (typeof flopsBudget !== 'number' || !(flopsBudget > 0) || !Number.isFinite(flopsBudget)) throw new ConfigError('flopsBudget', `found ${describeValue(flopsBudget)}, expected a positive number of FLOPs`);
      const task = begin(onProgress);
      const data = await loadMacro(task);
      if (task.cancelled) return null;
      const { benchmark, madnas, index } = data;
      const pick = regretAt(benchmark, madnas, flopsBudget);
      if (!pick) throw new ConfigError('flopsBudget', `found ${flopsBudget}, but no network of ${benchmark.name} fits it; expected at least the smallest network's FLOPs`);
      // one engine call per seed (each a few tens of ms), so progress shows and a cancel lands between them
      const runs: BenchmarkSearchRun[] = [];
      let settings = { population: 0, children: 0 };
      const phase = `searching within ${(flopsBudget / 1e6).toFixed(1)} M FLOPs`;
      const finished = await task.runInSlices(
        () => {
          const { runs: [run], population, children } = benchmarkSearch(benchmark, { objective: 'madnas', flopsBudget, seeds: [DEFAULT_SEARCH_SEEDS[runs.length]] });
          runs.push(run);
          settings = { population, children };
          return runs.length < DEFAULT_SEARCH_SEEDS.length;
        },
        () => ({ phase, done: runs.length, total: DEFAULT_SEARCH_SEEDS.length }),
      );
      if (!finished) return null;
      const top = madnas[index.get(pick.pick.id)!];
      return {
        flopsBudget,
        runs,
        medianRegret: median(runs.map((r) => r.regret)),
        ...settings,
        pick: pick.pick,
        pickRegret: pick.regret,
        reachedTop: runs.filter((r) => madnas[index.get(r.found.id)!] === top).length,
      };
    },

    cancel() {
      if (current) current.cancelled = true;
    },
  };
}
