// The run store driving the real search service through comlink, as the page does, over
// MessageChannels instead of Web Workers (islands included), with IndexedDB from fake-indexeddb.
// Checks what crosses the bridge: batched progress, pause/stop, errors, autosave and resume.
import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { del, get, set } from 'idb-keyval';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { presetConfig, type RunConfig } from '../../app/engine/config';
import { firstMembers, NO_MEMBERS } from '../../app/engine/evolution/codec';
import { HISTORY_POINTS, NO_HISTORY } from '../../app/engine/evolution/historySeries';
import { runIslandsInProcess, type IslandsSnapshotV1 } from '../../app/engine/evolution/islands';
import { readRecordFixture, SAVED_RELEASES, savedFixture } from '../fixtures/saved/records';
import { Search } from '../../app/engine/evolution/search';
import { useRunStore } from '../../app/ui/stores/runStore';
import { createIslandService, type IslandSpawner } from '../../workers/islandService';
import { connectSearchWorker, searchWorker } from '../../workers/searchClient';
import { createSearchService } from '../../workers/searchService';

const ports: MessagePort[] = [];
function channel(): [MessagePort, MessagePort] {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  return [port1, port2];
}

const spawnInProcess: IslandSpawner = () => {
  const [service, client] = channel();
  Comlink.expose(createIslandService(), service);
  return { api: Comlink.wrap(client), failed: new Promise<never>(() => {}), terminate: () => {} };
};

const AUTOSAVE_KEY = 'maedet-studio/autosave';

/** a new page: a fresh search service connected to a fresh store */
function openPage() {
  const [service, client] = channel();
  Comlink.expose(
    createSearchService(spawnInProcess, () => {
      throw new Error('these tests run no measured-entropy search (the e2e suite does, with onnxruntime-web)');
    }),
    service,
  );
  connectSearchWorker(client);
  useRunStore.setState({ status: 'idle', error: null, config: null, progress: null, population: NO_MEMBERS, history: NO_HISTORY, selected: [], firstUpdateMs: null });
}

/**
 * A page reload: the old page's worker dies — its runs stop and write nothing more, the autosave
 * stays as it was — and a new page opens.
 */
async function reloadPage() {
  const record = await get(AUTOSAVE_KEY);
  await searchWorker().forget();
  if (record !== undefined) await set(AUTOSAVE_KEY, record);
  openPage();
}

afterAll(() => {
  for (const p of ports) p.close();
});

function config(children: number, seed: number, workers = 1): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed, workers };
  return c;
}

/** the population of the same search run straight through in this thread */
async function uninterrupted(c: RunConfig) {
  if (c.search.workers > 1) return (await runIslandsInProcess(c)).population.records();
  const s = Search.create(c);
  s.advance(c.search.numRandomNets);
  return s.population.records();
}

const store = () => useRunStore.getState();
/** the population the page shows, every member built from its columns */
const shown = () => firstMembers(store().population, store().population.count);
const until = async (check: () => boolean, ms = 20_000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** the children of the autosaved run once the pause has been saved */
async function savedWhenPaused(ms = 20_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const record = await get(AUTOSAVE_KEY);
    if (record?.status === 'paused') return 'kind' in record.snapshot ? record.snapshot.coordinator.evaluated : record.snapshot.evaluated;
    if (Date.now() - start > ms) throw new Error('the pause was not saved');
    await new Promise((r) => setTimeout(r, 10));
  }
}

openPage();

beforeEach(async () => {
  await reloadPage();
  await del(AUTOSAVE_KEY);
});

