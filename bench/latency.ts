/**
 * `npm run bench -- --latency`: the device latency predictor (issue #15), on onnxruntime-node's
 * CPU provider and on onnxruntime-web's wasm backend in Chromium (the studio's scoring worker,
 * driven from bench/latencyPage.html). Per backend: the full sampling plan's profile time at
 * 224 px; predicted against measured latency on held-out networks of the space (mutation walks
 * within the detection budgets, none of them in the plan or its calibration) — Kendall τ and
 * MAPE, and FLOPs' τ on the same networks; a latency-budgeted search, its best network measured
 * against the budget. Then the predictor's cost per child and the budgeted search's speed.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Page } from 'playwright-core';
import { nodeLatencyRuntime } from '../app/cli/latencyCommand';
import { runSearch } from '../app/cli/runSearch';
import type { Structure } from '../app/engine/block';
import { presetConfig, type RunConfig } from '../app/engine/config';
import { flopsAt } from '../app/engine/cost';
import { Evaluator, mutateOptionsOf, Search } from '../app/engine/evolution/search';
import { mutationWalks } from '../app/engine/evolution/walks';
import type { Timing } from '../app/engine/latency/measure';
import { latencyPlan } from '../app/engine/latency/plan';
import { LatencyPredictor } from '../app/engine/latency/predictor';
import type { LatencyProfile } from '../app/engine/latency/profile';
import { measureNetworkLatency, runProfile } from '../app/engine/latency/profiler';
import { Rng } from '../app/engine/rng';
import { kendallTau, meanAbsolutePercentageError, median, quantile } from '../app/engine/stats';
import type { ProfileRequest } from '../workers/scoreApi';

type Row = (string | number)[];
type Table = (title: string, header: string[], rows: Row[]) => void;

const RESOLUTION = 224;
const HELD_OUT = 36;
/** walks of another seed than the plan's (2026): none of these networks is in the plan or its calibration */
const HELD_OUT_SEED = 99;
const BUDGETED_CHILDREN = 20_000;
/** the studio's and the CLI's default: one thread per core, at most 4 */
const THREADS = Math.max(1, Math.min(4, availableParallelism()));
/** held-out networks are timed in this many interleaved passes (the median of each network's passes): one pass drifts with whatever else runs */
const PASSES = 3;
const PAGE_OUT = 'node_modules/.cache/maedet-studio/latency-page';

/** The held-out networks: every 10th network the walks meet, within the detection budgets. */
function heldOutNetworks(config: RunConfig): Structure[] {
  const evaluator = new Evaluator(config);
  const out: Structure[] = [];
  let i = 0;
  for (const { structure } of mutationWalks(config.model.structure, Rng.fromSeed(HELD_OUT_SEED), { mutate: mutateOptionsOf(config), walkLength: 30, accept: (s) => evaluator.costs(s) })) {
    if (i++ % 10 === 5) out.push(structure);
    if (out.length === HELD_OUT) break;
  }
  return out;
}

/** what one backend gives the bench: a profile, and end-to-end timings */
interface Backend {
  label: string;
  profile(): Promise<LatencyProfile>;
  measure(structure: Structure): Promise<Timing>;
  close(): Promise<void>;
}

