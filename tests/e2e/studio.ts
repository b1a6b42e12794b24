/**
 * The built studio served by `vite preview` and opened in Debian's Chromium through playwright-core
 * (Playwright adds the headless flags and a fresh profile). Shared by the e2e tests and the
 * browser benchmark. Needs `vite build` first.
 */
import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export interface Studio {
  browser: Browser;
  page: Page;
  url: string;
  /** uncaught errors in the page since it opened */
  pageErrors: string[];
  close(): Promise<void>;
}

export type Viewport = { width: number; height: number };

/**
 * Switches for every test browser. Headless Chromium opens each new context as a new (hidden)
 * browser window, and each window loads the omnibox's popup, a WebUI page, in a renderer of its
 * own: about a second of CPU in its first two seconds. A user opens the studio in a tab of a
 * window that already has its omnibox; on two cores that second would otherwise be taken from
 * the page under test just as it starts.
 */
const BROWSER_ARGS = ['--disable-quic', '--disable-features=WebUIOmniboxAimPopup,WebUIOmniboxPopup'];

/** Debian's Chromium, headless, with the test switches and `extraArgs` */
export const launchBrowser = (extraArgs: string[] = []) => chromium.launch({ executablePath: '/usr/bin/chromium', args: [...BROWSER_ARGS, ...extraArgs] });

/**
 * The built studio in a newly launched browser, on its first page. `extraArgs`: more Chromium
 * switches, e.g. `--enable-unsafe-webgpu` for a (software) WebGPU adapter.
 */
export async function openStudio(extraArgs: string[] = [], viewport: Viewport = { width: 1280, height: 900 }): Promise<Studio> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first');
  const server: PreviewServer = await preview({ preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const url = server.resolvedUrls!.local[0];
  const browser = await launchBrowser(extraArgs);
  const pageErrors: string[] = [];
  const page = await openPage(browser, url, viewport, pageErrors);
  return {
    browser,
    page,
    url,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A freshly opened page of the studio in a running browser, as a user opens it in a new window:
 * its own context (no autosave, no cache from other pages), so a new renderer, new Web Workers
 * and a cold JIT. Every main-thread task over 50 ms is recorded from the first moment of every
 * load, with the long frames and what ran in them (for a failing check's message).
 */
export async function openPage(browser: Browser, url: string, viewport: Viewport, pageErrors: string[] = [], serviceWorkers: 'allow' | 'block' = 'block', initScripts: readonly string[] = []): Promise<Page> {
  // the service worker (offline copy, isolation on header-less hosts) has its own tests
  // (offline.test.ts); elsewhere the page is measured without its install running beside it
  const context = await browser.newContext({ viewport, acceptDownloads: true, serviceWorkers });
  const page = await context.newPage();
  // an action that cannot happen fails with its reason instead of waiting for the test's timeout
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('close', () => void context.close().catch(() => {}));
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { duration: number; start: number }[]; longFrames: string[] };
    w.longTasks = [];
    w.longFrames = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push({ duration: Math.round(e.duration), start: e.startTime }))).observe({ type: 'longtask', buffered: true });
    type Frame = PerformanceEntry & { blockingDuration: number; renderStart: number; scripts: { invoker: string; duration: number }[] };
    new PerformanceObserver((list) =>
      (list.getEntries() as Frame[]).forEach((f) => {
        if (f.blockingDuration === 0) return;
        const render = f.renderStart ? f.startTime + f.duration - f.renderStart : 0;
        w.longFrames.push(`${Math.round(f.duration)} ms at ${Math.round(f.startTime)} (render ${Math.round(render)}): ${f.scripts.map((s) => `${s.invoker} ${Math.round(s.duration)} ms`).join(', ')}`);
      }),
    ).observe({ type: 'long-animation-frame', buffered: true });
  });
  // more scripts run before the page's own (a bench's web-vitals)
  for (const script of initScripts) await page.addInitScript(script);
  await page.goto(url);
  return page;
}

/**
 * Main-thread tasks over 50 ms that began since the last call (the observer reports a task a
 * little after it ends: one that began before the last call is not this call's). None: `[]`.
 * Otherwise their durations, then, for the failing check's message, the long frames since the
 * last call with what ran in them, and the page's clock.
 */
export const takeLongTasks = (page: Page): Promise<(number | string)[]> =>
  page.evaluate(() => {
    const w = window as unknown as { longTasks: { duration: number; start: number }[]; longFrames: string[]; longTasksSince?: number };
    const since = w.longTasksSince ?? -Infinity;
    w.longTasksSince = performance.now();
    const tasks = w.longTasks
      .splice(0)
      .filter((t) => t.start >= since)
      .map((t) => t.duration);
    const frames = w.longFrames.splice(0);
    return tasks.length === 0 ? [] : [...tasks, ...frames, `now ${Math.round(performance.now())}`];
  });

/** choose the detection-r50 preset with these children, seed and workers */
export async function setUp(page: Page, children: number, seed: number, workers = 1): Promise<void> {
  await page.getByTestId('preset-select').selectOption('detection-r50');
  await page.getByTestId('iterations').fill(String(children));
  await page.getByTestId('seed').fill(String(seed));
  await page.getByTestId('workers').fill(String(workers));
}

