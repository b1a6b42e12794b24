// The command-line tool, run as a user runs it (a real Node process).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine } from './cliProcess';
import { presetConfig } from '../../app/engine/config';
import { runIslandsInProcess } from '../../app/engine/evolution/islands';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { readRunFile } from '../../app/engine/runFile';
import { parseStructures, toJSON, toTinyNAS } from '../../app/engine/structure';

const dir = mkdtempSync(join(tmpdir(), 'maedet-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('cli evaluate', () => {
  const maedetS = file('maedet_s.txt', toTinyNAS([findReferenceNetwork('maedet_s')!.structure]));

  it('--json prints the spec numbers', () => {
    const r = cli('evaluate', maedetS, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ params: 21233120, layers: 79, flops: 10992870000, stageInfo: { idx: [0, 1, 2, 3, 4], blockNum: [1, 3, 7, 17, 27], layerNum: [1, 7, 19, 49, 79], channels: [32, 48, 272, 1024, 2048], featureMapSize: [240, 120, 60, 30, 15] } });
    expect(out.madnas).toBeCloseTo(1731.9070099667, 9);
    expect(out.madnasPerStage).toHaveLength(5);
    expect(out.deepmad).toBeCloseTo(28631.261403, 5);
  });

  it('--resolution and --ratio', () => {
    const out = JSON.parse(cli('evaluate', file('seed.json', toJSON(findReferenceNetwork('r50_det_seed')!.structure)), '--resolution', '224', '--ratio', '0,0,0,0,1', '--json').stdout);
    expect(out.flops).toBe(1686741504);
    expect(out.madnas).toBeCloseTo(55.5174414793, 9);
  });

  it('without --json prints a table', () => {
    const r = cli('evaluate', maedetS);
    expect(r.stdout).toContain('SuperResK1KXK1');
    expect(r.stdout).toContain('21,233,120');
  });

  it.each([
    [['evaluate', '/nonexistent/file.txt'], 1, 'cannot read /nonexistent/file.txt: no such file'],
    [['evaluate', 'BAD'], 1, "block 2 (SuperResK1KXK1), key 's': found 3, expected 1 or 2"],
    [['evaluate', 'SYNTAX'], 1, 'line 1, column'],
    [['evaluate', 'MAEDET', '--ratio', '1,1'], 1, 'the structure has 5 stages'],
    [['evaluate', 'MAEDET', '--resolution', 'x'], 2, '--resolution'],
    [['frobnicate'], 2, 'unknown command'],
    [['search'], 2, 'exactly one of --preset NAME or --config FILE'],
    [['search', '--preset', 'detection-r50', '--draw', 'sideways'], 2, '--draw: found "sideways", expected one of inclusive, main'],
    [['search', '--preset', 'detection-r50', '--iterations', '2.5'], 2, '--iterations: found "2.5", expected an integer from 0 to 1000000000'],
    [['search', '--config', 'CONFIG_V99'], 1, 'version: found 99: this config was written by a newer MAE-DET Studio (this one reads up to version 4)'],
  ])('%j exits %i with one clear line', (args, status, message) => {
    const bad = file('bad.txt', "[{'class': 'ConvKXBNRELU', 'in': 3, 'out': 32, 's': 2, 'k': 3}, {'class': 'SuperResK1KXK1', 'in': 32, 'out': 64, 's': 2, 'k': 3, 'L': 1, 'btn': 16}, {'class': 'SuperResK1KXK1', 'in': 64, 'out': 64, 's': 3, 'k': 3, 'L': 1, 'btn': 16}]");
    const syntax = file('syntax.txt', "[{'class': 'ConvKXBNRELU' 'in': 3}]");
    const v99 = file('config-v99.json', JSON.stringify({ ...presetConfig('detection-r50'), version: 99 }));
    const files: Record<string, string> = { BAD: bad, SYNTAX: syntax, MAEDET: maedetS, CONFIG_V99: v99 };
    const r = cli(...(args as string[]).map((a) => files[a] ?? a));
    expectOneErrorLine(r, status, message);
  });
});

