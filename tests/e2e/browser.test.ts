// The built studio in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
// The search runs in a Web Worker and gives exactly the result Node gives for the same config
// and seed. Needs `vite build` first (npm test builds before it runs the tests).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig, type RunConfig } from '../../app/engine/config';
import { runIslandsInProcess } from '../../app/engine/evolution/islands';
import { Search } from '../../app/engine/evolution/search';
import { flopsAt, params, stageInfo } from '../../app/engine/cost';
import { madnas } from '../../app/engine/scores/madnas';
import { measureEntropy } from '../../app/engine/entropy';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import * as ortNode from 'onnxruntime-node';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { readRunFile } from '../../app/engine/runFile';
import { parseStructure } from '../../app/engine/structure';
import { cli } from '../cli/cliProcess';
import { autosaved, autosavedWith, closeWorker, openStudio, writeAutosave, setUp as setUpStudio, takeLongTasks as takeLongTasksOf, waitForEvaluated, type Studio } from './studio';

let studio: Studio;
let browser: Browser;
let page: Page;
const shots = 'test-results';

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  studio = await openStudio();
  ({ browser, page } = studio);
}, 60_000);

afterAll(async () => {
  await studio?.close();
});

function configFor(children: number, seed: number, patch: (c: RunConfig) => void = () => {}) {
  const config = presetConfig('detection-r50');
  config.search.numRandomNets = children;
  config.search.seed = seed;
  patch(config);
  return config;
}

function nodeSearch(children: number, seed: number, patch: (c: RunConfig) => void = () => {}) {
  const search = Search.create(configFor(children, seed, patch));
  search.advance(children);
  return search;
}

const setUp = (children: number, seed: number, workers = 1) => setUpStudio(page, children, seed, workers);
const takeLongTasks = () => takeLongTasksOf(page);
const status = () => page.getByTestId('run-status').textContent();
const evaluated = async () => Number(await page.getByTestId('evaluated-count').textContent());

