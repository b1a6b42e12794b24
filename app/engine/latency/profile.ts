/**
 * A device profile: the measured time of each latency unit of a sampling plan on one device and
 * backend, at batch 1 and one input size, with what it was measured on and the calibration of
 * whole networks. A versioned JSON file (the saved formats' migration chain), the same in the
 * browser (IndexedDB, download) and the CLI (`profile --out`), so either reads the other's.
 */
import type { Block } from '../block';
import { ConfigError, describeValue } from '../errors';
import { upgrade, type FormatVersions } from '../migrate';
import { toPyValue } from '../pyliteral';
import { readStructure } from '../structure';
import type { DeviceInfo, Hygiene } from './measure';
import { EPILOGUES, type ConvOp, type LatencyOp, type PoolOp } from './ops';

export const PROFILE_FORMAT = 'maedet-studio-latency-profile';
const PROFILE_VERSION = 1;

/** the profile's versions: 1 is the first */
export const PROFILE_VERSIONS: FormatVersions = { name: 'latency profile', current: PROFILE_VERSION, steps: {} };

/**
 * The cost of moving a tensor into and out of a session alone (a 1×1 depthwise conv of it, next
 * to no arithmetic): a unit timed alone pays it for its input and output, a unit inside a network
 * does not, so the calibration weighs it (usually negatively).
 */
interface MoveOp {
  op: 'move';
  side: number;
  channels: number;
}

export type ProfileOp = LatencyOp | MoveOp;

export type ProfileUnit = ProfileOp & { ms: number; p10: number; p90: number };

/** a whole network timed end to end (its deploy ONNX), and its unit sums in the profile */
interface CalibrationNetwork {
  name: string;
  structure: Block[];
  measuredMs: number;
  p10: number;
  p90: number;
}

/** measured ≈ intercept + unitScale · Σ unit ms + moveScale · Σ move ms (least squares over the calibration networks) */
export interface Calibration {
  intercept: number;
  unitScale: number;
  moveScale: number;
}

export interface LatencyProfile {
  format: typeof PROFILE_FORMAT;
  version: typeof PROFILE_VERSION;
  /** a person's name for it ("wasm, 2 threads, 224 px, 2026-12-06") */
  name: string;
  /** ISO date and time the measuring finished (or, while partial, last measured) */
  date: string;
  device: DeviceInfo;
  /** input side (square), batch 1 */
  resolution: number;
  hygiene: Hygiene;
  /** the plan it ran: its name, digest (plan.ts) and how many units and calibration networks it holds */
  plan: { name: string; id: string; units: number; calibration: number };
  /** seconds spent measuring */
  seconds: number;
  units: ProfileUnit[];
  /** the networks timed end to end; fewer than the plan's while partial */
  networks: CalibrationNetwork[];
  /** null until every unit and network is measured (a partial profile, to resume) */
  calibration: Calibration | null;
}

/** one string per unit: the table's key and the resume's "already measured" test */
export function unitKey(op: ProfileOp): string {
  if (op.op === 'conv') return `conv ${op.kind} k${op.k} s${op.stride} ${op.epilogue} @${op.side} ${op.cin}→${op.cout}`;
  return `${op.op} @${op.side} ${op.channels}`;
}

// ------------------------------------------------------------------ reading

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, found: unknown, expected: string): never {
  throw new ConfigError(path, `found ${describeValue(found)}, expected ${expected}`);
}

function num(o: Obj, key: string, path: string, check: (v: number) => boolean = Number.isFinite, expected = 'a finite number'): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) fail(`${path}.${key}`, v, expected);
  return v;
}

const positiveInt = (o: Obj, key: string, path: string) => num(o, key, path, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
const time = (o: Obj, key: string, path: string) => num(o, key, path, (v) => v >= 0, 'a time in ms (≥ 0)');

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, v, 'a string');
  return v;
}

function readUnit(raw: unknown, path: string): ProfileUnit {
  if (!isObj(raw)) fail(path, raw, 'a unit object');
  const ms = time(raw, 'ms', path);
  const p10 = time(raw, 'p10', path);
  const p90 = time(raw, 'p90', path);
  const side = positiveInt(raw, 'side', path);
  switch (raw.op) {
    case 'conv': {
      const kind = raw.kind;
      if (kind !== 'regular' && kind !== 'depthwise') fail(`${path}.kind`, kind, 'regular or depthwise');
      const epilogue = raw.epilogue;
      if (!EPILOGUES.includes(epilogue as ConvOp['epilogue'])) fail(`${path}.epilogue`, epilogue, `one of ${EPILOGUES.join(', ')}`);
      const op: ConvOp = {
        op: 'conv',
        kind,
        k: positiveInt(raw, 'k', path),
        stride: positiveInt(raw, 'stride', path),
        side,
        cin: positiveInt(raw, 'cin', path),
        cout: positiveInt(raw, 'cout', path),
        epilogue: epilogue as ConvOp['epilogue'],
      };
      return { ...op, ms, p10, p90 };
    }
    case 'pool':
    case 'move': {
      const op: PoolOp | MoveOp = { op: raw.op, side, channels: positiveInt(raw, 'channels', path) };
      return { ...op, ms, p10, p90 };
    }
    default:
      return fail(`${path}.op`, raw.op, 'conv, pool or move');
  }
}

