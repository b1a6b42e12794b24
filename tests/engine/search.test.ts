// The evolutionary search (§6): budgets hold, the best never decreases, runs are reproducible,
// snapshots resume exactly, and the multi-worker mode is deterministic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { satisfiesBudgets } from '../../app/engine/budgets';
import { budgetsOf, presetConfig, type RunConfig } from '../../app/engine/config';
import { inProcessHosts, IslandSearch, IslandWorker, runIslandsInProcess, type IslandsSnapshot } from '../../app/engine/evolution/islands';
import { Population, type Member } from '../../app/engine/evolution/population';
import { Search } from '../../app/engine/evolution/search';
import { flopsAt, layers, params } from '../../app/engine/cost';
import { madnas } from '../../app/engine/scores/madnas';
import { structureKey } from '../../app/engine/structure';
import { Rng } from '../../app/engine/rng';

function config(children: number, seed = 7, patch: (c: RunConfig) => void = () => {}): RunConfig {
  const c = presetConfig('detection-r50');
  c.search.numRandomNets = children;
  c.search.seed = seed;
  patch(c);
  return c;
}

function run(c: RunConfig): Search {
  const s = Search.create(c);
  while (!s.done) s.advance(997);
  return s;
}

describe('detection-r50 search, 3000 children', () => {
  const c = config(3000);
  const search = run(c);
  const members = search.population.members;

  it('evaluates exactly the requested number of children', () => {
    expect(search.evaluated).toBe(3000);
  });

  it('every member satisfies the budgets, and its recorded costs and score are the engine’s', () => {
    expect(members.length).toBeGreaterThan(100);
    for (const m of members) {
      expect(satisfiesBudgets(m, budgetsOf(c))).toBe(true);
      expect(m.flops).toBe(flopsAt(m.structure, 480));
      expect(m.flops).toBeLessThanOrEqual(188e8);
      expect(m.layers).toBe(layers(m.structure));
      expect(m.layers).toBeLessThanOrEqual(91);
      expect(m.params).toBe(params(m.structure));
      expect(m.score).toBe(madnas(m.structure, [0, 0, 1, 1, 6]).total);
    }
  });

  it('the population is de-duplicated, sorted best first and at most popu_size', () => {
    expect(members.length).toBeLessThanOrEqual(256);
    expect(new Set(members.map((m) => structureKey(m.structure))).size).toBe(members.length);
    for (let i = 1; i < members.length; i++) expect(members[i - 1].score).toBeGreaterThanOrEqual(members[i].score);
  });

  it('the best score never decreases and improves on the seed', () => {
    const h = search.history;
    expect(h[0]).toMatchObject({ evaluated: 0 });
    expect(h[0].best).toBeCloseTo(400.7261080144, 9);
    for (let i = 1; i < h.length; i++) {
      expect(h[i].best).toBeGreaterThanOrEqual(h[i - 1].best);
      expect(h[i].evaluated).toBeGreaterThan(h[i - 1].evaluated);
      expect(h[i].median).toBeLessThanOrEqual(h[i].best);
    }
    expect(h[h.length - 1]).toMatchObject({ evaluated: 3000, best: search.best().score });
    expect(search.best().score).toBeGreaterThan(1200);
  });

  it('the same seed gives the same run; another seed another', () => {
    const again = run(c);
    expect(again.population.records()).toEqual(search.population.records());
    expect(again.history).toEqual(search.history);
    expect(run(config(3000, 8)).population.records()).not.toEqual(search.population.records());
  });
});

describe('incremental API', () => {
  it('advance in any slicing gives the same run', () => {
    const c = config(1200, 3);
    const whole = Search.create(c);
    whole.advance(5000);
    const sliced = Search.create(c);
    let n = 0;
    while (!sliced.done) n += sliced.advance(1 + (n % 37));
    expect(n).toBe(1200);
    expect(sliced.snapshot()).toEqual(whole.snapshot());
  });

  it('a snapshot (through JSON) resumes exactly, mid-step', () => {
    const c = config(2000, 11);
    const reference = run(c);
    const first = Search.create(c);
    first.advance(613);
    const resumed = Search.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(resumed.evaluated).toBe(613);
    while (!resumed.done) resumed.advance(500);
    expect(resumed.population.records()).toEqual(reference.population.records());
    expect(resumed.history).toEqual(reference.history);
  });

  it('advance never runs past the total', () => {
    const s = Search.create(config(100));
    expect(s.advance(1000)).toBe(100);
    expect(s.advance(10)).toBe(0);
    expect(s.done).toBe(true);
  });
});

describe('draws', () => {
  it("with draw 'main' the last block never changes", () => {
    const s = run(config(2000, 5, (c) => (c.space.draw = 'main')));
    const seedLast = presetConfig('detection-r50').model.structure[5];
    for (const m of s.population.members) expect({ ...m.structure[5], in: seedLast.in }).toEqual(seedLast);
  });
  it("with draw 'inclusive' the last block is searched", () => {
    const s = run(config(2000, 5));
    expect(s.population.members.some((m) => m.structure[5].L !== 1 || m.structure[5].out !== 2048)).toBe(true);
  });
});

