// The measured search (a score computed elsewhere, a scoring call at a time), driven here by the analytic
// score behind an asynchronous scorer: budgets hold, counts are exact, runs are reproducible,
// and the scorer is kept busy (the next batch is proposed while one is being scored).
import { describe, expect, it } from 'vitest';
import { satisfiesBudgets } from '../../app/engine/budgets';
import { budgetsOf, presetConfig, type RunConfig } from '../../app/engine/config';
import { MeasuredSearch, runMeasuredSearch, type StructureScorer } from '../../app/engine/evolution/measuredSearch';
import { RunGate } from '../../app/engine/evolution/gate';
import { Search } from '../../app/engine/evolution/search';
import { madnas } from '../../app/engine/scores/madnas';
import { entropyScorer, entropySettingsOf } from '../../app/engine/evolution/entropyScorer';
import { ortRuntime } from '../../app/engine/onnx/ortRuntime';
import * as ortNode from 'onnxruntime-node';

function config(children: number, seed: number, childrenPerCall = 4): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed };
  c.score = { ...c.score, type: 'entropy', entropy: { ...c.score.entropy, childrenPerCall } };
  return c;
}

/** madnas, answered asynchronously, counting the calls that overlap with proposing */
function analyticScorer() {
  const calls: number[] = [];
  const score: StructureScorer = async (structures) => {
    calls.push(structures.length);
    await new Promise((r) => setTimeout(r, 0));
    return structures.map((s) => madnas(s, [0, 0, 1, 1, 6]).total);
  };
  return { score, calls };
}

describe('measured search', () => {
  it('evaluates every child once, keeps to the budgets and never loses the best', async () => {
    const c = config(3000, 4, 16);
    const { score, calls } = analyticScorer();
    const search = await MeasuredSearch.start(c, score);
    expect(await runMeasuredSearch(search, score)).toBe('done');
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
      const s = await MeasuredSearch.start(config(2000, 9, 8), score);
      await runMeasuredSearch(s, score);
      return s.population.records();
    };
    expect(await run()).toEqual(await run());
  });

  it('stops when told, between batches', async () => {
    const { score } = analyticScorer();
    const search = await MeasuredSearch.start(config(100_000, 1, 32), score);
    const gate = new RunGate();
    const end = await runMeasuredSearch(search, score, { gate, onCall: () => void (search.evaluated >= 640 && gate.stop()) });
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