function readDevice(raw: unknown): DeviceInfo {
  if (!isObj(raw)) fail('device', raw, 'an object (backend, runtime, adapter, threads, crossOriginIsolated, agent)');
  const isolated = raw.crossOriginIsolated;
  if (typeof isolated !== 'boolean') fail('device.crossOriginIsolated', isolated, 'true or false');
  return {
    backend: str(raw, 'backend', 'device'),
    runtime: str(raw, 'runtime', 'device'),
    adapter: str(raw, 'adapter', 'device'),
    threads: positiveInt(raw, 'threads', 'device'),
    crossOriginIsolated: isolated,
    agent: str(raw, 'agent', 'device'),
  };
}

function readNetwork(raw: unknown, path: string): CalibrationNetwork {
  if (!isObj(raw)) fail(path, raw, 'a network object (name, structure, measuredMs, p10, p90)');
  let structure: Block[];
  try {
    structure = readStructure(toPyValue(raw.structure));
  } catch (e) {
    throw new ConfigError(`${path}.structure`, (e as Error).message);
  }
  return { name: str(raw, 'name', path), structure, measuredMs: time(raw, 'measuredMs', path), p10: time(raw, 'p10', path), p90: time(raw, 'p90', path) };
}

function readCalibration(raw: unknown): Calibration | null {
  if (raw === null) return null;
  if (!isObj(raw)) fail('calibration', raw, 'an object (intercept, unitScale, moveScale) or null');
  return { intercept: num(raw, 'intercept', 'calibration'), unitScale: num(raw, 'unitScale', 'calibration'), moveScale: num(raw, 'moveScale', 'calibration') };
}

/**
 * Read a profile from parsed JSON (any version this code reads), or throw a ConfigError naming
 * the field: a file that is not a profile says so first.
 */
export function readProfile(input: unknown): LatencyProfile {
  if (!isObj(input)) fail('profile', input, 'a JSON object');
  if (input.format !== PROFILE_FORMAT) {
    throw new ConfigError('format', `found ${describeValue(input.format)}, expected "${PROFILE_FORMAT}": this is not a MAE-DET Studio latency profile`);
  }
  const raw = upgrade(PROFILE_VERSIONS, input);
  const hygiene = raw.hygiene;
  if (!isObj(hygiene)) fail('hygiene', hygiene, 'an object (warmupRuns, minSampleMs, samples)');
  const plan = raw.plan;
  if (!isObj(plan)) fail('plan', plan, 'an object (name, id, units, calibration)');
  if (!Array.isArray(raw.units)) fail('units', raw.units, 'a list of measured units');
  if (!Array.isArray(raw.networks)) fail('networks', raw.networks, 'a list of calibration networks');
  const date = str(raw, 'date', 'profile');
  if (Number.isNaN(Date.parse(date))) fail('date', date, 'an ISO date');
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    name: str(raw, 'name', 'profile'),
    date,
    device: readDevice(raw.device),
    resolution: positiveInt(raw, 'resolution', 'profile'),
    hygiene: { warmupRuns: num(hygiene, 'warmupRuns', 'hygiene'), minSampleMs: num(hygiene, 'minSampleMs', 'hygiene'), samples: positiveInt(hygiene, 'samples', 'hygiene') },
    plan: { name: str(plan, 'name', 'plan'), id: str(plan, 'id', 'plan'), units: num(plan, 'units', 'plan'), calibration: num(plan, 'calibration', 'plan') },
    seconds: time(raw, 'seconds', 'profile'),
    units: raw.units.map((u, i) => readUnit(u, `units[${i}]`)),
    networks: raw.networks.map((n, i) => readNetwork(n, `networks[${i}]`)),
    calibration: readCalibration(raw.calibration),
  };
}

/** Read a profile from the text of a file: JSON syntax errors become one sentence too. */
export function parseProfile(text: string): LatencyProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('profile', `not JSON (${(e as Error).message})`);
  }
  return readProfile(parsed);
}

/** whether every unit and network is measured and the calibration fitted */
export function isComplete(profile: LatencyProfile): boolean {
  return profile.calibration !== null;
}

/** "wasm, 2 threads · 224 px · 2026-12-06" */
export function describeProfile(profile: LatencyProfile): string {
  const d = profile.device;
  return `${d.backend}${d.backend === 'webgpu' ? '' : `, ${d.threads} thread${d.threads === 1 ? '' : 's'}`} · ${profile.resolution} px · ${profile.date.slice(0, 10)}`;
}
