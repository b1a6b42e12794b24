// Saved work survives upgrades: every release's checked-in fixtures (tests/fixtures/saved/<release>,
// written by tests/fixtures/saved/write.ts in that release) load in the current version through
// the readers the studio and the CLI use, and a paused autosave resumes to the run it was taken
// of. Every format's migration chain is complete, and a newer or broken record is refused with a
// reason instead of being read wrongly.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARK_VERSIONS, parseBenchmark } from '../../app/engine/benchmark/benchmark';
import { macroCode, macroFlops, macroParams } from '../../app/engine/benchmark/nasBenchMacro';
import { CONFIG_VERSION, CONFIG_VERSIONS, validateConfig, type RunConfig } from '../../app/engine/config';
import { outcomeOf, startSearch, type SearchHosts } from '../../app/engine/evolution/driver';
import { ISLANDS_SNAPSHOT_VERSIONS, IslandWorker, runIslandsInProcess } from '../../app/engine/evolution/islands';
import { Search, SNAPSHOT_VERSIONS } from '../../app/engine/evolution/search';
import { readSidecar, SIDECAR_VERSION, SIDECAR_VERSIONS } from '../../app/engine/export/sidecar';
import { upgrade, type FormatVersions } from '../../app/engine/migrate';
import { LatencyPredictor } from '../../app/engine/latency/predictor';
import { parseProfile, PROFILE_VERSIONS } from '../../app/engine/latency/profile';
import { findReferenceNetwork } from '../../app/engine/referenceNetworks';
import { readRunFile, RUN_VERSIONS } from '../../app/engine/runFile';
import type { Structure } from '../../app/engine/block';
import { MeasuredSearch, runMeasuredSearch } from '../../app/engine/evolution/measuredSearch';
import { journaledScorer, JOURNAL_VERSIONS, readJournal } from '../../app/engine/evolution/scoreJournal';
import { madnas } from '../../app/engine/scores/madnas';
import { AUTOSAVE_VERSIONS, readSavedRun } from '../../workers/autosave';
import { readRecordFixture, SAVED_RELEASES, savedFixture } from '../fixtures/saved/records';

const hosts: SearchHosts = {
  yield: () => new Promise((r) => setImmediate(r)),
  now: () => performance.now(),
  async startIsland(config, index, from) {
    const island = new IslandWorker(config, index, from);
    return { run: async (task) => island.run(task), snapshot: async () => island.search.snapshot(), dispose() {} };
  },
};

function straight(config: RunConfig) {
  const s = Search.create(config);
  s.advance(config.search.numRandomNets);
  return s.population.ranking();
}

it('fixtures of at least two releases are checked in', () => {
  expect(SAVED_RELEASES.length).toBeGreaterThanOrEqual(2);
});

describe.each(SAVED_RELEASES)('saved by release %s, read now', (release) => {
  const file = (name: string) => savedFixture(release, name);

  it('config.json: migrated to the current version, every setting kept', () => {
    const raw = JSON.parse(readFileSync(file('config.json'), 'utf8'));
    const config = validateConfig(raw);
    expect(config.version).toBe(CONFIG_VERSION);
    expect(config.search).toMatchObject({ numRandomNets: 1200, popuSize: 64, seed: 11 });
    // budgets added since (latency, config version 3; MACs, version 4) read as off
    expect(config.budgets).toEqual({ latency: null, macs: null, ...raw.budgets });
    expect(config.model.structure).toEqual(findReferenceNetwork('r50_det_seed')!.structure);
  });

  it('run.json: read through the run-file reader; its population is what this engine finds for its config', () => {
    const run = readRunFile(readFileSync(file('run.json'), 'utf8'));
    expect(run.config.version).toBe(CONFIG_VERSION);
    expect(run.evaluated).toBe(1200);
    expect(run.population).toEqual(straight(run.config));
  });

  it('autosave-paused-single.json: resumes to the uninterrupted run', async () => {
    const saved = readSavedRun(readRecordFixture(file('autosave-paused-single.json')));
    if (saved.status !== 'paused') throw new Error(`expected a paused record, found ${saved.status}`);
    expect(saved.snapshot.config.version).toBe(CONFIG_VERSION);
    const run = await startSearch(saved.snapshot.config, hosts, saved.snapshot);
    expect(await run.run()).toBe('done');
    expect(outcomeOf(run).population).toEqual(straight(saved.snapshot.config));
  });

  it('autosave-paused-islands.json: 2 islands resume to the uninterrupted run', async () => {
    const saved = readSavedRun(readRecordFixture(file('autosave-paused-islands.json')));
    if (saved.status !== 'paused' || !('kind' in saved.snapshot)) throw new Error('expected a paused islands record');
    const config = saved.snapshot.config;
    expect(config.search.workers).toBe(2);
    const run = await startSearch(config, hosts, saved.snapshot);
    expect(await run.run()).toBe('done');
    expect(outcomeOf(run).population).toEqual((await runIslandsInProcess(config)).population.ranking());
  });

  it('sidecar.json: read as the current version, a 3-channel RGB input', () => {
    const sidecar = readSidecar(readFileSync(file('sidecar.json'), 'utf8'));
    expect(sidecar.version).toBe(SIDECAR_VERSION);
    expect(sidecar.structure).toEqual(findReferenceNetwork('maedet_s')!.structure);
    expect(sidecar.input).toMatchObject({ name: 'images', channels: 3, fromImage: 'rgb', mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] });
  });
});

// device profiles exist since 0.3.0: every release's latency-profile.json (the CLI's) still reads and predicts
const PROFILE_RELEASES = SAVED_RELEASES.filter((release) => existsSync(savedFixture(release, 'latency-profile.json')));

