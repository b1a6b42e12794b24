// The editor and the lesson in the built app, in headless Chromium: a search candidate opened in
// the editor, edits of MAE-DET-L timed in the page, and every lesson step walked with its widget
// used and a screenshot saved. Needs `vite build` first (npm test builds before it runs the tests).
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmarkSearch } from '../../app/engine/benchmark/benchmarkSearch';
import { nasBenchMacro } from '../../app/engine/benchmark/nasBenchMacro';
import { budgetLadder, proxyValues, regretAt } from '../../app/engine/benchmark/validation';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { shortSearchConfig } from '../../app/engine/evolution/shortSearch';
import { evaluateStructure } from '../../app/engine/evaluate';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { kendallTau } from '../../app/engine/stats';
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
        // the next edit after the frame that showed this one
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      }
      return out;
    });
    console.log(`editor, MAE-DET-L: ms from edit to updated figures: ${times.map((t) => t.toFixed(1)).join(', ')}`);
    expect(times.sort((a, b) => a - b)[Math.floor(times.length / 2)]).toBeLessThan(16);
  });
});

describe('the lesson', () => {
  const step = () => page.getByTestId('lesson-step').getAttribute('data-step');
  const shot = async (n: number) => {
    await page.screenshot({ path: `${shots}/lesson-${n}.png`, fullPage: true });
    // a full-page screenshot resizes the view and back, and Chromium's compositor keeps the scroll
    // offset from before it: the next input event (the mousedown of a click, after Playwright has
    // scrolled the target into view) moves the page back there, and the mouseup lands elsewhere.
    // A wheel scroll is handled by the compositor and puts both at the top.
    await page.mouse.wheel(0, -100_000);
  };
  const next = async (n: number) => {
    await page.getByTestId('lesson-next').click();
    await expect.poll(step).toBe(String(n));
    expect(page.url()).toContain(`#/learn/${n}`);
  };

  it('walks through all eight steps, using each widget', async () => {
    // the lesson's searches use the studio's set-up: the detection preset, seed 0
    await page.goto(studio.url);
    await setUp(page, 2000, 0);
    await page.getByRole('link', { name: 'Learn' }).click();
    await expect.poll(step).toBe('1');
    // KaTeX typesets the formulas (MathML for screen readers, HTML for the eye)
    expect(await page.locator('[data-testid="lesson-step"] .katex').count()).toBeGreaterThan(0);
    await lessonStep1();
    await shot(1);

    await next(2);
    await page.getByLabel('kernel size').selectOption('5');
    await page.getByLabel('input channels').fill('64');
    const predicted = async () => Number(await page.getByTestId('conv-measured').getAttribute('data-predicted'));
    // predicted = measured input std · √(5²·64) = 40 · (≈1)
    await expect.poll(predicted, { timeout: 30_000 }).toBeGreaterThan(36);
    const measured = Number(await page.getByTestId('conv-measured').getAttribute('data-value'));
    expect(Math.abs(measured / (await predicted()) - 1)).toBeLessThan(0.15);
    await shot(2);

    await next(3);
    await lessonStep3();
    await shot(3);

    await next(4);
    await lessonStep4();
    await shot(4);

    await next(5);
    await lessonStep5();
    await shot(5);

    await next(6);
    await lessonStep6();
    await shot(6);

    await next(7);
    await page.getByLabel('input height').fill('640');
    await page.getByLabel('input width').fill('640');
    await expect.poll(() => page.locator('[data-testid="feature-shapes"] tr[data-name="C5"] .shape').textContent()).toBe('[1, 2048, 20, 20]');
    await page.getByLabel('input width').fill('650');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('multiples of 32');
    await page.getByLabel('input width').fill('640');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'sidecar JSON' }).click()]);
    const sidecar = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(sidecar.feature_info.map((f: { name: string; num_chs: number; reduction: number }) => [f.name, f.num_chs, f.reduction])).toEqual([
      ['C2', 48, 4],
      ['C3', 272, 8],
      ['C4', 1024, 16],
      ['C5', 2048, 32],
    ]);
    // MAE-DET's GFL neck: C2 unread, P6 and P7 from P5 (at 640×640: 10×10 and 5×5)
    await expect.poll(() => page.locator('svg.fpn g[data-level="P7"] text').textContent()).toBe('P7: stride 128, 5 × 5');
    expect(await page.locator('svg.fpn .unread text').first().textContent()).toContain('C2');
    await shot(7);

    await next(8);
    await lessonStep8();
    await shot(8);
    expect(await page.getByTestId('lesson-next').isDisabled()).toBe(true);
    expect(studio.pageErrors).toEqual([]);
  }, 120_000);

  it('has a presenter mode without the side panels, with the arrow keys moving between steps', async () => {
    await page.goto(`${studio.url}#/learn/3`);
    await expect.poll(step).toBe('3');
    expect(await page.getByRole('navigation', { name: 'lesson steps' }).isVisible()).toBe(true);
    await page.getByTestId('presenter-toggle').click();
    await expect.poll(() => page.url()).toContain('#/learn/3?presenter');
    // as below: the hash changes first, the side panels leave with the render that follows it
    await expect.poll(() => page.getByRole('navigation', { name: 'lesson steps' }).count()).toBe(0);
    await page.screenshot({ path: `${shots}/lesson-presenter.png`, fullPage: true });
    await page.keyboard.press('ArrowRight');
    await expect.poll(step).toBe('4');
    expect(page.url()).toContain('#/learn/4?presenter');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(step).toBe('2');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).toMatch(/#\/learn\/2$/);
    // the hash changes first, the side panels come back with the render that follows it
    await expect.poll(() => page.getByRole('navigation', { name: 'lesson steps' }).isVisible()).toBe(true);
  });
});

