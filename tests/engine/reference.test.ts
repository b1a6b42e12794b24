// Every number of spec §9, for all seven reference structures.
import { describe, expect, it } from 'vitest';
import { budgetViolations, measureCosts } from '../../app/engine/budgets';
import { presetConfig, budgetsOf } from '../../app/engine/config';
import { flopsAt, layers, paperFlops, params, perBlockCosts, stageInfo } from '../../app/engine/cost';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { deepmad, efficientScore } from '../../app/engine/scores/deepmad';
import { madnas } from '../../app/engine/scores/madnas';

const net = (name: string) => findReferenceNetwork(name)!.structure;
const DET = [0, 0, 1, 1, 6];
const CLS = [0, 0, 0, 0, 1];

/** the spec prints some values to 6 or 12 decimals: compare to that precision (and 1e-9 relative) */
function closeTo(actual: number, expected: number, decimals: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(0.5 * 10 ** -decimals, Math.abs(expected) * 1e-9));
}

const TABLE: [string, number, number, number, number, number, number][] = [
  // name, params, layers, FLOPs@224, FLOPs@480, madnas [0,0,1,1,6], madnas [0,0,0,0,1]
  ['maedet_s', 21233120, 79, 2394002800, 10992870000, 1731.9070099667, 254.4582763272],
  ['maedet_m', 25843536, 91, 4420872120, 20299923000, 2114.7828676828, 298.2554562142],
  ['maedet_l', 43879552, 109, 7512161580, 34494619500, 2599.3961203228, 367.7112997288],
  ['r50_det_seed', 9639584, 16, 1686741504, 7745241600, 400.7261080144, 55.5174414793],
  ['cls_r18_like', 10369384, 82, 1705271344, 7830327600, 1667.8580554172, 252.859658748],
  ['cls_r50_like', 18474592, 82, 3674831048, 16874224200, 1823.3300390405, 252.1360936529],
  ['cls_r152_like', 52459936, 142, 10505227208, 48238288200, 3208.8206764175, 473.7431195177],
];

describe('spec §9 table', () => {
  it.each(TABLE)('%s: params, layers, FLOPs exact; madnas to 1e-9', (name, p, l, f224, f480, mDet, mCls) => {
    const s = net(name);
    expect(params(s)).toBe(p);
    expect(layers(s)).toBe(l);
    expect(flopsAt(s, 224)).toBe(f224);
    expect(flopsAt(s, 480)).toBe(f480);
    closeTo(madnas(s, DET).total, mDet, 10);
    closeTo(madnas(s, CLS).total, mCls, 10);
  });
});

describe('per-stage and per-block madnas terms', () => {
  it.each([
    ['maedet_s', [0, 0, 54.961256, 150.196096, 1526.749658]],
    ['maedet_m', [0, 0, 112.201668, 213.048462, 1789.532737]],
    ['maedet_l', [0, 0, 134.477456, 258.650866, 2206.267798]],
    ['r50_det_seed', [0, 0, 23.599838, 44.021621, 333.104649]],
  ] as [string, number[]][])('%s per-stage contributions', (name, stages) => {
    const got = madnas(net(name), DET).perStage;
    expect(got).toHaveLength(5);
    got.forEach((v, i) => closeTo(v, stages[i], 6));
  });

  it('maedet_s: 27 per-block terms', () => {
    const expected = [1.647918433002, 6.808041766634, 7.010774320688, 7.821704536904, ...Array(3).fill(8.689005064598), 8.794365580256, ...Array(9).fill(9.457200449908), 10.04498711481, ...Array(9).fill(10.39156070509)];
    const got = madnas(net('maedet_s'), DET).perBlock;
    expect(got).toHaveLength(27);
    got.forEach((v, i) => closeTo(v, expected[i], 12));
  });

  it('R50 seed: 6 per-block terms', () => {
    const expected = [1.647918433002, 6.990363323428, 8.723231274828, 9.762952045667, 9.965684599722, 10.802672816507];
    madnas(net('r50_det_seed'), DET).perBlock.forEach((v, i) => closeTo(v, expected[i], 12));
  });
});

