// The one search driver: every kind of run (single, islands, measured) started from a config or a
// snapshot, paused, snapshotted, resumed and stopped through one interface, giving exactly the
// run the engine's own objects give straight through.
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../app/engine/block';
import { presetConfig, type RunConfig } from '../../app/engine/config';
import { MeasuredSearch, runMeasuredSearch } from '../../app/engine/evolution/measuredSearch';
import { outcomeOf, startSearch, type RunSnapshot, type SearchHosts } from '../../app/engine/evolution/driver';
import { IslandWorker, runIslandsInProcess } from '../../app/engine/evolution/islands';
import { Search } from '../../app/engine/evolution/search';
import { madnas } from '../../app/engine/scores/madnas';

function config(children: number, seed: number, patch: (c: RunConfig) => void = () => {}): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed };
  patch(c);
  return c;
}

const measured = (childrenPerCall: number) => (c: RunConfig) => {
  c.score = { ...c.score, type: 'entropy', entropy: { ...c.score.entropy, childrenPerCall } };
};

/** madnas as a measured scorer would answer: later, a call at a time */
const analyticScore = async (structures: Structure[]) => {
  await new Promise((r) => setTimeout(r, 0));
  return structures.map((s) => madnas(s, [0, 0, 1, 1, 6]).total);
};

/** every host this thread can be: islands in this thread, the scorer above */
function inProcess(): SearchHosts & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    yield: () => new Promise((r) => setImmediate(r)),
    now: () => performance.now(),
    async startIsland(c, index, from) {
      const island = new IslandWorker(c, index, from);
      return { run: async (task) => island.run(task), snapshot: async () => island.search.snapshot(), dispose() {} };
    },
    async startScorer() {
      return {
        score: (structures) => (calls.push(structures.length), analyticScore(structures)),
        provider: 'madnas in this thread',
        dispose() {},
      };
    },
  };
}

function straightSingle(c: RunConfig) {
  const s = Search.create(c);
  s.advance(c.search.numRandomNets);
  return s.population.ranking();
}

async function straightMeasured(c: RunConfig) {
  const search = await MeasuredSearch.start(c, analyticScore);
  await runMeasuredSearch(search, analyticScore);
  return search.population.ranking();
}

/** a run straight through to its end on `hosts`: how it ended, and its outcome */
async function runToEnd(c: RunConfig, hosts: SearchHosts) {
  const run = await startSearch(c, hosts);
  const end = await run.run();
  run.dispose();
  return { ...outcomeOf(run), end };
}

/** start, pause at the first tick, snapshot, stop; then resume from the snapshot (through a structured clone) to the end */
async function interrupted(c: RunConfig, hosts: SearchHosts) {
  const first = await startSearch(c, hosts);
  let snapshot: Promise<RunSnapshot | null> | undefined;
  await first.run(() => {
    if (!snapshot && first.source.evaluated > 0) {
      first.pause();
      snapshot = first.snapshot().then((s) => (first.stop(), s));
    }
    return undefined;
  });
  first.dispose();
  const saved = structuredClone(await snapshot!)!;
  const evaluated = 'kind' in saved ? saved.coordinator.evaluated : saved.evaluated;
  expect(evaluated).toBeGreaterThan(0);
  expect(evaluated).toBeLessThan(c.search.numRandomNets);
  const second = await startSearch(c, hosts, saved);
  expect(await second.run()).toBe('done');
  second.dispose();
  return outcomeOf(second).population;
}

describe('one driver for every kind of run', () => {
  it('a single search runs as Search does straight through, and resumes from a snapshot to the same run', async () => {
    const c = config(4000, 3);
    const outcome = await runToEnd(c, inProcess());
    expect(outcome.end).toBe('done');
    expect(outcome.evaluated).toBe(4000);
    expect(outcome.population).toEqual(straightSingle(c));
    expect(await interrupted(c, inProcess())).toEqual(outcome.population);
  });

  it('islands run as the in-process coordinator does, and resume from a snapshot to the same run', async () => {
    const c = config(3000, 5, (c) => void (c.search.workers = 3));
    const outcome = await runToEnd(c, inProcess());
    expect(outcome.population).toEqual((await runIslandsInProcess(c)).population.ranking());
    expect(await interrupted(c, inProcess())).toEqual(outcome.population);
  });

  it("the measured search calls its scorer with the config's children per call, and pausing does not change it", async () => {
    const c = config(600, 8, measured(6));
    const hosts = inProcess();
    const run = await startSearch(c, hosts);
    let pauses = 0;
    const end = await run.run(() => {
      // pause at every fourth call and resume on the next turn: the gate sits between calls
      if (++pauses % 4 === 0) {
        run.pause();
        setTimeout(() => run.resume(), 1);
      }
      return undefined;
    });
    expect(end).toBe('done');
    expect(run.scoring).toEqual({ scored: hosts.calls.reduce((a, b) => a + b, 0), provider: 'madnas in this thread' });
    expect(hosts.calls[0]).toBe(1);
    expect(Math.max(...hosts.calls.slice(1))).toBeLessThanOrEqual(6);
    expect(outcomeOf(run).population).toEqual(await straightMeasured(c));
    expect(await run.snapshot()).toBeNull();
  });

  it('stops between pieces of work, with the count of children run so far', async () => {
    for (const c of [config(1_000_000, 1), config(1_000_000, 1, (c) => void (c.search.workers = 2)), config(100_000, 1, measured(4))]) {
      const run = await startSearch(c, inProcess());
      const end = await run.run(() => {
        if (run.source.evaluated >= 200) run.stop();
        return undefined;
      });
      expect(end).toBe('stopped');
      expect(run.source.evaluated).toBeGreaterThanOrEqual(200);
      expect(run.source.evaluated).toBeLessThan(c.search.numRandomNets);
      run.dispose();
    }
  });

  it('a host without islands or a runtime refuses those runs with the field to change', async () => {
    const threadOnly: SearchHosts = { yield: () => Promise.resolve(), now: () => performance.now() };
    await expect(startSearch(config(10, 1, (c) => void (c.search.workers = 2)), threadOnly)).rejects.toThrow(/search\.workers: this host runs a search in one thread; expected 1 worker/);
    await expect(startSearch(config(10, 1, measured(4)), threadOnly)).rejects.toThrow(/score\.type: this host cannot measure the entropy/);
  });

  it('an island that fails to start releases the ones that did', async () => {
    const disposed: number[] = [];
    const hosts: SearchHosts = {
      yield: () => Promise.resolve(),
      now: () => performance.now(),
      async startIsland(c, index) {
        if (index === 2) throw new Error('island 2 could not start');
        const island = new IslandWorker(c, index);
        return { run: async (t) => island.run(t), snapshot: async () => island.search.snapshot(), dispose: () => void disposed.push(index) };
      },
    };
    await expect(startSearch(config(100, 1, (c) => void (c.search.workers = 3)), hosts)).rejects.toThrow('island 2 could not start');
    expect(disposed).toEqual([1]);
  });
});
