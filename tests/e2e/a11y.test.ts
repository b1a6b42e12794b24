// A first-time user on every screen: the studio, the editor and a lesson step at a phone's, a
// laptop's and a desktop's size (screenshots, no horizontal overflow, no overlapping or clipped
// chart labels), axe-core on every view in both themes, and the whole path from set-up to an
// edited block done with the keyboard alone — no mouse event reaches the page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboardWalk } from './keyboardWalk';
import { axeFindings, chartLabelProblems, openPage, openStudio, type Studio } from './studio';

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
  it('sets up, starts, pauses, resumes, picks the best, downloads it, saves and loads the run, edits a block and undoes it in the field', async () => {
    const page = await openView('', SIZES[2]);
    await keyboardWalk(page);
    await page.context().close();
  }, 120_000);
});
