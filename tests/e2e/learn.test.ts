// The editor and the lesson in the built app, in headless Chromium: a search candidate opened in
// the editor, edits of MAE-DET-L timed in the page, and every lesson step walked with its widget
// used and a screenshot saved. Needs `vite build` first (npm test builds before it runs the tests).
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { evaluateStructure } from '../../app/engine/evaluate';
import { findReferenceNetwork } from '../../app/engine/networks';
import { parseStructure } from '../../app/engine/structure';
import { openStudio, setUp, type Studio } from './studio';

let studio: Studio;
let page: Page;
const shots = 'test-results';

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  studio = await openStudio();
  page = studio.page;
}, 60_000);

afterAll(async () => {
  await studio?.close();
});

const figures = () => Promise.all(['editor-params', 'editor-flops', 'editor-score'].map(async (id) => Number(await page.getByTestId(id).getAttribute('data-value'))));
const engineFigures = (structure: Parameters<typeof evaluateStructure>[0]) => {
  const r = evaluateStructure(structure, 480, [0, 0, 1, 1, 6]);
  return [r.params, r.flops, r.madnas];
};

describe('the editor', () => {
  it('opens a search candidate, and exports the edited network as a TinyNAS file the engine reads back', async () => {
    await setUp(page, 2000, 1);
    await page.getByTestId('start-search').click();
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('done');
    const config = presetConfig('detection-r50');
    config.search = { ...config.search, numRandomNets: 2000, seed: 1 };
    const search = Search.create(config);
    search.advance(2000);
    const best = search.best().structure;
    await page.getByTestId('leaderboard-row').first().click();
    await page.getByTestId('edit-candidate').first().click();
    await expect.poll(() => page.getByTestId('editor').isVisible()).toBe(true);
    expect(await figures()).toEqual(engineFigures(best));
    const last = best.length - 1;
    await page.getByLabel(`block ${last} k`).selectOption(best[last].k === 5 ? '3' : '5');
    const edited = best.map((b, i) => (i === last ? { ...b, k: best[last].k === 5 ? 3 : 5 } : b));
    await expect.poll(figures).toEqual(engineFigures(edited));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'TinyNAS .txt' }).click()]);
    expect(parseStructure(readFileSync(await download.path(), 'utf8'))).toEqual(edited);
  });

  it('updates every figure of MAE-DET-L within 16 ms of an edit', async () => {
    await page.goto(`${studio.url}#/editor/maedet_l`);
    await expect.poll(() => page.getByTestId('editor-score').getAttribute('data-value')).toBe(String(engineFigures(findReferenceNetwork('maedet_l')!.structure)[2]));
    // from the change event to the score's new value in the DOM (React commits discrete events synchronously)
    const times = await page.evaluate(async () => {
      const score = document.querySelector('[data-testid="editor-score"]')!;
      const out: number[] = [];
      for (const [block, k] of [[4, '3'], [3, '3'], [2, '7'], [4, '5'], [1, '5'], [2, '5']] as const) {
        const select = document.querySelector<HTMLSelectElement>(`[aria-label="block ${block} k"]`)!;
        const changed = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => (observer.disconnect(), resolve(performance.now())));
          observer.observe(score, { attributes: true, attributeFilter: ['data-value'] });
        });
        const start = performance.now();
        select.value = k;
        select.dispatchEvent(new Event('change', { bubbles: true }));
        out.push((await changed) - start);
        await new Promise((r) => setTimeout(r, 50));
      }
      return out;
    });
    console.log(`editor, MAE-DET-L: ms from edit to updated figures: ${times.map((t) => t.toFixed(1)).join(', ')}`);
    expect(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]).toBeLessThan(16);
  });
});