describe('multi-worker islands', () => {
  const c = config(6000, 21, (x) => (x.search.workers = 2));
  it('are deterministic for a seed and worker count', async () => {
    const a = await runIslandsInProcess(c);
    const b = await runIslandsInProcess(c);
    expect(a.evaluated).toBe(6000);
    expect(a.population.records()).toEqual(b.population.records());
    expect(a.history).toEqual(b.history);
  });
  it('respect the budgets and never lose the best', async () => {
    const a = await runIslandsInProcess(c);
    for (const m of a.population.members) expect(satisfiesBudgets(m, budgetsOf(c))).toBe(true);
    for (let i = 1; i < a.history.length; i++) expect(a.history[i].best).toBeGreaterThanOrEqual(a.history[i - 1].best);
    expect(a.population.best()!.score).toBeGreaterThan(1300);
  });
  it('split an uneven total exactly', async () => {
    const odd = await runIslandsInProcess(config(1001, 2, (x) => (x.search.workers = 3)));
    expect(odd.evaluated).toBe(1001);
  });

  /** an island search over in-process islands restored from a snapshot (or new) */
  function islandRun(from: IslandsSnapshot | null) {
    const search = from ? IslandSearch.restore(from) : IslandSearch.create(c);
    const islands = Array.from({ length: 2 }, (_, i) => new IslandWorker(search.coordinator.config, i, from?.islands[i]));
    return { search, hosts: inProcessHosts(islands) };
  }

  it('resume exactly from a snapshot taken mid-run (after a structured clone, as IndexedDB stores it)', async () => {
    const straight = await runIslandsInProcess(c);
    for (const cutAfter of [0, 1, 5]) {
      const { search, hosts } = islandRun(null);
      let rounds = 0;
      let taken: Promise<IslandsSnapshot> | null = null;
      const request = () => {
        taken = search.snapshot();
        search.stop();
      };
      if (cutAfter === 0) request();
      expect(await search.run(hosts, () => void (++rounds === cutAfter && request()))).toBe('stopped');
      const snapshot = structuredClone(await taken!);
      expect(snapshot.coordinator.evaluated).toBe(cutAfter * 2 * 256);
      expect(snapshot.unmerged.length).toBe(cutAfter === 0 ? 0 : 1);
      const resumed = islandRun(snapshot);
      expect(await resumed.search.run(resumed.hosts)).toBe('done');
      expect(resumed.search.coordinator.population.records()).toEqual(straight.population.records());
      expect(resumed.search.coordinator.history).toEqual(straight.history);
    }
  });

  it('pause, snapshot while paused and resume without changing the result', async () => {
    const straight = await runIslandsInProcess(c);
    const { search, hosts } = islandRun(null);
    let rounds = 0;
    let whilePaused: IslandsSnapshot | null = null;
    const done = search.run(hosts, () => {
      if (++rounds !== 3) return;
      search.pause();
      setTimeout(async () => {
        whilePaused = await search.snapshot();
        search.resume();
      }, 20);
    });
    expect(await done).toBe('done');
    expect(whilePaused!.coordinator.evaluated).toBe(3 * 2 * 256);
    expect(search.coordinator.population.records()).toEqual(straight.population.records());
    const resumed = islandRun(structuredClone(whilePaused!));
    await resumed.search.run(resumed.hosts);
    expect(resumed.search.coordinator.population.records()).toEqual(straight.population.records());
  });
});

describe('population', () => {
  const member = (score: number, out: number): Member => ({ structure: [{ class: 'ConvKXBNRELU', in: 3, out, s: 2, k: 3 }], score, flops: 0, params: 0, layers: 1 });
  it('ranks like rank_population: one copy per structure, best first, truncated', () => {
    const p = new Population(3);
    for (const [score, out] of [[1, 8], [5, 16], [5, 16], [3, 24], [4, 32], [2, 40]]) p.insert(member(score, out));
    p.rank();
    expect(p.members.map((m) => m.score)).toEqual([5, 4, 3]);
  });
  it('ranking() is what rank() would keep, and leaves the members as they are', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 12 })), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (entries, size) => {
        const p = new Population(size);
        // one score per structure, as in a search
        for (const [, out] of entries) p.insert(member(out * 3, out * 8));
        const before = p.records();
        const view = p.ranking();
        expect(p.records()).toEqual(before);
        p.rank();
        expect(view).toEqual(p.records());
      }),
    );
  });
  it('keeps duplicates until ranked (they weigh in parent picks, as in the reference)', () => {
    const p = new Population(10);
    p.insert(member(1, 8));
    p.insert(member(1, 8));
    expect(p.length).toBe(2);
    p.rank();
    expect(p.length).toBe(1);
  });
  it('merge equals insert-all-then-rank', () => {
    const rng = Rng.fromSeed(1);
    // a structure always has the same score, as in a search; scores repeat across structures
    const make = () => Array.from({ length: 40 }, () => {
      const out = 8 * (1 + rng.int(30));
      return member((out * 7919) % 23, out);
    });
    const [a, b] = [make(), make()];
    const merged = new Population(16);
    a.forEach((m) => merged.insert({ ...m }));
    merged.rank();
    const naive = new Population(16);
    a.forEach((m) => naive.insert({ ...m }));
    naive.rank();
    merged.merge(b.map((m) => ({ ...m })));
    b.forEach((m) => naive.insert({ ...m }));
    naive.rank();
    expect(merged.members.map((m) => [m.score, m.structure[0].out])).toEqual(naive.members.map((m) => [m.score, m.structure[0].out]));
  });
});