/**
 * Wait, inside the page, until the run status reads one of `statuses`: no polling from here, whose
 * traffic would load the page's thread (and the browser's) as no user does while they watch.
 */
export async function waitForStatus(page: Page, statuses: string[], timeout = 60_000): Promise<string> {
  return page.evaluate(
    ([wanted, ms]) =>
      new Promise<string>((resolve, reject) => {
        const read = () => document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
        if (wanted.includes(read())) return resolve(read());
        const timer = setTimeout(() => reject(new Error(`run status still "${read()}" after ${ms} ms`)), ms);
        const seen = new MutationObserver(() => {
          if (!wanted.includes(read())) return;
          seen.disconnect();
          clearTimeout(timer);
          resolve(read());
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    [statuses, timeout] as const,
  );
}


/** the page's autosave (IndexedDB, as idb-keyval stores it): its status and children, or null when there is none */
export const autosaved = (page: Page): Promise<{ status: string; evaluated: number } | null> =>
  page.evaluate(
    () =>
      new Promise<{ status: string; evaluated: number } | null>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('keyval')) return resolve(null);
          const read = db.transaction('keyval').objectStore('keyval').get('maedet-studio/autosave');
          read.onerror = () => reject(read.error);
          read.onsuccess = () => {
            type Saved = { status: string; snapshot?: { evaluated?: number; coordinator?: { evaluated: number } }; run?: { evaluated: number } };
            const record = read.result as Saved | undefined;
            db.close();
            resolve(record ? { status: record.status, evaluated: record.snapshot?.coordinator?.evaluated ?? record.snapshot?.evaluated ?? record.run?.evaluated ?? 0 } : null);
          };
        };
      }),
  );

/** the autosave once its status is `status`: what it saved */
export async function autosavedWith(page: Page, status: string, timeout = 20_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const saved = await autosaved(page);
    if (saved?.status === status) return saved.evaluated;
    if (Date.now() - start > timeout) throw new Error(`the autosave is ${JSON.stringify(saved)} after ${timeout} ms, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Wait, inside the page, until the evaluated count passes `count` (as `waitForStatus`: no polling
 * from here).
 */
export async function waitForEvaluated(page: Page, count: number, timeout = 60_000): Promise<number> {
  return page.evaluate(
    ([above, ms]) =>
      new Promise<number>((resolve, reject) => {
        const read = () => Number(document.querySelector('[data-testid="evaluated-count"]')?.textContent?.replace(/,/g, '') ?? 0);
        if (read() > above) return resolve(read());
        const timer = setTimeout(() => reject(new Error(`evaluated still ${read()} after ${ms} ms, not above ${above}`)), ms);
        const seen = new MutationObserver(() => {
          if (read() <= above) return;
          seen.disconnect();
          clearTimeout(timer);
          resolve(read());
        });
        seen.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    [count, timeout] as const,
  );
}

/** close one of the page's Web Workers from inside, as a crash or running out of memory ends it */
export async function closeWorker(page: Page, script: string): Promise<void> {
  const workers = page.workers().filter((w) => w.url().includes(script));
  if (workers.length !== 1) throw new Error(`expected one ${script} worker in the page, found ${workers.length} (${page.workers().map((w) => w.url()).join(', ') || 'none'})`);
  // closed on the next turn, so this call returns first
  const closing = workers[0].evaluate(() => void setTimeout(() => self.close(), 0));
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the ${script} worker did not take the call to close within 10 s`)), 10_000));
  await Promise.race([closing, timeout]);
}

/** write the page's autosave record as the studio's IndexedDB store holds it (idb-keyval's database) */
export const writeAutosave = (page: Page, record: unknown): Promise<void> =>
  page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onupgradeneeded = () => open.result.createObjectStore('keyval');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('keyval', 'readwrite');
          tx.objectStore('keyval').put(value, 'maedet-studio/autosave');
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    record,
  );

/** visible text labels inside the SVGs `svgs` selects that overlap each other or leave their SVG's box */
export const chartLabelProblems = (page: Page, svgs: string): Promise<string[]> =>
  page.locator(svgs).evaluateAll((found) => {
    const problems: string[] = [];
    for (const svg of found) {
      const frame = svg.getBoundingClientRect();
      const boxes = [...svg.querySelectorAll('text')]
        .filter((t) => t.textContent?.trim() && t.getClientRects().length > 0)
        .map((t) => ({ text: t.textContent!.trim(), box: t.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0);
      for (const { text, box } of boxes) {
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 || box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) problems.push(`"${text}" leaves its chart`);
      }
      boxes.forEach(({ text, box: a }, i) => {
        for (const { text: other, box: b } of boxes.slice(i + 1)) {
          // glyph boxes touching by a pixel are no overlap a reader sees
          if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) problems.push(`"${text}" overlaps "${other}"`);
        }
      });
    }
    return problems;
  });

/** axe-core's serious and critical findings on the page as it is */
export async function axeFindings(page: Page): Promise<string[]> {
  // axe-core's own script, as its package hands it over for injecting into a page
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(', ')}`);
  });
}
