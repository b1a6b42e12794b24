/**
 * `cli validate --bench nas-bench-macro|FILE [--score madnas,deepmad,entropy,flops,params]
 * [--out scores.csv] [--resamples N] [--threads T] [--json]`: how well each proxy ranks a
 * benchmark's trained networks. Without --score, every proxy that needs no forward pass. The
 * last line is JSON, `{"networks":N,"proxies":{"<name>":{"kendall":…,"spearman":…},…}}` (with
 * --json the only line, with intervals, top picks and the regret ladder added).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseBenchmark, type Benchmark } from '../engine/benchmark/benchmark';
import { benchmarkSearch } from '../engine/benchmark/benchmarkSearch';
import { nasBenchMacro } from '../engine/benchmark/nasBenchMacro';
import {
  ANALYTIC_PROXIES,
  budgetLadder,
  DEFAULT_BOOTSTRAP,
  measuredEntropyValues,
  PROXY_NAMES,
  proxyLabel,
  proxyStats,
  proxyValues,
  regretAt,
  type ProxyName,
  type ProxyStats,
} from '../engine/benchmark/validation';
import { ortRuntime } from '../engine/onnx/ortRuntime';
import { integerOption, readText, UsageError } from './args';

/** the shipped NAS-Bench-Macro file (public/ is served as the site's root) */
function nasBenchMacroPath(): string {
  return join(process.env.MAEDET_STUDIO_ROOT ?? process.cwd(), 'public/data/nas-bench-macro/nas-bench-macro_cifar10.json');
}

function loadBenchmark(bench: string): Benchmark {
  if (bench === 'nas-bench-macro') return nasBenchMacro(JSON.parse(readText(nasBenchMacroPath())));
  return parseBenchmark(readText(bench));
}

function proxyList(text: string | undefined): ProxyName[] {
  if (text === undefined) return [...ANALYTIC_PROXIES];
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(PROXY_NAMES as string[]).includes(name)) throw new UsageError(`--score: found ${JSON.stringify(name)}, expected a comma-separated list of ${PROXY_NAMES.join(', ')}`);
  }
  return [...new Set(names)] as ProxyName[];
}

/** a CSV field: ids are free text in a user's file */
const csvField = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

const fixed = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));

const formatFlops = (flops: number) => (flops >= 1e9 ? `${(flops / 1e9).toFixed(2)} G` : `${(flops / 1e6).toFixed(1)} M`);

const SEARCH_OBJECTIVES = ['madnas', 'deepmad'] as const;

export async function validateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { bench: { type: 'string' }, score: { type: 'string' }, out: { type: 'string' }, resamples: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (values.bench === undefined) throw new UsageError('validate needs --bench nas-bench-macro or --bench FILE (a maedet-studio-benchmark JSON file)');
  const proxies = proxyList(values.score);
  const bootstrap = { ...DEFAULT_BOOTSTRAP, resamples: integerOption(values.resamples, 'resamples', 1) ?? DEFAULT_BOOTSTRAP.resamples };
  const threads = integerOption(values.threads, 'threads', 1);
  const benchmark = loadBenchmark(values.bench);
  const columns = new Map<ProxyName, number[]>();
  for (const name of proxies) {
    if (name !== 'entropy') {
      columns.set(name, proxyValues(benchmark, name));
      continue;
    }
    // loaded here, so the analytic proxies do not pay for the native runtime
    const ort = await import('onnxruntime-node');
    const progress = process.stderr.isTTY ? (done: number, total: number) => process.stderr.write(`\rentropy: ${done}/${total}`) : undefined;
    columns.set(name, await measuredEntropyValues(benchmark, ortRuntime(ort, { threads }), { onProgress: progress }));
    if (progress) process.stderr.write('\n');
  }
  if (values.out !== undefined) {
    const header = ['id', 'accuracy', ...proxies].join(',');
    const rows = benchmark.networks.map((n, i) => [csvField(n.id), String(n.accuracy), ...proxies.map((p) => String(columns.get(p)![i]))].join(','));
    writeFileSync(values.out, `${header}\n${rows.join('\n')}\n`);
  }
  const stats = new Map<ProxyName, ProxyStats>(proxies.map((p) => [p, proxyStats(benchmark, columns.get(p)!, bootstrap)]));
  const summary = { networks: benchmark.networks.length, proxies: Object.fromEntries(proxies.map((p) => [p, { kendall: stats.get(p)!.kendall, spearman: stats.get(p)!.spearman }])) };
  const ladder = budgetLadder(benchmark);
  // the studio's search in the benchmark's space, 10 seeds per rung, where its picks can be looked up
  const searches = values.bench === 'nas-bench-macro' ? SEARCH_OBJECTIVES.map((objective) => ({ objective, rungs: ladder.map((budget) => ({ budget, ...benchmarkSearch(benchmark, { objective, flopsBudget: budget }) })) })) : [];
  if (values.json) {
    const detail = Object.fromEntries(proxies.map((p) => [p, { ...stats.get(p)!, regret: ladder.map((budget) => regretAt(benchmark, columns.get(p)!, budget)) }]));
    const search = Object.fromEntries(searches.map((s) => [s.objective, s.rungs]));
    process.stdout.write(`${JSON.stringify({ ...summary, name: benchmark.name, ratio: benchmark.ratio, imageSize: benchmark.imageSize, bootstrap, proxies: detail, ...(searches.length > 0 && { search }) })}\n`);
    return;
  }
  const lines = [`${benchmark.name}: ${benchmark.networks.length} networks, stage weights [${benchmark.ratio.join(', ')}], bootstrap ${bootstrap.resamples} resamples (seed ${bootstrap.seed})`];
  lines.push(`${'proxy'.padEnd(10)}${'Kendall τ-b'.padEnd(26)}${'Spearman ρ'.padEnd(26)}top network (accuracy, percentile)`);
  for (const p of proxies) {
    const s = stats.get(p)!;
    const ci = (x: number | null, i: { low: number; high: number } | null) => `${fixed(x)} [${fixed(i?.low ?? null)}, ${fixed(i?.high ?? null)}]`.padEnd(26);
    const ties = s.top.ties > 1 ? `, ${s.top.ties} tied` : '';
    lines.push(`${proxyLabel(p).padEnd(10)}${ci(s.kendall, s.kendallInterval)}${ci(s.spearman, s.spearmanInterval)}${s.top.id} (${s.top.accuracy.toFixed(2)} %, ${s.top.percentile.toFixed(1)} %${ties})`);
  }
  lines.push('', `regret within a FLOPs budget (best accuracy within it − the pick's; ties averaged)${searches.length > 0 ? '; search: median of 10 seeds' : ''}`);
  lines.push(['budget'.padEnd(10), 'networks'.padStart(9), 'best'.padStart(7), ...proxies.map((p) => proxyLabel(p).padStart(9)), ...searches.map((s) => `search ${s.objective}`.padStart(16))].join(''));
  ladder.forEach((budget, i) => {
    const picks = proxies.map((p) => regretAt(benchmark, columns.get(p)!, budget)!);
    const cells = [formatFlops(budget).padEnd(10), String(picks[0].networks).padStart(9), picks[0].best.accuracy.toFixed(2).padStart(7), ...picks.map((r) => r.regret.toFixed(2).padStart(9))];
    lines.push([...cells, ...searches.map((s) => s.rungs[i].medianRegret.toFixed(2).padStart(16))].join(''));
  });
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(summary)}\n`);
}
