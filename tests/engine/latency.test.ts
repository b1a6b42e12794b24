// Latency on the user's device (issue #15), the pure parts: the units a network is cut into, the
// predictor on synthetic tables (exact hits, interpolation, extrapolation flagged, refusal), the
// calibration fit, the profile file (round trip, malformed and foreign files), the config's
// latency budget and a budgeted search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { presetConfig, validateConfig, CONFIG_VERSION } from '../../app/engine/config';
import { flopsAt } from '../../app/engine/cost';
import { ConfigError } from '../../app/engine/errors';
import { Search, mutateOptionsOf, Evaluator } from '../../app/engine/evolution/search';
import { mutationWalks } from '../../app/engine/evolution/walks';
import { networkOps, opMacs, unitOutputSide, type ConvOp, type LatencyOp } from '../../app/engine/latency/ops';
import { latencyPlan } from '../../app/engine/latency/plan';
import { calibrated, fitCalibration, LatencyPredictor, LatencyRangeError } from '../../app/engine/latency/predictor';
import { parseProfile, PROFILE_FORMAT, readProfile, unitKey, type Calibration, type LatencyProfile, type ProfileOp, type ProfileUnit } from '../../app/engine/latency/profile';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { Rng } from '../../app/engine/rng';
import { kendallTau, meanAbsolutePercentageError, quantile } from '../../app/engine/stats';

const net = (name: string) => findReferenceNetwork(name)!.structure;

const DEVICE = { backend: 'wasm', runtime: 'onnxruntime-web 1.30.0', adapter: 'CPU, 2 logical cores', threads: 2, crossOriginIsolated: true, agent: 'test' };

function profileOf(units: ProfileUnit[], calibration: Calibration | null = { intercept: 0, unitScale: 1, moveScale: 0 }, resolution = 224): LatencyProfile {
  return {
    format: PROFILE_FORMAT,
    version: 1,
    name: 'synthetic',
    date: '2026-12-06T12:00:00.000Z',
    device: DEVICE,
    resolution,
    hygiene: { warmupRuns: 2, minSampleMs: 2, samples: 7 },
    plan: { name: 'synthetic plan', id: '00000000', units: units.length, calibration: 0 },
    seconds: 1,
    units,
    networks: [],
    calibration,
  };
}

const timed = (op: ProfileOp, ms: number): ProfileUnit => ({ ...op, ms, p10: ms, p90: ms });

/** a regular-conv family measured on a channel grid, each time a bilinear function of (C_in, C_out) */
const bilinear = (cin: number, cout: number) => 0.05 + 0.001 * cin + 0.002 * cout + 0.00001 * cin * cout;
const conv = (cin: number, cout: number): ConvOp => ({ op: 'conv', kind: 'regular', k: 3, stride: 1, side: 28, cin, cout, epilogue: 'relu' });
const GRID = [16, 64, 256];
const gridUnits = GRID.flatMap((cin) => GRID.map((cout) => timed(conv(cin, cout), bilinear(cin, cout))));

