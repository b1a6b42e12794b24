// The measured search's overlap and its journal (issue #18): two calls measured at once give the
// run measured one call at a time, whatever order the answers arrive in; a run replayed from its
// journal — whole, cut anywhere, or with its last line cut short by a kill — ends exactly where
// the uninterrupted run ends, measuring only the calls the journal lacks; a journal that does not
// match the run, or is malformed, is refused with the line and the reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presetConfig, type RunConfig } from '../../app/engine/config';
import { MeasuredSearch, runMeasuredSearch, type StructureScorer } from '../../app/engine/evolution/measuredSearch';
import { journaledScorer, journalEntryLine, journalHeaderLine, readJournal, structuresDigest, type JournalEntry } from '../../app/engine/evolution/scoreJournal';
import { madnas } from '../../app/engine/scores/madnas';

function config(children: number, seed: number, childrenPerCall: number): RunConfig {
  const c = presetConfig('detection-r50');
  c.search = { ...c.search, numRandomNets: children, seed, popuSize: 16 };
  c.score = { ...c.score, type: 'entropy', entropy: { ...c.score.entropy, childrenPerCall } };
  return c;
}

/** madnas, answered after a delay drawn per call: overlapping calls finish in any order */
function delayedScorer(delays: number[]) {
  const calls: number[] = [];
  const score: StructureScorer = async (structures, call) => {
    calls.push(call);
    await new Promise((r) => setTimeout(r, delays[call % delays.length]));
    return structures.map((s) => madnas(s, [0, 0, 1, 1, 6]).total);
  };
  return { score, calls };
}

async function run(c: RunConfig, score: StructureScorer, overlap = false) {
  const search = await MeasuredSearch.start(c, score);
  await runMeasuredSearch(search, score, { overlap });
  return { population: search.population.records(), history: search.history, evaluated: search.evaluated, scored: search.scored };
}

describe('the measured search, overlapped', () => {
  it('two calls at once, answered in any order, give the run of one call at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }), async (seed, perCall, delays) => {
        const c = config(60, seed, perCall);
        const plain = await run(c, delayedScorer([0]).score);
        const overlapped = delayedScorer(delays);
        expect(await run(c, overlapped.score, true)).toEqual(plain);
        // calls are numbered 0 (the seed), 1, 2, … in the order they are made
        expect(overlapped.calls).toEqual(overlapped.calls.map((_, i) => i));
      }),
      { numRuns: 15 },
    );
  });
});

describe('the score journal', () => {
  const c = config(120, 3, 4);

  /** a run that records its journal's text */
  async function recorded() {
    let text = journalHeaderLine({ runId: 'run-1', config: c, backend: 'cpu' });
    const journal = journaledScorer(delayedScorer([0]).score, new Map(), (e) => (text += journalEntryLine(e)));
    return { result: await run(c, journal.score, true), text };
  }

  it('reads back its header and every call', async () => {
    const { text } = await recorded();
    const journal = readJournal(text);
    expect(journal.header).toEqual({ runId: 'run-1', config: c, backend: 'cpu' });
    expect([...journal.entries.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 1 + 120 / 4 }, (_, i) => i));
  });

  it('a run resumed from its journal cut after any line ends where the whole run ends, measuring only the calls cut off', async () => {
    const { result, text } = await recorded();
    const lines = text.split('\n').filter(Boolean);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: lines.length }), fc.boolean(), async (kept, cutShort) => {
        // a kill can leave the next line half written
        const cut = `${lines.slice(0, kept).join('\n')}\n${cutShort && kept < lines.length ? lines[kept].slice(0, 7) : ''}`;
        const journal = readJournal(cut);
        expect(journal.entries.size).toBe(kept - 1);
        const measured = delayedScorer([1, 0]);
        const resumed = journaledScorer(measured.score, journal.entries, () => {});
        expect(await run(journal.header.config, resumed.score, true)).toEqual(result);
        expect(resumed.replayed()).toBe(kept - 1);
        expect(measured.calls.length).toBe(lines.length - kept);
      }),
      { numRuns: 12 },
    );
  });

  it('a journal of another run is refused at the first call that differs', async () => {
    const { text } = await recorded();
    const entries = readJournal(text).entries;
    const other = journaledScorer(delayedScorer([0]).score, entries, () => {});
    await expect(run(config(120, 4, 4), other.score)).rejects.toThrow(/^journal: call 1 recorded other structures than this run proposes/);
  });

  it('records a score that is not a number as the −9999 the search merges', async () => {
    const recordedEntries: JournalEntry[] = [];
    const journal = journaledScorer(async (s) => s.map(() => NaN), new Map(), (e) => recordedEntries.push(e));
    await journal.score([c.model.structure], 0);
    expect(recordedEntries).toEqual([{ call: 0, digest: structuresDigest([c.model.structure]), scores: [-9999] }]);
  });

  it.each<[string, (lines: string[]) => string[], string]>([
    ['an empty file', () => [], 'journal: empty; expected a header line'],
    ['another format', (l) => [l[0].replace('maedet-studio-score-journal', 'bullmq'), ...l.slice(1)], 'journal line 1.format: found "bullmq"'],
    ['a newer version', (l) => [l[0].replace('"version":1', '"version":2'), ...l.slice(1)], 'written by a newer MAE-DET Studio'],
    ['an unknown backend', (l) => [l[0].replace('"backend":"cpu"', '"backend":"cuda"'), ...l.slice(1)], 'journal line 1.backend: found "cuda", expected cpu or wasm'],
    ['a bad config', (l) => [l[0].replace('"numRandomNets":120', '"numRandomNets":-1'), ...l.slice(1)], 'journal line 1.config.search.numRandomNets'],
    ['a broken line in the middle', (l) => [l[0], '{"call":', ...l.slice(1)], 'journal line 2: not JSON'],
    ['a score that is no number', (l) => [l[0], l[1].replace(/"scores":\[[^\]]*\]/, '"scores":["high"]'), ...l.slice(2)], 'journal line 2.scores: found a list of 1'],
  ])('%s is refused with the line and the reason', async (_what, edit, message) => {
    const { text } = await recorded();
    const lines = edit(text.split('\n').filter(Boolean));
    expect(() => readJournal(lines.length ? `${lines.join('\n')}\n` : '')).toThrow(message);
  });
});
