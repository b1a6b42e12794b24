// A first-time user on every screen: the studio, the editor and a lesson step at a phone's, a
// laptop's and a desktop's size (screenshots, no horizontal overflow, no overlapping or clipped
// chart labels), axe-core on every view in both themes, and the whole path from set-up to an
// edited block done with the keyboard alone — no mouse event reaches the page.
import { readFileSync } from 'node:fs';
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { parseStructure } from '../../app/engine/structure';
import { axeFindings, chartLabelProblems, openPage, openStudio, waitForStatus, type Studio } from './studio';

const shots = 'test-results';
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
];
const VIEWS = [
  { name: 'studio', hash: '' },
  { name: 'editor', hash: '#/editor/maedet_s' },
  { name: 'lesson', hash: '#/learn/5' },
  { name: 'validate', hash: '#/validate' },
];

let studio: Studio;

beforeAll(async () => {
  studio = await openStudio();
}, 60_000);

afterAll(async () => {
  await studio?.close();
});

/** how far the page is wider than the window, in px (0: no horizontal scrolling) */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

/** text labels inside any SVG of the page that overlap each other or leave their SVG's box */
const labelProblems = (page: Page) => chartLabelProblems(page, 'svg');

/** a fresh page of the view, its content drawn (the lesson's frontier computed) */
async function openView(hash: string, size: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await openPage(studio.browser, `${studio.url}${hash}`, size, []);
  await page.emulateMedia({ colorScheme });
  if (hash.startsWith('#/learn/5')) await page.getByTestId('frontier-summary').waitFor({ timeout: 60_000 });
  if (hash.startsWith('#/editor')) await page.getByTestId('editor-score').waitFor();
  if (hash === '') await page.getByTestId('population-chart').waitFor();
  if (hash === '#/validate') await page.getByTestId('proxy-row').first().waitFor({ timeout: 60_000 });
  if (hash === '#/learn/8') await page.getByTestId('macro-ladder').waitFor({ timeout: 60_000 });
  return page;
}

describe('every screen at 390×844, 1280×720 and 1440×900', () => {
  for (const view of VIEWS) {
    for (const size of SIZES) {
      it(`${view.name} at ${size.width}×${size.height}: fits the width, chart labels apart and inside their charts`, async () => {
        const page = await openView(view.hash, size);
        await page.screenshot({ path: `${shots}/a11y-${view.name}-${size.width}x${size.height}.png`, fullPage: true });
        expect(await overflow(page)).toBeLessThanOrEqual(0);
        expect(await labelProblems(page)).toEqual([]);
        await page.context().close();
      }, 90_000);
    }
  }

  it('on a phone, Start comes before the set-up', async () => {
    const page = await openView('', SIZES[0]);
    const startTop = await page.getByTestId('start-search').evaluate((e) => e.getBoundingClientRect().top);
    const setUpTop = await page.locator('fieldset.constraints').evaluate((e) => e.getBoundingClientRect().top);
    expect(startTop).toBeLessThan(setUpTop);
    expect(startTop).toBeLessThan(844);
    await page.context().close();
  });
});