describe('latency units', () => {
  it('cut MAE-DET-S into the units of its deploy graph: the stem, 3 convs per inner block, a projection and a pool per stride-2 block', () => {
    const { ops, notes } = networkOps(net('maedet_s'), 224);
    expect(notes).toEqual([]);
    const convs = ops.filter((o): o is ConvOp => o.op === 'conv');
    // 2 + 4 + 10 + 10 inner blocks
    expect(convs).toHaveLength(1 + 3 * 26 + 4);
    expect(ops.filter((o) => o.op === 'pool')).toHaveLength(4);
    expect(convs.filter((c) => c.epilogue === 'add-relu')).toHaveLength(26);
    expect(convs.filter((c) => c.epilogue === 'none')).toHaveLength(4);
    expect(convs[0]).toEqual({ op: 'conv', kind: 'regular', k: 3, stride: 2, side: 224, cin: 3, cout: 32, epilogue: 'relu' });
    // inner 0 of block 1, in graph order: 1×1 at 112, 5×5 stride 2 at 112, 1×1 + Add + ReLU at 56, then the shortcut's pool and projection
    expect(ops.slice(1, 6)).toEqual([
      { op: 'conv', kind: 'regular', k: 1, stride: 1, side: 112, cin: 32, cout: 32, epilogue: 'relu' },
      { op: 'conv', kind: 'regular', k: 5, stride: 2, side: 112, cin: 32, cout: 32, epilogue: 'relu' },
      { op: 'conv', kind: 'regular', k: 1, stride: 1, side: 56, cin: 32, cout: 48, epilogue: 'add-relu' },
      { op: 'pool', side: 112, channels: 32 },
      { op: 'conv', kind: 'regular', k: 1, stride: 1, side: 56, cin: 32, cout: 48, epilogue: 'none' },
    ]);
  });

  it('count the multiply–accumulates: with the BN, ReLU and residual-add ops per output, the search FLOPs exactly', () => {
    // φ (§2.1–2.3) adds 2 BN ops per output element, one per ReLU, and one per output for the residual
    // add — which the reference counts only beside a projection (`+ cout/s²  # 1x1 proj + residual add`)
    const s = net('r50_det_seed');
    let total = 0;
    for (const op of networkOps(s, 224).ops) {
      total += opMacs(op);
      if (op.op === 'conv') {
        const out = unitOutputSide(op) ** 2 * op.cout;
        total += 3 * out;
      }
    }
    expect(total).toBe(flopsAt(s, 224));
  });

  it('read depthwise convs from the k1dwk1 blocks', () => {
    const s: Structure = [
      { class: 'ConvKXBNRELU', in: 3, out: 16, s: 2, k: 3 },
      { class: 'SuperResK1DWK1', in: 16, out: 24, s: 2, k: 3, L: 2, btn: 48 },
    ];
    const kinds = networkOps(s, 64).ops.map((o) => (o.op === 'conv' ? `${o.kind} ${o.k} ${o.epilogue}` : o.op));
    // inner 0 has no shortcut (16 ≠ 24 channels): its last conv has only the ReLU
    expect(kinds).toEqual(['regular 3 relu', 'regular 1 relu', 'depthwise 3 relu', 'regular 1 relu', 'regular 1 relu', 'depthwise 3 relu', 'regular 1 add-relu']);
  });
});

describe('the predictor on synthetic tables', () => {
  const predictor = new LatencyPredictor(profileOf(gridUnits));

  it('returns exact hits exactly', () => {
    for (const u of gridUnits) expect(predictor.unitTime(u)).toEqual({ ms: u.ms, extrapolated: false });
  });

  it('interpolates bilinearly in channels: exact for a bilinear cost, anywhere inside the grid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 32 }), fc.integer({ min: 2, max: 32 }), (a, b) => {
        const [cin, cout] = [8 * a, 8 * b];
        const t = predictor.unitTime(conv(cin, cout));
        expect(t.extrapolated).toBe(false);
        expect(Math.abs(t.ms - bilinear(cin, cout))).toBeLessThan(1e-12);
      }),
    );
  });

  it('keeps interpolating on the grid when units off it (a reference network\'s, timed exactly) are in the table', () => {
    const extras = [timed(conv(40, 100), 7), timed(conv(40, 200), 8), timed(conv(200, 100), 9)];
    const p = new LatencyPredictor(profileOf([...gridUnits, ...extras]));
    for (const e of extras) expect(p.unitTime(e)).toEqual({ ms: e.ms, extrapolated: false });
    for (const [cin, cout] of [
      [32, 32],
      [48, 160],
      [128, 200],
    ]) {
      const t = p.unitTime(conv(cin, cout));
      expect(t.extrapolated).toBe(false);
      expect(t.ms).toBeCloseTo(bilinear(cin, cout), 12);
    }
  });

  it('interpolates along the other axis alone when one has a single value (the stem: 3 input channels)', () => {
    const stem = (cout: number): ConvOp => ({ op: 'conv', kind: 'regular', k: 3, stride: 2, side: 224, cin: 3, cout, epilogue: 'relu' });
    const p = new LatencyPredictor(profileOf([timed(stem(16), 1), timed(stem(32), 2), timed(stem(64), 4)]));
    expect(p.unitTime(stem(24))).toEqual({ ms: 1.5, extrapolated: false });
    expect(p.unitTime(stem(48))).toEqual({ ms: 3, extrapolated: false });
  });

  it('flags channels outside the measured ones: the nearest unit rescaled by multiply–accumulates', () => {
    const t = predictor.unitTime(conv(512, 256));
    expect(t.extrapolated).toBe(true);
    expect(t.ms).toBeCloseTo((bilinear(256, 256) * opMacs(conv(512, 256))) / opMacs(conv(256, 256)), 12);
    const below = predictor.unitTime(conv(8, 16));
    expect(below.extrapolated).toBe(true);
  });

  it('refuses a unit of a kind, kernel, stride, epilogue or side it never measured, and a network holding one', () => {
    expect(() => predictor.unitTime({ ...conv(64, 64), side: 14 })).toThrow(LatencyRangeError);
    expect(() => predictor.unitTime({ ...conv(64, 64), k: 5 })).toThrow(/the profile has no 5×5 regular conv, stride 1 \+ ReLU, at 28 px \(profiled at 224×224 px\)/);
    expect(predictor.predictMs(net('maedet_s'))).toBe(Infinity);
    expect(() => predictor.predict(net('maedet_s'))).toThrow(/^block 0 \(ConvKXBNRELU\): the profile has no 3×3 regular conv, stride 2 \+ ReLU, at 224 px/);
  });

  it('refuses a partial profile', () => {
    expect(() => new LatencyPredictor(profileOf(gridUnits, null))).toThrow(/is not complete \(9 of 9 units measured\): resume it first/);
  });
});

