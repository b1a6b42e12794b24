/**
 * The studio from the keyboard alone, as a person who does not use a mouse works it: set up,
 * start, pause, resume, pick the best, download it, save and load the run, edit a block and undo
 * it in the field; axe-core reads the studio with results on view. No mouse event may happen.
 * Shared by the online (a11y.test.ts) and the offline, installed studio (offline.test.ts).
 */
import { readFileSync } from 'node:fs';
import type { FileChooser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { presetConfig } from '../../app/engine/config';
import { Search } from '../../app/engine/evolution/search';
import { parseStructure } from '../../app/engine/structure';
import { axeFindings, waitForStatus } from './studio';

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

/** the walk, on a freshly opened studio page at 1440×900 */
export async function keyboardWalk(page: Page): Promise<void> {
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
}
