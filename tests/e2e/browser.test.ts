// The built page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the engine runs in a Web Worker and gives exactly the result Node gives for the same config
// and seed. Needs `vite build` first (npm test builds before it runs the tests).
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { flopsAt } from '../../app/engine/network';
import { findReferenceNetwork } from '../../app/engine/networks';
import { toTinyNAS } from '../../app/engine/structure';

let server: PreviewServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync('dist/index.html')) throw new Error('dist/ is missing: run `npm run build` before the browser tests');
  server = await preview({ preview: { port: 0, strictPort: false, open: false }, logLevel: 'silent' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-quic'] });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.resolvedUrls!.local[0]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function nodeSearch(preset: string, children: number, seed: number) {
  const config = presetConfig(preset);
  config.search.numRandomNets = children;
  config.search.seed = seed;
  const search = Search.create(config);
  search.advance(children);
  return search.best();
}

describe('the built page', () => {
  it('is cross-origin isolated and shows the engine’s numbers for the reference networks', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const row = page.locator('[data-network="maedet_s"]');
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe(`${(flopsAt(findReferenceNetwork('maedet_s')!.structure, 480) / 1e9).toFixed(2)} G`);
  });

  it.each([
    ['detection-r50', 3000, 5],
    ['classification-r50', 2000, 123],
  ] as [string, number, number][])('a %s search (%i children, seed %i) in a Web Worker equals the Node run', async (preset, children, seed) => {
    await page.getByTestId('preset-select').selectOption(preset);
    await page.getByTestId('iterations').fill(String(children));
    await page.getByTestId('seed').fill(String(seed));
    await page.getByTestId('start-search').click();
    await expect.poll(() => page.getByTestId('evaluated-count').textContent(), { timeout: 30_000 }).toBe(String(children));
    const best = nodeSearch(preset, children, seed);
    // wait for this run's result (the previous run's may still be on screen)
    await expect.poll(() => page.getByTestId('best-score').getAttribute('data-value'), { timeout: 30_000 }).toBe(String(best.score));
    expect(await page.getByTestId('best-structure').textContent()).toBe(toTinyNAS([best.structure]));
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/quick-search-${preset}.png`, fullPage: true });
  });

  it('explains an invalid field instead of running', async () => {
    await page.getByTestId('iterations').fill('12abc');
    await expect.poll(() => page.getByTestId('start-search').isDisabled()).toBe(true);
    expect(await page.locator('.field-error').textContent()).toContain('Children: a whole number');
    expect(pageErrors).toEqual([]);
  });
});
