/**
 * `npm run bench -- --validate`: validation against NAS-Bench-Macro's trained networks (issue #16).
 * Quality: every proxy's Kendall τ-b and Spearman ρ with bootstrap 95% intervals, and the regret
 * ladder — each proxy's pick and the 10-seed search's within each FLOPs budget. Speed: reading the
 * benchmark, the proxies, the bootstrap, a 20,000-network user file, the measured entropy per
 * network on onnxruntime-node, and the 10-seed search. Medians of 5 runs (min–max). In the built
 * studio (`vite preview`, headless Chromium, 1440×900): 5 freshly opened pages at #/validate, each
 * its own browser context (cold workers) — the time to the table, to every bootstrap interval, and
 * the main thread's tasks over 50 ms meanwhile.
 */
import { readFileSync } from 'node:fs';
import { benchmarkFile, parseBenchmark } from '../app/engine/benchmark/benchmark';
import { benchmarkSearch } from '../app/engine/benchmark/benchmarkSearch';
import { nasBenchMacro } from '../app/engine/benchmark/nasBenchMacro';
import { ANALYTIC_PROXIES, budgetLadder, DEFAULT_BOOTSTRAP, measuredEntropyValues, proxyLabel, proxyStats, proxyValues, regretAt } from '../app/engine/benchmark/validation';
import { ortRuntime } from '../app/engine/onnx/ortRuntime';
import { kendallTau, spearman } from '../app/engine/stats';
import { build, preview } from 'vite';
import { launchBrowser, openPage } from '../tests/e2e/studio';

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
  await pageBench(table, spread);

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

/** the page's clock when a cell of each kind is first filled: τ in the table, then every interval */
async function freshValidatePage(url: string, browser: Awaited<ReturnType<typeof launchBrowser>>): Promise<{ tableMs: number; intervalsMs: number; longTasks: number[] }> {
  const page = await openPage(browser, `${url}#/validate`, { width: 1440, height: 900 }, []);
  try {
    const timing = await page.evaluate(
      (proxies) =>
        new Promise<{ tableMs: number; intervalsMs: number }>((resolve) => {
          let tableMs = NaN;
          const check = () => {
            if (Number.isNaN(tableMs) && document.querySelector('[data-testid="proxy-row"] [data-testid="kendall"]')) tableMs = performance.now();
            if (document.querySelectorAll('[data-testid="kendall-interval"]').length === proxies) {
              seen.disconnect();
              resolve({ tableMs, intervalsMs: performance.now() });
            }
          };
          const seen = new MutationObserver(check);
          seen.observe(document.body, { subtree: true, childList: true, characterData: true });
          check();
        }),
      ANALYTIC_PROXIES.length,
    );
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: { duration: number }[] }).longTasks.map((t) => t.duration));
    return { ...timing, longTasks };
  } finally {
    await page.context().close();
  }
}

async function pageBench(table: Table, spread: (ms: number[], digits?: number) => string): Promise<void> {
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const browser = await launchBrowser();
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await freshValidatePage(server.resolvedUrls!.local[0], browser));
    const longest = runs.map((r) => Math.max(0, ...r.longTasks));
    table('#/validate in the built studio, 5 fresh pages at 1440×900 (ms from navigation; median (min–max))', ['what', 'time'], [
      ['NAS-Bench-Macro’s table (τ-b, ρ of every analytic proxy)', spread(runs.map((r) => r.tableMs), 0)],
      ['every bootstrap interval (4 proxies × 2 × 1,000 resamples, in the worker)', spread(runs.map((r) => r.intervalsMs), 0)],
      ['main-thread tasks over 50 ms, per page', runs.map((r) => r.longTasks.length).join(', ')],
      ['longest main-thread task over 50 ms, per page (0: none)', longest.join(', ')],
    ]);
  } finally {
    await browser.close();
    await server.close();
  }
}
