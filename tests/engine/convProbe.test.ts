// The lesson's conv probe (step 2): one unpadded conv with N(0, 1) weights on onnxruntime-web's
// wasm backend (the page's runtime) and onnxruntime-node multiplies the input's std by √fan-in,
// within the sampling spread `probeSpread` predicts; the same seed gives the same numbers; bad
// options are named before any session is created.
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { OnnxRuntime } from '../../app/engine/entropy';
import { ConfigError } from '../../app/engine/errors';
import { predictedConvStd, probeConvStd, probeSpread, resolveConvProbeOptions, type ConvProbeOptions } from '../../app/engine/onnx/convProbe';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { mean, sampleStd } from '../../app/engine/stats';

const webRuntime = ortRuntime(ortWeb, { threads: 1 });
const nodeRuntime = ortRuntime(ort);
/** a measurement this many spreads from the prediction has a Gaussian chance below 1e-6 */
const SPREADS = 5;

describe('predictedConvStd', () => {
  it('is the input std times √(k²·C_in)', () => {
    expect(predictedConvStd(3, 16)).toBe(12);
    expect(predictedConvStd(1, 1)).toBe(1);
    expect(predictedConvStd(7, 4, 0.5)).toBe(7);
    expect(predictedConvStd(5, 512)).toBeCloseTo(5 * Math.sqrt(512), 12);
  });
});

describe('conv probe: measured std against √fan-in', () => {
  const shapes = [1, 3, 5, 7].flatMap((k) => [1, 3, 16, 100, 512].map((cin) => [k, cin] as const));

  it.each(shapes)('k = %i, C_in = %i on onnxruntime-web (wasm): within 5 spreads of inputStd·√(k²·C_in)', async (k, cin) => {
    const r = await probeConvStd({ k, cin, seed: 7 }, webRuntime);
    expect(r.fanIn).toBe(k * k * cin);
    expect(r.outputs).toBe(16 * (32 - k + 1) ** 2);
    expect(r.predictedStd).toBeCloseTo(predictedConvStd(k, cin, r.inputStd), 12);
    // the input is 1 024·C_in draws of N(0, 1): its std is 1 within a few 1/√(2n)
    expect(Math.abs(r.inputStd - 1)).toBeLessThan(SPREADS / Math.sqrt(2 * 1024 * cin));
    expect(Math.abs(r.outputStd / r.predictedStd - 1)).toBeLessThan(SPREADS * r.spread);
    expect(r.totalMs).toBeGreaterThanOrEqual(r.ms);
  });

  it('the spread is the sampling noise: over 200 seeds the ratio scatters by one spread around 1', async () => {
    const options = { k: 3, cin: 4 };
    const ratios: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const r = await probeConvStd({ ...options, seed }, webRuntime);
      ratios.push(r.outputStd / r.predictedStd);
    }
    const spread = probeSpread(resolveConvProbeOptions(options));
    // the std of 200 samples is known within ±6 % (1/√(2·199) ≈ 5 %, and the ratio's tails are a
    // little heavier than a Gaussian's); ±15 % is 2.5 of those
    expect(sampleStd(ratios) / spread).toBeGreaterThan(0.85);
    expect(sampleStd(ratios) / spread).toBeLessThan(1.15);
    expect(Math.abs(mean(ratios) - 1)).toBeLessThan((SPREADS * spread) / Math.sqrt(ratios.length));
  });

  it('onnxruntime-node measures the same std as onnxruntime-web, up to float32 rounding', async () => {
    const options = { k: 5, cin: 64, cout: 8, size: 20, batch: 2, seed: 11 };
    const [web, node] = await Promise.all([probeConvStd(options, webRuntime), probeConvStd(options, nodeRuntime)]);
    expect(node.inputStd).toBe(web.inputStd);
    expect(Math.abs(node.outputStd / web.outputStd - 1)).toBeLessThan(1e-5);
    expect(Math.abs(node.outputStd / node.predictedStd - 1)).toBeLessThan(SPREADS * node.spread);
  });
});

describe('conv probe: determinism', () => {
  it('the same seed gives the same numbers, another seed other numbers', async () => {
    const a = await probeConvStd({ k: 3, cin: 32, seed: 42 }, webRuntime);
    const b = await probeConvStd({ k: 3, cin: 32, seed: 42 }, webRuntime);
    const c = await probeConvStd({ k: 3, cin: 32, seed: 43 }, webRuntime);
    expect(b.inputStd).toBe(a.inputStd);
    expect(b.outputStd).toBe(a.outputStd);
    expect(c.inputStd).not.toBe(a.inputStd);
    expect(c.outputStd).not.toBe(a.outputStd);
  });

  it('fills in the defaults: batch 1, 16 output channels, a 32×32 input, seed 0', async () => {
    const r = await probeConvStd({ k: 1, cin: 2 }, webRuntime);
    expect(r).toMatchObject({ k: 1, cin: 2, cout: 16, size: 32, batch: 1, seed: 0, fanIn: 2, outputs: 16 * 32 * 32 });
    expect((await probeConvStd({ k: 1, cin: 2, seed: 0 }, webRuntime)).outputStd).toBe(r.outputStd);
  });

  it('releases its session', async () => {
    let open = 0;
    const counting: OnnxRuntime = {
      provider: webRuntime.provider,
      async create(model) {
        const session = await webRuntime.create(model);
        open++;
        return { run: (feeds) => session.run(feeds), release: () => (open--, session.release()) };
      },
    };
    await probeConvStd({ k: 3, cin: 8 }, counting);
    expect(open).toBe(0);
  });
});

describe('conv probe: options', () => {
  const unreachable: OnnxRuntime = {
    provider: 'none',
    create: () => Promise.reject(new Error('the options should have been rejected before any session')),
  };

  it.each([
    [{ k: 2, cin: 8 }, 'k: found 2, expected a kernel size of 1, 3, 5, 7'],
    [{ k: '3', cin: 8 }, 'k: found "3", expected a kernel size of 1, 3, 5, 7'],
    [{ k: 3, cin: 0 }, 'cin: found 0, expected an integer from 1 to 512'],
    [{ k: 3, cin: 513 }, 'cin: found 513, expected an integer from 1 to 512'],
    [{ k: 3, cin: 2.5 }, 'cin: found 2.5, expected an integer from 1 to 512'],
    [{ k: 3, cin: Number.NaN }, 'cin: found NaN, expected an integer from 1 to 512'],
    [{ k: 3, cin: 8, cout: 65 }, 'cout: found 65, expected an integer from 1 to 64'],
    [{ k: 7, cin: 8, size: 7 }, 'size: found 7, expected an integer from 8 to 128'],
    [{ k: 3, cin: 8, size: 129 }, 'size: found 129, expected an integer from 4 to 128'],
    [{ k: 3, cin: 8, batch: 0 }, 'batch: found 0, expected an integer from 1 to 16'],
    [{ k: 3, cin: 8, seed: -1 }, 'seed: found -1, expected an integer from 0 to 2147483647'],
  ])('%j is rejected: %s', async (options, message) => {
    const error = await probeConvStd(options as ConvProbeOptions, unreachable).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });
});
