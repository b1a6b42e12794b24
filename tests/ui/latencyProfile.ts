/**
 * A complete device profile without a device, for the form's tests: every unit of the quick plan
 * of the detection preset's space, timed as 1 ms per 10⁶ multiply–accumulates (a move: per 10⁶
 * values) plus 0.01 ms, and an identity calibration. The starting network's units are all in it.
 */
import { presetConfig } from '../../app/engine/config';
import { HYGIENE } from '../../app/engine/latency/measure';
import { opMacs } from '../../app/engine/latency/ops';
import { latencyPlan } from '../../app/engine/latency/plan';
import { PROFILE_FORMAT, type LatencyProfile } from '../../app/engine/latency/profile';

const PLAN = latencyPlan(presetConfig('detection-r50'), 224, { quick: true });

export function syntheticProfile(name: string): LatencyProfile {
  const units = PLAN.units.map((op) => {
    const ms = 0.01 + (op.op === 'move' ? op.channels * op.side * op.side : opMacs(op)) / 1e6;
    return { ...op, ms, p10: ms, p90: ms };
  });
  return {
    format: PROFILE_FORMAT,
    version: 1,
    name,
    date: '2026-12-06T12:00:00.000Z',
    device: { backend: 'wasm', runtime: 'onnxruntime-web 1.30.0', adapter: 'CPU, 2 logical cores', threads: 2, crossOriginIsolated: true, agent: 'test' },
    resolution: 224,
    hygiene: { ...HYGIENE },
    plan: { name: PLAN.name, id: PLAN.id, units: units.length, calibration: PLAN.networks.length },
    seconds: 1,
    units,
    networks: [],
    calibration: { intercept: 0, unitScale: 1, moveScale: 0 },
  };
}

/** the same profile cut short: half its units measured, no calibration yet */
export function partialProfile(name: string): LatencyProfile {
  const complete = syntheticProfile(name);
  return { ...complete, units: complete.units.slice(0, complete.units.length / 2), calibration: null };
}