/** step 1: score 10,000 networks in the lesson worker; a few microseconds each */
async function lessonStep1() {
  await page.getByLabel('networks to score').fill('10000');
  await page.getByTestId('zero-shot-run').click();
  await expect.poll(() => page.getByTestId('zero-shot-rate').getAttribute('data-count'), { timeout: 30_000 }).toBe('10000');
  const micros = Number(await page.getByTestId('zero-shot-rate').getAttribute('data-value'));
  expect(micros).toBeGreaterThan(0);
  expect(micros).toBeLessThan(1000);
}

/** step 3: the sums of the C5 stage, each labelled with its range, as the engine computes them */
async function lessonStep3() {
  const maedetS = findReferenceNetwork('maedet_s')!.structure;
  const value = (id: string) => page.getByTestId(id).getAttribute('data-value');
  // MAE-DET-S as published: r₅·S₅ = 1526.749658, from S₅ = Σ_{1}^{27} ℓ + ln 2048 (spec §9)
  expect(Number(await value('stage-score'))).toBeCloseTo(1526.749658, 6);
  expect(Number(await value('stage-sum'))).toBeCloseTo(254.4582763272, 9);
  expect(await page.getByTestId('stage-terms').textContent()).toContain('over its 10 inner blocks');
  await page.getByLabel('depth L').selectOption('14');
  const deeper = maedetS.map((b, i) => (i === 4 ? { ...b, L: 14 } : b));
  const report = evaluateStructure(deeper, 480, [0, 0, 1, 1, 6]);
  await expect.poll(() => value('stage-score')).toBe(String(report.madnasPerStage[4]));
  expect(await value('builder-score')).toBe(String(report.madnas));
  expect(Number(await value('stage-score'))).toBeGreaterThan(1526.749658);
}

