/**
 * Running a sampling plan on a device: every unit timed alone (its own one-unit ONNX graph), the
 * calibration networks timed end to end (their deploy ONNX), then the calibration fitted. It can
 * be cancelled at any unit and resumed from the partial profile it leaves: units already measured
 * are not measured again.
 */
import { ConfigError } from '../errors';
import { deployModel, latencyUnitModel, UNIT_INPUT, UNIT_SHORTCUT } from '../onnx/deploy';
import { feedOf, HYGIENE, LatencyAbortError, NETWORK_HYGIENE, timeModel, type Hygiene, type LatencyRuntime, type Signal, type Timing } from './measure';
import type { LatencyPlan } from './plan';
import { fitCalibration, LatencyPredictor } from './predictor';
import { unitOutputSide } from './ops';
import { PROFILE_FORMAT, PROFILE_VERSIONS, unitKey, type LatencyProfile, type ProfileOp, type ProfileUnit } from './profile';
import type { Structure } from '../block';

export interface ProfileProgress {
  /** units and networks measured so far, of the plan's total */
  done: number;
  total: number;
  phase: 'units' | 'networks';
  /** the unit or network being measured */
  current: string;
  seconds: number;
}

export interface ProfileOptions {
  /** a partial profile of the same plan, device and backend to continue */
  resume?: LatencyProfile;
  /** the profile's name; default from the device */
  name?: string;
  signal?: Signal;
  onProgress?(progress: ProfileProgress): void;
  /** the partial profile, every CHECKPOINT_MS and when cancelled: what a host saves to resume */
  onCheckpoint?(partial: LatencyProfile): void;
  /** let the host's messages run (a worker's Cancel) */
  yield?(): Promise<void>;
  /** now as an ISO date (injected so tests can fix it) */
  date?(): string;
  hygiene?: Hygiene;
}

const CHECKPOINT_MS = 2000;

/** The graph of one unit and its inputs (Gaussian, the same for every run). */
function unitModel(op: ProfileOp): { model: Uint8Array; feeds: Record<string, { data: Float32Array; dims: number[] }> } {
  if (op.op === 'move') return unitModel({ op: 'conv', kind: 'depthwise', k: 1, stride: 1, side: op.side, cin: op.channels, cout: op.channels, epilogue: 'none' });
  if (op.op === 'pool') return { model: latencyUnitModel(op), feeds: { [UNIT_INPUT]: feedOf([1, op.channels, op.side, op.side]) } };
  const out = unitOutputSide(op);
  const feeds = { [UNIT_INPUT]: feedOf([1, op.cin, op.side, op.side]), ...(op.epilogue === 'add-relu' && { [UNIT_SHORTCUT]: feedOf([1, op.cout, out, out]) }) };
  return { model: latencyUnitModel(op), feeds };
}

/** A network's deploy ONNX timed end to end at batch 1: what "Measure latency" shows. */
export async function measureNetworkLatency(runtime: LatencyRuntime, structure: Structure, resolution: number, signal?: Signal, hygiene: Hygiene = NETWORK_HYGIENE): Promise<Timing> {
  return timeModel(runtime, deployModel(structure).bytes, { images: feedOf([1, structure[0].in, resolution, resolution]) }, hygiene, signal);
}

function checkResumable(partial: LatencyProfile, plan: LatencyPlan, runtime: LatencyRuntime): void {
  const d = runtime.device;
  const p = partial.device;
  const same = partial.plan.id === plan.id && partial.resolution === plan.resolution && p.backend === d.backend && p.threads === d.threads && p.runtime === d.runtime;
  if (!same) {
    throw new ConfigError(
      'resume',
      `the partial profile is of the ${partial.plan.name} ${partial.plan.id} at ${partial.resolution} px on ${p.backend} (${p.threads} threads, ${p.runtime}); this run is the ${plan.name} ${plan.id} at ${plan.resolution} px on ${d.backend} (${d.threads} threads, ${d.runtime})`,
    );
  }
}

/** Time the plan's units and networks on `runtime` and fit the calibration. */
export async function runProfile(runtime: LatencyRuntime, plan: LatencyPlan, options: ProfileOptions = {}): Promise<LatencyProfile> {
  const hygiene = options.hygiene ?? HYGIENE;
  const date = options.date ?? (() => new Date().toISOString());
  if (options.resume) checkResumable(options.resume, plan, runtime);
  const d = runtime.device;
  const profile: LatencyProfile = options.resume
    ? { ...options.resume, units: [...options.resume.units], networks: [...options.resume.networks], calibration: null }
    : {
        format: PROFILE_FORMAT,
        version: PROFILE_VERSIONS.current as 1,
        name: options.name ?? `${d.backend}${d.backend === 'webgpu' ? '' : ` ${d.threads}T`} · ${plan.resolution} px · ${date().slice(0, 10)}`,
        date: date(),
        device: d,
        resolution: plan.resolution,
        hygiene,
        plan: { name: plan.name, id: plan.id, units: plan.units.length, calibration: plan.networks.length },
        seconds: 0,
        units: [],
        networks: [],
        calibration: null,
      };
  const measured = new Set(profile.units.map(unitKey));
  const timedNetworks = new Set(profile.networks.map((n) => n.name));
  const total = plan.units.length + plan.networks.length;
  const start = runtime.now();
  const secondsBefore = profile.seconds;
  let lastCheckpoint = start;
  const checkpoint = (force: boolean) => {
    const now = runtime.now();
    profile.seconds = secondsBefore + (now - start) / 1000;
    profile.date = date();
    if (force || now - lastCheckpoint >= CHECKPOINT_MS) {
      lastCheckpoint = now;
      options.onCheckpoint?.({ ...profile, units: [...profile.units], networks: [...profile.networks] });
    }
  };
  const step = async (phase: ProfileProgress['phase'], current: string) => {
    await options.yield?.();
    if (options.signal?.aborted) throw new LatencyAbortError('device profile');
    options.onProgress?.({ done: profile.units.length + profile.networks.length, total, phase, current, seconds: secondsBefore + (runtime.now() - start) / 1000 });
  };
  try {
    for (const op of plan.units) {
      const key = unitKey(op);
      if (measured.has(key)) continue;
      await step('units', key);
      const { model, feeds } = unitModel(op);
      const t = await timeModel(runtime, model, feeds, hygiene, options.signal);
      const unit: ProfileUnit = { ...op, ms: t.medianMs, p10: t.p10Ms, p90: t.p90Ms };
      profile.units.push(unit);
      measured.add(key);
      checkpoint(false);
    }
    for (const n of plan.networks) {
      if (timedNetworks.has(n.name)) continue;
      await step('networks', n.name);
      const t = await measureNetworkLatency(runtime, n.structure, plan.resolution, options.signal, options.hygiene ?? NETWORK_HYGIENE);
      profile.networks.push({ name: n.name, structure: n.structure, measuredMs: t.medianMs, p10: t.p10Ms, p90: t.p90Ms });
      checkpoint(false);
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
    checkpoint(true);
    throw new LatencyAbortError('device profile');
  }
  checkpoint(false);
  return calibrateProfile(profile);
}

/** The profile with its calibration fitted to its networks (the uncalibrated unit sums against the end-to-end times). */
function calibrateProfile(profile: LatencyProfile): LatencyProfile {
  const raw = new LatencyPredictor({ ...profile, calibration: { intercept: 0, unitScale: 1, moveScale: 0 } });
  const points = profile.networks.map((n) => ({ ...raw.sums(n.structure), measuredMs: n.measuredMs }));
  return { ...profile, calibration: fitCalibration(points) };
}
