// The scoring service (workers/scoreService.ts) in Node, on onnxruntime-web's wasm backend as in
// the scoring worker: the sub-batch plan that keeps a forward pass within memory, one scorer per
// search's settings, cancellation, the deploy model; and what the entropy panel says when a
// measurement fails.
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { DETECTION_STAGE_WEIGHTS } from '../../app/engine/configFields';
import { entropyConvs } from '../../app/engine/onnx/entropyGraph';
import { measureEntropy } from '../../app/engine/entropy';
import { deployModel } from '../../app/engine/onnx/deploy';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { explainMeasurementFailure } from '../../app/ui/stores/entropyStore';
import { WorkerGone } from '../../workers/liveness';
import { createScoreService, planSubBatch, type RuntimeFor } from '../../workers/scoreService';

const net = (name: string) => findReferenceNetwork(name)!.structure;
const settings = { batch: 2, resolution: 64, repeats: 1, bn: false, relu: false, seed: 3, ratio: [...DETECTION_STAGE_WEIGHTS] };
const options = { ...settings, provider: 'wasm' as const, threads: 1 };

/** the service with onnxruntime-web in Node, counting the runtimes it asks for */
function service() {
  const asked: string[] = [];
  const runtimeFor: RuntimeFor = async (choice, threads) => {
    asked.push(`${choice}/${threads}`);
    return ortRuntime(ortWeb, { threads });
  };
  return { api: createScoreService(runtimeFor), asked };
}

describe('planSubBatch', () => {
  const largest = (s: Structure, resolution: number) => Math.max(...entropyConvs(s, resolution).map((c) => c.cout * c.outSide * c.outSide));

  it('keeps the whole batch when it fits', () => {
    expect(planSubBatch(net('maedet_s'), { ...settings, batch: 32, resolution: 480 })).toBeUndefined();
  });

  it('splits a batch whose largest activation would pass 128 M floats, into the most images that fit', () => {
    const s = net('maedet_l');
    const plan = planSubBatch(s, { ...settings, batch: 256, resolution: 1024 })!;
    const perImage = largest(s, 1024);
    expect(plan * perImage).toBeLessThanOrEqual(128 * 2 ** 20);
    expect((plan + 1) * perImage).toBeGreaterThan(128 * 2 ** 20);
  });

  it('refuses, with a way out, when one image is already too large', () => {
    expect(() => planSubBatch(net('maedet_l'), { ...settings, batch: 1, resolution: 8192 })).toThrow(/^one image at 8192×8192 px needs \d+ MB in its largest layer, more than this tab should allocate; try a smaller resolution$/);
  });
});

describe('scoring service', () => {
  it("scores a search's structures as the engine measures them, with one runtime per search's settings", async () => {
    const { api, asked } = service();
    const structures = [net('r50_det_seed'), net('maedet_s')];
    const first = await api.scoreBatch(structures, options);
    const again = await api.scoreBatch([structures[1]], options);
    expect(asked).toEqual(['wasm/1']);
    // one measurement at a time: onnxruntime-web's wasm backend runs one session at a time
    const direct: number[] = [];
    for (const s of structures) direct.push((await measureEntropy(s, settings, ortRuntime(ortWeb, { threads: 1 }))).mean);
    expect(first.scores).toEqual(direct);
    expect(again.scores).toEqual([direct[1]]);
    expect(first.provider).toMatch(/^onnxruntime-web .*, wasm, 1 thread$/);
    await api.scoreBatch(structures, { ...options, resolution: 96 });
    expect(asked).toEqual(['wasm/1', 'wasm/1']);
  });

  it('cancel() stops the measurement in progress, which rejects as cancelled', async () => {
    const { api } = service();
    let cancelled = false;
    const measuring = api.measure(net('maedet_s'), { ...options, repeats: 8 }, () => {
      if (!cancelled) api.cancel();
      cancelled = true;
    });
    await expect(measuring).rejects.toThrow(/cancelled after 1 of 8 repeats/);
  });

  it('builds the deploy model and its sidecar as the engine does', async () => {
    const { api } = service();
    const small: Structure = [
      { class: 'ConvKXBNRELU', in: 3, out: 16, s: 2, k: 3 },
      ...[16, 32, 48, 64].map((cin, i): Structure[number] => ({ class: 'SuperResK1KXK1', in: cin, out: cin + 16, s: 2, k: 3, L: 1, btn: 16 + 8 * i })),
    ];
    const reply = await api.deploy(small, { seed: 4 });
    const direct = deployModel(small, { seed: 4 });
    expect(reply.sidecar).toEqual(direct.sidecar);
    expect(Buffer.compare(reply.bytes, direct.bytes)).toBe(0);
  });
});

describe('what the entropy panel says of a failed measurement', () => {
  it('out of memory: the batch and resolution, and to try smaller ones', () => {
    expect(explainMeasurementFailure(new RangeError('Array buffer allocation failed'), { ...options, batch: 32, resolution: 1024 })).toBe(
      'The forward pass at batch 32 and 1024×1024 px needs more memory than this tab can allocate (Array buffer allocation failed). Try a smaller batch or resolution.',
    );
  });

  it('a scoring worker that died: what happened, and that measuring again starts a new one', () => {
    expect(explainMeasurementFailure(new WorkerGone('the scoring worker stopped (it was closed, crashed or ran out of memory)'), options)).toBe(
      'The measurement stopped: the scoring worker stopped (it was closed, crashed or ran out of memory). Measuring again starts a new scoring worker.',
    );
  });

  it('anything else: the reason as it came', () => {
    expect(explainMeasurementFailure(new Error('graph: unsupported operator'), options)).toBe('The measurement failed: graph: unsupported operator');
  });
});