it('latency profiles of at least one release are checked in', () => {
  expect(PROFILE_RELEASES.length).toBeGreaterThanOrEqual(1);
});

it.each(PROFILE_RELEASES)('latency-profile.json saved by release %s: read as the current version; it predicts', (release) => {
  const profile = parseProfile(readFileSync(savedFixture(release, 'latency-profile.json'), 'utf8'));
  expect(profile.version).toBe(PROFILE_VERSIONS.current);
  expect(profile.units).toHaveLength(profile.plan.units);
  expect(new LatencyPredictor(profile).predictMs(findReferenceNetwork('maedet_s')!.structure)).toBeGreaterThan(0);
});

// benchmark files exist since 0.4.0: every release's benchmark.json (NAS-Bench-Macro networks) still reads
const BENCHMARK_RELEASES = SAVED_RELEASES.filter((release) => existsSync(savedFixture(release, 'benchmark.json')));

it('benchmark files of at least one release are checked in', () => {
  expect(BENCHMARK_RELEASES.length).toBeGreaterThanOrEqual(1);
});

it.each(BENCHMARK_RELEASES)('benchmark.json saved by release %s: read as the current version, the engine counts what it says', (release) => {
  const benchmark = parseBenchmark(readFileSync(savedFixture(release, 'benchmark.json'), 'utf8'));
  expect(benchmark.networks.length).toBeGreaterThan(10);
  for (const n of benchmark.networks) expect([macroParams(n.structure), macroFlops(n.structure), macroCode(n.structure)]).toEqual([n.params, n.flops, n.id]);
});

// measured runs' journals and run files with what measured them exist since 0.5.0
const JOURNAL_RELEASES = SAVED_RELEASES.filter((release) => existsSync(savedFixture(release, 'journal.jsonl')));

it('journals of at least one release are checked in', () => {
  expect(JOURNAL_RELEASES.length).toBeGreaterThanOrEqual(1);
});

describe.each(JOURNAL_RELEASES)('a measured run saved by release %s', (release) => {
  /** the fixture's stand-in for the measurement: madnas, so the run can be replayed here */
  const madnasScorer = (ratio: number[]) => async (structures: Structure[]) => structures.map((s) => madnas(s, ratio).total);

  it('journal.jsonl: resumed from, replays every call and ends in the run file saved with it', async () => {
    const journal = readJournal(readFileSync(savedFixture(release, 'journal.jsonl'), 'utf8'));
    expect(journal.header).toMatchObject({ runId: 'fixture-run', backend: 'cpu' });
    const measuredNothing = async (): Promise<number[]> => {
      throw new Error('a call the journal holds was measured again');
    };
    const replay = journaledScorer(measuredNothing, journal.entries, () => {});
    const search = await MeasuredSearch.start(journal.header.config, replay.score);
    await runMeasuredSearch(search, replay.score);
    expect(replay.replayed()).toBe(journal.entries.size);
    const saved = readRunFile(readFileSync(savedFixture(release, 'run-measured.json'), 'utf8'));
    expect(search.population.records()).toEqual(saved.population);
    // and the journal's scores are what this engine computes
    const straight = await MeasuredSearch.start(journal.header.config, madnasScorer(journal.header.config.score.multiBlockRatio));
    await runMeasuredSearch(straight, madnasScorer(journal.header.config.score.multiBlockRatio));
    expect(straight.population.records()).toEqual(saved.population);
  });

  it('run-measured.json: what measured it is kept — the queue, its jobs and workers', () => {
    const saved = readRunFile(readFileSync(savedFixture(release, 'run-measured.json'), 'utf8'));
    expect(saved.scoring).toMatchObject({ provider: expect.stringContaining('BullMQ'), replayed: 0, queue: { url: 'redis://***@queue.example:6379', workers: 2, jobSize: 2 } });
  });
});

describe('migration chains', () => {
  const CHAINS: [string, FormatVersions][] = [
    ['config', CONFIG_VERSIONS],
    ['run file', RUN_VERSIONS],
    ['autosave', AUTOSAVE_VERSIONS],
    ['search snapshot', SNAPSHOT_VERSIONS],
    ['islands snapshot', ISLANDS_SNAPSHOT_VERSIONS],
    ['sidecar', SIDECAR_VERSIONS],
    ['latency profile', PROFILE_VERSIONS],
    ['benchmark', BENCHMARK_VERSIONS],
    ['score journal', JOURNAL_VERSIONS],
  ];

  it.each(CHAINS)('%s: a step from every version since the first to the current one', (_name, chain) => {
    const versions = Object.keys(chain.steps).map(Number);
    const first = versions.length > 0 ? Math.min(...versions) : chain.current;
    for (let v = first; v < chain.current; v++) expect(chain.steps[v], `step ${v} → ${v + 1}`).toBeTypeOf('function');
    expect(upgrade(chain, { version: chain.current }).version).toBe(chain.current);
  });

  it.each(CHAINS)('%s: a record from a newer version is refused, saying so', (name, chain) => {
    expect(() => upgrade(chain, { version: chain.current + 1 })).toThrow(`this ${name} was written by a newer MAE-DET Studio (this one reads up to version ${chain.current})`);
    expect(() => upgrade(chain, { version: 'two' })).toThrow(/found "two", expected a .* version from/);
  });

  it('an autosave record that is not one says why', () => {
    expect(() => readSavedRun({ version: 1, status: 'sleeping' })).toThrow('status: found "sleeping", expected running, paused, done or stopped');
    expect(() => readSavedRun({ version: 1, status: 'paused', snapshot: { version: 1, config: { imageSize: 'big' } } })).toThrow('imageSize');
  });
});
