// No main-thread task over 50 ms while the studio searches, measured as a user meets it: on a
// freshly opened page (its own context: new renderer, cold workers and JIT) and on one that has
// already searched, at 1280×900 and 1440×900, with one worker and with the count the page picks
// by default (one per core but one). Every search is the default set-up's: detection-r50, 100,000
// children. The run's end is awaited inside the page (no polling that would load its thread).
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../app/ui/configForm';
import { autosaved, autosavedWith, openPage, openStudio, setUp, takeLongTasks, waitForEvaluated, waitForStatus, type Studio } from './studio';

const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 1440, height: 900 },
];
const CHILDREN = 100_000;

let studio: Studio;
beforeAll(async () => {
  studio = await openStudio();
}, 60_000);
afterAll(async () => {
  await studio?.close();
});

const evaluated = async (page: Page) => Number(await page.getByTestId('evaluated-count').textContent());

/**
 * Pause, from inside the page, at the first report with children evaluated: a search of 100,000
 * children can end before a click sent from here would land.
 */
const pauseOnceEvaluated = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const pauseIfEvaluated = () => {
          if (!(Number(document.querySelector('[data-testid="evaluated-count"]')?.textContent) > 0)) return false;
          document.querySelector<HTMLButtonElement>('[data-testid="pause-search"]')!.click();
          resolve();
          return true;
        };
        if (pauseIfEvaluated()) return;
        const seen = new MutationObserver(() => pauseIfEvaluated() && seen.disconnect());
        seen.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
  );

// the page's default on this machine (Chromium reports Node's count of logical cores)
const DEFAULT_WORKERS = defaultWorkers(cpus().length);

describe.each(VIEWPORTS.flatMap((viewport) => [...new Set([1, DEFAULT_WORKERS])].map((workers) => ({ viewport, workers, label: `${viewport.width}×${viewport.height}, ${workers} worker${workers > 1 ? 's' : ''}` }))))('a search at $label', ({ viewport, workers }) => {
  let page: Page;

  it('on a freshly opened page', async () => {
    page = await openPage(studio.browser, studio.url, viewport, studio.pageErrors);
    expect(Number(await page.getByTestId('workers').inputValue())).toBe(DEFAULT_WORKERS);
    await setUp(page, CHILDREN, 0, workers);
    await takeLongTasks(page);
    await page.getByTestId('start-search').click();
    expect(await waitForStatus(page, ['done'])).toBe('done');
    expect(await takeLongTasks(page)).toEqual([]);
    expect(await evaluated(page)).toBe(CHILDREN);
  }, 90_000);

  it('on the same page again: paused, resumed, run to the end', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(page, CHILDREN, 1, workers);
    await takeLongTasks(page);
    await page.getByTestId('start-search').click();
    await pauseOnceEvaluated(page);
    expect(await waitForStatus(page, ['paused'])).toBe('paused');
    await autosavedWith(page, 'paused');
    await page.getByTestId('pause-search').click();
    expect(await waitForStatus(page, ['done'])).toBe('done');
    expect(await takeLongTasks(page)).toEqual([]);
    expect(await evaluated(page)).toBe(CHILDREN);
  }, 90_000);

  it('after a reload, resuming the autosaved run', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(page, 5_000_000, 2, workers);
    await page.getByTestId('start-search').click();
    await waitForEvaluated(page, 0);
    // autosaved (every 2 s) past the first report
    await expect.poll(async () => (await autosaved(page))?.evaluated ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.reload();
    expect(await waitForStatus(page, ['running'], 10_000)).toBe('running');
    // read before the count starts: Playwright compiles its injected script into a new document
    // at its first locator, a task of its own that no user's page runs
    const resumedAt = await evaluated(page);
    // from the resumed run's first report on (the page's own load is another matter)
    await takeLongTasks(page);
    // a stretch of the resumed run: a few reports, a population or two
    await waitForEvaluated(page, resumedAt + 300_000);
    await page.getByTestId('stop-search').click();
    expect(await waitForStatus(page, ['stopped'], 10_000)).toBe('stopped');
    expect(await takeLongTasks(page)).toEqual([]);
    expect(studio.pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
