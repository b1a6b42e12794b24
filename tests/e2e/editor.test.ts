// The editor's fields and keys in the built app, in headless Chromium: Ctrl+Z in a number field
// undoes the network's last edit (not the field's text), Ctrl+Y / Ctrl+Shift+Z redo, text that is
// not a number is marked at its field and never reaches the engine, and the editor fits a phone's
// width. Needs `vite build` first (npm test builds before it runs the tests).
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { evaluateStructure } from '../../app/engine/evaluate';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { openPage, openStudio, type Studio } from './studio';

let studio: Studio;
let page: Page;
const shots = 'test-results';
const maedetS = findReferenceNetwork('maedet_s')!.structure;
const withL = (block: number, L: number): Structure => maedetS.map((b, i) => (i === block ? { ...b, L } : b));
const engineFigures = (structure: Structure) => {
  const r = evaluateStructure(structure, 480, [0, 0, 1, 1, 6]);
  return [r.params, r.flops, r.madnas];
};
const figures = () => Promise.all(['editor-params', 'editor-flops', 'editor-score'].map(async (id) => Number(await page.getByTestId(id).getAttribute('data-value'))));
const score = async () => Number(await page.getByTestId('editor-score').getAttribute('data-value'));
const field = (name: string) => page.getByLabel(name, { exact: true });
const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

/** whether the last key press had its default (e.g. the browser's text undo) prevented */
const lastKeyPrevented = () => page.evaluate(() => (window as unknown as { lastKeyPrevented: boolean }).lastKeyPrevented);

/**
 * MAE-DET-S in the editor, on a page of its own: the studio's first page writes its set-up into
 * the address once it has loaded, which would replace an editor address given too soon.
 */
async function openEditor(): Promise<void> {
  if (page !== studio.page) await page.close();
  page = await openPage(studio.browser, `${studio.url}#/editor/maedet_s`, { width: 1280, height: 900 }, studio.pageErrors);
  await expect.poll(score, { timeout: 20_000 }).toBe(engineFigures(maedetS)[2]);
  // added after the editor's own listener on window, so it sees what that listener did
  await page.evaluate(() => addEventListener('keydown', (e) => ((window as unknown as { lastKeyPrevented: boolean }).lastKeyPrevented = e.defaultPrevented)));
}

/** the message an element's aria-describedby points at, or null */
const description = (name: string) =>
  field(name).evaluate((input) => {
    const id = input.getAttribute('aria-describedby');
    return id ? (document.getElementById(id)?.textContent ?? null) : null;
  });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  studio = await openStudio();
  page = studio.page;
}, 60_000);

afterAll(async () => {
  const pageErrors = studio?.pageErrors ?? [];
  await studio?.close();
  expect(pageErrors).toEqual([]);
});

describe('the editor’s undo keys', () => {
  it('Ctrl+Z in a number field undoes the network’s last edit; Ctrl+Shift+Z and Ctrl+Y redo, in either case', async () => {
    await openEditor();
    const L = field('block 2 L');
    expect(await L.inputValue()).toBe('4');
    await L.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    const edited = engineFigures(withL(2, 3));
    await expect.poll(score).toBe(edited[2]);
    expect(await figures()).toEqual(edited);

    const expectNetwork = async (value: string, expected: number[]) => {
      await expect.poll(() => L.inputValue()).toBe(value);
      expect(await figures()).toEqual(expected);
      // the keyboard only: the field keeps the focus, and the browser's text undo never ran
      expect(await focusedLabel()).toBe('block 2 L');
      expect(await lastKeyPrevented()).toBe(true);
    };
    await page.keyboard.press('Control+z');
    await expectNetwork('4', engineFigures(maedetS));
    await page.keyboard.press('Control+Shift+z');
    await expectNetwork('3', edited);
    await page.keyboard.press('Control+z');
    await expectNetwork('4', engineFigures(maedetS));
    await page.keyboard.press('Control+y');
    await expectNetwork('3', edited);
    // Caps Lock: an upper-case Z without Shift; and Shift with the key's code
    await page.keyboard.press('Control+Z');
    await expectNetwork('4', engineFigures(maedetS));
    await page.keyboard.press('Control+Shift+KeyZ');
    await expectNetwork('3', edited);
    await page.keyboard.press('Meta+z');
    await expectNetwork('4', engineFigures(maedetS));
    await page.keyboard.press('Meta+Shift+z');
    await expectNetwork('3', edited);
  });

  it('Ctrl+Z first discards text not yet applied, then undoes the network', async () => {
    const L = field('block 2 L');
    await L.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('7');
    await page.keyboard.press('Control+z');
    await expect.poll(() => L.inputValue()).toBe('3');
    expect(await lastKeyPrevented()).toBe(true);
    expect(await figures()).toEqual(engineFigures(withL(2, 3)));
    await page.keyboard.press('Control+z');
    await expect.poll(() => L.inputValue()).toBe('4');
    expect(await figures()).toEqual(engineFigures(maedetS));
  });

  it('Ctrl+Z with nothing focused undoes; in the search set-up’s fields it is theirs', async () => {
    await field('block 4 L').fill('2');
    await field('block 4 L').press('Enter');
    await expect.poll(score).toBe(engineFigures(withL(4, 2))[2]);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Control+z');
    await expect.poll(score).toBe(engineFigures(maedetS)[2]);
    expect(await field('block 4 L').inputValue()).toBe('10');
    await page.keyboard.press('Control+y');
    await expect.poll(score).toBe(engineFigures(withL(4, 2))[2]);

    // the set-up is folded away beside the editor
    await page.locator('details:has([data-testid="iterations"]) > summary').click();
    await page.getByTestId('iterations').click();
    await page.keyboard.press('Control+z');
    expect(await lastKeyPrevented()).toBe(false);
    expect(await score()).toBe(engineFigures(withL(4, 2))[2]);
    await page.getByText('Open a pasted TinyNAS / JSON structure').click();
    await page.getByLabel('structure to open').click();
    await page.keyboard.press('Control+z');
    expect(await lastKeyPrevented()).toBe(false);
    expect(await score()).toBe(engineFigures(withL(4, 2))[2]);
  });
});

