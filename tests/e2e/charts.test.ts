// Every chart in the built app as a keyboard and screen-reader user meets it: one named tab stop
// with a visible summary, a current point moved with the keys and read out, Enter selecting a
// population point, and labels that neither overlap nor leave their chart, on a desktop and on a
// phone. Needs `vite build` first.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { formatCount, formatGiga } from '../../app/ui/format';
import { chartLabelProblems, openStudio, setUp, waitForStatus, type Studio } from './studio';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const CHILDREN = 2000;
const SEED = 3;

let studio: Studio;
let page: Page;

beforeAll(async () => {
  studio = await openStudio([], DESKTOP);
  page = studio.page;
}, 60_000);

afterAll(async () => {
  await studio?.close();
});

/** the charts' tab stops */
const charts = () => page.locator('.chart-keys-target');

/** visible text labels inside the charts' SVGs that overlap each other or leave their SVG's box */
const labelProblems = () => chartLabelProblems(page, '.chart-keys-target svg');

/** each chart's role, accessible name and visible summary; and whether recharts' unnamed focus stop is anywhere */
async function chartsAsRead(): Promise<{ names: string[]; summaries: string[]; applications: number }> {
  const names = await charts().evaluateAll((groups) => groups.map((g) => `${g.getAttribute('role')}: ${g.getAttribute('aria-label') ?? ''}`));
  const summaries = await page.getByTestId('chart-summary').allTextContents();
  return { names, summaries, applications: await page.locator('[role="application"]').count() };
}

/** labels checked at the desktop's size and at the phone's, back at the desktop's after */
async function expectLabelsApart() {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    // a resize reaches the charts through their ResizeObservers, then a render
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect.poll(labelProblems).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}