describe('run store over the worker bridge', () => {
  it('runs a search to the exact engine result, with progress in batches', async () => {
    const c = config(20_000, 3);
    let updates = 0;
    const unsubscribe = useRunStore.subscribe((s, before) => void (s.progress !== before.progress && updates++));
    const start = performance.now();
    await store().start(c);
    const seconds = (performance.now() - start) / 1000;
    unsubscribe();
    const node = Search.create(c);
    node.advance(20_000);
    expect(store().status).toBe('done');
    expect(store().progress!.evaluated).toBe(20_000);
    expect(shown()).toEqual(node.population.records());
    // the page holds a bounded history; the worker keeps it all, and saves it
    expect(store().history.absorbed).toBe(node.history.length);
    expect(store().history.points.length).toBeLessThanOrEqual(HISTORY_POINTS);
    const saved = (await store().runFile())!;
    expect(saved.history).toEqual(node.history);
    expect(saved.population).toEqual(node.population.records());
    expect(store().firstUpdateMs).not.toBeNull();
    // about 10 reports a second at most (plus the first and the last)
    expect(updates).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 2);
  });

  it('runs islands over the bridge to exactly the in-process island result', async () => {
    const c = config(6000, 21, 2);
    await store().start(c);
    const islands = await runIslandsInProcess(c);
    expect(shown()).toEqual(islands.population.records());
    expect((await store().runFile())!.history).toEqual(islands.history);
  });

  it('carries errors back: a bad config ends the run with its reason', async () => {
    const c = config(1000, 1);
    c.budgets.flops = 1e9;
    await store().start(c);
    expect(store().status).toBe('error');
    expect(store().error).toBe('budgets.flops: the starting network (seed structure) needs 7.75 GFLOPs but the budget is 1.00 GFLOPs; it must fit every budget');
  });

  it('pauses and stops', async () => {
    const run = store().start(config(50_000_000, 2));
    await until(() => (store().progress?.evaluated ?? 0) > 0);
    store().pause();
    // the pause is saved where the search stopped, and the report after it shows that count
    const paused = await savedWhenPaused();
    await until(() => store().progress!.evaluated === paused);
    expect((await get(AUTOSAVE_KEY)).snapshot.evaluated).toBe(paused);
    store().resume();
    await until(() => store().progress!.evaluated > paused);
    store().stop();
    await run;
    expect(store().status).toBe('stopped');
  });

  for (const workers of [1, 2]) {
    it(`autosaves a paused run and resumes it after a reload to the uninterrupted result (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      // long enough to be still running at the first report (every 250 ms)
      const c = config(300_000, 9, workers);
      void store().start(c);
      await until(() => (store().progress?.evaluated ?? 0) > 5000);
      store().pause();
      // the pause is saved; a new page finds the run and goes on from there
      const pausedAt = await savedWhenPaused();
      await until(() => store().progress!.evaluated === pausedAt);
      await reloadPage();
      void store().restoreSaved();
      await until(() => store().status === 'paused');
      await until(() => store().progress?.evaluated === pausedAt);
      store().resume();
      await until(() => store().status === 'done');
      const straight = await uninterrupted(c);
      expect(shown()).toEqual(straight);
      // a finished run is shown again after the next load
      await reloadPage();
      await store().restoreSaved();
      expect(store().status).toBe('done');
      expect(shown()).toEqual(straight);
      expect((await store().runFile())!.population).toEqual(straight);
    });
  }

  it('resumes an islands autosave of version 1 (populations as packed rows) to the uninterrupted result', async () => {
    // written by the studio at e835fae: 2 islands, paused after 3 rounds with one round unmerged
    const record = readRecordFixture(new URL('../fixtures/autosave-v1-islands.json', import.meta.url).pathname) as { snapshot: IslandsSnapshotV1 };
    expect(record.snapshot.version).toBe(1);
    expect(record.snapshot.unmerged[0][0].population).toBeInstanceOf(Float64Array);
    await set(AUTOSAVE_KEY, record);
    await reloadPage();
    void store().restoreSaved();
    await until(() => store().status === 'paused');
    expect(store().progress?.evaluated).toBe(record.snapshot.coordinator.evaluated);
    store().resume();
    await until(() => store().status === 'done');
    expect(shown()).toEqual((await runIslandsInProcess(record.snapshot.config)).population.records());
  });

  it('keeps an autosave it cannot read: says why, offers the record as it was stored, drops it only when discarded', async () => {
    await set(AUTOSAVE_KEY, { version: 99, status: 'running' });
    await reloadPage();
    await store().restoreSaved();
    const reason = 'The autosaved run cannot be read by this version: version: found 99: this autosave was written by a newer MAE-DET Studio (this one reads up to version 1)';
    expect(store().unreadableSave).toBe(reason);
    expect(store().status).toBe('idle');
    expect(JSON.parse((await store().unreadableSaveText())!)).toEqual({ version: 99, status: 'running' });
    await reloadPage();
    await store().restoreSaved();
    expect(store().unreadableSave).toBe(reason);
    await store().discardUnreadableSave();
    expect(store().unreadableSave).toBeNull();
    await reloadPage();
    await store().restoreSaved();
    expect(store().unreadableSave).toBeNull();
    expect(await get(AUTOSAVE_KEY)).toBeUndefined();
  });

  it('a record whose run cannot be resumed is kept too, with the reason', async () => {
    const record = readRecordFixture(savedFixture(SAVED_RELEASES[0], 'autosave-paused-single.json')) as { snapshot: { rng: unknown } };
    record.snapshot.rng = 'lost';
    await set(AUTOSAVE_KEY, record);
    await reloadPage();
    await store().restoreSaved();
    expect(store().unreadableSave).toMatch(/^The autosaved run (cannot be read by this version|could not be resumed): /);
    expect(await get(AUTOSAVE_KEY)).toEqual(record);
  });

  it('gives a corrupt run file a message and keeps what was shown', async () => {
    await store().start(config(2000, 4));
    const shown = store().population;
    await store().loadRun('{"format": "maedet-studio-run", "version": 1, "population": 3');
    expect(store().error).toMatch(/^This run file cannot be loaded: run: not a JSON run file/);
    expect(store().population).toBe(shown);
    expect(store().status).toBe('done');
  });
});
