// The numbers and claims the lesson shows, pinned: the stage sums of step 3, the effective weights
// of step 4, the published table and FLOPs conventions of steps 1, 3 and 5, the GFL pyramid of
// step 7, the one-child-at-a-time loop of step 6, and step 8's NAS-Bench-Macro: the space and data
// its text describes, and the numbers its comparisons are phrased from today.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkSearch } from '../../app/engine/benchmark/benchmarkSearch';
import { MACRO_CHOICES, MACRO_IMAGE_SIZE, MACRO_STAGE_WEIGHTS, macroStructure, nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { budgetLadder, proxyValues, regretAt } from '../../app/engine/benchmark/validation';
import { budgetsOf, presetConfig } from '../../app/engine/config';
import { flopsAt, layers, paperFlops, params, stageInfo } from '../../app/engine/cost';
import { Search, mutateOptionsOf } from '../../app/engine/evolution/search';
import { gflPyramid } from '../../app/engine/export/gflNeck';
import { backboneFeatures } from '../../app/engine/export/sidecar';
import { findReferenceNetwork, MEASURED_ENTROPY_MAEDET_S, PUBLISHED_DETECTION } from '../../app/engine/referenceNetworks';
import { Rng } from '../../app/engine/rng';
import { effectiveBlockWeights, madnas, stageSums } from '../../app/engine/scores/madnas';
import { mutate } from '../../app/engine/spaces/mutate';
import { kendallTau, median, spearman } from '../../app/engine/stats';
import { structureChanges } from '../../app/engine/structure';

const net = (name: string) => findReferenceNetwork(name)!.structure;
const DET = [0, 0, 1, 1, 6];
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('step 3: the C5 stage of MAE-DET-S, sum by sum', () => {
  const s = net('maedet_s');
  const terms = madnas(s, DET).perBlock;
  const sum = (from: number, to: number) => terms.slice(from - 1, to).reduce((a, t) => a + t, 0);

  it('the C5 stage holds inner blocks 18–27; its own terms are not its stage sum', () => {
    expect(terms).toHaveLength(27);
    expect(stageInfo(s).blockNum).toEqual([1, 3, 7, 17, 27]);
    // the first takes C4's 1024 channels, the nine others 2048 (spec §9: 10.044987114810, 10.391560705090 ×9)
    expect(relative(sum(18, 27), 10.04498711481 + 9 * 10.39156070509)).toBeLessThan(1e-9);
    // computing S₅ from the stage's own terms gives 6 × (103.57 + ln 2048) ≈ 667, not the score's share
    expect(6 * (sum(18, 27) + Math.log(2048))).toBeCloseTo(667.16, 2);
  });

  it('S₅ adds every term from the stem, then ln C₅; r₅·S₅ is the score’s C5 share, 1526.749658', () => {
    const s5 = stageSums(s)[4];
    expect(s5).toBe(sum(1, 27) + Math.log(2048));
    // the classification score [0,0,0,0,1] of MAE-DET-S is S₅ alone (spec §9)
    expect(relative(s5, 254.4582763272)).toBeLessThan(1e-9);
    expect(6 * s5).toBe(madnas(s, DET).perStage[4]);
    expect(madnas(s, DET).perStage[4]).toBeCloseTo(1526.749658, 6);
  });

  it('the stem term is ln √(3·3²)', () => {
    expect(terms[0]).toBe(Math.log(Math.sqrt(27)));
  });
});

describe('step 4: effective weights', () => {
  it('[0,0,1,1,6] weighs the blocks of C1–C3 8, C4 7 and C5 6; [1,1,1,1,1] the stem 5 and C5 1', () => {
    expect(effectiveBlockWeights(DET)).toEqual([8, 8, 8, 7, 6]);
    expect(effectiveBlockWeights([1, 1, 1, 1, 1])).toEqual([5, 4, 3, 2, 1]);
    expect(effectiveBlockWeights([0, 0, 0, 0, 1])).toEqual([1, 1, 1, 1, 1]);
  });

  it('the score is Σ (effective weight · ℓ_j) + Σ r_i ln C_i, for networks of the search and any weights', () => {
    const options = mutateOptionsOf(presetConfig('detection-r50'));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 20 }), (seed, ratio, steps) => {
        const rng = Rng.fromSeed(seed);
        let s = net('maedet_s');
        for (let i = 0; i < steps; i++) s = mutate(s, rng, options);
        const { perBlock } = madnas(s, ratio);
        const info = stageInfo(s);
        const weights = effectiveBlockWeights(ratio);
        const stageOf = (j: number) => info.blockNum.findIndex((n) => j < n);
        let regrouped = 0;
        perBlock.forEach((term, j) => (regrouped += weights[stageOf(j)] * term));
        ratio.forEach((r, i) => (regrouped += r * Math.log(info.channels[i])));
        const score = madnas(s, ratio).total;
        expect(Math.abs(regrouped - score)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(score)));
        expect(stageSums(s).map((v, i) => v * ratio[i])).toEqual(madnas(s, ratio).perStage);
      }),
    );
  });
});

