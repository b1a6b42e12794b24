// The scoring service's latency side in Node, on onnxruntime-web's wasm backend as in the scoring
// worker: a quick device profile, cancelled and resumed without timing a unit twice, a profile
// the predictor reads, and a network's deploy ONNX timed end to end.
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import type { LatencyRuntime } from '../../app/engine/latency/measure';
import { LatencyPredictor } from '../../app/engine/latency/predictor';
import { parseProfile, unitKey, type LatencyProfile } from '../../app/engine/latency/profile';
import type { ProfileProgress } from '../../app/engine/latency/profiler';
import { ortLatencyRuntime, ortRuntime } from '../../app/engine/onnx/ortRuntime';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { createScoreService } from '../../workers/scoreService';

/** the service on onnxruntime-web in Node, counting the models its latency runtime loads */
function service() {
  let loads = 0;
  const api = createScoreService(
    async (_choice, threads) => ortRuntime(ortWeb, { threads }),
    async (_choice, threads) => {
      const runtime = ortLatencyRuntime(ortWeb, { threads }, { adapter: 'test CPU', agent: 'vitest', crossOriginIsolated: false, defaultThreads: threads, now: () => performance.now() });
      const counted: LatencyRuntime = {
        device: runtime.device,
        now: runtime.now,
        load(model, feeds) {
          loads++;
          return runtime.load(model, feeds);
        },
      };
      return counted;
    },
  );
  return { api, loads: () => loads };
}

const request = { config: presetConfig('detection-r50'), resolution: 64, quick: true, provider: 'wasm' as const, threads: 1 };

describe('device profile in the scoring service', () => {
  it('is cancelled at a unit, leaves a partial profile, and resumes it without timing a unit twice', async () => {
    const first = service();
    let partial: LatencyProfile | undefined;
    const cancelAt = 20;
    const progress: ProfileProgress[] = [];
    await expect(
      first.api.profileDevice(
        request,
        (p) => {
          progress.push(p);
          if (p.done === cancelAt) first.api.cancel();
        },
        (p) => (partial = p),
      ),
    ).rejects.toMatchObject({ name: 'AbortError', message: 'device profile cancelled' });
    expect(partial!.calibration).toBeNull();
    expect(partial!.units.length).toBe(cancelAt);
    expect(progress[0]).toMatchObject({ done: 0, phase: 'units' });
    // a partial profile survives its file
    const saved = parseProfile(JSON.stringify(partial));
    expect(() => new LatencyPredictor(saved)).toThrow(/not complete/);

    const second = service();
    const profile = await second.api.profileDevice({ ...request, resume: saved });
    expect(second.loads()).toBe(profile.plan.units + profile.plan.calibration - cancelAt);
    expect(new Set(profile.units.map(unitKey)).size).toBe(profile.plan.units);
    expect(profile.units.slice(0, cancelAt)).toEqual(saved.units);
    expect(profile.networks).toHaveLength(7);
    expect(profile.calibration!.unitScale).toBeGreaterThan(0);
    expect(profile.device).toMatchObject({ backend: 'wasm', runtime: `onnxruntime-web ${ortWeb.env.versions.web}`, threads: 1, adapter: 'test CPU', crossOriginIsolated: false });
    expect(profile.resolution).toBe(64);
    for (const u of profile.units) {
      expect(u.p10).toBeLessThanOrEqual(u.ms);
      expect(u.ms).toBeLessThanOrEqual(u.p90);
    }

    // the predictor reads it, and its calibration networks come out near their measured times
    const predictor = new LatencyPredictor(profile);
    for (const n of profile.networks) expect(predictor.predictMs(n.structure)).toBeGreaterThan(0);

    // a resume of another plan is refused with what differs
    await expect(second.api.profileDevice({ ...request, resolution: 96, resume: saved })).rejects.toThrow(/the partial profile is of the quick k1kxk1 plan \(r50_det_seed\) [0-9a-f]{8} at 64 px on wasm .* this run is the quick k1kxk1 plan \(r50_det_seed\) [0-9a-f]{8} at 96 px/);
  }, 120_000);

  it('times a network end to end: median within p10–p90, on the device it names', async () => {
    const { api } = service();
    const t = await api.measureLatency(findReferenceNetwork('maedet_s')!.structure, { resolution: 64, provider: 'wasm', threads: 1 });
    expect(t.medianMs).toBeGreaterThan(0);
    expect(t.p10Ms).toBeLessThanOrEqual(t.medianMs);
    expect(t.p90Ms).toBeGreaterThanOrEqual(t.medianMs);
    expect(t.samples).toBe(15);
    expect(t.runsPerSample * t.medianMs).toBeGreaterThan(1.5);
    expect(t.device.backend).toBe('wasm');
  }, 60_000);
});