async function nodeBackend(config: RunConfig, threads: number): Promise<Backend> {
  const runtime = await nodeLatencyRuntime('cpu', threads);
  return {
    label: `onnxruntime-node CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
    profile: () => runProfile(runtime, latencyPlan(config, RESOLUTION)),
    measure: (s) => measureNetworkLatency(runtime, s, RESOLUTION),
    close: async () => {},
  };
}

/** The studio's scoring worker in Chromium (wasm), served cross-origin isolated like the studio. */
async function chromiumBackend(config: RunConfig, threads: number): Promise<Backend> {
  // loaded here: the onnxruntime-node part runs without them (a smaller heap to collect)
  const { build, preview } = await import('vite');
  const { launchBrowser } = await import('../tests/e2e/studio');
  await build({ logLevel: 'warn', build: { outDir: PAGE_OUT, emptyOutDir: true, rollupOptions: { input: 'bench/latencyPage.html' } } });
  const server = await preview({ build: { outDir: PAGE_OUT }, preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const browser = await launchBrowser();
  const page: Page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(new URL('bench/latencyPage.html', server.resolvedUrls!.local[0]).href);
  await page.waitForFunction(() => 'latencyBench' in window);
  type Bench = { latencyBench: { profileDevice(r: ProfileRequest): Promise<LatencyProfile>; measureLatency(s: Structure, o: object): Promise<Timing> } };
  const isolated = await page.evaluate(() => crossOriginIsolated);
  if (!isolated) throw new Error('the bench page is not cross-origin isolated: wasm would run on one thread');
  return {
    label: `onnxruntime-web wasm in Chromium, ${threads} thread${threads === 1 ? '' : 's'}`,
    profile: () =>
      page.evaluate(
        (request) => (window as unknown as Bench).latencyBench.profileDevice(request),
        { config, resolution: RESOLUTION, quick: false, provider: 'wasm', threads } satisfies ProfileRequest,
      ),
    measure: (structure) => page.evaluate(([s, t, r]) => (window as unknown as Bench).latencyBench.measureLatency(s, { resolution: r, provider: 'wasm', threads: t }), [structure, threads, RESOLUTION] as const),
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

const f = (v: number, digits = 2) => v.toFixed(digits);

/** Each network's median over PASSES interleaved passes, and its p10–p90 spread in the middle pass. */
async function timeAll(backend: Backend, structures: Structure[]): Promise<{ ms: number[]; spread: number[] }> {
  const passes: number[][] = structures.map(() => []);
  const spread: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    for (let i = 0; i < structures.length; i++) {
      const t = await backend.measure(structures[i]);
      passes[i].push(t.medianMs);
      if (p === Math.floor(PASSES / 2)) spread.push((t.p90Ms - t.p10Ms) / t.medianMs);
    }
  }
  return { ms: passes.map(median), spread };
}

/** what one backend's part of the bench gives: a table row each, and its profile */
interface BackendResult {
  profileRow: Row;
  accuracyRow: Row;
  budgetRow: Row;
  profile: LatencyProfile;
}

/** Profile a backend, time the held-out networks and a budgeted search's best on it. */
async function benchBackend(backend: Backend, config: RunConfig): Promise<BackendResult> {
  const heldOut = heldOutNetworks(config);
  const profile = await backend.profile();
  const c = profile.calibration!;
  const profileRow = [backend.label, profile.units.length, profile.networks.length, f(profile.seconds, 1), `${f(c.intercept)} + ${f(c.unitScale, 3)}·units ${c.moveScale < 0 ? '−' : '+'} ${f(Math.abs(c.moveScale), 3)}·moves`];
  const predictor = new LatencyPredictor(profile);
  const { ms: measured, spread } = await timeAll(backend, heldOut);
  const predictions = heldOut.map((s) => predictor.predict(s));
  const predicted = predictions.map((p) => p.ms);
  const flops = heldOut.map((s) => flopsAt(s, RESOLUTION));
  const accuracyRow = [
    backend.label,
    heldOut.length,
    `${f(Math.min(...measured), 1)}–${f(Math.max(...measured), 1)}`,
    f(kendallTau(predicted, measured)!, 3),
    f(meanAbsolutePercentageError(predicted, measured)),
    f(kendallTau(flops, measured)!, 3),
    `${f(100 * median(spread), 1)}%`,
    predictions.reduce((n, p) => n + p.extrapolated, 0),
  ];
  // a budget in the middle of the held-out networks' latencies
  const budget = Number(f(quantile(measured, 0.5)));
  const search = { ...config, latencyProfile: profile, budgets: { ...config.budgets, latency: budget }, search: { ...config.search, numRandomNets: BUDGETED_CHILDREN } };
  const best = (await runSearch(search, () => {})).population[0];
  const [bestMs] = (await timeAll(backend, [best.structure])).ms;
  const budgetRow = [backend.label, f(budget), BUDGETED_CHILDREN.toLocaleString('en-US'), f(best.latency!), f(bestMs), `${bestMs > budget ? '+' : ''}${f((100 * (bestMs - budget)) / budget, 1)}%`];
  return { profileRow, accuracyRow, budgetRow, profile };
}

/**
 * The onnxruntime-node part in a process of its own, as the CLI runs: the bench's own heap (its
 * browser driver, the other backends' results) would otherwise be collected on the core that a
 * second ORT thread needs, and blur the timings.
 */
function nodeResult(threads: number): BackendResult {
  const r = spawnSync(process.execPath, ['app/cli/run.mjs', 'bench/latencyNode.ts', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`the onnxruntime-node latency bench (${threads} threads) failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** the onnxruntime-node part (bench/latencyNode.ts runs it in its own process) */
export async function nodeBenchPart(threads: number): Promise<BackendResult> {
  const config = presetConfig('detection-r50');
  return benchBackend(await nodeBackend(config, threads), config);
}

export async function latencyBench(table: Table, quick: boolean): Promise<void> {
  const config = presetConfig('detection-r50');
  // one thread, and the default count (the same on a 1-core machine)
  const threadCounts = quick ? [THREADS] : [...new Set([1, THREADS])];
  const results = threadCounts.map(nodeResult);
  for (const threads of quick ? [] : threadCounts) {
    const backend = await chromiumBackend(config, threads);
    try {
      results.push(await benchBackend(backend, config));
    } finally {
      await backend.close();
    }
  }
  table(`Device profiles: the full plan at ${RESOLUTION} px, batch 1 (target ≤ 180 s on wasm)`, ['backend', 'units', 'calibration networks', 'seconds', 'calibration (ms)'], results.map((r) => r.profileRow));
  table(
    `Predicted vs measured latency (each network the median of ${PASSES} interleaved passes), ${HELD_OUT} held-out networks of the detection-r50 space at ${RESOLUTION} px (targets: τ ≥ 0.9, MAPE ≤ 10%; HELP: 0.989, FLOPs 0.826)`,
    ['backend', 'networks', 'measured ms', 'Kendall τ', 'MAPE %', 'FLOPs τ', 'median p10–p90 spread', 'extrapolated units'],
    results.map((r) => r.accuracyRow),
  );
  table('Latency-budgeted search: the best network timed end to end (target: within +5% of the budget)', ['backend', 'budget ms', 'children', 'best predicted ms', 'best measured ms', 'vs budget'], results.map((r) => r.budgetRow));
  table('Predictor cost (target ≤ 2 µs per child; ≥ 100,000 children/s with a latency budget)', ['measure', 'µs per child', 'children/s'], await predictorSpeed(results[0].profile));
}

/** µs per child (the search's own children, a cold and a warm memo) and children/s with and without a latency budget */
async function predictorSpeed(profile: LatencyProfile): Promise<Row[]> {
  const config = presetConfig('detection-r50');
  const children: Structure[] = [];
  const search = Search.create({ ...config, search: { ...config.search, numRandomNets: 100_000 } });
  for (let i = 0; i < 100_000; i++) {
    search.advance(1);
    children.push(search.latestChild!.child);
  }
  const rows: Row[] = [];
  const predictor = new LatencyPredictor(profile);
  for (const pass of ['first pass (cold memo)', 'second pass']) {
    const t = performance.now();
    let sink = 0;
    for (const s of children) sink += predictor.predictMs(s);
    if (!(sink > 0)) throw new Error('no prediction');
    rows.push([`predictMs over a search's 100,000 children, ${pass}`, f(((performance.now() - t) * 1000) / children.length, 3), '—']);
  }
  const budget = new LatencyPredictor(profile).predictMs(config.model.structure) * 1.5;
  for (const [label, c] of [
    ['detection-r50, 100,000 children, 1 worker, no latency budget', config],
    ['… with a latency budget (1.5 × the seed)', { ...config, latencyProfile: profile, budgets: { ...config.budgets, latency: budget } }],
  ] as const) {
    const o = await runSearch(c, () => {});
    rows.push([label, '—', Math.round(o.evaluated / o.seconds).toLocaleString('en-US')]);
  }
  return rows;
}