/** Tab from the focused element until `target` has the focus */
async function tabTo(target: Locator) {
  for (let i = 0; i < 40; i++) {
    if (await target.evaluate((e) => e === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the chart');
}

describe('the studio charts', () => {
  it('before a run, the progress chart spans the planned children and says nothing ran', async () => {
    await setUp(page, CHILDREN, SEED);
    const progress = page.getByTestId('history-chart');
    await expect.poll(() => progress.locator('.tick text').allTextContents()).toContain('2000');
    // no score axis to read yet: the plot says why
    expect(await progress.locator('.chart-empty').textContent()).toBe('No search run yet');
    expect(await progress.locator('g.tick[text-anchor="end"] text').count()).toBe(0);
    expect(await progress.getByTestId('chart-summary').textContent()).toContain('No search run yet');
  });

  it('picks a population point with the keyboard alone, and reads it out', async () => {
    await page.getByTestId('start-search').click();
    await waitForStatus(page, ['done']);
    const config = presetConfig('detection-r50');
    config.search = { ...config.search, numRandomNets: CHILDREN, seed: SEED };
    const search = Search.create(config);
    search.advance(CHILDREN);
    const byFlops = search.population.members.slice().sort((a, b) => a.flops - b.flops || a.score - b.score);
    const expected = byFlops[byFlops.length - 2];

    const chart = page.getByRole('group', { name: `Population: entropy score against FLOPs at the search resolution, ${formatCount(byFlops.length)} candidates` });
    await expect.poll(() => chart.count()).toBe(1);
    await page.getByTestId('population-chart').locator('select').focus();
    await tabTo(chart);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    const readout = page.getByTestId('population-chart').getByTestId('chart-readout');
    await expect.poll(() => readout.textContent()).toContain(`candidate ${byFlops.length - 1} of ${byFlops.length}: score ${expected.score.toFixed(3)}, ${formatGiga(expected.flops)} FLOPs`);
    expect(await readout.textContent()).toContain('shown as the candidate');
    await expect.poll(() => page.locator('[data-testid="architecture-view"] strong[data-value]').first().getAttribute('data-value')).toBe(String(expected.score));
    expect(await page.getByTestId('population-chart').getByTestId('chart-summary').textContent()).toContain(`best scores ${search.best().score.toFixed(1)}`);
  });

  it('names every chart, reads its key numbers, and keeps its labels apart and inside it', async () => {
    await page.getByLabel('Top', { exact: true }).fill('2');
    await page.getByLabel('Resolution', { exact: true }).fill('64');
    await page.getByLabel('Repeats', { exact: true }).fill('1');
    await page.getByTestId('measure-top').click();
    await expect.poll(() => page.getByRole('group', { name: 'Measured entropy against analytic score, 2 candidates' }).count(), { timeout: 120_000 }).toBe(1);
    const { names, summaries, applications } = await chartsAsRead();
    expect(names).toEqual([
      expect.stringMatching(/^group: Population: entropy score against FLOPs at the search resolution, \d+ candidates$/),
      `group: Progress: best and median entropy score against children evaluated, 2,000 children`,
      'group: Measured entropy against analytic score, 2 candidates',
    ]);
    expect(summaries.every((s) => s.trim().length > 0)).toBe(true);
    expect(applications).toBe(0);
    // the reference networks, far apart from the population: their labels are placed among each other
    await page.getByLabel('fit the population').uncheck();
    await expectLabelsApart();
    await page.getByLabel('fit the population').check();
    await expectLabelsApart();
  }, 150_000);

  it('steps through the progress chart and switches curves with ↑ and ↓', async () => {
    const chart = page.getByRole('group', { name: /^Progress:/ });
    await chart.focus();
    await page.keyboard.press('End');
    const readout = page.getByTestId('history-chart').getByTestId('chart-readout');
    await expect.poll(() => readout.textContent()).toMatch(/^best \d+ of \d+: score [\d.]+ after 2,000 children$/);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => readout.textContent()).toMatch(/^median \d+ of \d+: score [\d.]+ after 2,000 children$/);
    expect(await page.locator('[data-testid="history-chart"] .chart-ring').count()).toBe(1);
  });
});

describe('the lesson charts', () => {
  const steps = [
    { step: 2, ready: 'conv-measured', name: /^Measured against predicted std of the conv's output, log–log, \d+ runs$/ },
    { step: 3, ready: 'stage-score', name: /^Log-std terms ℓ of the \d+ inner blocks, and their running sum$/ },
    { step: 5, ready: 'frontier-best', name: /^Budgets: entropy score against FLOPs at 480×480, 3,000 sampled networks and the frontier$/ },
  ];
  for (const { step, ready, name } of steps) {
    it(`step ${step}: one named chart with a summary, a keyboard readout, and labels apart and inside it`, async () => {
      await page.goto(`${studio.url}#/learn/${step}`);
      await page.getByTestId(ready).waitFor({ timeout: 90_000 });
      // a second run, so the keyboard has somewhere to go
      if (step === 2) await page.getByRole('button', { name: 'draw new numbers' }).click();
      const chart = page.getByRole('group', { name });
      await expect.poll(() => chart.count()).toBe(1);
      const { summaries, applications } = await chartsAsRead();
      expect(summaries).toHaveLength(1);
      expect(summaries[0].trim().length).toBeGreaterThan(0);
      expect(applications).toBe(0);
      await chart.focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      // the lesson's own ← → do not take the keys from the chart
      expect(await page.getByTestId('lesson-step').getAttribute('data-step')).toBe(String(step));
      await expect.poll(() => page.getByTestId('chart-readout').textContent()).toMatch(/ 2 of \d+: /);
      expect(await page.locator('.chart-keys .chart-ring').count()).toBe(1);
      await expectLabelsApart();
    }, 120_000);
  }

  it('step 5: Enter on a frontier network makes its FLOPs the budget', async () => {
    const chart = page.getByRole('group', { name: /^Budgets:/ });
    await chart.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const front = Number(await page.getByTestId('frontier-summary').getAttribute('data-front'));
    await expect.poll(() => page.getByTestId('chart-readout').textContent()).toMatch(new RegExp(`^frontier network ${front} of ${front}: .* — the FLOPs budget is now `));
    const best = page.getByTestId('frontier-best');
    expect(Number(await best.getAttribute('data-budget'))).toBe(Number(await best.getAttribute('data-flops')));
  });
});