describe('the studio', () => {
  it('is cross-origin isolated and measures the reference networks', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.locator('details.references summary').click();
    const cell = page.locator('[data-network="maedet_s"] td').nth(2);
    expect(await cell.textContent()).toBe(`${(flopsAt(findReferenceNetwork('maedet_s')!.structure, 480) / 1e9).toFixed(2)} G`);
  });

  it('runs a seeded search in a Web Worker with exactly the Node result, and fills the charts', async () => {
    await setUp(3000, 5);
    await takeLongTasks();
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    expect(await takeLongTasks()).toEqual([]);
    expect(await page.getByTestId('evaluated-count').textContent()).toBe('3000');
    const node = nodeSearch(3000, 5);
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(node.best().score));
    expect(Number(await page.getByTestId('population-chart').getAttribute('data-points'))).toBe(node.population.length);
    expect(await page.locator('[data-testid="population-chart"] canvas.population-dots').getAttribute('aria-label')).toBe(`${node.population.length} candidates`);
    // fitted to the population: the budget line shows, and the reference networks inside the frame
    expect(await page.locator('[data-testid="population-chart"] .budget-line').count()).toBe(1);
    await page.getByLabel('fit the population').uncheck();
    expect(await page.locator('[data-testid="population-chart"] .reference-marker').count()).toBe(7);
    await page.getByLabel('fit the population').check();
    expect(Number(await page.getByTestId('history-chart').getAttribute('data-points'))).toBeGreaterThan(2);
    await expect.poll(() => page.getByTestId('leaderboard-row').count()).toBe(20);
    await page.screenshot({ path: `${shots}/studio-after-search.png`, fullPage: true });
  });

  it('opens the best candidate and downloads it as a TinyNAS file the engine reads back', async () => {
    await page.getByTestId('leaderboard-row').first().click();
    await expect.poll(() => page.getByTestId('architecture-view').isVisible()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-structure').first().click()]);
    const structure = parseStructure(readFileSync(await download.path(), 'utf8'));
    expect(structure).toEqual(nodeSearch(3000, 5).best().structure);
    await page.getByTestId('leaderboard-row').nth(1).click({ modifiers: ['Shift'] });
    expect(await page.locator('[data-testid="architecture-view"] .candidate').count()).toBe(2);
    await page.getByTestId('architecture-view').screenshot({ path: `${shots}/studio-architecture-compare.png` });
  });

  it('measures the entropy of the best candidate with onnxruntime-web, as onnxruntime-node does, and exports it as ONNX and PyTorch', async () => {
    const best = nodeSearch(3000, 5).best().structure;
    await page.getByTestId('leaderboard-row').first().click();
    await page.getByLabel('Repeats', { exact: true }).fill('1');
    await page.getByTestId('measure-entropy').click();
    await expect.poll(() => page.getByTestId('measured-entropy').count(), { timeout: 120_000 }).toBe(1);
    const measured = Number(await page.getByTestId('measured-entropy').getAttribute('data-value'));
    const node = await measureEntropy(best, { batch: 2, resolution: 224, repeats: 1, bn: false, relu: false, seed: 0 }, ortRuntime(ortNode));
    expect(Math.abs(measured - node.mean)).toBeLessThan(1e-4 * Math.abs(node.mean));
    expect(await page.getByTestId('measured-entropy').textContent()).toContain('onnxruntime-web');

    const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-onnx').click()]);
    const session = await ortNode.InferenceSession.create(readFileSync(await onnx.path()));
    expect(session.outputNames).toEqual(['C2', 'C3', 'C4', 'C5']);
    const out = await session.run({ images: new ortNode.Tensor('float32', new Float32Array(3 * 64 * 96), [1, 3, 64, 96]) });
    const channels = stageInfo(best).channels.slice(1);
    expect(['C2', 'C3', 'C4', 'C5'].map((n) => out[n].dims)).toEqual(channels.map((c, i) => [1, c, 64 / 2 ** (i + 2), 96 / 2 ** (i + 2)]));
    const [py] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pytorch').click()]);
    expect(readFileSync(await py.path(), 'utf8')).toContain('def build_backbone(');
    await page.getByTestId('architecture-view').screenshot({ path: `${shots}/studio-measured-entropy.png` });
  });

  it('saves the run as run.json and loads it back; a corrupt file gets a message', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-run').click()]);
    const text = readFileSync(await download.path(), 'utf8');
    const node = nodeSearch(3000, 5);
    expect(readRunFile(text).population).toEqual(node.population.records());
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByTestId('load-run').setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect.poll(status).toBe('done');
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(node.best().score));
    await expect.poll(() => page.getByTestId('leaderboard-row').count()).toBe(20);
    await page.getByTestId('load-run').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(text.slice(0, 200)) });
    await expect.poll(() => page.getByTestId('run-error').textContent()).toContain('This run file cannot be loaded: run: not a JSON run file');
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(node.best().score));
    await page.screenshot({ path: `${shots}/studio-corrupt-run-file.png`, fullPage: false });
  });

  it('keeps to a lowered budget', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(2000, 1);
    await page.getByTestId('budget-flops').fill('12 G');
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    const node = nodeSearch(2000, 1, (c) => (c.budgets.flops = 12e9));
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(node.best().score));
    expect(node.population.members.every((m) => m.flops <= 12e9)).toBe(true);
  });

  it('pauses, resumes and stops', async () => {
    await setUp(5_000_000, 2);
    await page.getByTestId('budget-flops').fill('18.8 G');
    await takeLongTasks();
    await page.getByTestId('start-search').click();
    // a stretch of running: a few reports, a population or two
    await waitForEvaluated(page, 200_000);
    await page.getByTestId('pause-search').click();
    // the pause is saved where the search stopped, and the report after it shows that count
    const paused = await autosavedWith(page, 'paused');
    await expect.poll(evaluated).toBe(paused);
    await page.getByTestId('pause-search').click();
    await expect.poll(evaluated, { timeout: 10_000 }).toBeGreaterThan(paused);
    await page.getByTestId('stop-search').click();
    await expect.poll(status, { timeout: 10_000 }).toBe('stopped');
    expect(await takeLongTasks()).toEqual([]);
    await page.screenshot({ path: `${shots}/studio-stopped.png`, fullPage: true });
  });

  it('runs islands in two Web Workers with exactly the island result the engine gives in Node', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(8000, 21, 2);
    await takeLongTasks();
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    expect(await takeLongTasks()).toEqual([]);
    const islands = await runIslandsInProcess(configFor(8000, 21, (c) => (c.search.workers = 2)));
    expect(await evaluated()).toBe(8000);
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(islands.population.best()!.score));
    expect(Number(await page.getByTestId('population-chart').getAttribute('data-points'))).toBe(islands.population.length);
  });

  it('resumes a running search after a reload, and a paused one exactly where it was', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(5_000_000, 3, 2);
    await takeLongTasks();
    await page.getByTestId('start-search').click();
    const early = await waitForEvaluated(page, 0);
    // autosaved (every 2 s) past the first report
    await expect.poll(async () => (await autosaved(page))?.evaluated ?? 0, { timeout: 10_000 }).toBeGreaterThan(early);
    const saved = (await autosaved(page))!.evaluated;
    expect(await takeLongTasks()).toEqual([]);
    const beforeReload = await evaluated();
    await page.reload();
    // the run goes on from its autosave, at least
    await expect.poll(status, { timeout: 10_000 }).toBe('running');
    await expect.poll(evaluated, { timeout: 10_000 }).toBeGreaterThanOrEqual(saved);
    await expect.poll(evaluated, { timeout: 10_000 }).toBeGreaterThan(beforeReload);
    expect(await page.getByTestId('seed').inputValue()).toBe('3');
    await page.getByTestId('pause-search').click();
    const paused = await autosavedWith(page, 'paused');
    await expect.poll(evaluated).toBe(paused);
    const best = await page.getByTestId('best-score').getAttribute('data-value');
    await page.reload();
    await expect.poll(status, { timeout: 10_000 }).toBe('paused');
    await expect.poll(evaluated, { timeout: 10_000 }).toBe(paused);
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(best);
    await page.screenshot({ path: `${shots}/studio-resumed-after-reload.png`, fullPage: true });
    await takeLongTasks();
    await page.getByTestId('pause-search').click();
    await waitForEvaluated(page, paused + 200_000);
    await page.getByTestId('stop-search').click();
    await expect.poll(status, { timeout: 10_000 }).toBe('stopped');
    expect(await takeLongTasks()).toEqual([]);
  });

  it('searches with the measured entropy in a scoring worker (onnxruntime-web), bit-identical to the CLI run of the same config', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(24, 3, 1);
    await page.getByTestId('objective').selectOption('entropy');
    await page.getByLabel('measured entropy batch').fill('2');
    await page.getByLabel('measured entropy resolution').fill('32');
    await page.getByLabel('measured entropy repeats').fill('1');
    await page.getByLabel('measured entropy children per call').fill('2');
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 120_000 }).toBe('done');
    expect(await evaluated()).toBe(24);
    expect(await page.getByTestId('scored-per-second').textContent()).toContain('onnxruntime-web');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-run').click()]);
    const studioRun = readRunFile(readFileSync(await download.path(), 'utf8'));
    expect(studioRun.config.score.entropy).toEqual({ batch: 2, resolution: 32, repeats: 1, bn: false, relu: false, childrenPerCall: 2 });
    // the CLI, a real process, on the config the studio saved
    const dir = mkdtempSync(join(tmpdir(), 'maedet-e2e-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(studioRun.config));
    const r = cli('search', '--config', join(dir, 'config.json'), '--backend', 'wasm', '--out', join(dir, 'out'));
    expect(r.status).toBe(0);
    const cliRun = readRunFile(readFileSync(join(dir, 'out', 'run.json'), 'utf8'));
    expect(studioRun.population).toEqual(cliRun.population);
    expect(studioRun.history).toEqual(cliRun.history);
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(cliRun.population[0].score));
    await page.getByTestId('objective').selectOption('madnas');
  });

  it('a search worker that dies: the last progress stays on screen, and the run goes on from its autosave', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(50_000_000, 4, 1);
    await page.getByTestId('start-search').click();
    await expect.poll(async () => (await autosaved(page))?.evaluated ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    await waitForEvaluated(page, 0);
    const saved = (await autosaved(page))!.evaluated;
    const before = await evaluated();
    await closeWorker(page, 'search.worker');
    await expect.poll(status, { timeout: 10_000 }).toBe('error');
    expect(await page.getByTestId('run-error').textContent()).toContain('The search stopped: the search worker stopped');
    // the last progress stays on screen
    expect(await evaluated()).toBeGreaterThanOrEqual(before);
    await page.getByTestId('resume-after-crash').click();
    await expect.poll(status, { timeout: 20_000 }).toBe('running');
    // the new worker goes on from the autosave
    await expect.poll(evaluated, { timeout: 20_000 }).toBeGreaterThan(Math.max(saved, before));
    await page.getByTestId('stop-search').click();
    await expect.poll(status, { timeout: 10_000 }).toBe('stopped');
  });

  it('a scoring worker that dies mid-measurement gives its reason, and the next measurement starts a new one', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await setUp(2000, 5, 1);
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    await page.getByTestId('leaderboard-row').first().click();
    await page.getByLabel('Repeats', { exact: true }).fill('64');
    await page.getByTestId('measure-entropy').click();
    // the scoring worker is up and measuring: a repeat is done
    await expect.poll(() => page.locator('progress[aria-label="repeats measured"]').evaluate((p) => (p as HTMLProgressElement).value), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await closeWorker(page, 'score.worker');
    await expect.poll(() => page.getByTestId('entropy-error').textContent(), { timeout: 20_000 }).toContain('the scoring worker stopped');
    await page.getByLabel('Repeats', { exact: true }).fill('1');
    await page.getByTestId('measure-entropy').click();
    await expect.poll(() => page.getByTestId('measured-entropy').count(), { timeout: 120_000 }).toBe(1);
  });

  it('two tabs: the first keeps the autosave, the second says so and can take it over', async () => {
    const first = await page.context().newPage();
    await first.goto(studio.url);
    await expect.poll(() => first.getByTestId('start-search').isVisible()).toBe(true);
    const second = await page.context().newPage();
    await second.goto(studio.url);
    // the page under test keeps the autosave (it opened first); both new tabs say so
    for (const p of [first, second]) await expect.poll(() => p.getByTestId('autosave-elsewhere').textContent(), { timeout: 10_000 }).toContain('open in another tab');
    await second.getByTestId('take-over-autosave').click();
    await expect.poll(() => second.getByTestId('autosave-elsewhere').count()).toBe(0);
    await expect.poll(() => page.getByTestId('autosave-elsewhere').textContent()).toContain('Another tab took over the autosave');
    await page.getByTestId('take-over-autosave').click();
    await expect.poll(() => page.getByTestId('autosave-elsewhere').count()).toBe(0);
    await expect.poll(() => second.getByTestId('autosave-elsewhere').textContent()).toContain('Another tab took over the autosave');
    await first.close();
    await second.close();
  });

  it('edits MAE-DET-S in the editor with the numbers of the engine, undoes, and searches from the edited network', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.goto(`${studio.url}#/editor/maedet_s`);
    await expect.poll(() => page.getByTestId('editor').isVisible()).toBe(true);
    const maedetS = findReferenceNetwork('maedet_s')!.structure;
    const figures = async () => Promise.all(['editor-params', 'editor-flops', 'editor-score'].map(async (id) => Number(await page.getByTestId(id).getAttribute('data-value'))));
    expect(await figures()).toEqual([params(maedetS), flopsAt(maedetS, 480), madnas(maedetS, [0, 0, 1, 1, 6]).total]);
    await page.getByLabel('block 4 L').fill('2');
    await page.getByLabel('block 4 L').press('Enter');
    const edited = maedetS.map((b, i) => (i === 4 ? { ...b, L: 2 } : b));
    await expect.poll(figures).toEqual([params(edited), flopsAt(edited, 480), madnas(edited, [0, 0, 1, 1, 6]).total]);
    await page.getByLabel('block 3 k').selectOption('7');
    await page.getByLabel('block 2 out').fill('0');
    await page.getByLabel('block 2 out').press('Enter');
    await expect.poll(() => page.getByTestId('editor-error').textContent()).toContain("block 2 (SuperResK1KXK1), key 'out': found 0, expected an integer from 1 to 65534");
    await page.screenshot({ path: `${shots}/editor.png`, fullPage: true });
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(figures).toEqual([params(edited), flopsAt(edited, 480), madnas(edited, [0, 0, 1, 1, 6]).total]);
    await page.getByTestId('editor-search').click();
    await expect.poll(() => page.getByTestId('start-search').isVisible()).toBe(true);
    await page.getByTestId('iterations').fill('500');
    await page.getByTestId('seed').fill('0');
    await page.getByTestId('workers').fill('1');
    await page.getByTestId('start-search').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    const run = Search.create({ ...configFor(500, 0), model: { seedName: null, structure: edited } });
    run.advance(500);
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(run.best().score));
    // back to the preset's seed for the tests that follow
    await page.getByTestId('preset-select').selectOption('detection-r50');
  });

  it("follows the system's theme until the user picks one, and remembers the pick", async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');
    await page.getByLabel('Theme').selectOption('dark');
    expect(await theme()).toBe('dark');
    await page.screenshot({ path: `${shots}/studio-dark-theme.png`, fullPage: false });
    await page.reload();
    await expect.poll(theme).toBe('dark');
    await page.getByLabel('Theme').selectOption('system');
    await expect.poll(theme).toBe('light');
  });

  it('explains why Start is disabled', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByTestId('iterations').fill('12abc');
    await expect.poll(() => page.getByTestId('start-search').isDisabled()).toBe(true);
    expect(await page.locator('.why-disabled').textContent()).toContain('Children: a whole number');
    await page.getByTestId('iterations').fill('1000');
    await page.getByTestId('budget-flops').fill('5 G');
    expect(await page.locator('.why-disabled').textContent()).toBe('Start is disabled: The starting network (seed structure) needs 7.75 GFLOPs but the budget is 5.00 GFLOPs; it must fit every budget.');
  });

  it('keeps the configuration in the URL', async () => {
    await page.getByTestId('budget-flops').fill('15 G');
    await page.getByTestId('seed').fill('77');
    const link = await page.evaluate(() => location.href);
    const other = await browser.newPage();
    await other.goto(link);
    expect(await other.getByTestId('seed').inputValue()).toBe('77');
    expect(await other.getByTestId('budget-flops').inputValue()).toBe('15 G');
    await other.close();
    expect(studio.pageErrors).toEqual([]);
  });
});

