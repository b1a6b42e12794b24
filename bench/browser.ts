/**
 * `npm run bench -- --browser`: what a new user meets. The built studio, served by `vite preview`,
 * opened cold (a new browser context each time: no autosave, new Web Workers, fresh JIT) at
 * 1440×900 in headless Chromium, with the default set-up (detection-r50, 100,000 children, seed
 * 0, the worker count the page chooses); Start, then wait for done. Against it, the CLI's search
 * with the same worker count, each run in a fresh Node process. Medians and spreads over the runs,
 * then where the page's main thread spends its time (bench/trace.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage } from '../tests/e2e/studio';
import { presetConfig } from '../app/engine/config';
import { runSearch } from '../app/cli/runSearch';
import { build, preview } from 'vite';
import { mainThreadTime, type MainThreadTime, type TraceEvent } from './trace';
import { pageLoadBench } from './pageLoad';

type Row = (string | number)[];

const CHILDREN = 100_000;
const VIEWPORT = { width: 1440, height: 900 };
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'];
/** console.timeStamp labels around the run, for the trace */
const START_MARK = 'bench:start';
const DONE_MARK = 'bench:done';
/** how long the new user reads the page before pressing Start */
const USER_PAUSE_MS = 1500;
/** a run takes seconds; past this it is stuck, and the bench says where rather than wait forever */
const STUCK_MS = 120_000;

interface PageRun {
  workers: number;
  childrenPerSecond: number;
  firstChartMs: number;
  doneMs: number;
  /** durations of the main-thread tasks over 50 ms between Start and done */
  longTasks: number[];
}

interface NodeRun {
  childrenPerSecond: number;
  seconds: number;
}