/** step 6: the loop one child at a time, the population as the engine's search has it */
async function lessonStep6() {
  for (let i = 1; i <= 6; i++) {
    await page.getByTestId('loop-next').click();
    await expect.poll(() => page.getByTestId('loop-tally').getAttribute('data-evaluated')).toBe(String(i));
  }
  const config = presetConfig('detection-r50');
  config.search = { ...config.search, popuSize: 12, seed: 0, numRandomNets: 2000 };
  const search = Search.create(config, { stepSize: 1 });
  search.advance(6);
  const scores = await page.getByTestId('loop-member').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-score')));
  expect(scores).toEqual(search.population.members.map((m) => String(m.score)));
  const outcome = await page.getByTestId('loop-turn').getAttribute('data-outcome');
  expect(['rejected', 'entered', 'duplicate', 'below']).toContain(outcome);
  await page.getByRole('button', { name: '1,000 more at once' }).click();
  await expect.poll(() => page.getByTestId('loop-tally').getAttribute('data-evaluated')).toBe('1006');
  search.advance(1000);
  expect(await page.getByTestId('loop-member').first().getAttribute('data-score')).toBe(String(search.best().score));
  // on until a child enters the full population: it is marked, and the member it pushed out is shown struck out
  const evaluated = async () => Number(await page.getByTestId('loop-tally').getAttribute('data-evaluated'));
  for (let i = 0; i < 500 && (await page.getByTestId('loop-turn').getAttribute('data-outcome')) !== 'entered'; i++) {
    const before = await evaluated();
    await page.getByTestId('loop-next').click();
    await expect.poll(evaluated).toBe(before + 1);
  }
  const entered = Number(await page.locator('tr.entered').getAttribute('data-score'));
  expect(entered).toBe(Number(await page.getByTestId('loop-turn').getAttribute('data-child-score')));
  const left = await page.getByTestId('loop-left').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-score'))));
  expect(left).toHaveLength(1);
  expect(left[0]).toBeLessThan(entered);
  expect(await page.getByTestId('loop-member').count()).toBe(12);
  search.advance((await evaluated()) - 1006);
  expect(await page.getByTestId('loop-member').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-score')))).toEqual(search.population.members.map((m) => String(m.score)));
}

/** step 4: the effective weights, and the same short search with the default weights and with weight on C2, as in Node */
async function lessonStep4() {
  expect(await page.getByTestId('effective-weights').getAttribute('data-value')).toBe('8,8,8,7,6');
  for (const [i, w] of ['0', '6', '1', '0', '0'].entries()) await page.getByLabel(`weight C${i + 1}`).fill(w);
  await page.getByTestId('ratio-search').click();
  const runs = page.locator('[data-testid="ratio-run"]');
  await expect.poll(() => runs.count(), { timeout: 30_000 }).toBe(2);
  expect(await page.getByTestId('effective-weights').getAttribute('data-value')).toBe('7,7,1,0,0');
  const ratios = await runs.evaluateAll((cards) => cards.map((c) => c.getAttribute('data-ratio')));
  expect(ratios.sort()).toEqual(['0,0,1,1,6', '0,6,1,0,0']);
  for (const [ratio, children] of [['0,0,1,1,6', 20_000], ['0,6,1,0,0', 20_000]] as const) {
    const search = Search.create(shortSearchConfig(presetConfig('detection-r50'), { ratio: ratio.split(',').map(Number), children, seed: 0 }));
    search.advance(children);
    expect(await page.locator(`[data-testid="ratio-run"][data-ratio="${ratio}"]`).getAttribute('data-score')).toBe(String(search.best().score));
  }
}

/** step 5: the sampled scatter, the frontier and the reference networks at their spec numbers */
async function lessonStep5() {
  await expect.poll(() => page.getByTestId('frontier-summary').getAttribute('data-points'), { timeout: 30_000 }).toBe('3000');
  const maedetS = page.locator('[data-testid="frontier-reference"][data-name="maedet_s"]');
  expect(await maedetS.getAttribute('data-flops')).toBe('10992870000');
  expect(Number(await maedetS.getAttribute('data-score'))).toBeCloseTo(1731.9070099667, 9);
  const slider = page.getByLabel('FLOPs budget');
  await slider.focus();
  await slider.press('Home');
  const low = Number(await page.getByTestId('frontier-best').getAttribute('data-score'));
  await slider.press('End');
  await expect.poll(async () => Number(await page.getByTestId('frontier-best').getAttribute('data-score'))).toBeGreaterThan(low);
}

/** step 8: NAS-Bench-Macro's rankings, regret ladder and searches, as the engine computes them in Node */
async function lessonStep8() {
  const benchmark = nasBenchMacro(JSON.parse(readFileSync('public/data/nas-bench-macro/nas-bench-macro_cifar10.json', 'utf8')));
  const accuracy = benchmark.networks.map((n) => n.accuracy);
  const rankings = page.locator('[data-testid="macro-rankings"] tbody tr');
  await expect.poll(() => rankings.count(), { timeout: 60_000 }).toBe(3);
  for (const proxy of ['madnas', 'flops', 'params'] as const) {
    const kendall = await page.locator(`[data-testid="macro-rankings"] tr[data-proxy="${proxy}"]`).getAttribute('data-kendall');
    expect(Number(kendall)).toBe(kendallTau(proxyValues(benchmark, proxy), accuracy));
  }
  const ladder = budgetLadder(benchmark);
  const rows = await page.getByTestId('macro-rung').evaluateAll((trs) => trs.map((tr) => [Number(tr.getAttribute('data-budget')), tr.getAttribute('data-regrets')] as const));
  expect(rows.map(([budget]) => budget)).toEqual(ladder);
  for (const [budget, regrets] of rows) {
    expect(regrets).toBe((['madnas', 'flops', 'params'] as const).map((p) => regretAt(benchmark, proxyValues(benchmark, p), budget)!.regret).join(','));
  }
  expect(await page.getByTestId('macro-scatter').getByRole('group').getAttribute('aria-label')).toBe('Mean CIFAR-10 accuracy against madnas score, 6,561 NAS-Bench-Macro networks');
  // the search runs at the first budget admitting half the networks, then at the one chosen
  const searched = (budget: number) => expect.poll(() => page.getByTestId('macro-search').getAttribute('data-budget'), { timeout: 60_000 }).toBe(String(budget));
  const medianRegret = async () => Number(await page.getByTestId('macro-search').getAttribute('data-median-regret'));
  const half = ladder.find((b) => 2 * benchmark.networks.filter((n) => n.flops <= b).length >= benchmark.networks.length)!;
  await searched(half);
  expect(await medianRegret()).toBe(benchmarkSearch(benchmark, { objective: 'madnas', flopsBudget: half }).medianRegret);
  await page.getByLabel('search budget').selectOption('0');
  await searched(ladder[0]);
  expect(await medianRegret()).toBe(benchmarkSearch(benchmark, { objective: 'madnas', flopsBudget: ladder[0] }).medianRegret);
  expect(await page.getByTestId('macro-source').textContent()).toContain('Apache License 2.0');
}