describe('the studio on WebGPU', () => {
  it('measures the entropy with the WebGPU backend when the browser offers an adapter, as onnxruntime-node does', async () => {
    // Chromium's software adapter (SwiftShader) here: slow, but a real WebGPU execution provider
    const gpu = await openStudio(['--enable-unsafe-webgpu']);
    try {
      const p = gpu.page;
      await setUpStudio(p, 1, 0, 1);
      await p.getByTestId('start-search').click();
      await expect.poll(() => p.getByTestId('run-status').textContent(), { timeout: 30_000 }).toBe('done');
      await p.getByTestId('leaderboard-row').first().click();
      for (const [label, value] of [['Repeats', '1'], ['Resolution', '64'], ['Batch', '1']]) await p.getByLabel(label, { exact: true }).fill(value);
      await p.locator('.entropy select').selectOption('webgpu');
      await p.getByTestId('measure-entropy').click();
      await expect.poll(() => p.getByTestId('measured-entropy').count(), { timeout: 240_000 }).toBe(1);
      expect(await p.getByTestId('measured-entropy').textContent()).toContain('webgpu');
      const measured = Number(await p.getByTestId('measured-entropy').getAttribute('data-value'));
      const seed = presetConfig('detection-r50').model.structure;
      const node = await measureEntropy(seed, { batch: 1, resolution: 64, repeats: 1, bn: false, relu: false, seed: 0 }, ortRuntime(ortNode));
      expect(Math.abs(measured - node.mean)).toBeLessThan(1e-3 * Math.abs(node.mean));
      expect(gpu.pageErrors).toEqual([]);
    } finally {
      await gpu.close();
    }
  }, 300_000);
  it('an autosave this version cannot read: the page says why, offers the record as a download, and drops it only when told', async () => {
    const record = { version: 99, savedAt: 0, status: 'running', snapshot: { note: 'from a newer studio' } };
    await writeAutosave(page, record);
    await page.reload();
    await expect.poll(() => page.getByTestId('unreadable-save').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('unreadable-save').textContent()).toContain('this autosave was written by a newer MAE-DET Studio (this one reads up to version 1)');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-unreadable-save').click()]);
    expect(JSON.parse(readFileSync(await download.path(), 'utf8'))).toEqual(record);
    expect((await autosaved(page))?.status).toBe('running');
    await page.getByTestId('discard-unreadable-save').click();
    await expect.poll(() => page.getByTestId('unreadable-save').count()).toBe(0);
    await expect.poll(() => autosaved(page)).toBeNull();
  });
});
