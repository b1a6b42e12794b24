/**
 * The built studio served by `vite preview` and opened in Debian's Chromium through playwright-core
 * (Playwright adds the headless flags and a fresh profile). Shared by the e2e tests and the
 * browser benchmark. Needs `vite build` first.
 */
import { existsSync } from 'node:fs';
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

/**
 * A freshly opened studio: a new browser, so new Web Workers and a cold JIT. `extraArgs`: more
 * Chromium switches, e.g. `--enable-unsafe-webgpu` for a (software) WebGPU adapter.
 */
export async function openStudio(extraArgs: string[] = [], viewport = { width: 1280, height: 900 }): Promise<Studio> {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` first');
  const server: PreviewServer = await preview({ preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  const url = server.resolvedUrls!.local[0];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-quic', ...extraArgs] });
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // every main-thread task over 50 ms, from the first moment of every page load
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
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

/** main-thread tasks over 50 ms since the last call */
export const takeLongTasks = (page: Page) => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.splice(0));

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