describe('cli search', () => {
  it.each([1, 2])('writes best_structure.txt, run.json and a JSON summary (%i workers)', (workers) => {
    const out = join(dir, `run${workers}`);
    const r = cli('search', '--preset', 'detection-r50', '--iterations', '3000', '--seed', '4', '--workers', String(workers), '--out', out);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary).toMatchObject({ evaluated: 3000, workers });
    for (const key of ['bestScore', 'bestFlops', 'bestParams', 'bestLayers', 'seconds', 'childrenPerSecond']) expect(typeof summary[key]).toBe('number');
    expect(summary.bestFlops).toBeLessThanOrEqual(188e8);
    expect(summary.bestLayers).toBeLessThanOrEqual(91);
    expect(r.stderr).toContain('3,000/3,000');
    const best = parseStructures(readFileSync(join(out, 'best_structure.txt'), 'utf8'));
    expect(best.spaceArch).toBe('CnnNet');
    const run = readRunFile(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.population[0].structure).toEqual(best.structures[0]);
    expect(run.population[0].score).toBe(summary.bestScore);
    expect(run.history[run.history.length - 1].best).toBe(summary.bestScore);
  });

  it('with worker threads gives exactly the in-process island result', async () => {
    const r = cli('search', '--preset', 'detection-r50', '--iterations', '5000', '--seed', '3', '--workers', '3', '--out', join(dir, 'threads'));
    const config = presetConfig('detection-r50');
    Object.assign(config.search, { numRandomNets: 5000, seed: 3, workers: 3 });
    const inProcess = await runIslandsInProcess(config);
    const run = readRunFile(readFileSync(join(dir, 'threads', 'run.json'), 'utf8'));
    expect(run.population).toEqual(inProcess.population.records());
    expect(JSON.parse(r.stdout).bestScore).toBe(inProcess.population.best()!.score);
  });

  it('is reproducible: same seed and workers, same best', () => {
    const a = JSON.parse(cli('search', '--preset', 'detection-r50', '--iterations', '2000', '--seed', '9', '--workers', '2', '--out', join(dir, 'a')).stdout);
    const b = JSON.parse(cli('search', '--preset', 'detection-r50', '--iterations', '2000', '--seed', '9', '--workers', '2', '--out', join(dir, 'b')).stdout);
    expect(b.bestScore).toBe(a.bestScore);
    expect(readFileSync(join(dir, 'b', 'best_structure.txt'), 'utf8')).toBe(readFileSync(join(dir, 'a', 'best_structure.txt'), 'utf8'));
  });

  it('searches with the measured entropy (--score entropy) on onnxruntime-node by default', () => {
    const r = cli('search', '--preset', 'detection-r50', '--score', 'entropy', '--iterations', '12', '--resolution', '64', '--out', join(dir, 'm'));
    expect(r.status).toBe(0);
    const run = readRunFile(readFileSync(join(dir, 'm', 'run.json'), 'utf8'));
    expect(run.config.score.type).toBe('entropy');
    expect(run.config.score.entropy.resolution).toBe(64);
    expect(run.evaluated).toBe(12);
    expect(run.scoring).toEqual({ provider: expect.stringMatching(/^onnxruntime-node [\d.]+, cpu, \d threads?$/), scored: expect.any(Number), replayed: 0 });
    // the seed's measured score is near its analytic 400.7 (the border effect is larger at 64 px)
    expect(run.history[0].best).toBeGreaterThan(300);
    expect(run.history[0].best).toBeLessThan(401);
    expect(JSON.parse(r.stdout).bestScore).toBeGreaterThanOrEqual(run.history[0].best);
  });

  it('measured-entropy options without --score entropy are a usage error', () => {
    const r = cli('search', '--preset', 'detection-r50', '--batch', '4');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--batch, --resolution, --repeats, --children-per-call, --threads, --backend, --queue and --job-size set the measured entropy; use them with --score entropy');
  });

  it('takes a config file and a seed structure', () => {
    const config = file('config.json', JSON.stringify({ imageSize: 480, model: { seedName: 'r50_det_seed' }, budgets: { flops: 188e8, layers: 91 }, search: { numRandomNets: 1000, popuSize: 64 } }));
    const r = cli('search', '--config', config, '--from', 'r50_det_seed_5block', '--out', join(dir, 'c'));
    expect(r.status).toBe(0);
    const run = readRunFile(readFileSync(join(dir, 'c', 'run.json'), 'utf8'));
    expect(run.config.model.seedName).toBe('r50_det_seed_5block');
    expect(run.population.length).toBeLessThanOrEqual(64);
    expect(run.population.every((m) => m.structure.length === 5)).toBe(true);
  });
});