describe('the published numbers and the FLOPs conventions (steps 1, 3, 5)', () => {
  it("MAE-DET-S/M/L: the engine's params and 1280×800 FLOPs round to the paper's table", () => {
    for (const row of PUBLISHED_DETECTION.filter((r) => r.network)) {
      const s = net(row.network!);
      expect((params(s) / 1e6).toFixed(1)).toBe(row.paramsM.toFixed(1));
      expect((paperFlops(s, 1280, 800) / 1e9).toFixed(1)).toBe(row.gflops1280x800.toFixed(1));
    }
  });

  it("the detection FLOPs budget at 480 scales to ResNet-50's 83.6 G at 1280×800", () => {
    const budget = presetConfig('detection-r50').budgets.flops!;
    expect(budget).toBe(188e8);
    expect(((budget * 1280 * 800) / 480 ** 2 / 1e9).toFixed(1)).toBe(PUBLISHED_DETECTION.find((r) => r.backbone === 'ResNet-50')!.gflops1280x800.toFixed(1));
  });

  it('the R50 search seed is small: 16 layers, 9.64 M params, 7.75 G at 480', () => {
    const seed = net('r50_det_seed');
    expect(layers(seed)).toBe(16);
    expect(params(seed)).toBe(9639584);
    expect(flopsAt(seed, 480)).toBe(7745241600);
  });

  it("MAE-DET-S's analytic score sits a border effect above the measured one (spec §9)", () => {
    const analytic = madnas(net('maedet_s'), DET).total;
    expect(analytic.toFixed(1)).toBe('1731.9');
    expect(MEASURED_ENTROPY_MAEDET_S.mean.toFixed(1)).toBe('1729.2');
    expect(analytic - MEASURED_ENTROPY_MAEDET_S.mean).toBeGreaterThan(0);
    expect(analytic - MEASURED_ENTROPY_MAEDET_S.mean).toBeLessThan(5);
  });
});

describe("step 7: MAE-DET's GFL pyramid", () => {
  it('MAE-DET-S at 1280×800: P3–P5 from C3–C5, P6 and P7 from P5 and P6 by stride-2 convs', () => {
    expect(gflPyramid(backboneFeatures(net('maedet_s')), 800, 1280)).toEqual([
      { name: 'P3', from: 'C3', stride: 8, height: 100, width: 160 },
      { name: 'P4', from: 'C4', stride: 16, height: 50, width: 80 },
      { name: 'P5', from: 'C5', stride: 32, height: 25, width: 40 },
      { name: 'P6', from: 'P5', stride: 64, height: 13, width: 20 },
      { name: 'P7', from: 'P6', stride: 128, height: 7, width: 10 },
    ]);
  });
});

describe('step 6: the loop one child at a time', () => {
  it('runs the same search as advancing many at once, and reports each parent, child and member', () => {
    const config = presetConfig('detection-r50');
    config.search = { ...config.search, popuSize: 12, numRandomNets: 300, seed: 3 };
    const once = Search.create(config, { stepSize: 1 });
    once.advance(300);
    const watched = Search.create(config, { stepSize: 1 });
    const budgets = budgetsOf(config);
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const before = watched.population.members.map((m) => m.structure);
      watched.advance(1);
      const { parent, child, member } = watched.latestChild!;
      expect(before).toContain(parent);
      // the child is the parent with the changes listed, and nothing else
      const rebuilt = parent.map((b) => ({ ...b }));
      for (const c of structureChanges(parent, child)) (rebuilt[c.block] as unknown as Record<string, unknown>)[c.key] = c.to;
      expect(rebuilt).toEqual(child);
      if (member) {
        expect(member.structure).toBe(child);
        expect(member.flops).toBeLessThanOrEqual(budgets.flops!);
      } else rejected++;
    }
    expect(rejected).toBeGreaterThan(0);
    expect(watched.population.records()).toEqual(once.population.records());
  });
});

