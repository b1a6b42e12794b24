// The lesson service (workers/lessonService) called directly in Node, as the lesson worker runs
// it, and once through comlink over a MessageChannel as the page calls it: results, determinism,
// budgets and weights of the short searches, the frontier's Pareto property, step 8's statistics
// and searches on NAS-Bench-Macro against the engine's, cancellation and the errors for bad
// requests.
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { benchmarkSearch } from '../../app/engine/benchmark/benchmarkSearch';
import { MACRO_SOURCE, MACRO_STAGE_WEIGHTS, nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { budgetLadder, proxyValues, regretAt } from '../../app/engine/benchmark/validation';
import { kendallTau, median, spearman } from '../../app/engine/stats';
import { satisfiesBudgets } from '../../app/engine/budgets';
import { budgetsOf, presetConfig } from '../../app/engine/config';
import { paretoFront } from '../../app/engine/evolution/frontier';
import { flopsAt, layers, params } from '../../app/engine/cost';
import { madnas } from '../../app/engine/scores/madnas';
import { stageShapes } from '../../app/engine/stageShape';
import { structureKey } from '../../app/engine/structure';
import type { FrontierRequest, LessonProgress, RatioSearchRequest } from '../../workers/lessonApi';
import { connectLessonWorker, lessonWorker } from '../../workers/lessonClient';
import { createLessonService } from '../../workers/lessonService';

const detection = presetConfig('detection-r50');

describe('zeroShot', () => {
  it('scores the requested number of networks and times them, reporting progress', async () => {
    const progress: LessonProgress[] = [];
    const result = await createLessonService().zeroShot({ count: 5000, seed: 1 }, (p) => progress.push(p));
    expect(result).not.toBeNull();
    expect(result!.count).toBe(5000);
    expect(result!.imageSize).toBe(480);
    expect(result!.microsecondsPerNetwork).toBeGreaterThan(0);
    expect(result!.microsecondsPerNetwork).toBeCloseTo((result!.scoringMs * 1000) / 5000, 9);
    // the networks are mutants of the R50 seed, scored with the detection weights
    expect(result!.best.score).toBeGreaterThan(400.7261080144);
    expect(result!.best.flops).toBeGreaterThan(0);
    // the same network at 1280×800 in the paper's convention: about 1280·800/480² times more
    expect(result!.best.paperFlops1280x800 / result!.best.flops).toBeGreaterThan(4);
    expect(result!.best.paperFlops1280x800 / result!.best.flops).toBeLessThan(4.6);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.done).toBeLessThanOrEqual(p.total);
  });

  it('the same seed scores the same networks', async () => {
    const service = createLessonService();
    const a = await service.zeroShot({ count: 800, seed: 4 });
    const b = await service.zeroShot({ count: 800, seed: 4 });
    expect(b!.best).toEqual(a!.best);
  });

  it('says what is wrong with a bad count or seed', async () => {
    const service = createLessonService();
    await expect(service.zeroShot({ count: 0, seed: 1 })).rejects.toThrow('count: found 0, expected an integer from 1 to 100000');
    await expect(service.zeroShot({ count: 2.5, seed: 1 })).rejects.toThrow(/count: found 2\.5/);
    await expect(service.zeroShot({ count: 100_001, seed: 1 })).rejects.toThrow(/count: found 100001/);
    await expect(service.zeroShot({ count: 10, seed: -1 })).rejects.toThrow(/seed: found -1/);
  });
});