describe('the editor’s number fields', () => {
  it('mark text that is not a whole number at the field, apply nothing, and revert on Escape', async () => {
    await openEditor();
    const before = await figures();
    const L = field('block 3 L');
    for (const text of ['abc', '', '2.5', '-3']) {
      await L.fill(text);
      await L.press('Enter');
      expect(await L.getAttribute('aria-invalid')).toBe('true');
      expect(await description('block 3 L')).toBe('block 3 L: a whole number from 1 to 512');
      expect(await page.locator('body').innerText()).not.toContain('NaN');
      expect(await page.getByTestId('editor-error').count()).toBe(0);
      expect(await figures()).toEqual(before);
      expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
      await L.press('Escape');
      expect(await L.inputValue()).toBe('10');
      expect(await L.getAttribute('aria-invalid')).toBe('false');
      expect(await description('block 3 L')).toBeNull();
    }
  });

  it('show the message next to the field, and drop it once the text is a number or Ctrl+Z reverts it', async () => {
    const L = field('block 3 L');
    await L.fill('abc');
    await L.press('Enter');
    const message = page.getByText('block 3 L: a whole number from 1 to 512');
    const [input, text] = [(await L.boundingBox())!, (await message.boundingBox())!];
    // under the field, in its own cell
    expect(text.y).toBeGreaterThanOrEqual(input.y + input.height - 1);
    expect(text.y).toBeLessThan(input.y + input.height + 40);
    expect(text.x + text.width).toBeGreaterThan(input.x);
    expect(text.x).toBeLessThan(input.x + input.width);
    await page.screenshot({ path: `${shots}/editor-invalid-field.png` });
    await L.fill('12');
    expect(await L.getAttribute('aria-invalid')).toBe('false');
    expect(await message.count()).toBe(0);
    await L.fill('2.5');
    await L.press('Enter');
    expect(await L.getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('Control+z');
    expect(await L.inputValue()).toBe('10');
    expect(await L.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
  });

  it('show an engine refusal next to the field that caused it, as well as at the top', async () => {
    const before = await figures();
    const out = field('block 2 out');
    await out.fill('0');
    await out.press('Enter');
    const reason = "block 2 (SuperResK1KXK1), key 'out': found 0, expected an integer from 1 to 65534";
    await expect.poll(() => page.getByTestId('editor-error').textContent()).toBe(reason);
    expect(await out.getAttribute('aria-invalid')).toBe('true');
    expect(await description('block 2 out')).toBe(reason);
    expect(await figures()).toEqual(before);
    await out.press('Escape');
    expect(await out.inputValue()).toBe('272');
    expect(await out.getAttribute('aria-invalid')).toBe('false');
    expect(await page.getByTestId('editor-error').count()).toBe(0);
  });
});

describe('the editor on a phone', () => {
  it('fits 390 px: the block table scrolls on its own, its block numbers in view', async () => {
    const phone = await openPage(studio.browser, `${studio.url}#/editor/maedet_s`, { width: 390, height: 844 });
    try {
      await expect.poll(() => phone.getByTestId('editor-score').getAttribute('data-value')).toBe(String(engineFigures(maedetS)[2]));
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      // everything in the editor but the table's own scroller ends within the screen
      const outside = await phone.evaluate(() =>
        [...document.querySelectorAll('[data-testid="editor"] *')]
          .filter((e) => !e.closest('.editor-blocks-scroll') && e.getBoundingClientRect().right > 390)
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(outside).toEqual([]);
      const scroller = phone.locator('.editor-blocks-scroll');
      expect(await scroller.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
      await scroller.evaluate((e) => (e.scrollLeft = e.scrollWidth));
      const [first, box] = [(await phone.locator('.editor-blocks tbody tr:nth-child(3) td').first().boundingBox())!, (await scroller.boundingBox())!];
      expect(Math.abs(first.x - box.x)).toBeLessThan(1);
      expect(await phone.locator('.editor-blocks tbody tr:nth-child(3) td').first().textContent()).toBe('2');
      await phone.screenshot({ path: `${shots}/editor-390.png`, fullPage: true });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  });
});