describe('step 8: does it work on NAS-Bench-Macro', () => {
  const file = JSON.parse(readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8')) as Record<string, { test_acc: number[]; std: number }>;
  const benchmark = nasBenchMacro(file);
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  const values = { madnas: proxyValues(benchmark, 'madnas'), flops: proxyValues(benchmark, 'flops'), params: proxyValues(benchmark, 'params') };
  const ladder = budgetLadder(benchmark);
  const regret = (proxy: keyof typeof values, budget: number) => regretAt(benchmark, values[proxy], budget)!.regret.toFixed(2);

  it('the text’s space: 8 layers of 3 choices at 32×32, every network trained 3 times, classification weights counting every block once', () => {
    expect(MACRO_CHOICES.map((c) => c.label)).toEqual(['identity', 'MBv2 3×3, t = 3', 'MBv2 5×5, t = 6']);
    expect(macroStructure('00000000').length - 2).toBe(8);
    expect(benchmark.networks).toHaveLength(3 ** 8);
    expect(3 ** 8).toBe(6561);
    expect(MACRO_IMAGE_SIZE).toBe(32);
    for (const entry of Object.values(file)) expect(entry.test_acc).toHaveLength(3);
    expect(MACRO_STAGE_WEIGHTS).toEqual([0, 0, 0, 1]);
    expect(effectiveBlockWeights([...MACRO_STAGE_WEIGHTS])).toEqual([1, 1, 1, 1]);
  });

  it('over all the networks FLOPs order them better than madnas, and params worst', () => {
    const stats = Object.fromEntries(Object.entries(values).map(([p, v]) => [p, [kendallTau(v, accuracy)!.toFixed(3), spearman(v, accuracy)!.toFixed(3)]]));
    expect(stats).toEqual({ madnas: ['0.523', '0.716'], flops: ['0.556', '0.748'], params: ['0.218', '0.318'] });
  });

  it('within the budgets madnas’s pick comes closer than FLOPs’s on 8 of the 10, FLOPs’s on 1, a tie on 1', () => {
    expect(ladder.map((b) => (b / 1e6).toFixed(1))).toEqual(['36.8', '43.1', '47.7', '51.8', '55.4', '59.3', '63.2', '67.8', '74.1', '105.7']);
    expect(ladder.map((b) => regret('madnas', b))).toEqual(['1.74', '1.92', '0.26', '1.38', '0.38', '0.38', '0.45', '0.45', '0.62', '0.17']);
    expect(ladder.map((b) => regret('flops', b))).toEqual(['5.19', '2.60', '4.15', '0.96', '0.93', '0.54', '1.75', '0.78', '0.71', '0.17']);
    expect(ladder.map((b) => regret('params', b))).toEqual(['21.50', '3.98', '3.85', '6.71', '2.97', '7.80', '3.38', '6.50', '6.89', '0.17']);
    const closer = ladder.map((b) => Math.sign(Number(regret('flops', b)) - Number(regret('madnas', b))));
    expect([closer.filter((c) => c > 0).length, closer.filter((c) => c < 0).length, closer.filter((c) => c === 0).length]).toEqual([8, 1, 1]);
  });

  it('the training noise: a median std of 0.14 points, runs agreeing to τ-b 0.880–0.882', () => {
    const entries = Object.values(file);
    expect(median(entries.map((e) => e.std)).toFixed(2)).toBe('0.14');
    const run = (k: number) => entries.map((e) => e.test_acc[k]);
    expect([kendallTau(run(0), run(1)), kendallTau(run(0), run(2)), kendallTau(run(1), run(2))].map((t) => t!.toFixed(3))).toEqual(['0.882', '0.880', '0.882']);
  });

  it('the search at the budget admitting half the networks (55.4 M): the regret of madnas’s own pick, reached by 8 of 10 runs', () => {
    const budget = ladder[4];
    expect(2 * regretAt(benchmark, values.madnas, budget)!.networks).toBeGreaterThanOrEqual(6561);
    expect(2 * regretAt(benchmark, values.madnas, ladder[3])!.networks).toBeLessThan(6561);
    const search = benchmarkSearch(benchmark, { objective: 'madnas', flopsBudget: budget });
    expect([search.population, search.children, search.runs.length]).toEqual([32, 1000, 10]);
    expect(search.medianRegret.toFixed(2)).toBe(regret('madnas', budget));
    const madnasOf = new Map(benchmark.networks.map((n, i) => [n.id, values.madnas[i]]));
    const top = madnasOf.get(regretAt(benchmark, values.madnas, budget)!.pick.id);
    expect(search.runs.filter((r) => madnasOf.get(r.found.id) === top)).toHaveLength(8);
  });
});
