// The batched search (a score computed elsewhere, a batch at a time), driven here by the analytic
// score behind an asynchronous scorer: budgets hold, counts are exact, runs are reproducible,
// and the scorer is kept busy (the next batch is proposed while one is being scored).
import { describe, expect, it } from 'vitest';
import { satisfiesBudgets } from '../../app/engine/budgets';
import { budgetsOf, presetConfig, type RunConfig } from '../../app/engine/config';
import { BatchedSearch, runBatchedSearch, type BatchScorer } from '../../app/engine/evolution/batchedSearch';
import { Search } from '../../app/engine/evolution/search';
import { madnas } from '../../app/engine/scores/madnas';
import { entropyScorer, entropySettingsOf } from '../../app/engine/evolution/entropyScorer';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import * as ortNode from 'onnxruntime-node';

function config(children: number, seed: number): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed };
  c.score = { ...c.score, type: 'entropy' };
  return c;
}

/** madnas, answered asynchronously, counting the calls that overlap with proposing */
function analyticScorer() {
  const calls: number[] = [];
  const score: BatchScorer = async (structures) => {
    calls.push(structures.length);
    await new Promise((r) => setTimeout(r, 0));
    return structures.map((s) => madnas(s, [0, 0, 1, 1, 6]).total);
  };
  return { score, calls };
}

describe('batched search', () => {
  it('evaluates every child once, keeps to the budgets and never loses the best', async () => {
    const c = config(3000, 4);
    const { score, calls } = analyticScorer();
    const search = await BatchedSearch.start(c, score);
    expect(await runBatchedSearch(search, score, { batch: 16 })).toBe('done');
    expect(search.evaluated).toBe(3000);
    // the seed, then batches of at most 16 children (those within the budgets)
    expect(calls[0]).toBe(1);
    expect(calls.slice(1).every((n) => n <= 16)).toBe(true);
    expect(search.scored).toBe(calls.reduce((a, b) => a + b, 0));
    for (const m of search.population.members) expect(satisfiesBudgets(m, budgetsOf(c))).toBe(true);
    for (let i = 1; i < search.history.length; i++) expect(search.history[i].best).toBeGreaterThanOrEqual(search.history[i - 1].best);
    expect(search.population.best()!.score).toBeGreaterThan(1200);
  });

  it('is reproducible for a seed', async () => {
    const run = async () => {
      const { score } = analyticScorer();
      const s = await BatchedSearch.start(config(2000, 9), score);
      await runBatchedSearch(s, score, { batch: 8 });
      return s.population.records();
    };
    expect(await run()).toEqual(await run());
  });

  it('stops when told, between batches', async () => {
    const { score } = analyticScorer();
    const search = await BatchedSearch.start(config(100_000, 1), score);
    const signal = { aborted: false };
    const end = await runBatchedSearch(search, score, { batch: 32, signal, onBatch: () => void (signal.aborted = search.evaluated >= 640) });
    expect(end).toBe('stopped');
    expect(search.evaluated).toBe(640);
  });

  it('the analytic search refuses the measured entropy with a reason', () => {
    expect(() => Search.create(config(10, 1))).toThrow(/score.type: the measured entropy runs a forward pass per child/);
  });

  it('the entropy scorer measures a structure once and remembers its score (fixed seed)', async () => {
    const runtime = ortRuntime(ortNode);
    let sessions = 0;
    const counted = { provider: runtime.provider, create: (bytes: Uint8Array) => (sessions++, runtime.create(bytes)) };
    const c = config(10, 2);
    c.score.entropy = { ...c.score.entropy, batch: 1, resolution: 64 };
    const score = entropyScorer(entropySettingsOf(c), counted);
    const seed = c.model.structure;
    const [first, again] = await score([seed, seed]);
    expect(again).toBe(first);
    expect(sessions).toBe(1);
    expect(await score([seed])).toEqual([first]);
    expect(sessions).toBe(1);
  });
});