/** a table holding every unit (and tensor move) of some networks, each timed by a formula */
function tableFor(structures: Structure[], resolution: number, time: (op: ProfileOp) => number): LatencyProfile {
  const units = new Map<string, ProfileUnit>();
  const add = (op: ProfileOp) => units.set(unitKey(op), timed(op, time(op)));
  for (const s of structures) {
    for (const op of networkOps(s, resolution).ops) {
      add(op);
      if (op.op === 'pool') {
        add({ op: 'move', side: op.side, channels: op.channels });
        add({ op: 'move', side: Math.floor(op.side / 2), channels: op.channels });
      } else {
        add({ op: 'move', side: op.side, channels: op.cin });
        add({ op: 'move', side: unitOutputSide(op), channels: op.cout });
      }
    }
  }
  return profileOf([...units.values()], { intercept: 0, unitScale: 1, moveScale: 0 }, resolution);
}

const walkNetworks = (count: number, seed: number) => {
  const config = presetConfig('detection-r50');
  const evaluator = new Evaluator(config);
  const out: Structure[] = [];
  for (const { structure } of mutationWalks(config.model.structure, Rng.fromSeed(seed), { mutate: mutateOptionsOf(config), walkLength: 30, accept: (s) => evaluator.costs(s) })) {
    out.push(structure);
    if (out.length === count) break;
  }
  return out;
};

describe('network predictions', () => {
  const networks = walkNetworks(60, 5);
  const time = (op: ProfileOp) => (op.op === 'move' ? 1e-6 * op.channels * op.side * op.side : 1e-9 * opMacs(op) + 0.01);
  const predictor = new LatencyPredictor(tableFor(networks, 224, time));

  it('sum every unit of the deploy graph (the per-block memo and the L − 1 identical inners change nothing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: networks.length - 1 }), (i) => {
        const ops = networkOps(networks[i], 224).ops;
        const direct = ops.reduce((sum, op) => sum + time(op), 0);
        const sums = predictor.sums(networks[i]);
        expect(sums.units).toBe(ops.length);
        expect(sums.extrapolated).toBe(0);
        expect(Math.abs(sums.unitMs - direct)).toBeLessThan(1e-9 * direct);
        // twice: the second answer comes from the memo
        expect(predictor.predictMs(networks[i])).toBe(predictor.predictMs(networks[i]));
      }),
    );
  });

  it('apply the calibration: intercept + scale · units + scale · moves', () => {
    const sums = predictor.sums(networks[0]);
    expect(calibrated({ intercept: 2, unitScale: 1.5, moveScale: -0.25 }, sums)).toBeCloseTo(2 + 1.5 * sums.unitMs - 0.25 * sums.moveMs, 12);
  });
});