describe('ratioSearch', () => {
  const request: RatioSearchRequest = { config: detection, ratios: [[0, 0, 1, 1, 6], [0, 0, 0, 0, 1]], children: 3000, seed: 3 };

  it('runs one search per weight list; each best fits the budgets and is scored with its own weights', async () => {
    const result = await createLessonService().ratioSearch(request);
    expect(result!.runs.map((r) => r.ratio)).toEqual(request.ratios);
    for (const run of result!.runs) {
      const { best, report } = run;
      expect(run.evaluated).toBe(3000);
      expect(satisfiesBudgets(best, budgetsOf(detection))).toBe(true);
      expect(best.flops).toBe(flopsAt(best.structure, 480));
      expect(best.flops).toBeLessThanOrEqual(188e8);
      expect(best.layers).toBe(layers(best.structure));
      expect(best.layers).toBeLessThanOrEqual(91);
      expect(best.params).toBe(params(best.structure));
      expect(best.score).toBe(madnas(best.structure, run.ratio).total);
      expect(report.madnas).toBe(best.score);
      expect(report.resolution).toBe(480);
      expect(run.stages).toEqual(stageShapes(best.structure, 480));
      expect(run.stages.reduce((sum, s) => sum + s.layers, 0)).toBe(best.layers);
    }
    const [detectionRun, classificationRun] = result!.runs;
    // only C5 counts under [0,0,0,0,1]
    expect(classificationRun.report.madnasPerStage.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(detectionRun.report.madnasPerStage[2]).toBeGreaterThan(0);
    // the same random seed, other weights: another network
    expect(structureKey(detectionRun.best.structure)).not.toBe(structureKey(classificationRun.best.structure));
  });

  it('is a function of the request', async () => {
    const service = createLessonService();
    const a = await service.ratioSearch(request);
    const b = await service.ratioSearch(request);
    expect(b).toEqual(a);
    const other = await service.ratioSearch({ ...request, seed: 4 });
    expect(other!.runs.map((r) => structureKey(r.best.structure))).not.toEqual(a!.runs.map((r) => structureKey(r.best.structure)));
  });

  it('keeps the studio’s budgets and resolution', async () => {
    const config = { ...detection, imageSize: 224, budgets: { ...detection.budgets, flops: 2.5e9, layers: 60 } };
    const result = await createLessonService().ratioSearch({ ...request, config, ratios: [[0, 0, 1, 1, 6]] });
    const { best, report } = result!.runs[0];
    expect(best.flops).toBe(flopsAt(best.structure, 224));
    expect(best.flops).toBeLessThanOrEqual(2.5e9);
    expect(best.layers).toBeLessThanOrEqual(60);
    expect(report.resolution).toBe(224);
  });

  it('says what is wrong with bad weights, lists or counts, before searching', async () => {
    const service = createLessonService();
    await expect(service.ratioSearch({ ...request, ratios: [[0, 1, 6]] })).rejects.toThrow(/score\.multiBlockRatio: has 3 weights but the starting network \(seed structure\) has 5 stages/);
    await expect(service.ratioSearch({ ...request, ratios: [[0, 0, 0, 0, 0]] })).rejects.toThrow(/all weights are 0/);
    await expect(service.ratioSearch({ ...request, ratios: [[0, 0, -1, 1, 6]] })).rejects.toThrow(/score\.multiBlockRatio/);
    await expect(service.ratioSearch({ ...request, ratios: [] })).rejects.toThrow('ratios: found a list of 0, expected 1 to 4 lists of stage weights');
    await expect(service.ratioSearch({ ...request, children: 0 })).rejects.toThrow(/children: found 0/);
  });
});

describe('frontier', () => {
  const request: FrontierRequest = { config: detection, samples: 400, rungs: 4, childrenPerRung: 1500, seed: 2 };
  const computed = createLessonService().frontier(request);

  it('samples the requested number of networks inside the FLOPs range, keeping the other budgets', async () => {
    const result = (await computed)!;
    const seedFlops = flopsAt(detection.model.structure, 480);
    expect(result.imageSize).toBe(480);
    expect(result.flopsBudget).toBe(188e8);
    expect(result.flopsRange[0]).toBe(seedFlops);
    // 15% above the largest marked network, MAE-DET-L (34.49 GFLOPs at 480)
    expect(result.flopsRange[1]).toBeCloseTo(1.15 * 34_494_619_500, 0);
    expect(result.samples).toHaveLength(400);
    for (const s of result.samples) expect(s.flops).toBeLessThanOrEqual(result.flopsRange[1]);
    expect(new Set(result.samples.map((s) => `${s.flops}/${s.score}`)).size).toBeGreaterThan(300);
    expect(result.evaluated).toBe(4 * 1500);
  });

  it('searches a ladder of FLOPs budgets, and each rung’s best fits its budget', async () => {
    const result = (await computed)!;
    expect(result.rungs).toHaveLength(4);
    expect(result.rungs[0].budget).toBe(result.flopsRange[0]);
    expect(result.rungs[3].budget).toBe(result.flopsRange[1]);
    for (const [i, rung] of result.rungs.entries()) {
      if (i > 0) expect(rung.budget).toBeGreaterThan(result.rungs[i - 1].budget);
      expect(rung.best.flops).toBeLessThanOrEqual(rung.budget);
      expect(rung.best.layers).toBeLessThanOrEqual(91);
      expect(rung.best.score).toBe(madnas(rung.best.structure, [0, 0, 1, 1, 6]).total);
    }
  });

  it('the front is Pareto and covers every sample and every rung’s best', async () => {
    const result = (await computed)!;
    const { front } = result;
    expect(paretoFront(front, (m) => m.flops)).toEqual(front);
    for (let i = 1; i < front.length; i++) {
      expect(front[i].flops).toBeGreaterThan(front[i - 1].flops);
      expect(front[i].score).toBeGreaterThan(front[i - 1].score);
    }
    const covered = (p: { flops: number; score: number }) => front.some((f) => f.flops <= p.flops && f.score >= p.score);
    for (const s of result.samples) expect(covered(s)).toBe(true);
    for (const r of result.rungs) expect(covered(r.best)).toBe(true);
    for (const m of front) {
      expect(m.flops).toBe(flopsAt(m.structure, 480));
      expect(m.score).toBe(madnas(m.structure, [0, 0, 1, 1, 6]).total);
      expect(m.layers).toBeLessThanOrEqual(91);
    }
  });

  it('marks the R50 seed, R50-like and MAE-DET-S/M/L with the spec’s numbers (§9)', async () => {
    const marks = Object.fromEntries((await computed)!.references.map((r) => [r.name, r]));
    expect(Object.keys(marks)).toEqual(['r50_det_seed', 'cls_r50_like', 'maedet_s', 'maedet_m', 'maedet_l']);
    const expected: Record<string, [number, number, number, number]> = {
      r50_det_seed: [7_745_241_600, 400.7261080144, 16, 9_639_584],
      cls_r50_like: [16_874_224_200, 1823.3300390405, 82, 18_474_592],
      maedet_s: [10_992_870_000, 1731.9070099667, 79, 21_233_120],
      maedet_m: [20_299_923_000, 2114.7828676828, 91, 25_843_536],
      maedet_l: [34_494_619_500, 2599.3961203228, 109, 43_879_552],
    };
    for (const [name, [flops, score, layerCount, paramCount]] of Object.entries(expected)) {
      expect(marks[name].flops).toBe(flops);
      expect(marks[name].score).toBeCloseTo(score, 9);
      expect(marks[name].layers).toBe(layerCount);
      expect(marks[name].params).toBe(paramCount);
    }
    // the paper's convention beside the search's, and labels no student can take for ResNet-50
    expect(marks.maedet_s.paperFlops1280x800).toBeCloseTo(48.702e9, -6);
    expect(marks.r50_det_seed.paperFlops1280x800).toBeCloseTo(34.307e9, -6);
    for (const name of ['r50_det_seed', 'cls_r50_like']) {
      expect(marks[name].label).not.toMatch(/^R50/);
      expect(marks[name].note).toContain('not ResNet-50');
    }
    expect(marks.cls_r50_like.note).toContain('224×224');
    expect(marks.maedet_s.note).toContain('45.1 box AP');
    // FLOPs is what the chart varies; of the other budgets only MAE-DET-L breaks one
    expect(marks.maedet_l.overBudget).toEqual([{ key: 'layers', value: 109, budget: 91 }]);
    expect(marks.maedet_m.overBudget).toEqual([]);
  });

  it('is a function of the request', async () => {
    expect(await createLessonService().frontier(request)).toEqual(await computed);
  });

  it('says what is wrong with a bad request', async () => {
    const service = createLessonService();
    await expect(service.frontier({ ...request, rungs: 1 })).rejects.toThrow(/rungs: found 1, expected an integer from 2 to 24/);
    await expect(service.frontier({ ...request, samples: -5 })).rejects.toThrow(/samples: found -5/);
    await expect(service.frontier({ ...request, childrenPerRung: 1e9 })).rejects.toThrow(/childrenPerRung: found 1000000000/);
    await expect(service.frontier({ ...request, config: { ...detection, score: { ...detection.score, multiBlockRatio: [1, 1] } } })).rejects.toThrow(/score\.multiBlockRatio/);
  });
});

describe('macroCheck and macroSearch (step 8)', () => {
  const file: unknown = JSON.parse(readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8'));
  const host = { macroFile: async () => file };
  const benchmark = nasBenchMacro(file);
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  const service = createLessonService(host);
  const checked = service.macroCheck();

  it('ranks the 6,561 trained networks by madnas, FLOPs and params as the engine does', async () => {
    const result = (await checked)!;
    expect(result.ids).toHaveLength(6561);
    expect(result.ids).toEqual(benchmark.networks.map((n) => n.id));
    expect(result.accuracy).toEqual(accuracy);
    expect(result.madnas).toEqual(proxyValues(benchmark, 'madnas'));
    expect(result.ratio).toEqual([...MACRO_STAGE_WEIGHTS]);
    expect(result.imageSize).toBe(32);
    expect(result.source).toEqual(MACRO_SOURCE);
    expect(result.rankings.map((r) => r.proxy)).toEqual(['madnas', 'flops', 'params']);
    for (const r of result.rankings) {
      const values = proxyValues(benchmark, r.proxy);
      expect(r.kendall).toBe(kendallTau(values, accuracy));
      expect(r.spearman).toBe(spearman(values, accuracy));
    }
  });

  it('gives every proxy’s pick and regret on the engine’s ladder of FLOPs budgets', async () => {
    const result = (await checked)!;
    const ladder = budgetLadder(benchmark);
    expect(result.ladder.map((r) => r.budget)).toEqual(ladder);
    for (const [i, rung] of result.ladder.entries()) {
      expect(rung.picks.map((p) => p.proxy)).toEqual(['madnas', 'flops', 'params']);
      for (const p of rung.picks) {
        const engine = regretAt(benchmark, proxyValues(benchmark, p.proxy), ladder[i])!;
        expect(rung.networks).toBe(engine.networks);
        expect(rung.best).toEqual(engine.best);
        expect(p.pick).toEqual(engine.pick);
        expect(p.regret).toBe(engine.regret);
      }
    }
    // the top rung admits every network
    expect(result.ladder.at(-1)!.networks).toBe(6561);
  });

  it('measures the training noise from the runs in the file', async () => {
    const { noise } = (await checked)!;
    const entries = Object.values(file as Record<string, { test_acc: number[]; std: number }>);
    expect(noise.runs).toBe(3);
    expect(noise.medianStd).toBe(median(entries.map((e) => e.std)));
    const run = (k: number) => entries.map((e) => e.test_acc[k]);
    const taus = [kendallTau(run(0), run(1))!, kendallTau(run(0), run(2))!, kendallTau(run(1), run(2))!];
    expect(noise.runAgreement).toEqual([Math.min(...taus), Math.max(...taus)]);
  });

  it('searches within a budget with the engine’s search, seed by seed', async () => {
    const budget = budgetLadder(benchmark)[4];
    const progress: LessonProgress[] = [];
    const result = (await service.macroSearch({ flopsBudget: budget }, (p) => progress.push(p)))!;
    const engine = benchmarkSearch(benchmark, { objective: 'madnas', flopsBudget: budget });
    expect(result.runs).toEqual(engine.runs);
    expect(result.medianRegret).toBe(engine.medianRegret);
    expect([result.population, result.children]).toEqual([engine.population, engine.children]);
    const madnas = proxyValues(benchmark, 'madnas');
    const direct = regretAt(benchmark, madnas, budget)!;
    expect(result.pick).toEqual(direct.pick);
    expect(result.pickRegret).toBe(direct.regret);
    const top = Math.max(...benchmark.networks.flatMap((n, i) => (n.flops <= budget ? [madnas[i]] : [])));
    const byId = new Map(benchmark.networks.map((n, i) => [n.id, madnas[i]]));
    expect(result.reachedTop).toBe(result.runs.filter((r) => byId.get(r.found.id) === top).length);
    expect(progress[0].phase).toBe('loading NAS-Bench-Macro');
  });

  it('says what is wrong with a bad budget or file, and loads again after a failed download', async () => {
    await expect(service.macroSearch({ flopsBudget: -1 })).rejects.toThrow('flopsBudget: found -1, expected a positive number of FLOPs');
    await expect(service.macroSearch({ flopsBudget: 1e6 })).rejects.toThrow(/flopsBudget: found 1000000, but no network of NAS-Bench-Macro \(CIFAR-10\) fits it/);
    const [code, entry] = Object.entries(file as Record<string, object>)[0];
    await expect(createLessonService({ macroFile: async () => ({ [code]: { ...entry, test_acc: 'none' } }) }).macroCheck()).rejects.toThrow(`${code}.test_acc: found "none"`);
    let attempts = 0;
    const flaky = createLessonService({
      macroFile: async () => {
        if (attempts++ === 0) throw new Error('offline');
        return file;
      },
    });
    await expect(flaky.macroCheck()).rejects.toThrow('offline');
    expect((await flaky.macroCheck())!.ids).toHaveLength(6561);
  });

  it('cancel() ends a search, which resolves to null', async () => {
    let started!: () => void;
    const searching = new Promise<void>((resolve) => (started = resolve));
    const running = service.macroSearch({ flopsBudget: budgetLadder(benchmark)[9] }, (p) => p.phase.startsWith('searching') && started());
    await searching;
    service.cancel();
    expect(await running).toBeNull();
  });
});

describe('cancellation', () => {
  it('cancel() ends the computation in progress, which resolves to null', async () => {
    const service = createLessonService();
    let started!: () => void;
    const firstProgress = new Promise<void>((resolve) => (started = resolve));
    const running = service.frontier({ config: detection, samples: 2000, rungs: 8, childrenPerRung: 20_000, seed: 1 }, () => started());
    await firstProgress;
    service.cancel();
    expect(await running).toBeNull();
  });

  it('a new request ends the one in progress', async () => {
    const service = createLessonService();
    const first = service.ratioSearch({ config: detection, ratios: [[0, 0, 1, 1, 6]], children: 200_000, seed: 1 });
    const second = service.zeroShot({ count: 100, seed: 1 });
    expect(await first).toBeNull();
    expect((await second)!.count).toBe(100);
  });
});

describe('through comlink, as the page calls it', () => {
  const { port1, port2 } = new MessageChannel();
  afterAll(() => {
    port1.close();
    port2.close();
  });

  it('plain data in and out, progress through a proxied callback', async () => {
    Comlink.expose(createLessonService(), port1);
    connectLessonWorker(port2);
    const progress: LessonProgress[] = [];
    const result = await lessonWorker().ratioSearch(
      { config: detection, ratios: [[0, 0, 1, 1, 6]], children: 4000, seed: 1 },
      Comlink.proxy((p: LessonProgress) => progress.push(p)),
    );
    expect(result!.runs[0].best.score).toBe(madnas(result!.runs[0].best.structure, [0, 0, 1, 1, 6]).total);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0].phase).toBe('searching with weights [0, 0, 1, 1, 6]');
    await expect(lessonWorker().zeroShot({ count: 0, seed: 1 })).rejects.toThrow(/count: found 0/);
  });
});
