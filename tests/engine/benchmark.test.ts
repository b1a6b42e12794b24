// Validation against trained networks (issue #16): NAS-Bench-Macro's 6,561 networks in the
// engine's blocks with the file's params and FLOPs, the studio benchmark format and its errors,
// the proxies' statistics and regret against brute force, the benchmark's search space and its
// search under a MACs budget.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkFile, parseBenchmark, type Benchmark } from '../../app/engine/benchmark/benchmark';
import { benchmarkSearch } from '../../app/engine/benchmark/benchmarkSearch';
import { macroCode, macroFlops, macroParams, macroStructure, nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { budgetLadder, proxyStats, proxyValues, regretAt } from '../../app/engine/benchmark/validation';
import { blockKind } from '../../app/engine/blocks/registry';
import { presetConfig, validateConfig } from '../../app/engine/config';
import { flopsAt, layers, params } from '../../app/engine/cost';
import { Search } from '../../app/engine/evolution/search';
import { convMacs, networkOps } from '../../app/engine/latency/ops';
import { Rng } from '../../app/engine/rng';
import { madnas } from '../../app/engine/scores/madnas';
import { SPACES } from '../../app/engine/spaces';
import { mutate } from '../../app/engine/spaces/mutate';

const FILE = JSON.parse(readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8')) as Record<string, { mean_acc: number; params: number; flops: number }>;
const MACRO = nasBenchMacro(FILE);

describe('NAS-Bench-Macro in the engine', () => {
  it('all 6,561 networks: params and FLOPs equal the file, and each code reads back from its structure', () => {
    expect(MACRO.networks).toHaveLength(6561);
    const wrong = MACRO.networks.filter((n) => macroParams(n.structure) !== FILE[n.id].params || macroFlops(n.structure) !== FILE[n.id].flops || macroCode(n.structure) !== n.id);
    expect(wrong.map((n) => n.id)).toEqual([]);
  });

  it('a hand count of 00000000 and 10000000 from the data README', () => {
    // stem 3·32·9 + BN 64; three 1×1 downsamples C→2C + BN; head 256·1280 + BN; classifier 12,810
    const p0 = 3 * 32 * 9 + 64 + (32 * 64 + 128) + (64 * 128 + 256) + (128 * 256 + 512) + (256 * 1280 + 2560) + 12810;
    // MACs: the stem at 32², the downsamples at 16², 8², 4² (their outputs), the head at 4², the classifier
    const f0 = 3 * 32 * 9 * 32 * 32 + 32 * 64 * 16 * 16 + 64 * 128 * 8 * 8 + 128 * 256 * 4 * 4 + 256 * 1280 * 4 * 4 + 12800;
    expect([macroParams(macroStructure('00000000')), macroFlops(macroStructure('00000000'))]).toEqual([p0, f0]);
    expect([FILE['00000000'].params, FILE['00000000'].flops]).toEqual([p0, f0]);
    // layer 0 as MBv2 k3 t3 (32 → 96 → 64, stride 2 on the depthwise conv) instead of the downsample
    const mb = 32 * 96 + 192 + 96 * 9 + 192 + 96 * 64 + 128;
    const mbMacs = 32 * 96 * 32 * 32 + 96 * 9 * 16 * 16 + 96 * 64 * 16 * 16;
    expect(FILE['10000000'].params).toBe(p0 - (32 * 64 + 128) + mb);
    expect(FILE['10000000'].flops).toBe(f0 - 32 * 64 * 16 * 16 + mbMacs);
  });

  it('an identity that keeps the shape is nothing; one that changes it is a 1×1 conv + BN', () => {
    const kept = { class: 'Identity' as const, in: 64, out: 64, s: 1 as const, k: 1 };
    const kind = blockKind('Identity');
    expect([kind.params(kept), kind.flopsCoefficient(kept), kind.layers(kept), kind.blockNum(kept), kind.madnasTerms(kept).length]).toEqual([0, 0, 0, 0, 0]);
    expect(networkOps([kept], 16).ops).toEqual([]);
    const down = { ...kept, out: 128, s: 2 as const };
    expect([kind.params(down), kind.layers(down), kind.blockNum(down)]).toEqual([64 * 128 + 256, 1, 1]);
    expect(convMacs([down], 16)).toBe(64 * 128 * 8 * 8);
  });

  it('an inverted residual adds its input only when in == out at stride 1, and never activates after', () => {
    const epilogues = (code: string) => networkOps(macroStructure(code), 32).ops.flatMap((op) => (op.op === 'conv' ? [op.epilogue] : []));
    // layer 0 (32 → 64, stride 2): no shortcut; layer 1 (64 → 64): the sum, no ReLU after it
    expect(epilogues('11000000').slice(1, 7)).toEqual(['relu', 'relu', 'none', 'relu', 'relu', 'none']);
    const ops = networkOps(macroStructure('01000000'), 32);
    expect(ops.notes).toEqual([]);
    // the engine's other measures see the blocks: layers 1 + 1 + 3 + 1 + 1 + 1 (stem, id↓, MBv2, id↓, id↓, head)
    expect(layers(macroStructure('01000000'))).toBe(8);
  });

  it('madnas has four stages here, and only the last one counts with the classification weights', () => {
    const s = macroStructure('12012012');
    const r = madnas(s, [0, 0, 0, 1]);
    expect(r.perStage.slice(0, 3)).toEqual([0, 0, 0]);
    expect(r.total).toBeCloseTo(r.perBlock.reduce((a, b) => a + b, 0) + Math.log(1280), 9);
  });
});

describe('the studio benchmark format', () => {
  // the first 50 codes in order: 00000000, 00000001, 00000002, 00000010, …
  const small: Benchmark = { ...MACRO, name: 'fifty', networks: [...MACRO.networks].sort((a, b) => a.id.localeCompare(b.id)).slice(0, 50) };

  it('a benchmark written as a file reads back the same', () => {
    const read = parseBenchmark(benchmarkFile(small));
    expect(read).toEqual({ name: 'fifty', imageSize: 32, ratio: [0, 0, 0, 1], networks: small.networks });
  });

  it('params and FLOPs left out are counted by the engine (conv weights + BN; conv MACs at the image size)', () => {
    const file = JSON.parse(benchmarkFile(small));
    for (const n of file.networks) {
      delete n.params;
      delete n.flops;
    }
    const read = parseBenchmark(JSON.stringify(file));
    expect(read.networks[7].params).toBe(params(small.networks[7].structure));
    expect(read.networks[7].flops).toBe(small.networks[7].flops - 12800);
  });

  const broken = (edit: (file: { networks: Record<string, unknown>[] } & Record<string, unknown>) => void) => {
    const file = JSON.parse(benchmarkFile(small));
    edit(file);
    return () => parseBenchmark(JSON.stringify(file));
  };

  it.each<[string, (f: { networks: Record<string, unknown>[] } & Record<string, unknown>) => void, string]>([
    ['a wrong accuracy', (f) => (f.networks[3].accuracy = 'high'), 'networks[3] (id "00000010").accuracy: found "high", expected the trained accuracy, a finite number'],
    ['a missing accuracy', (f) => delete f.networks[4].accuracy, 'networks[4] (id "00000011").accuracy: found nothing, expected the trained accuracy'],
    ['a bad block', (f) => ((f.networks[5].structure as Record<string, unknown>[])[2].k = 4), 'networks[5] (id "00000012").structure: block 2 (Identity), key \'k\': found 4, expected an odd kernel size'],
    ['an unknown block class', (f) => ((f.networks[6].structure as Record<string, unknown>[])[1].class = 'Transformer'), "networks[6] (id \"00000020\").structure: block 1, key 'class': found \"Transformer\""],
    ['a broken channel chain', (f) => ((f.networks[8].structure as Record<string, unknown>[])[3].in = 99), "networks[8] (id \"00000022\").structure: block 3 (Identity), key 'in': found 99, expected 64"],
    ['a stage count the ratio does not have', (f) => (f.ratio = [0, 1]), 'networks[0] (id "00000000").structure: has 4 stages (stride-2 blocks after the stem, plus one) but "ratio" has 2 weights'],
    ['a repeated id', (f) => (f.networks[9].id = '00000000'), 'networks[9].id: found "00000000" again (networks[0] has it); expected every id once'],
    ['negative FLOPs', (f) => (f.networks[2].flops = -1), 'networks[2] (id "00000002").flops: found -1, expected a positive number of FLOPs'],
    ['an unknown network field', (f) => (f.networks[1].top5 = 99), 'networks[1] (id "00000001").top5: unknown field'],
    ['no networks', (f) => (f.networks = []), 'networks: found a list of 0, expected a list of 2 to 100,000 networks'],
    ['a newer version', (f) => (f.version = 2), 'version: found 2: this benchmark was written by a newer MAE-DET Studio'],
    ['another format', (f) => (f.format = 'nas-bench-201'), 'format: found "nas-bench-201": this is not a MAE-DET Studio benchmark file'],
  ])('%s is refused, naming the network and the field', (_what, edit, message) => {
    expect(broken(edit)).toThrow(message);
  });

  it('text that is not JSON is refused', () => {
    expect(() => parseBenchmark('{"format": ')).toThrow(/^file: not JSON/);
  });
});

describe('statistics of the proxies', () => {
  it('FLOPs and params rank NAS-Bench-Macro as the data README measures (τ-b 0.556 / ρ 0.748; 0.218 / 0.318)', () => {
    const flops = proxyStats(MACRO, proxyValues(MACRO, 'flops'), { resamples: 20, seed: 0 });
    const prm = proxyStats(MACRO, proxyValues(MACRO, 'params'), { resamples: 20, seed: 0 });
    expect([flops.kendall, flops.spearman, prm.kendall, prm.spearman].map((x) => x!.toFixed(3))).toEqual(['0.556', '0.748', '0.218', '0.318']);
    expect(flops.kendallInterval!.low).toBeLessThan(flops.kendall!);
    expect(flops.kendallInterval!.high).toBeGreaterThan(flops.kendall!);
  });

  it('the same seed gives the same intervals', () => {
    const small = { ...MACRO, networks: MACRO.networks.slice(0, 300) };
    const values = proxyValues(small, 'madnas');
    expect(proxyStats(small, values, { resamples: 50, seed: 7 })).toEqual(proxyStats(small, values, { resamples: 50, seed: 7 }));
  });

  it('regret and the top pick equal a brute force on random benchmarks with ties', () => {
    const arbNet = fc.record({ acc: fc.integer({ min: 0, max: 5 }), value: fc.integer({ min: 0, max: 3 }), flops: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(fc.array(arbNet, { minLength: 2, maxLength: 40 }), fc.integer({ min: 0, max: 7 }), (nets, budget) => {
        const bench: Benchmark = { name: 'random', imageSize: 32, ratio: [1], networks: nets.map((n, i) => ({ id: `n${i}`, structure: [], accuracy: n.acc, params: 1, flops: n.flops })) };
        const values = nets.map((n) => n.value);
        const r = regretAt(bench, values, budget);
        const fits = nets.map((n, i) => ({ ...n, i })).filter((n) => n.flops <= budget);
        if (fits.length === 0) return r === null;
        const top = Math.max(...fits.map((n) => n.value));
        const tied = fits.filter((n) => n.value === top);
        const pickAcc = tied.reduce((a, n) => a + n.acc, 0) / tied.length;
        const best = Math.max(...fits.map((n) => n.acc));
        expect(r).toMatchObject({ networks: fits.length, pick: { id: `n${tied[0].i}`, ties: tied.length }, best: { accuracy: best } });
        expect(r!.pick.accuracy).toBeCloseTo(pickAcc, 12);
        expect(r!.regret).toBeCloseTo(best - pickAcc, 12);
        expect(r!.pick.percentile).toBeCloseTo((100 * fits.filter((n) => n.acc <= pickAcc).length) / fits.length, 12);
        return true;
      }),
    );
  });

  it('the FLOPs ladder rises to the largest network, every rung admitting networks', () => {
    const ladder = budgetLadder(MACRO);
    expect(ladder.length).toBe(10);
    expect(ladder.every((b, i) => i === 0 || b > ladder[i - 1])).toBe(true);
    expect(ladder[ladder.length - 1]).toBe(Math.max(...MACRO.networks.map((n) => n.flops)));
  });
});

describe('searching the benchmark space', () => {
  it('a child differs from its parent in layer choices only; the stem and head stay; it is always a benchmark network', () => {
    const space = SPACES.macro;
    fc.assert(
      fc.property(fc.stringMatching(/^[012]{8}$/), fc.integer(), fc.integer({ min: 1, max: 3 }), (code, seed, blocksPerChild) => {
        const parent = macroStructure(code);
        const child = mutate(parent, Rng.fromSeed(seed), { space, imageSize: 32, budgetLayers: undefined, draw: 'inclusive', blocksPerChild, excludeStem: false, minor: false });
        const childCode = macroCode(child);
        expect(childCode).toBeDefined();
        const changed = [...code].filter((d, i) => d !== childCode![i]).length;
        expect(changed).toBeLessThanOrEqual(blocksPerChild);
        // the 5×5 kernels on 4×4 maps stay (TinyNAS's spaces would shrink them)
        expect(child).toEqual(macroStructure(childCode!));
      }),
    );
  });

  it('the preset searches within its MACs budget, the same for a seed, and its best is a benchmark network', () => {
    const config = validateConfig({ ...presetConfig('nas-bench-macro'), budgets: { macs: 40e6 } });
    const run = () => {
      const search = Search.create(config);
      search.advance(search.total);
      return search.best();
    };
    const best = run();
    expect(run()).toEqual(best);
    expect(convMacs(best.structure, 32)).toBeLessThanOrEqual(40e6);
    expect(macroFlops(best.structure)).toBe(MACRO.networks.find((n) => n.id === macroCode(best.structure))!.flops);
    expect(flopsAt(best.structure, 32)).toBeGreaterThan(convMacs(best.structure, 32));
  });

  it('a MACs budget the seed does not fit is refused with the numbers', () => {
    expect(() => validateConfig({ ...presetConfig('nas-bench-macro'), budgets: { macs: 1e6 } })).toThrow('budgets.macs: the starting network (seed structure) needs 7.70 M MACs but the budget is 1.00 M MACs');
  });

  it('10 seeds under a FLOPs budget: every pick within it, regret against the best within it', () => {
    const budget = budgetLadder(MACRO)[4];
    const result = benchmarkSearch(MACRO, { objective: 'madnas', flopsBudget: budget });
    expect(result.runs.map((r) => r.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const best = Math.max(...MACRO.networks.filter((n) => n.flops <= budget).map((n) => n.accuracy));
    for (const r of result.runs) {
      expect(r.found.flops).toBeLessThanOrEqual(budget);
      expect(r.regret).toBeCloseTo(best - r.found.accuracy, 12);
      expect(r.regret).toBeGreaterThanOrEqual(0);
    }
    expect(benchmarkSearch(MACRO, { objective: 'madnas', flopsBudget: budget })).toEqual(result);
  });

  it('is refused on a benchmark that is not NAS-Bench-Macro', () => {
    const other = { ...MACRO, name: 'mine', networks: MACRO.networks.map((n, i) => ({ ...n, id: `net${i}` })) };
    expect(() => benchmarkSearch(other, { objective: 'madnas', flopsBudget: 1e9 })).toThrow('benchmark: mine is not all of NAS-Bench-Macro');
    // a part of it neither: a find may be missing
    expect(() => benchmarkSearch({ ...MACRO, networks: MACRO.networks.slice(0, 50) }, { objective: 'madnas', flopsBudget: 1e9 })).toThrow('is not all of NAS-Bench-Macro');
  });
});
