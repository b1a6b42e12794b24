// The measured MAE-DET entropy (spec §4) on onnxruntime-node, and on onnxruntime-web's wasm
// backend in Node: reference numbers, the analytic limit, both runtimes, the layer-major mode,
// the σ → score sum, BN/ReLU, and setting errors.
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { Block, Structure } from '../../app/engine/block';
import { ConfigError, StructureError } from '../../app/engine/errors';
import { combineMoments, EntropyAbortError, measureEntropy, sigmaScore, type EntropySettings, type OnnxRuntime } from '../../app/engine/entropy';
import { log } from '../../app/engine/math';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { entropyConvs } from '../../app/engine/onnx/entropyGraph';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { madnas } from '../../app/engine/scores/madnas';
import type { NormalPrefix } from '../../app/engine/normal';

const net = (name: string) => findReferenceNetwork(name)!.structure;
const nodeRuntime = ortRuntime(ort);
const webRuntime = ortRuntime(ortWeb, { threads: 1 });
const RATIO = [0, 0, 1, 1, 6];
const plain = { bn: false, relu: false, seed: 0 };

/** the σ list of every repeat, next to the result */
async function measure(structure: Structure, settings: EntropySettings, runtime: OnnxRuntime = nodeRuntime) {
  const sigmas: number[][] = [];
  const result = await measureEntropy(structure, settings, runtime, { onRepeat: (r) => sigmas.push(r.sigmas) });
  return { ...result, sigmas };
}

/** the largest relative difference between two σ lists */
function maxRelativeDiff(a: readonly number[], b: readonly number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));
}

describe('measured entropy: reference numbers (spec §9, R = 224, B = 2, no BN / ReLU)', () => {
  it('R50 seed ≈ 400.09', async () => {
    const r = await measure(net('r50_det_seed'), { ...plain, batch: 2, resolution: 224, repeats: 4 });
    expect(r.perRepeat).toHaveLength(4);
    expect(Math.abs(r.mean - 400.09)).toBeLessThan(2);
    expect(r.provider).toMatch(/^onnxruntime-node .*, cpu/);
  });

  it('MAE-DET-S ≈ 1725.25, below the analytic score by the border effect', async () => {
    const r = await measure(net('maedet_s'), { ...plain, batch: 2, resolution: 224, repeats: 4 });
    expect(Math.abs(r.mean - 1725.25)).toBeLessThan(2);
    expect(r.mean).toBeLessThan(madnas(net('maedet_s'), RATIO).total - 4);
    expect(r.perStage).toHaveLength(5);
    expect(r.perStage.reduce((a, b) => a + b, 0)).toBeCloseTo(r.mean, 9);
    expect(r.sigmas[0]).toHaveLength(79);
  });
});

describe('measured entropy: the analytic limit', () => {
  it('at 480 MAE-DET-S is within a few units of madnas, closer than at 224', async () => {
    const analytic = madnas(net('maedet_s'), RATIO).total;
    const at480 = await measure(net('maedet_s'), { ...plain, batch: 1, resolution: 480, repeats: 2 });
    expect(analytic - at480.mean).toBeGreaterThan(0);
    expect(analytic - at480.mean).toBeLessThan(4);
    // zero padding loses variance at the borders, a larger share of a smaller map (§9: 1725.25 at 224)
    expect(analytic - at480.mean).toBeLessThan(analytic - 1725.25 - 2);
  });

  it('a depthwise (grouped conv) network matches its madnas at a large resolution', async () => {
    const dw = (cin: number, out: number, L: number, btn: number): Block => ({ class: 'SuperResK1DWK1', in: cin, out, s: 2, k: 3, L, btn });
    const structure: Structure = [{ class: 'ConvKXBNRELU', in: 3, out: 16, s: 2, k: 3 }, dw(16, 24, 1, 48), dw(24, 32, 2, 96), dw(32, 64, 2, 128), dw(64, 96, 1, 192)];
    const r = await measure(structure, { ...plain, batch: 2, resolution: 512, repeats: 2 });
    expect(Math.abs(madnas(structure, RATIO).total - r.mean)).toBeLessThan(2);
  });
});