export async function browserBench(quick: boolean, table: (title: string, header: string[], rows: Row[]) => void, median: (v: number[]) => number): Promise<void> {
  const runs = quick ? 3 : 5;
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const url = server.resolvedUrls!.local[0];
  const browser = await launchBrowser();
  const pages: PageRun[] = [];
  const nodes: NodeRun[] = [];
  const warmNodes: NodeRun[] = [];
  let traced: { run: PageRun; trace?: MainThreadTime };
  try {
    // each fresh page is followed by the same search in Node, warm and in a fresh process: a
    // shared machine's speed drifts over a minute, and pairs measured together compare fairly
    for (let i = 0; i < runs; i++) {
      const page = (await freshRun(browser, url)).run;
      pages.push(page);
      warmNodes.push(await warmNodeSearch(page.workers));
      nodes.push(await nodeSearch(page.workers));
    }
    traced = await freshRun(browser, url, true);
    await pageLoadBench(browser, url, table, median);
  } finally {
    await browser.close();
    await server.close();
  }
  const workers = pages[0].workers;
  if (pages.some((p) => p.workers !== workers)) throw new Error(`the pages chose different worker counts: ${pages.map((p) => p.workers).join(', ')}`);

  const set = `detection-r50, ${CHILDREN.toLocaleString('en-US')} children, seed 0, ${workers} worker${workers > 1 ? 's' : ''}`;
  const count = (v: number) => Math.round(v).toLocaleString('en-US');
  table(
    `Studio, fresh page each run (new context, ${VIEWPORT.width}×${VIEWPORT.height}, default set-up: ${set}, as the page chose)`,
    ['run', 'workers', 'children/s', 'Start → first chart (ms)', 'Start → done (ms)', 'long tasks > 50 ms', 'their durations (ms)'],
    pages.map((p, i) => [`page ${i + 1}`, p.workers, count(p.childrenPerSecond), p.firstChartMs.toFixed(0), p.doneMs.toFixed(0), p.longTasks.length, p.longTasks.map((d) => d.toFixed(0)).join(' ') || '—']),
  );
  table(`CLI, fresh Node process each run (search --preset detection-r50 --iterations ${CHILDREN} --seed 0 --workers ${workers})`, ['run', 'children/s', 'search seconds'], nodes.map((n, i) => [`process ${i + 1}`, count(n.childrenPerSecond), n.seconds.toFixed(3)]));

  table(`Node, warm (the same search in this process after a first one, as the studio's worker is warm from its start-up search)`, ['run', 'children/s', 'search seconds'], warmNodes.map((n, i) => [`run ${i + 1}`, count(n.childrenPerSecond), n.seconds.toFixed(3)]));

  const studioRates = pages.map((p) => p.childrenPerSecond);
  const nodeRates = warmNodes.map((n) => n.childrenPerSecond);
  const coldNodeRates = nodes.map((n) => n.childrenPerSecond);
  const pairedRatios = nodeRates.map((n, i) => n / studioRates[i]);
  const summary = (label: string, values: number[], format: (v: number) => string, target: string): Row => [label, format(median(values)), `${format(Math.min(...values))} – ${format(Math.max(...values))}`, target];
  const ratio = (v: number) => `${v.toFixed(2)}×`;
  table(
    `Summary over ${runs} runs each (children/s exclude module load and JIT warm-up in both: the studio's worker optimises the search at its start, while the page loads and the user reads it; Node's is a second search in one process)`,
    ['measure', 'median', 'spread (min – max)', 'target'],
    [
      summary('long tasks > 50 ms per run, Start → done', pages.map((p) => p.longTasks.length), String, '0'),
      summary('studio children/s (first run of a fresh page)', studioRates, count, ''),
      summary('Node children/s (warm)', nodeRates, count, ''),
      summary('Node children/s (fresh process, JIT included, for reference)', coldNodeRates, count, ''),
      summary('Node (warm) ÷ studio, run by run', pairedRatios, ratio, '≤ 1.3×'),
      summary('Start → first chart (ms)', pages.map((p) => p.firstChartMs), (v) => v.toFixed(0), '< 100'),
    ],
  );

  const trace = traced.trace!;
  const ms = (v: number) => v.toFixed(0);
  const share = (v: number) => `${((100 * v) / trace.taskMs).toFixed(0)}%`;
  const parts: [string, number][] = [
    ['script (FunctionCall, EvaluateScript, v8.callFunction, RunMicrotasks)', trace.byActivity.script],
    ['style + layout (UpdateLayoutTree, Layout)', trace.byActivity.styleLayout],
    ['paint + composite (PrePaint, Paint, Layerize, Commit, UpdateLayer)', trace.byActivity.paintComposite],
    ['GC (MinorGC, MajorGC, V8.GC*)', trace.byActivity.gc],
    ['rest of the tasks', trace.byActivity.rest],
  ];
  table(
    `Where the main thread's time goes, Start → done (one more fresh page, traced; time charged to the innermost event, so GC or layout inside script is not script)`,
    ['measure', 'value', 'share of task time'],
    [
      ['Start → done (ms)', ms(trace.spanMs), ''],
      ['studio children/s in this run (tracing slows it)', count(traced.run.childrenPerSecond), ''],
      ['main-thread task time (ms)', ms(trace.taskMs), '100%'],
      ['CPU time the thread had in those tasks (ms)', ms(trace.taskCpuMs), share(trace.taskCpuMs)],
      ['busy ms per second of Start → done', ms((trace.taskMs * 1000) / trace.spanMs), ''],
      ['tasks > 50 ms (longest, ms)', `${trace.longTasks} (${ms(trace.longestTaskMs)})`, ''],
      ...parts.map(([label, v]): Row => [label, ms(v), share(v)]),
    ],
  );
}

/**
 * One new user: a new context (empty IndexedDB, so no autosaved run comes back) and page, the
 * default set-up, Start, done. With `traced`, the run from Start to done is also traced.
 */
