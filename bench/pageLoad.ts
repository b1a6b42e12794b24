/**
 * Part of `npm run bench -- --browser`: the page's load as a new user meets it (issue #17). Five
 * fresh contexts against the local preview, the service worker allowed (it installs as it would
 * for a first visit): largest and first contentful paint by web-vitals, total blocking time (Σ of
 * each main-thread task's time past 50 ms, from first paint until the page has been quiet for
 * 2 s), the tasks over 50 ms. Then offline: the site installed, the server gone, a reload timed
 * until Start can be pressed. And the JavaScript the first view loads, raw and gzip.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { openPage } from '../tests/e2e/studio';
import { serveStatic } from '../tests/e2e/staticServer';

type Table = (title: string, header: string[], rows: (string | number)[][]) => void;

const RUNS = 5;
const VIEWPORT = { width: 1440, height: 900 };
/** the load is over when no task has run for this long */
const QUIET_MS = 2000;
// web-vitals' UMD build (the package's `require` entry) defines the global `webVitals` in a page
const require = createRequire(import.meta.url);
const WEB_VITALS = readFileSync(require.resolve('web-vitals'), 'utf8');

interface Load {
  fcpMs: number;
  lcpMs: number;
  totalBlockingMs: number;
  longTasks: number[];
}

/** FCP and LCP (web-vitals) and the load's long tasks, once the page has been quiet */
async function measureLoad(page: Page): Promise<Load> {
  return page.evaluate(
    (quietMs) =>
      new Promise<Load>((resolve) => {
        const vitals = (window as unknown as { webVitals: { onFCP(f: (m: { value: number }) => void): void; onLCP(f: (m: { value: number }) => void, o: object): void } }).webVitals;
        let fcp = NaN;
        let lcp = NaN;
        vitals.onFCP((m) => (fcp = m.value));
        vitals.onLCP((m) => (lcp = m.value), { reportAllChanges: true });
        const tasks = (window as unknown as { longTasks: { duration: number; start: number }[] }).longTasks;
        const check = () => {
          const last = Math.max(0, ...tasks.map((t) => t.start + t.duration));
          if (Number.isNaN(fcp) || Number.isNaN(lcp) || performance.now() - last < quietMs) return void setTimeout(check, 250);
          const afterPaint = tasks.filter((t) => t.start >= fcp);
          resolve({ fcpMs: fcp, lcpMs: lcp, totalBlockingMs: afterPaint.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0), longTasks: tasks.map((t) => t.duration) });
        };
        setTimeout(check, quietMs);
      }),
    QUIET_MS,
  );
}

/** one new user: a fresh context, the page loaded and measured */
async function freshLoad(browser: Browser, url: string): Promise<Load> {
  // web-vitals sees the paints from the start: it runs before the page's own scripts
  const page = await openPage(browser, url, VIEWPORT, [], 'allow', [WEB_VITALS]);
  try {
    return await measureLoad(page);
  } finally {
    await page.context().close();
  }
}

/** the site installed (service worker active), the server gone: ms from reload to a usable Start */
async function offlineInteractive(browser: Browser, dist: string): Promise<number> {
  const site = await serveStatic(dist, '/');
  const page = await openPage(browser, site.url, VIEWPORT, [], 'allow');
  try {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null && crossOriginIsolated, null, { timeout: 60_000 });
    await page.getByTestId('preset-select').waitFor();
    await page.context().setOffline(true);
    site.setOffline(true);
    await page.reload();
    await page.getByTestId('start-search').waitFor();
    return await page.evaluate(() => {
      const start = document.querySelector('[data-testid="start-search"]')!;
      // the Start button is there and not disabled: the set-up is read and the page answers
      return start.getAttribute('aria-disabled') === 'true' ? NaN : performance.now();
    });
  } finally {
    await page.context().close();
    await site.close();
  }
}

/** the JavaScript the first view loads: the entry and its module preloads, from dist/index.html */
function firstViewBytes(dist: string): { files: number; raw: number; gzip: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const bytes = files.map((f) => readFileSync(join(dist, f)));
  return { files: files.length, raw: bytes.reduce((s, b) => s + b.length, 0), gzip: bytes.reduce((s, b) => s + gzipSync(b).length, 0) };
}

export async function pageLoadBench(browser: Browser, url: string, table: Table, median: (v: number[]) => number): Promise<void> {
  const loads: Load[] = [];
  for (let i = 0; i < RUNS; i++) loads.push(await freshLoad(browser, url));
  const offline: number[] = [];
  for (let i = 0; i < RUNS; i++) offline.push(await offlineInteractive(browser, 'dist'));
  const spread = (values: number[]) => `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  const js = firstViewBytes('dist');
  const kb = (v: number) => `${(v / 1024).toFixed(1)} KB`;
  table(`Page load, ${RUNS} fresh pages at ${VIEWPORT.width}×${VIEWPORT.height} (ms; median (min–max))`, ['measure', 'value', 'target'], [
    ['first contentful paint (web-vitals)', spread(loads.map((l) => l.fcpMs)), ''],
    ['largest contentful paint (web-vitals)', spread(loads.map((l) => l.lcpMs)), ''],
    ['total blocking time', spread(loads.map((l) => l.totalBlockingMs)), '0'],
    ['tasks over 50 ms during load, per page', loads.map((l) => l.longTasks.length).join(', '), '0'],
    ['their durations (ms)', loads.flatMap((l) => l.longTasks).join(' ') || '—', ''],
    ['offline, installed: reload → Start usable', spread(offline), ''],
    [`first view's JavaScript (${js.files} files: entry + module preloads)`, `${kb(js.raw)} raw, ${kb(js.gzip)} gzip`, ''],
  ]);
}
