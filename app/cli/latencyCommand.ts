/**
 * Latency on this machine:
 *   `cli profile --out P.json [--resolution R] [--threads T] [--backend cpu|wasm] [--quick]
 *        [--preset NAME | --config FILE] [--resume P.json]`
 *     time the sampling plan of a config's space (default: the detection-r50 preset) on
 *     onnxruntime-node's CPU provider (or onnxruntime-web's wasm backend in Node, as in a browser)
 *     and write the device profile;
 *   `cli latency FILE --profile P.json [--measure] [--json]`
 *     predict the first structure's latency from a profile (made here or in the studio) and, with
 *     --measure, time its deploy ONNX end to end on the profile's backend.
 * The last line of `latency` is JSON with `predictedMs` (and `measuredMs` with --measure).
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { presetConfig, validateConfig, type RunConfig } from '../engine/config';
import { latencyPlan } from '../engine/latency/plan';
import { LatencyPredictor } from '../engine/latency/predictor';
import { parseProfile, describeProfile, type LatencyProfile } from '../engine/latency/profile';
import { measureNetworkLatency, runProfile } from '../engine/latency/profiler';
import type { LatencyRuntime } from '../engine/latency/measure';
import { ortLatencyRuntime } from '../engine/onnx/ortRuntime';
import { parseStructure } from '../engine/structure';
import { flopsAt } from '../engine/cost';
import { integerOption, readText, UsageError } from './args';
import { backendOption, ortModule } from './runtimes';
import type { NodeBackend } from '../engine/entropy';

const DEFAULT_PROFILE_PRESET = 'detection-r50';
const DEFAULT_PROFILE_RESOLUTION = 224;

/** The latency runtime of a backend on this machine, threads as given (default: one per core, at most 4). */
export async function nodeLatencyRuntime(backend: NodeBackend, threads?: number): Promise<LatencyRuntime> {
  const count = threads ?? Math.max(1, Math.min(4, cpus().length));
  const host = { adapter: cpus()[0]?.model.trim() ?? 'unknown CPU', agent: `Node ${process.version}, ${process.platform}-${process.arch}`, crossOriginIsolated: false, defaultThreads: count, now: () => performance.now() };
  return ortLatencyRuntime(await ortModule(backend), { threads: count }, host);
}

/** a profile's backend as the CLI runs it: a browser's wasm profile is timed on onnxruntime-web's wasm backend in Node */
function backendOf(profile: LatencyProfile): NodeBackend {
  if (profile.device.backend === 'cpu' || profile.device.backend === 'wasm') return profile.device.backend;
  throw new Error(`the profile was measured on ${profile.device.backend} in a browser; the CLI can time cpu and wasm, so --measure needs a cpu or wasm profile (its prediction still works)`);
}

export function loadProfile(path: string): LatencyProfile {
  try {
    return parseProfile(readText(path));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
}

function planConfig(preset: string | undefined, configPath: string | undefined): RunConfig {
  if (preset !== undefined && configPath !== undefined) throw new UsageError('profile takes at most one of --preset NAME or --config FILE');
  if (configPath !== undefined) return validateConfig(JSON.parse(readText(configPath)));
  return presetConfig(preset ?? DEFAULT_PROFILE_PRESET);
}

export async function profileCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      resolution: { type: 'string' },
      threads: { type: 'string' },
      backend: { type: 'string' },
      quick: { type: 'boolean' },
      preset: { type: 'string' },
      config: { type: 'string' },
      resume: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`profile takes no positional arguments (found ${JSON.stringify(positionals[0])})`);
  if (values.out === undefined) throw new UsageError('profile needs --out P.json');
  const resolution = integerOption(values.resolution, 'resolution', 32) ?? DEFAULT_PROFILE_RESOLUTION;
  const runtime = await nodeLatencyRuntime(backendOption(values.backend), integerOption(values.threads, 'threads', 1));
  const plan = latencyPlan(planConfig(values.preset, values.config), resolution, { quick: values.quick });
  const resume = values.resume === undefined ? undefined : loadProfile(values.resume);
  const out = values.out;
  const tty = process.stderr.isTTY;
  process.stderr.write(`profiling ${plan.units.length} units and ${plan.networks.length} networks (${plan.name}, ${resolution} px) on ${runtime.device.runtime}, ${runtime.device.backend}, ${runtime.device.threads} threads\n`);
  const profile = await runProfile(runtime, plan, {
    resume,
    // a partial profile on disk as it goes: --resume continues it after an interruption
    onCheckpoint: (partial) => writeFileSync(out, `${JSON.stringify(partial)}\n`),
    onProgress: tty ? (p) => process.stderr.write(`\r${p.done}/${p.total} ${p.phase} ${p.seconds.toFixed(0)} s   `) : undefined,
  });
  writeFileSync(out, `${JSON.stringify(profile)}\n`);
  if (tty) process.stderr.write('\n');
  const c = profile.calibration!;
  process.stdout.write(
    `${JSON.stringify({ out, units: profile.units.length, networks: profile.networks.length, seconds: profile.seconds, resolution, device: profile.device, calibration: c })}\n`,
  );
}

export async function latencyCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { profile: { type: 'string' }, measure: { type: 'boolean' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('latency takes exactly one FILE');
  if (values.profile === undefined) throw new UsageError('latency needs --profile P.json');
  const structure = parseStructure(readText(positionals[0]));
  const profile = loadProfile(values.profile);
  const prediction = new LatencyPredictor(profile).predict(structure);
  const result: Record<string, unknown> = {
    predictedMs: prediction.ms,
    resolution: profile.resolution,
    units: prediction.units,
    extrapolatedUnits: prediction.extrapolated,
    flops: flopsAt(structure, profile.resolution),
    profile: profile.name,
    device: profile.device,
  };
  if (values.measure) {
    const runtime = await nodeLatencyRuntime(backendOf(profile), profile.device.threads);
    const t = await measureNetworkLatency(runtime, structure, profile.resolution);
    Object.assign(result, { measuredMs: t.medianMs, p10Ms: t.p10Ms, p90Ms: t.p90Ms, errorPercent: (100 * (prediction.ms - t.medianMs)) / t.medianMs });
  }
  if (!values.json) {
    const lines = [
      `structure   ${positionals[0]} (${structure.length} blocks)`,
      `profile     ${profile.name} (${describeProfile(profile)}, ${profile.device.runtime})`,
      `predicted   ${prediction.ms.toFixed(2)} ms per image at ${profile.resolution}×${profile.resolution}, batch 1 (${prediction.units} units${prediction.extrapolated ? `, ${prediction.extrapolated} outside the measured channels` : ''})`,
      ...(values.measure ? [`measured    ${(result.measuredMs as number).toFixed(2)} ms (p10–p90 ${(result.p10Ms as number).toFixed(2)}–${(result.p90Ms as number).toFixed(2)})`] : []),
      ...prediction.notes.map((n) => `note        ${n}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