async function freshRun(browser: Browser, url: string, traced = false): Promise<{ run: PageRun; trace?: MainThreadTime }> {
  const pageErrors: string[] = [];
  const page = await openPage(browser, url, VIEWPORT, pageErrors);
  try {
    // a new user reads the page before pressing Start: let its loading settle first
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(USER_PAUSE_MS);
    const workers = Number(await page.getByTestId('workers').inputValue());
    const seed = page.getByTestId('seed');
    if ((await seed.inputValue()) !== '0') await seed.fill('0');
    if (traced) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    // Start, then wait for done with MutationObservers: polling from Playwright would itself
    // cost the main thread (rAF polling, by default, runs every frame)
    const timing = await page.evaluate(
      ({ startMark, doneMark, stuckMs }) =>
        new Promise<{ startAt: number; doneAt: number; firstChartMs: number }>((resolve, reject) => {
          const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`)!;
          const chart = byTestId('population-chart');
          const status = byTestId('run-status');
          if (status.textContent !== 'idle') return reject(new Error(`the run is '${status.textContent}' before Start: a saved run came back`));
          let firstChartMs = NaN;
          const charted = new MutationObserver(() => {
            if (Number(chart.getAttribute('data-points')) === 0) return;
            firstChartMs = performance.now() - startAt;
            charted.disconnect();
          });
          charted.observe(chart, { attributes: true, attributeFilter: ['data-points'] });
          const stuck = setTimeout(() => {
            const evaluated = byTestId('evaluated-count').textContent;
            reject(new Error(`no 'done' ${stuckMs / 1000} s after Start: status '${status.textContent}', ${evaluated} children evaluated, first chart ${firstChartMs.toFixed(0)} ms`));
          }, stuckMs);
          const ended = new MutationObserver(() => {
            if (status.textContent === 'error') return reject(new Error(`the run failed: ${byTestId('run-error')?.textContent}`));
            if (status.textContent !== 'done') return;
            const doneAt = performance.now();
            console.timeStamp(doneMark);
            clearTimeout(stuck);
            ended.disconnect();
            charted.disconnect();
            resolve({ startAt, doneAt, firstChartMs });
          });
          ended.observe(status, { childList: true, characterData: true, subtree: true });
          console.timeStamp(startMark);
          const startAt = performance.now();
          (byTestId('start-search') as HTMLButtonElement).click();
        }),
      { startMark: START_MARK, doneMark: DONE_MARK, stuckMs: STUCK_MS },
    );
    const trace = traced ? mainThreadTime(parseTrace(await browser.stopTracing()), START_MARK, DONE_MARK) : undefined;
    const longTasks = await page.evaluate(async ({ startAt, doneAt }) => {
      // a long task's entry is queued after it ends: give the last ones a moment
      await new Promise((resolve) => setTimeout(resolve, 200));
      const w = window as unknown as { longTasks: { start: number; duration: number }[] };
      return w.longTasks.filter((e) => e.start + e.duration > startAt && e.start < doneAt).map((e) => e.duration);
    }, timing);
    const childrenPerSecond = Number(await page.getByTestId('children-per-second').getAttribute('data-value'));
    if (pageErrors.length > 0) throw new Error(`the page threw: ${pageErrors.join('; ')}`);
    if (Number.isNaN(timing.firstChartMs)) throw new Error('the population chart was never drawn');
    return { run: { workers, childrenPerSecond, firstChartMs: timing.firstChartMs, doneMs: timing.doneAt - timing.startAt, longTasks }, trace };
  } finally {
    await page.close();
  }
}

function parseTrace(json: Buffer): TraceEvent[] {
  const parsed = JSON.parse(json.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

const execFileAsync = promisify(execFile);

/** the CLI's search in a new Node process; its last stdout line is the JSON summary */
async function nodeSearch(workers: number): Promise<NodeRun> {
  const out = mkdtempSync(join(tmpdir(), 'maedet-bench-'));
  try {
    const args = ['app/cli/run.mjs', 'app/cli/main.ts', 'search', '--preset', 'detection-r50', '--iterations', String(CHILDREN), '--seed', '0', '--workers', String(workers), '--out', out];
    const { stdout } = await execFileAsync(process.execPath, args);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as NodeRun;
    return { childrenPerSecond: summary.childrenPerSecond, seconds: summary.seconds };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** the same search in this process, after a first one that warms the JIT (once per worker count) */
const warmedUp = new Set<number>();
async function warmNodeSearch(workers: number): Promise<NodeRun> {
  const config = presetConfig('detection-r50');
  config.search = { ...config.search, numRandomNets: CHILDREN, seed: 0, workers };
  if (!warmedUp.has(workers)) await runSearch(config, () => {});
  warmedUp.add(workers);
  const o = await runSearch(config, () => {});
  return { childrenPerSecond: o.evaluated / o.seconds, seconds: o.seconds };
}
