// `cli validate` (issue #16) as a person runs it: NAS-Bench-Macro's proxies against the README's
// figures, the CSV of scores, a user benchmark with the measured entropy on onnxruntime-node,
// and errors naming the network and the field.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarkFile } from '../../app/engine/benchmark/benchmark';
import { nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { kendallTau, spearman } from '../../app/engine/stats';
import { cli, expectOneErrorLine } from './cliProcess';

const dir = mkdtempSync(join(tmpdir(), 'validate-'));
const MACRO = nasBenchMacro(JSON.parse(readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8')));

const lastJson = (stdout: string) => JSON.parse(stdout.trimEnd().split('\n').at(-1)!);

describe('validate --bench nas-bench-macro', () => {
  it('prints the table and, last, the JSON of every analytic proxy; the CSV holds the same figures', () => {
    const out = join(dir, 'scores.csv');
    const r = cli('validate', '--bench', 'nas-bench-macro', '--out', out, '--resamples', '50');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.networks).toBe(6561);
    expect(Object.keys(summary.proxies)).toEqual(['madnas', 'deepmad', 'flops', 'params']);
    expect([summary.proxies.flops.kendall, summary.proxies.flops.spearman, summary.proxies.params.kendall, summary.proxies.params.spearman].map((x: number) => x.toFixed(3))).toEqual(['0.556', '0.748', '0.218', '0.318']);
    expect(r.stdout).toMatch(/^FLOPs\s+0\.556 \[0\.\d{3}, 0\.\d{3}\]\s+0\.748 \[/m);
    expect(r.stdout).toMatch(/^budget\s+networks\s+best\s+madnas\s+deepmad\s+FLOPs\s+params\s+search madnas\s+search deepmad$/m);
    const [header, ...rows] = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(header).toBe('id,accuracy,madnas,deepmad,flops,params');
    expect(rows).toHaveLength(6561);
    const column = (i: number) => rows.map((row) => Number(row.split(',')[i]));
    expect(kendallTau(column(2), column(1))).toBe(summary.proxies.madnas.kendall);
    expect(spearman(column(4), column(1))).toBe(summary.proxies.flops.spearman);
  });

  it('--json: one line with intervals, top picks and the regret ladder', () => {
    const r = cli('validate', '--bench', 'nas-bench-macro', '--score', 'madnas,flops', '--resamples', '20', '--json');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]);
    expect(json).toMatchObject({ networks: 6561, name: 'NAS-Bench-Macro (CIFAR-10)', ratio: [0, 0, 0, 1], imageSize: 32, bootstrap: { resamples: 20, seed: 0 } });
    expect(json.proxies.madnas.regret).toHaveLength(10);
    expect(json.proxies.flops.top).toMatchObject({ id: '22222222', ties: 1 });
    expect(json.proxies.madnas.kendallInterval.low).toBeLessThan(json.proxies.madnas.kendall);
    // the studio's search in the benchmark space, 10 seeds per rung of the same ladder
    expect(json.search.madnas.map((r: { budget: number }) => r.budget)).toEqual(json.proxies.madnas.regret.map((r: { budget: number }) => r.budget));
    expect(json.search.deepmad[4].runs).toHaveLength(10);
    expect(json.search.madnas[9].medianRegret).toBeGreaterThanOrEqual(0);
  });
});

describe('validate --bench FILE', () => {
  it('a user benchmark with the measured entropy: a column of finite scores, ranked in the JSON', () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, benchmarkFile({ ...MACRO, name: 'mine', networks: MACRO.networks.filter((_, i) => i % 547 === 0) }));
    const out = join(dir, 'mine.csv');
    const r = cli('validate', '--bench', file, '--score', 'entropy,params', '--out', out, '--resamples', '20');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.networks).toBe(12);
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    const entropy = rows.map((row) => Number(row.split(',')[2]));
    expect(entropy.every(Number.isFinite)).toBe(true);
    expect(kendallTau(entropy, rows.map((row) => Number(row.split(',')[1])))).toBe(summary.proxies.entropy.kendall);
  }, 120_000);

  it('a malformed file: one line naming the network and the field', () => {
    const file = join(dir, 'bad.json');
    const text = benchmarkFile({ ...MACRO, name: 'bad', networks: MACRO.networks.slice(0, 5) }).replace(/"accuracy":[0-9.]+/, '"accuracy":"high"');
    writeFileSync(file, text);
    expectOneErrorLine(cli('validate', '--bench', file), 1, `networks[0] (id "${MACRO.networks[0].id}").accuracy: found "high", expected the trained accuracy, a finite number`);
  });

  it('usage errors', () => {
    expectOneErrorLine(cli('validate'), 2, 'validate needs --bench nas-bench-macro or --bench FILE');
    expectOneErrorLine(cli('validate', '--bench', 'nas-bench-macro', '--score', 'zico'), 2, '--score: found "zico", expected a comma-separated list of madnas, deepmad, entropy, flops, params');
  });
});