describe('fitCalibration', () => {
  /** six networks' unit and move sums (ms) */
  const sums = [
    [10, 3],
    [20, 5],
    [30, 4],
    [40, 9],
    [55, 7],
    [70, 12],
  ].map(([u, m]) => ({ unitMs: u, moveMs: m }));

  it('recovers an exact linear relation from five or more networks', () => {
    const points = sums.map((p) => ({ ...p, measuredMs: 2 + 1.5 * p.unitMs - 0.3 * p.moveMs }));
    const c = fitCalibration(points);
    expect(c.intercept).toBeCloseTo(2, 9);
    expect(c.unitScale).toBeCloseTo(1.5, 9);
    expect(c.moveScale).toBeCloseTo(-0.3, 9);
  });

  it('holds the move scale to [−b, 0]: a fit beyond is refitted at the bound', () => {
    // a relation that "removes" twice the moves: held at c = −b, measured ≈ a + b·(U − M)
    const beyond = fitCalibration(sums.map((p) => ({ ...p, measuredMs: 30 + p.unitMs - 2 * p.moveMs })));
    expect(beyond.moveScale).toBeCloseTo(-beyond.unitScale, 12);
    // one that adds the moves: held at c = 0
    const adding = fitCalibration(sums.map((p) => ({ ...p, measuredMs: 1 + p.unitMs + 0.5 * p.moveMs })));
    expect(adding.moveScale).toBe(0);
    expect(adding.unitScale).toBeGreaterThan(0);
  });

  it('falls back to a plain scale with fewer than five networks, or a degenerate fit', () => {
    expect(fitCalibration([{ unitMs: 10, moveMs: 1, measuredMs: 8 }])).toEqual({ intercept: 0, unitScale: 0.8, moveScale: 0 });
    const collinear = [1, 2, 3, 4, 5].map((u) => ({ unitMs: u, moveMs: 2 * u, measuredMs: u }));
    expect(fitCalibration(collinear)).toEqual({ intercept: 0, unitScale: 1, moveScale: 0 });
  });
});

describe('the profile file', () => {
  const profile = profileOf(gridUnits, { intercept: 0.5, unitScale: 0.9, moveScale: -0.2 });

  it('round-trips through JSON text', () => {
    expect(parseProfile(JSON.stringify(profile))).toEqual(profile);
  });

  it.each<[string, (p: Record<string, unknown>) => unknown, string]>([
    ['a foreign JSON file', () => ({ format: 'other-tool', entries: [] }), 'format: found "other-tool", expected "maedet-studio-latency-profile": this is not a MAE-DET Studio latency profile'],
    ['a config file', () => presetConfig('detection-r50'), 'format: found nothing, expected "maedet-studio-latency-profile"'],
    ['a newer version', (p) => ({ ...p, version: 2 }), 'version: found 2: this latency profile was written by a newer MAE-DET Studio (this one reads up to version 1)'],
    ['a negative time', (p) => ({ ...p, units: (p.units as ProfileUnit[]).map((u, i) => (i === 3 ? { ...u, ms: -1 } : u)) }), 'units[3].ms: found -1, expected a time in ms (≥ 0)'],
    ['an unknown unit', (p) => ({ ...p, units: [{ op: 'matmul', side: 4, ms: 1, p10: 1, p90: 1 }] }), 'units[0].op: found "matmul", expected conv, pool or move'],
    ['a bad epilogue', (p) => ({ ...p, units: [{ ...gridUnits[0], epilogue: 'gelu' }] }), 'units[0].epilogue: found "gelu", expected one of relu, none, add-relu'],
    ['missing device', (p) => ({ ...p, device: undefined }), 'device: found nothing, expected an object'],
    ['a bad calibration', (p) => ({ ...p, calibration: { intercept: 'x' } }), 'calibration.intercept: found "x", expected a finite number'],
  ])('refuses %s with the field and what was expected', (_name, change, message) => {
    expect(() => readProfile(change(JSON.parse(JSON.stringify(profile))))).toThrow(message);
  });

  it('refuses text that is not JSON in one sentence', () => {
    expect(() => parseProfile('{"format": ')).toThrow(/^profile: not JSON/);
  });
});