describe('axe-core: no serious or critical finding', () => {
  const LESSON_STEPS = [1, 2, 3, 4, 6, 7, 8].map((n) => ({ name: `lesson step ${n}`, hash: `#/learn/${n}` }));
  for (const view of [...VIEWS, ...LESSON_STEPS]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${view.name}, ${scheme} theme`, async () => {
        const page = await openView(view.hash, SIZES[2], scheme);
        expect(await axeFindings(page)).toEqual([]);
        await page.context().close();
      }, 90_000);
    }
  }
});

describe('with the keyboard alone', () => {
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? '');
  /** Tab until the focused element matches `selector` (Shift+Tab with `back`) */
  async function tabTo(page: Page, selector: string, back = false) {
    for (let i = 0; i < 250; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`Tab never reached ${selector}; focus is on ${await focused(page)}`);
  }
  async function typeInto(page: Page, selector: string, text: string) {
    await tabTo(page, selector);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  }

  it('sets up, starts, pauses, resumes, picks the best, downloads it, saves and loads the run, edits a block and undoes it in the field', async () => {
    const page = await openView('', SIZES[2]);
    // listening from the start: Playwright turns on its file-chooser interception asynchronously,
    // so a listener added with the key press can miss the chooser that press opens
    const choosers: FileChooser[] = [];
    page.on('filechooser', (chooser) => choosers.push(chooser));
    await page.evaluate(() => {
      const w = window as unknown as { mouseEvents: string[] };
      w.mouseEvents = [];
      for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'wheel']) addEventListener(type, (e) => w.mouseEvents.push(`${type} on ${(e.target as Element).tagName}`), true);
    });
    // the skip link is the first Tab stop, and takes focus past the header and the set-up
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('Skip to the content');
    await typeInto(page, '[data-testid="iterations"]', '3000');
    await typeInto(page, '[data-testid="seed"]', '0');
    await typeInto(page, '[data-testid="workers"]', '1');
    // a setting's explanation opens from the keyboard
    await tabTo(page, 'button.info[aria-label="What is population?"]', true);
    await page.keyboard.press('Enter');
    expect(await page.locator('button.info[aria-label="What is population?"]').getAttribute('aria-expanded')).toBe('true');

    await tabTo(page, '[data-testid="start-search"]');
    await page.keyboard.press('Enter');
    // Start turns itself off and keeps the focus
    await expect.poll(() => page.getByTestId('start-search').getAttribute('aria-disabled')).toBe('true');
    expect(await focused(page)).toContain('start-search');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('pause-search');
    await page.keyboard.press('Enter');
    expect(await waitForStatus(page, ['paused', 'done'])).toBeTruthy();
    if ((await page.getByTestId('run-status').textContent()) === 'paused') {
      await page.keyboard.press('Enter');
      expect(await focused(page)).toContain('pause-search');
    }
    await waitForStatus(page, ['done']);
    // the run is over, Pause is off: the focus is still on it, not on the page
    expect(await focused(page)).toContain('pause-search');

    const config = presetConfig('detection-r50');
    config.search = { ...config.search, numRandomNets: 3000, seed: 0 };
    const search = Search.create(config);
    search.advance(3000);
    const best = search.best();

    // Enter on the best row shows the candidate and moves the focus to it, in sight
    await tabTo(page, '[data-testid="leaderboard-row"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toContain('candidate-heading');
    expect(await page.locator("#candidate-heading").evaluate((e) => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
    expect(Number(await page.locator('[data-testid="architecture-view"] strong[data-value]').getAttribute('data-value'))).toBe(best.score);

    // the studio with a run's results and a candidate on view, as axe-core reads it
    expect(await axeFindings(page)).toEqual([]);

    await tabTo(page, '[data-testid="architecture-view"] [data-testid="download-tinynas"]');
    const [structureFile] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(parseStructure(readFileSync(await structureFile.path(), 'utf8'))).toEqual(best.structure);

    await tabTo(page, '[data-testid="save-run"]', true);
    const [runFile] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toContain('Load run');
    await page.keyboard.press('Enter');
    await expect.poll(() => choosers.length).toBe(1);
    await choosers[0].setFiles(await runFile.path());
    await expect.poll(() => page.getByTestId('evaluated-count').textContent()).toBe('3000');
    expect(await page.getByTestId('best-score').getAttribute('data-value')).toBe(String(best.score));

    // into the editor with the candidate, a block's depth changed, and Ctrl+Z in the field undoes it
    await tabTo(page, '[data-testid="leaderboard-row"]', true);
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-testid="edit-candidate"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('editor-score').waitFor();
    const score = await page.getByTestId('editor-score').getAttribute('data-value');
    const field = '[aria-label="block 2 L"]';
    const before = await page.locator(field).inputValue();
    await typeInto(page, field, String(Number(before) + 1));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('editor-score').getAttribute('data-value')).not.toBe(score);
    await page.keyboard.press('Control+Z');
    await expect.poll(() => page.locator(field).inputValue()).toBe(before);
    expect(await page.getByTestId('editor-score').getAttribute('data-value')).toBe(score);

    expect(await page.evaluate(() => (window as unknown as { mouseEvents: string[] }).mouseEvents)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
