/**
 * `npm run bench -- --browser`: the studio's search in headless Chromium (the built page, its Web
 * Workers) against the engine in Node on the same machine: children per second with 1 and 2
 * workers, time from Start to the first chart update, and main-thread long tasks during the runs.
 */
import { build } from 'vite';
import { presetConfig } from '../app/engine/config';
import { runSearch } from '../app/cli/runSearch';
import { openStudio, setUp, takeLongTasks } from '../tests/e2e/studio';

type Row = (string | number)[];

export async function browserBench(quick: boolean, table: (title: string, header: string[], rows: Row[]) => void, median: (v: number[]) => number): Promise<void> {
  await build({ logLevel: 'warn' });
  const studio = await openStudio();
  const { page } = studio;
  const speedRows: Row[] = [];
  const firstUpdates: number[] = [];
  const longTasks: number[] = [];
  try {
    for (const children of quick ? [100_000] : [100_000, 1_000_000]) {
      for (const workers of [1, 2]) {
        const config = presetConfig('detection-r50');
        config.search = { ...config.search, numRandomNets: children, workers };
        const node = await runSearch(config, () => {});
        const reset = page.getByRole('button', { name: 'Reset' });
        if (await reset.isEnabled()) await reset.click();
        await setUp(page, children, 0, workers);
        await takeLongTasks(page);
        // from the click on Start to the first population drawn
        const firstUpdate = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const chart = document.querySelector('[data-testid="population-chart"]')!;
              const start = performance.now();
              const seen = new MutationObserver(() => {
                if (Number(chart.getAttribute('data-points')) === 0) return;
                seen.disconnect();
                resolve(performance.now() - start);
              });
              seen.observe(chart, { attributes: true, attributeFilter: ['data-points'] });
              (document.querySelector('[data-testid="start-search"]') as HTMLButtonElement).click();
            }),
        );
        firstUpdates.push(firstUpdate);
        await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.textContent === 'done', null, { timeout: 600_000 });
        longTasks.push(...(await takeLongTasks(page)));
        const browserRate = Number(await page.getByTestId('children-per-second').getAttribute('data-value'));
        const nodeRate = node.evaluated / node.seconds;
        speedRows.push([`${children.toLocaleString('en-US')} children, ${workers} worker${workers > 1 ? 's' : ''}`, Math.round(browserRate).toLocaleString('en-US'), Math.round(nodeRate).toLocaleString('en-US'), `${(nodeRate / browserRate).toFixed(2)}×`, firstUpdate.toFixed(0)]);
      }
    }
  } finally {
    await studio.close();
  }
  table('Search in headless Chromium vs Node (detection-r50, seed 0; worker start-up excluded on both)', ['run', 'browser children/s', 'Node children/s', 'Node ÷ browser (target ≤ 1.5×)', 'Start → first chart (ms)'], speedRows);
  table('Main thread during those runs', ['Start → first chart update, median (target < 300 ms)', 'long tasks over 50 ms'], [[median(firstUpdates).toFixed(0), longTasks.length === 0 ? 'none' : longTasks.join(', ')]]);
}
