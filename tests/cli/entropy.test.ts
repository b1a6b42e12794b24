// `cli entropy`, run as a user runs it (a real Node process on onnxruntime-node).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine } from './cliProcess';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { toTinyNAS } from '../../app/engine/structure';

const dir = mkdtempSync(join(tmpdir(), 'maedet-cli-entropy-'));
const seedFile = join(dir, 'r50_det_seed.txt');
writeFileSync(seedFile, toTinyNAS([findReferenceNetwork('r50_det_seed')!.structure]));

describe('cli entropy', () => {
  it('--json prints the measured score, its spread and the runtime (spec §9: 400.09 at 224, B = 2)', () => {
    const r = cli('entropy', seedFile, '--resolution', '224', '--batch', '2', '--repeats', '2', '--threads', '1', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.mean - 400.09)).toBeLessThan(2);
    expect(out.perRepeat).toHaveLength(2);
    expect(out.perStage).toHaveLength(5);
    expect(out.std).toBeGreaterThan(0);
    expect(out.provider).toMatch(/^onnxruntime-node [\d.]+, cpu, 1 thread$/);
    for (const key of ['msPerRepeat', 'sampleMsPerRepeat', 'buildMs', 'sessionMs']) expect(typeof out[key]).toBe('number');
    expect(out.madnas).toBeCloseTo(400.7261080144, 9);
    expect(out.settings).toEqual({ batch: 2, resolution: 224, repeats: 2, bn: false, relu: false, seed: 0, ratio: [0, 0, 1, 1, 6], initStd: 1 });
  });

  it('without --json prints a readable summary; --bn, --relu and --seed are applied', () => {
    const r = cli('entropy', seedFile, '--resolution', '64', '--batch', '2', '--repeats', '1', '--seed', '7', '--bn', '--relu');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`structure   ${seedFile} (6 blocks)`);
    expect(r.stdout).toContain('batch 2, 64×64, 1 repeat, seed 7, BN on, ReLU on, ratio 0,0,1,1,6');
    expect(r.stdout).toMatch(/stage\s+entropy\s+madnas/);
    expect(r.stdout).toMatch(/entropy\s+-?\d+\.\d{4} ± 0\.0000/);
  });

  it.each([
    [['entropy'], 2, 'entropy takes exactly one FILE'],
    [['entropy', 'SEED', '--batch', '0'], 2, '--batch: found "0", expected an integer from 1 to 256'],
    [['entropy', 'SEED', '--resolution', '16'], 2, '--resolution: found "16", expected an integer from 32 to 2048'],
    [['entropy', 'SEED', '--repeats', 'x'], 2, '--repeats'],
    [['entropy', 'SEED', '--sideways'], 2, "Unknown option '--sideways'"],
    [['entropy', '/nonexistent/file.txt'], 1, 'cannot read /nonexistent/file.txt: no such file'],
    [['entropy', 'SEED', '--seed', '3000000000'], 2, '--seed: found "3000000000", expected an integer from 0 to 2147483647'],
    [['entropy', 'SEED', '--bn', '--batch', '1', '--resolution', '32'], 1, 'with bn, block 5 (SuperResK1KXK1) outputs 1×1 per image'],
  ])('%j exits %i with one clear line', (args, status, message) => {
    const r = cli(...(args as string[]).map((a) => (a === 'SEED' ? seedFile : a)));
    expectOneErrorLine(r, status, message);
  });
});
