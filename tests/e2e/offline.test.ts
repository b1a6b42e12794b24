// A page that works offline on any static host (issue #17). The studio built for a sub-path
// (`--base /studio/`) and served by a plain static server that sends no COOP/COEP headers: the
// service worker takes control and the page, reloaded once, is cross-origin isolated and runs
// ONNX Runtime's wasm on several threads. Then with the network gone, a reload: the studio, the
// editor, the lesson and the validation view work, a search runs and the entropy is measured,
// the keyboard walk and axe-core (both themes) hold. A new version of the site waits for the
// person's consent, then takes over. Screenshots: test-results/offline-*.png (docs/offline/).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyboardWalk } from './keyboardWalk';
import { serveStatic, type StaticSite } from './staticServer';
import { axeFindings, launchBrowser, openPage, waitForStatus } from './studio';

const shots = 'test-results';
const VIEWPORT = { width: 1440, height: 900 };
const BASE = '/studio/';

let site: StaticSite;
let browser: Browser;
let page: Page;
let built: string;
const pageErrors: string[] = [];

/** poll the page until `check` holds, across the reloads the service worker causes */
async function until(p: Page, check: () => boolean, what: string, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      if (await p.evaluate(check)) return;
    } catch (e) {
      // the page was reloading
      if (!/context was destroyed|navigat/i.test((e as Error).message)) throw e;
    }
    if (Date.now() > end) throw new Error(`${what}: not within ${timeout / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  built = join(mkdtempSync(join(tmpdir(), 'studio-site-')), 'studio');
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--base', BASE, '--outDir', built, '--logLevel', 'warn'], {
    encoding: 'utf8',
    // vitest sets NODE_ENV=test, which would make a development build (no service worker)
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) throw new Error(`the sub-path build failed: ${build.stderr}`);
  site = await serveStatic(built, BASE);
  browser = await launchBrowser();
  page = await openPage(browser, site.url, VIEWPORT, pageErrors, 'allow');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('on a static host with no isolation headers, under a sub-path', () => {
  it('the service worker takes control; the page, reloaded once, is cross-origin isolated', async () => {
    await until(page, () => navigator.serviceWorker.controller !== null && crossOriginIsolated, 'a controlled, isolated page');
    await page.getByTestId('preset-select').waitFor();
    expect(await page.evaluate(() => location.pathname)).toBe(BASE);
    const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href)).json());
    expect(manifest).toMatchObject({ name: 'MAE-DET Studio', display: 'standalone' });
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  }, 90_000);

  it('a search runs, and its best is measured with wasm on more than one thread', async () => {
    await page.getByTestId('preset-select').selectOption('detection-r50');
    await page.getByTestId('iterations').fill('2000');
    await page.getByTestId('start-search').click();
    await waitForStatus(page, ['done']);
    await page.getByTestId('leaderboard-row').first().click();
    await page.getByLabel('Repeats', { exact: true }).fill('1');
    await page.getByTestId('measure-entropy').click();
    await page.getByTestId('measured-entropy').waitFor({ timeout: 120_000 });
    const last = (await page.getByTestId('entropy-last').textContent())!;
    console.log(`offline: online, isolated by the service worker: ${last}`);
    expect(Number(/wasm, (\d+) threads?/.exec(last)?.[1])).toBeGreaterThan(1);
  }, 180_000);
});

describe('offline', () => {
  beforeAll(async () => {
    await page.context().setOffline(true);
    site.setOffline(true);
    site.served();
    await page.reload();
    await page.getByTestId('preset-select').waitFor();
  }, 60_000);

  it('reloads from the service worker alone: isolated, and a search runs', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByTestId('iterations').fill('1500');
    await page.getByTestId('seed').fill('3');
    await page.getByTestId('start-search').click();
    await waitForStatus(page, ['done']);
    await page.screenshot({ path: `${shots}/offline-studio.png`, fullPage: true });
    expect(site.served()).toEqual([]);
  }, 120_000);

  it('measures the entropy offline: the wasm build came from the precache', async () => {
    await page.getByTestId('leaderboard-row').first().click();
    await page.getByLabel('Repeats', { exact: true }).fill('1');
    const before = await page.getByTestId('measured-entropy').count();
    await page.getByTestId('measure-entropy').click();
    await expect.poll(() => page.getByTestId('measured-entropy').count(), { timeout: 120_000 }).toBe(before + 1);
    expect(await page.getByTestId('entropy-last').textContent()).toMatch(/wasm, [2-9] threads/);
  }, 180_000);

  it('the editor, the lesson and the validation view work', async () => {
    await page.goto(`${site.url}#/editor/maedet_s`);
    await page.getByTestId('editor-score').waitFor();
    await page.goto(`${site.url}#/learn/3`);
    await page.getByTestId('lesson-step').waitFor();
    await page.goto(`${site.url}#/learn/8`);
    await page.getByTestId('macro-ladder').waitFor({ timeout: 60_000 });
    await page.goto(`${site.url}#/validate`);
    await page.getByTestId('proxy-row').first().waitFor({ timeout: 60_000 });
    expect(site.served()).toEqual([]);
  }, 120_000);

  it('axe-core finds nothing on any view, in the light theme and the dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [hash, ready] of [['', 'population-chart'], ['#/editor/maedet_s', 'editor-score'], ['#/learn/5', 'frontier-summary'], ['#/validate', 'proxy-row']] as const) {
        await page.goto(`${site.url}${hash}`);
        await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
        expect(await axeFindings(page)).toEqual([]);
      }
    }
    await page.goto(site.url);
    await page.getByTestId('population-chart').waitFor();
    await page.screenshot({ path: `${shots}/offline-dark.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  }, 240_000);

  it('the keyboard walk holds, in the light theme and the dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(site.url);
      await page.getByTestId('preset-select').waitFor();
      await keyboardWalk(page);
      await page.screenshot({ path: `${shots}/offline-keyboard${scheme === 'dark' ? '-dark' : ''}.png` });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  }, 240_000);
});

describe('a new version of the site', () => {
  it('waits until the person reloads, then takes over', async () => {
    await page.context().setOffline(false);
    site.setOffline(false);
    await page.goto(site.url);
    await page.getByTestId('preset-select').waitFor();
    // a deploy: another index.html, and the service worker that precaches it
    const index = join(built, 'index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<title>', '<meta name="studio-build" content="next" />\n    <title>'));
    const sw = join(built, 'sw.js');
    const swText = readFileSync(sw, 'utf8');
    const withRevision = swText.replace(/("revision":")[^"]+(","url":"index\.html")/, '$1next-build$2');
    expect(withRevision).not.toBe(swText);
    writeFileSync(sw, withRevision);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const offer = page.getByTestId('reload-offer');
    await offer.waitFor({ timeout: 60_000 });
    expect(await offer.getAttribute('data-reason')).toBe('update');
    // the old version still runs until the person says so
    expect(await page.locator('meta[name="studio-build"]').count()).toBe(0);
    await page.screenshot({ path: `${shots}/offline-update.png` });
    await page.getByTestId('reload-now').click();
    await until(page, () => document.querySelector('meta[name="studio-build"]') !== null, 'the new version after the reload');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    for (const name of ['offline-studio.png', 'offline-dark.png', 'offline-keyboard.png', 'offline-keyboard-dark.png', 'offline-update.png']) {
      mkdirSync('docs/offline', { recursive: true });
      copyFileSync(`${shots}/${name}`, `docs/offline/${name}`);
    }
  }, 120_000);
});