describe('per-block FLOPs at 480 and params', () => {
  it.each([
    ['maedet_s', [55296000, 902476800, 2848348800, 3206203200, 3980545200], [928, 58912, 770336, 3482496, 16920448]],
    ['r50_det_seed', [55296000, 1040486400, 1732147200, 1542988800, 1658419200, 1715904000], [928, 64768, 379392, 1314816, 1840128, 6039552]],
  ] as [string, number[], number[]][])('%s', (name, flops, prm) => {
    const rows = perBlockCosts(net(name), 480);
    expect(rows.map((r) => r.flops)).toEqual(flops);
    expect(rows.map((r) => r.params)).toEqual(prm);
  });
});

describe('DeepMAD and efficient score', () => {
  it.each([
    ['maedet_s', 25301.617862, 28631.261403, 0.152665580538],
    ['maedet_m', 30986.22251, 35033.102285, 0.153104984213],
    ['maedet_l', 38762.227741, 43758.086088, 0.147660878893],
    ['r50_det_seed', 5228.012329, 5910.707577, 0.053245258687],
  ] as [string, number, number, number][])('%s', (name, at224, at480, eff) => {
    closeTo(deepmad(net(name), { imageSize: 224 }).total, at224, 6);
    closeTo(deepmad(net(name), { imageSize: 480 }).total, at480, 6);
    closeTo(efficientScore(net(name)), eff, 12);
  });
});

describe('FLOPs in the paper convention at 1280×800', () => {
  it.each([
    ['maedet_s', 48.702],
    ['maedet_m', 89.933],
    ['maedet_l', 152.915],
    ['r50_det_seed', 34.307],
  ] as [string, number][])('%s ≈ %s G', (name, g) => {
    expect(Math.round(paperFlops(net(name), 1280, 800) / 1e6) / 1e3).toBe(g);
  });
});

describe('stage info', () => {
  it('maedet_s at 224', () => {
    expect(stageInfo(net('maedet_s'), 224)).toEqual({ idx: [0, 1, 2, 3, 4], blockNum: [1, 3, 7, 17, 27], layerNum: [1, 7, 19, 49, 79], channels: [32, 48, 272, 1024, 2048], featureMapSize: [112, 56, 28, 14, 7] });
  });
  it('R50 seed at 224 (block 4 is stride 1)', () => {
    const info = stageInfo(net('r50_det_seed'), 224);
    expect(info.idx).toEqual([0, 1, 2, 4, 5]);
    expect(info.blockNum).toEqual([1, 2, 3, 5, 6]);
    expect(info.layerNum).toEqual([1, 4, 7, 13, 16]);
    expect(info.channels).toEqual([32, 256, 512, 1024, 2048]);
  });
});

describe('budget verdicts with detection-r50 (FLOPs ≤ 188e8 at 480, layers ≤ 91)', () => {
  const config = presetConfig('detection-r50');
  const verdict = (name: string) => budgetViolations(measureCosts(net(name), config.imageSize, budgetsOf(config)), budgetsOf(config)).map((v) => v.key);
  it('seed and maedet_s pass', () => {
    expect(verdict('r50_det_seed')).toEqual([]);
    expect(verdict('maedet_s')).toEqual([]);
  });
  it('maedet_m fails FLOPs only (91 layers passes exactly)', () => expect(verdict('maedet_m')).toEqual(['flops']));
  it('maedet_l fails both', () => expect(verdict('maedet_l')).toEqual(['flops', 'layers']));
  it('detection-r101 admits MAE-DET-L', () => {
    const r101 = presetConfig('detection-r101');
    expect(budgetViolations(measureCosts(net('maedet_l'), 480, budgetsOf(r101)), budgetsOf(r101))).toEqual([]);
  });
});
