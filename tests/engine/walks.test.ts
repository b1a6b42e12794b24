// Random mutation walks (engine/evolution/walks), the lesson's short-search configs
// (engine/evolution/shortSearch) and stage shapes (engine/stageShape).
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { presetConfig } from '../../app/engine/config';
import { mutateOptionsOf } from '../../app/engine/evolution/search';
import { shortSearchConfig } from '../../app/engine/evolution/shortSearch';
import { mutationWalks } from '../../app/engine/evolution/walks';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { Rng } from '../../app/engine/rng';
import { stageShapes } from '../../app/engine/stageShape';
import { structureKey } from '../../app/engine/structure';

const config = presetConfig('detection-r50');
const seed = config.model.structure;

function take<T>(source: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of source) {
    out.push(item);
    if (out.length === n) break;
  }
  return out;
}

describe('mutationWalks', () => {
  const walk = (rngSeed: number, accept: (s: Structure) => number | null = (s) => s.length) =>
    mutationWalks(seed, Rng.fromSeed(rngSeed), { mutate: mutateOptionsOf(config), walkLength: 20, accept });

  it('yields distinct networks, never the seed, each with what `accept` recorded', () => {
    const found = take(walk(1), 2000);
    expect(found).toHaveLength(2000);
    const keys = new Set(found.map((f) => structureKey(f.structure)));
    expect(keys.size).toBe(2000);
    expect(keys.has(structureKey(seed))).toBe(false);
    for (const f of found) expect(f.value).toBe(f.structure.length);
  });

  it('is a function of the random seed', () => {
    const keys = (rngSeed: number) => take(walk(rngSeed), 300).map((f) => structureKey(f.structure));
    expect(keys(5)).toEqual(keys(5));
    expect(keys(5)).not.toEqual(keys(6));
  });

  it('records only accepted networks', () => {
    const narrow = (s: Structure) => (s.every((b) => (b.L ?? 1) <= 2) ? 1 : null);
    const found = take(walk(2, narrow), 300);
    expect(found.length).toBe(300);
    for (const f of found) expect(f.structure.every((b) => (b.L ?? 1) <= 2)).toBe(true);
  });

  it('ends when nothing new is accepted, and refuses a walk without steps', () => {
    expect(take(walk(3, () => null), 10)).toEqual([]);
    expect(() => take(mutationWalks(seed, Rng.fromSeed(1), { mutate: mutateOptionsOf(config), walkLength: 0, accept: () => 1 }), 1)).toThrow(/at least one step; found 0/);
  });
});

describe('shortSearchConfig', () => {
  it('keeps the set-up and sets weights, FLOPs budget, children, seed, one worker and madnas', () => {
    const c = shortSearchConfig({ ...config, score: { ...config.score, type: 'entropy' }, search: { ...config.search, workers: 4 } }, { ratio: [0, 0, 0, 0, 1], flopsBudget: 12e9, children: 500, seed: 9 });
    expect(c.score).toMatchObject({ type: 'madnas', multiBlockRatio: [0, 0, 0, 0, 1] });
    expect(c.budgets).toEqual({ ...config.budgets, flops: 12e9 });
    expect(c.search).toMatchObject({ numRandomNets: 500, seed: 9, workers: 1, popuSize: config.search.popuSize });
    expect(c.imageSize).toBe(config.imageSize);
    expect(c.model).toEqual(config.model);
    expect(shortSearchConfig(config, { children: 1, seed: 0, flopsBudget: null }).budgets.flops).toBeNull();
    expect(shortSearchConfig(config, { children: 1, seed: 0 }).budgets.flops).toBe(config.budgets.flops);
  });

  it('rejects weights the seed cannot be scored with, and a FLOPs budget the seed breaks', () => {
    expect(() => shortSearchConfig(config, { ratio: [0, 1, 6], children: 1, seed: 0 })).toThrow(/score\.multiBlockRatio/);
    expect(() => shortSearchConfig(config, { ratio: [0, 0, 0, 0, 0], children: 1, seed: 0 })).toThrow(/all weights are 0/);
    expect(() => shortSearchConfig(config, { flopsBudget: 1e9, children: 1, seed: 0 })).toThrow(/budgets\.flops: the starting network \(seed structure\) needs/);
  });
});

describe('stageShapes', () => {
  it('MAE-DET-S at 480: per-stage layers, blocks, channels, sides and strides (spec §3.1)', () => {
    const shapes = stageShapes(findReferenceNetwork('maedet_s')!.structure, 480);
    // cumulative layers [1,7,19,49,79], blocks [1,3,7,17,27], channels [32,48,272,1024,2048]
    expect(shapes).toEqual([
      { channels: 32, layers: 1, blocks: 1, featureMapSize: 240, stride: 2 },
      { channels: 48, layers: 6, blocks: 2, featureMapSize: 120, stride: 4 },
      { channels: 272, layers: 12, blocks: 4, featureMapSize: 60, stride: 8 },
      { channels: 1024, layers: 30, blocks: 10, featureMapSize: 30, stride: 16 },
      { channels: 2048, layers: 30, blocks: 10, featureMapSize: 15, stride: 32 },
    ]);
  });

  it('the R50 seed: its stride-1 block stays in stage C4', () => {
    const shapes = stageShapes(seed, 224);
    expect(shapes.map((s) => s.stride)).toEqual([2, 4, 8, 16, 32]);
    expect(shapes.map((s) => s.layers)).toEqual([1, 3, 3, 6, 3]);
  });
});