describe('measured entropy: runtimes and modes agree', () => {
  const seed = net('r50_det_seed');

  it.each([
    ['no BN / ReLU', { bn: false, relu: false, resolution: 224 }],
    ['BN and ReLU', { bn: true, relu: true, resolution: 96 }],
  ])('onnxruntime-web (wasm) gives onnxruntime-node σ list (%s)', async (_, options) => {
    const settings = { ...options, seed: 3, batch: 2, repeats: 1 };
    const onNode = await measure(seed, settings);
    const onWeb = await measure(seed, settings, webRuntime);
    expect(onWeb.provider).toMatch(/^onnxruntime-web .*, wasm, 1 thread$/);
    expect(maxRelativeDiff(onWeb.sigmas[0], onNode.sigmas[0])).toBeLessThan(1e-5);
    expect(onWeb.mean).toBeCloseTo(onNode.mean, 3);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('layer-major sub-batches equal the whole batch (bn %s, relu %s)', async (bn, relu) => {
    const settings = { bn, relu, seed: 5, batch: 5, resolution: 64, repeats: 2 };
    const whole = await measure(seed, settings);
    // sub-batches of 2, 2 and 1 images
    const chunked = await measure(seed, { ...settings, subBatch: 2 });
    for (let r = 0; r < 2; r++) expect(maxRelativeDiff(chunked.sigmas[r], whole.sigmas[r])).toBeLessThan(1e-5);
    expect(chunked.mean).toBeCloseTo(whole.mean, 3);
  });

  it('a seed gives the same feeds: same seed, same score; another seed, another', async () => {
    const settings = { ...plain, batch: 1, resolution: 64, repeats: 2 };
    const a = await measure(seed, settings);
    const b = await measure(seed, settings);
    const c = await measure(seed, { ...settings, seed: 1 });
    expect(b.perRepeat).toEqual(a.perRepeat);
    expect(a.perRepeat[1]).not.toBe(a.perRepeat[0]);
    expect(c.perRepeat[0]).not.toBe(a.perRepeat[0]);
  });

  it('kept draws (a measured search) give the same bits as fresh ones, on both runtimes, for networks of any size in any order', async () => {
    const settings = { ...plain, batch: 1, resolution: 64, repeats: 2 };
    for (const runtime of [nodeRuntime, webRuntime]) {
      const draws = new Map<number, NormalPrefix>();
      // a small network, a large one, then the small one again: the kept streams grow and are cut anew
      for (const structure of [seed, net('maedet_s'), seed]) {
        const fresh = await measure(structure, settings, runtime);
        const shared = await measureEntropy(structure, settings, runtime, { draws });
        expect(shared.perRepeat).toEqual(fresh.perRepeat);
      }
      expect(draws.size).toBe(2);
    }
  });
});

describe('measured entropy: σ → score (§4.2)', () => {
  it('sums ln σ per inner block, then the weighted stage sums with ln(channels)', () => {
    // 5-block seed: stem, then four K1KXK1 blocks with L = 1; stages end after entries 1…5
    const structure = net('r50_det_seed_5block');
    const e = Math.E;
    // per entry Σ ln σ: stem 1; block 1: ½ + ¼ + ¼ = 1; block 2: 2; block 3: 3; block 4: 4
    const sigmas = [e, e ** 0.5, e ** 0.25, e ** 0.25, e, e, 1, e ** 3, 1, 1, e ** 2, e ** 2, 1];
    const score = sigmaScore(structure, sigmas, [0, 0, 1, 1, 6]);
    expect(score.perBlock.map((v) => Number(v.toFixed(12)))).toEqual([1, 1, 2, 3, 4]);
    // stages: channels 32, 256, 512, 768, 2048; entries summed up to 1, 2, 3, 4, 5
    expect(score.perStage[0]).toBe(0);
    expect(score.perStage[1]).toBe(0);
    expect(score.perStage[2]).toBeCloseTo(1 + 1 + 2 + Math.log(512), 12);
    expect(score.perStage[3]).toBeCloseTo(1 + 1 + 2 + 3 + Math.log(768), 12);
    expect(score.perStage[4]).toBeCloseTo(6 * (1 + 1 + 2 + 3 + 4 + Math.log(2048)), 12);
    expect(score.total).toBeCloseTo(4 + 7 + 66 + Math.log(512) + Math.log(768) + 6 * Math.log(2048), 11);
    // σ = √fan-in everywhere gives exactly the analytic score
    const fanIn = entropyConvs(structure, 224).map((c) => Math.sqrt((c.cin / c.g) * c.k * c.k));
    expect(sigmaScore(structure, fanIn, RATIO).total).toBeCloseTo(madnas(structure, RATIO).total, 9);
    expect(() => sigmaScore(structure, sigmas.slice(1), RATIO)).toThrow('found 12 σ values, but the structure has 13 main-path convs');
  });
});

describe('measured entropy: combining sub-batch moments', () => {
  const direct = (values: number[]) => {
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    return { count: values.length, mean: [m], m2: [values.reduce((a, v) => a + (v - m) ** 2, 0)] };
  };

  it('equals the moments of the whole, also with a mean far larger than the spread', () => {
    const values = Array.from({ length: 10 }, (_, i) => 1e6 + ((i * 7) % 10) / 3);
    const whole = combineMoments([direct(values.slice(0, 4)), direct(values.slice(4, 9)), direct(values.slice(9))]);
    expect(whole.count).toBe(10);
    expect(whole.mean[0]).toBeCloseTo(direct(values).mean[0], 9);
    expect(whole.m2[0]).toBeCloseTo(direct(values).m2[0], 8);
  });

  it('works per channel', () => {
    const whole = combineMoments([
      { count: 2, mean: [0, 10], m2: [2, 0] },
      { count: 2, mean: [2, 10], m2: [2, 8] },
    ]);
    expect([...whole.mean]).toEqual([1, 10]);
    // channel 0: values −1, 1, 1, 3 → Σ(v − 1)² = 4 + 0 + 0 + 4
    expect([...whole.m2]).toEqual([8, 8]);
  });
});

describe('measured entropy: BN and ReLU', () => {
  const seed = net('r50_det_seed');
  const settings = { seed: 2, batch: 2, resolution: 96, repeats: 1 };
  // the seed's stages 2–4 end with 512, 1024 and 2048 channels
  const channelLogs = log(512) + log(1024) + 6 * log(2048);

  it('BN alone makes every σ √(N/(N − 1)) (ε is negligible), so the score is the stage channel terms', async () => {
    const r = await measure(seed, { ...settings, bn: true, relu: false });
    const sizes = entropyConvs(seed, settings.resolution).map((c) => settings.batch * c.cout * c.outSide ** 2);
    r.sigmas[0].forEach((s, i) => expect(Math.abs(s - Math.sqrt(sizes[i] / (sizes[i] - 1)))).toBeLessThan(2e-6));
    expect(r.mean).toBeCloseTo(channelLogs, 2);
  });

  it('BN then ReLU halves a standard normal: σ ≈ √((1 − 1/π) / 2) ≈ 0.584', async () => {
    const r = await measure(seed, { ...settings, bn: true, relu: true });
    for (const s of r.sigmas[0]) expect(Math.abs(s - Math.sqrt((1 - 1 / Math.PI) / 2))).toBeLessThan(0.03);
    expect(Number.isFinite(r.mean)).toBe(true);
  });

  it('ReLU alone gives a finite score below the linear one', async () => {
    const linear = await measure(seed, { ...settings, bn: false, relu: false });
    const r = await measure(seed, { ...settings, bn: false, relu: true });
    expect(Number.isFinite(r.mean)).toBe(true);
    expect(r.mean).toBeLessThan(linear.mean);
  });
});

describe('measured entropy: settings and cancellation', () => {
  const seed = net('r50_det_seed');
  const good: EntropySettings = { ...plain, batch: 1, resolution: 32, repeats: 1 };
  /** a runtime that must not be reached */
  const unreachable: OnnxRuntime = {
    provider: 'none',
    create: () => Promise.reject(new Error('the settings should have been rejected before any session')),
  };

  it.each([
    [{ batch: 0 }, 'batch: found 0, expected an integer from 1 to 256'],
    [{ resolution: 22.5 }, 'resolution: found 22.5, expected an integer from 32 to 2048'],
    [{ resolution: 16 }, 'resolution: found 16, expected an integer from 32 to 2048'],
    [{ repeats: Number.NaN }, 'repeats: found NaN, expected an integer from 1 to 64'],
    [{ seed: 2 ** 31 }, 'seed: found 2147483648, expected an integer from 0 to 2147483647'],
    [{ seed: -1 }, 'seed: found -1, expected an integer from 0 to 2147483647'],
    [{ bn: 'yes' }, 'bn: found "yes", expected true or false'],
    [{ ratio: [0, 0, -1, 1, 6] }, 'ratio: found a list of 5, expected a list of non-negative numbers'],
    [{ ratio: [1, 6] }, 'the structure has 5 stages (stride-2 blocks after the stem, plus one) but the score weights 2; expected 2 stages'],
    [{ initStd: 0 }, 'initStd: found 0, expected a positive number'],
    [{ subBatch: 0 }, 'subBatch: found 0, expected an integer ≥ 1'],
    [{ bn: true, resolution: 32 }, 'with bn, block 5 (SuperResK1KXK1) outputs 1×1 per image at resolution 32, so its batch statistics need a batch ≥ 2 (found 1)'],
  ])('%j is rejected: %s', async (change, message) => {
    const settings = { ...good, ...change } as EntropySettings;
    const error = await measureEntropy(seed, settings, unreachable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof ConfigError || error instanceof StructureError).toBe(true);
    expect((error as Error).message).toContain(message);
  });

  it('a conv whose output would be empty names its block', async () => {
    // 32 → 15 → 7 → 3 → 1 → nothing
    const unpadded: Structure = Array.from({ length: 5 }, (_, i) => ({ class: 'ConvKXBNRELU', in: i === 0 ? 3 : 8, out: 8, s: 2, k: 3, p: 0 }));
    await expect(measureEntropy(unpadded, { ...good, resolution: 32, ratio: [1, 1, 1, 1, 1] }, unreachable)).rejects.toThrow('block 4 (ConvKXBNRELU): its 3×3 conv gets a 1×1 input at resolution 32 and would output nothing');
  });

  it('an abort between repeats rejects with an AbortError and releases every session', async () => {
    let open = 0;
    const counting: OnnxRuntime = {
      provider: nodeRuntime.provider,
      async create(model) {
        const session = await nodeRuntime.create(model);
        open++;
        return { run: (feeds) => session.run(feeds), release: () => (open--, session.release()) };
      },
    };
    for (const subBatch of [undefined, 1]) {
      const controller = new AbortController();
      const done: number[] = [];
      const run = measureEntropy(seed, { ...good, batch: 2, repeats: 3, subBatch }, counting, {
        signal: controller.signal,
        onRepeat: (r) => {
          done.push(r.index);
          controller.abort();
        },
      });
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EntropyAbortError);
      expect(error).toMatchObject({ name: 'AbortError', message: 'entropy measurement cancelled after 1 of 3 repeats' });
      expect(done).toEqual([0]);
      expect(open).toBe(0);
    }
  });
});