describe('the sampling plan', () => {
  const config = presetConfig('detection-r50');

  it('is deterministic and covers every unit of the published networks exactly', () => {
    const plan = latencyPlan(config, 224);
    expect(latencyPlan(config, 224)).toEqual(plan);
    const keys = new Set(plan.units.map(unitKey));
    for (const name of ['maedet_s', 'maedet_m', 'maedet_l', 'r50_det_seed']) for (const op of networkOps(net(name), 224).ops) expect(keys.has(unitKey(op))).toBe(true);
    expect(plan.networks).toHaveLength(12);
    expect(plan.networks[0].structure).toEqual(config.model.structure);
  });

  it('lets the predictor time networks of the space with few extrapolated units', () => {
    const plan = latencyPlan(config, 224);
    const predictor = new LatencyPredictor(profileOf(plan.units.map((op) => timed(op, 1)), { intercept: 0, unitScale: 1, moveScale: 0 }));
    const networks = walkNetworks(200, 77);
    const extrapolated = networks.reduce((n, s) => n + predictor.sums(s).extrapolated, 0);
    const units = networks.reduce((n, s) => n + predictor.sums(s).units, 0);
    expect(extrapolated / units).toBeLessThan(0.05);
  });

  it('the quick plan is a 2 × 2 grid per family and 7 calibration networks', () => {
    const quick = latencyPlan(config, 224, { quick: true });
    expect(quick.units.length).toBeLessThan(latencyPlan(config, 224).units.length / 2);
    expect(quick.networks).toHaveLength(7);
    expect(quick.id).not.toBe(latencyPlan(config, 224).id);
  });
});

describe('the latency budget', () => {
  const config = presetConfig('detection-r50');
  const plan = latencyPlan(config, 224, { quick: true });
  // a device where every unit costs its multiply–accumulates at 10 GMAC/s, plus 10 µs
  const time = (op: LatencyOp | ProfileOp) => (op.op === 'move' ? 0 : 1e-7 * opMacs(op) + 0.01);
  const profile = profileOf(
    plan.units.map((op) => timed(op, time(op))),
    { intercept: 0, unitScale: 1, moveScale: 0 },
  );
  const seedMs = new LatencyPredictor(profile).predictMs(config.model.structure);

  it('needs a profile, and the seed must fit it', () => {
    expect(() => validateConfig({ ...config, budgets: { ...config.budgets, latency: 100 } })).toThrow(ConfigError);
    expect(() => validateConfig({ ...config, budgets: { ...config.budgets, latency: 100 } })).toThrow('budgets.latency: a latency budget needs the device profile it is measured on');
    expect(() => validateConfig({ ...config, latencyProfile: profile, budgets: { ...config.budgets, latency: seedMs / 2 } })).toThrow(
      `budgets.latency: the starting network (seed structure) needs ${seedMs.toFixed(2)} ms but the budget is ${(seedMs / 2).toFixed(2)} ms`,
    );
    expect(() => validateConfig({ ...config, latencyProfile: { ...profile, calibration: null } })).toThrow(/latencyProfile: the profile “synthetic” is partial/);
    expect(() => validateConfig({ ...config, latencyProfile: { ...profile, units: 'none' } })).toThrow('latencyProfile.units: found "none", expected a list of measured units');
  });

  it('a version-2 config reads with the latency budget off', () => {
    const v2 = { ...JSON.parse(JSON.stringify(config)), version: 2 };
    delete v2.latencyProfile;
    delete v2.budgets.latency;
    const read = validateConfig(v2);
    expect(read.version).toBe(CONFIG_VERSION);
    expect(read.budgets.latency).toBeNull();
    expect(read.latencyProfile).toBeNull();
  });

  it('a budgeted search keeps only networks predicted within it, and records their latency', () => {
    const budget = seedMs * 1.3;
    const search = Search.create({ ...config, latencyProfile: profile, budgets: { ...config.budgets, latency: budget }, search: { ...config.search, numRandomNets: 3000, popuSize: 64 } });
    search.advance(3000);
    const members = search.population.members;
    expect(members.length).toBeGreaterThan(1);
    for (const m of members) expect(m.latency).toBeLessThanOrEqual(budget);
    expect(Math.max(...members.map((m) => m.latency!))).toBeGreaterThan(seedMs);
  });
});

describe('rank statistics', () => {
  it('Kendall τ-b counts the pairs with ties in either variable', () => {
    // 7 concordant pairs, 1 discordant, one tied in x only, one in y only: (7 − 1) / √(9 · 9)
    expect(kendallTau([1, 2, 2, 3, 4], [1, 3, 2, 2, 5])).toBeCloseTo(2 / 3, 12);
    expect(kendallTau([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(kendallTau([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('MAPE and quantiles as NumPy computes them', () => {
    expect(meanAbsolutePercentageError([110, 90], [100, 100])).toBeCloseTo(10, 12);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBeCloseTo(1.9, 12);
  });
});
