// `cli profile`, `cli latency` and `cli search --budget-latency`, run as a user runs them: real
// Node processes timing on onnxruntime-node (and onnxruntime-web's wasm backend, as a browser does).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readProfile } from '../../app/engine/latency/profile';
import { LatencyPredictor } from '../../app/engine/latency/predictor';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { toTinyNAS } from '../../app/engine/structure';
import { cli, expectOneErrorLine } from './cliProcess';

const dir = mkdtempSync(join(tmpdir(), 'maedet-cli-latency-'));
const netFile = join(dir, 'maedet_s.txt');
writeFileSync(netFile, toTinyNAS([findReferenceNetwork('maedet_s')!.structure]));
const cpuProfile = join(dir, 'cpu.json');
const wasmProfile = join(dir, 'wasm.json');
const lastLine = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

describe('cli profile and latency', () => {
  beforeAll(() => {
    for (const [out, backend] of [
      [cpuProfile, 'cpu'],
      [wasmProfile, 'wasm'],
    ]) {
      const r = cli('profile', '--out', out, '--resolution', '64', '--threads', '1', '--quick', '--backend', backend);
      expect(r.stderr).toContain(`profiling `);
      expect(r.status).toBe(0);
      const summary = lastLine(r.stdout);
      expect(summary).toMatchObject({ out, resolution: 64, networks: 7, device: { backend, threads: 1 } });
    }
  }, 240_000);

  it('profile writes a complete profile the predictor reads', () => {
    const profile = readProfile(JSON.parse(readFileSync(cpuProfile, 'utf8')));
    expect(profile.device.runtime).toMatch(/^onnxruntime-node \d/);
    expect(profile.units).toHaveLength(profile.plan.units);
    expect(new LatencyPredictor(profile).predictMs(findReferenceNetwork('maedet_s')!.structure)).toBeGreaterThan(0);
    expect(readProfile(JSON.parse(readFileSync(wasmProfile, 'utf8'))).device.runtime).toMatch(/^onnxruntime-web \d/);
  });

  it('latency --json: the last line holds predictedMs', () => {
    const r = cli('latency', netFile, '--profile', cpuProfile, '--json');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = lastLine(r.stdout);
    expect(out.predictedMs).toBeGreaterThan(0);
    expect(out.measuredMs).toBeUndefined();
    expect(out).toMatchObject({ resolution: 64, units: 87, extrapolatedUnits: 0 });
  });

  it.each([
    ['a cpu profile (onnxruntime-node)', cpuProfile],
    ['a wasm profile (onnxruntime-web, as the browser makes)', wasmProfile],
  ])('latency --measure times the deploy ONNX on %s; readable lines, then the JSON', (_name, profile) => {
    const r = cli('latency', netFile, '--profile', profile, '--measure');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/predicted\s+\d+\.\d\d ms per image at 64×64, batch 1 \(87 units\)/);
    expect(r.stdout).toMatch(/measured\s+\d+\.\d\d ms \(p10–p90 /);
    const out = lastLine(r.stdout);
    expect(out.measuredMs).toBeGreaterThan(0);
    expect(out.p10Ms).toBeLessThanOrEqual(out.measuredMs);
    expect(out.p90Ms).toBeGreaterThanOrEqual(out.measuredMs);
    expect(out.errorPercent).toBeCloseTo((100 * (out.predictedMs - out.measuredMs)) / out.measuredMs, 9);
  });

  it('search --budget-latency MS --profile P keeps the best within the budget', () => {
    const profile = readProfile(JSON.parse(readFileSync(cpuProfile, 'utf8')));
    const seedMs = new LatencyPredictor(profile).predictMs(findReferenceNetwork('r50_det_seed')!.structure);
    const budget = (seedMs * 1.2).toFixed(3);
    const r = cli('search', '--preset', 'detection-r50', '--iterations', '2000', '--budget-latency', budget, '--profile', cpuProfile, '--out', join(dir, 'run'));
    expect(r.status).toBe(0);
    const out = lastLine(r.stdout);
    expect(out.evaluated).toBe(2000);
    expect(out.bestLatencyMs).toBeLessThanOrEqual(Number(budget));
    const run = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    expect(run.config.budgets.latency).toBe(Number(budget));
    expect(run.config.latencyProfile.name).toBe(profile.name);
  }, 60_000);

  it.each([
    [['latency', netFile], 2, 'latency needs --profile P.json'],
    [['profile'], 2, 'profile needs --out P.json'],
    [['profile', '--out', join(dir, 'x.json'), '--backend', 'cuda'], 2, '--backend: found "cuda", expected cpu or wasm'],
    [['search', '--preset', 'detection-r50', '--budget-latency', '5'], 1, 'budgets.latency: a latency budget needs the device profile it is measured on'],
    [['search', '--preset', 'detection-r50', '--budget-latency', '0.001', '--profile', cpuProfile], 1, 'budgets.latency: the starting network (seed structure) needs'],
  ])('%j fails with one line', (args, status, message) => {
    expectOneErrorLine(cli(...(args as string[])), status as number, message as string);
  });

  it('a malformed or foreign profile is refused with the file, the field and what was expected', () => {
    const bad = join(dir, 'bad.json');
    const profile = JSON.parse(readFileSync(cpuProfile, 'utf8'));
    profile.units[2].cin = 'many';
    writeFileSync(bad, JSON.stringify(profile));
    expectOneErrorLine(cli('latency', netFile, '--profile', bad), 1, `${bad}: units[2].cin: found "many", expected a positive integer`);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"traceEvents": []}');
    expectOneErrorLine(cli('latency', netFile, '--profile', foreign), 1, 'this is not a MAE-DET Studio latency profile');
  });
});
