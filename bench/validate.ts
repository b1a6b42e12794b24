/**
 * `npm run bench -- --validate`: validation against NAS-Bench-Macro's trained networks (issue #16).
 * Quality: every proxy's Kendall τ-b and Spearman ρ with bootstrap 95% intervals, and the regret
 * ladder — each proxy's pick and the 10-seed search's within each FLOPs budget. Speed: reading the
 * benchmark, the proxies, the bootstrap, a 20,000-network user file, the measured entropy per
 * network on onnxruntime-node, and the 10-seed search. Medians of 5 runs (min–max).
 */
import { readFileSync } from 'node:fs';
import { benchmarkFile, parseBenchmark } from '../app/engine/benchmark/benchmark';
import { benchmarkSearch } from '../app/engine/benchmark/benchmarkSearch';
import { nasBenchMacro } from '../app/engine/benchmark/nasBenchMacro';
import { ANALYTIC_PROXIES, budgetLadder, DEFAULT_BOOTSTRAP, measuredEntropyValues, proxyLabel, proxyStats, proxyValues, regretAt } from '../app/engine/benchmark/validation';
import { ortRuntime } from '../app/engine/onnx/ortRuntime';
import { kendallTau, spearman } from '../app/engine/stats';

type Table = (title: string, header: string[], rows: (string | number)[][]) => void;

const RUNS = 5;
/** networks timed for the measured entropy (spread over the benchmark) */
const ENTROPY_SAMPLE = 200;

export async function validateBench(table: Table, median: (values: number[]) => number): Promise<void> {
  const text = readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8');
  const timed = <T>(f: () => T): { value: T; ms: number[] } => {
    const ms: number[] = [];
    let value!: T;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      value = f();
      ms.push(performance.now() - t);
    }
    return { value, ms };
  };
  const spread = (ms: number[], digits = 1) => `${median(ms).toFixed(digits)} (${Math.min(...ms).toFixed(digits)}–${Math.max(...ms).toFixed(digits)})`;
  const load = timed(() => nasBenchMacro(JSON.parse(text)));
  const macro = load.value;
  const speedRows: (string | number)[][] = [['read NAS-Bench-Macro (6,561 networks, JSON + structures)', spread(load.ms)]];
  const values = new Map(ANALYTIC_PROXIES.map((p) => {
    const r = timed(() => proxyValues(macro, p));
    speedRows.push([`${proxyLabel(p)} of every network`, spread(r.ms)]);
    return [p, r.value];
  }));
  const accuracy = macro.networks.map((n) => n.accuracy);
  speedRows.push(['Kendall τ-b of one proxy (6,561 pairs)', spread(timed(() => kendallTau(values.get('madnas')!, accuracy)).ms, 2)]);
  speedRows.push(['Spearman ρ of one proxy', spread(timed(() => spearman(values.get('madnas')!, accuracy)).ms, 2)]);
  const stats = new Map(ANALYTIC_PROXIES.map((p) => {
    const t = performance.now();
    const s = proxyStats(macro, values.get(p)!, DEFAULT_BOOTSTRAP);
    speedRows.push([`${proxyLabel(p)}: τ, ρ and both bootstraps (${DEFAULT_BOOTSTRAP.resamples} resamples)`, (performance.now() - t).toFixed(0)]);
    return [p, s];
  }));
  const big = benchmarkFile({ ...macro, name: '20,000 networks', networks: Array.from({ length: 20_000 }, (_, i) => ({ ...macro.networks[i % macro.networks.length], id: `n${i}` })) });
  speedRows.push([`read a 20,000-network user file (${(big.length / 1e6).toFixed(1)} MB)`, spread(timed(() => parseBenchmark(big)).ms, 0)]);

  const ort = await import('onnxruntime-node');
  const sample = { ...macro, networks: macro.networks.filter((_, i) => i % Math.floor(macro.networks.length / ENTROPY_SAMPLE) === 0).slice(0, ENTROPY_SAMPLE) };
  const t = performance.now();
  await measuredEntropyValues(sample, ortRuntime(ort, { threads: 1 }));
  const msPerNet = (performance.now() - t) / sample.networks.length;
  speedRows.push([`measured entropy per network (onnxruntime-node, 1 thread; ${ENTROPY_SAMPLE} networks)`, msPerNet.toFixed(1)]);
  speedRows.push(['  → all 6,561 networks (projected, s)', ((msPerNet * 6561) / 1000).toFixed(0)]);

  const ladder = budgetLadder(macro);
  const searches = ladder.map((budget) => {
    const s = performance.now();
    const result = benchmarkSearch(macro, { objective: 'madnas', flopsBudget: budget });
    return { result, ms: performance.now() - s };
  });
  speedRows.push(['10-seed search in the benchmark space (population 32, 1,000 children each), per rung', spread(searches.map((s) => s.ms), 0)]);
  table('Validation speed (ms unless stated; median of 5 (min–max))', ['what', 'time'], speedRows);

  const ci = (i: { low: number; high: number } | null) => (i ? `[${i.low.toFixed(3)}, ${i.high.toFixed(3)}]` : 'n/a');
  table(
    `NAS-Bench-Macro: how each proxy ranks 6,561 trained networks (stage weights [${macro.ratio.join(', ')}], bootstrap ${DEFAULT_BOOTSTRAP.resamples} resamples, seed ${DEFAULT_BOOTSTRAP.seed})`,
    ['proxy', 'Kendall τ-b', '95% CI', 'Spearman ρ', '95% CI', 'top network', 'its accuracy', 'percentile'],
    ANALYTIC_PROXIES.map((p) => {
      const s = stats.get(p)!;
      return [proxyLabel(p), s.kendall!.toFixed(3), ci(s.kendallInterval), s.spearman!.toFixed(3), ci(s.spearmanInterval), s.top.id, s.top.accuracy.toFixed(2), s.top.percentile.toFixed(1)];
    }),
  );
  table(
    'Regret within a FLOPs budget (best accuracy in the budget − the pick’s; ties averaged): each proxy’s pick, and the madnas search (10 seeds, median)',
    ['budget (M FLOPs)', 'networks', 'best acc.', ...ANALYTIC_PROXIES.map(proxyLabel), 'search madnas'],
    ladder.map((budget, i) => {
      const picks = ANALYTIC_PROXIES.map((p) => regretAt(macro, values.get(p)!, budget)!);
      return [(budget / 1e6).toFixed(1), picks[0].networks, picks[0].best.accuracy.toFixed(2), ...picks.map((r) => r.regret.toFixed(2)), searches[i].result.medianRegret.toFixed(2)];
    }),
  );
}
